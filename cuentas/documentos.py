"""Documents of the ledger: estado de cuenta and certificación de saldos. Both read the statement
selector (cuentas.estado), so a PDF shows exactly what the screen and the API show for that date."""
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from issscobros.documentos import documento_emitir
from issscobros.letras import monto_en_letras
from issscobros.models import Documento

from .estado import EstadoCuenta, cuenta_estado
from .models import COTIZACIONES, Concepto, Cuenta, Deudor

CERO = Decimal("0.00")


def _dinero(valor) -> str:
    return f"{valor:.2f}"


def _foto_estado(estado: EstadoCuenta) -> dict:
    """The data a statement certifies, as JSON (kept in the document register)."""
    return {
        "numero_patronal": estado.cuenta.numero, "fecha": estado.fecha.isoformat(),
        "obligaciones": [{"id": l.obligacion.pk, "concepto": l.obligacion.concepto,
                          "periodo": f"{l.obligacion.periodo:%Y-%m}" if l.obligacion.periodo else None,
                          "vencimiento": l.obligacion.vencimiento.isoformat(), "monto": _dinero(l.obligacion.monto),
                          "saldo": _dinero(l.saldo), "recargo_devengado": _dinero(l.recargo_devengado)}
                         for l in estado.lineas],
        "recargos_a_la_fecha": _dinero(estado.recargos_a_la_fecha), "saldo_total": _dinero(estado.saldo_total),
        "saldo_a_favor": _dinero(estado.saldo_a_favor),
    }


def estado_cuenta_emitir(*, actor, deudor: Deudor, fecha: date, cuenta: Cuenta | None = None,
                         desde: date | None = None, hasta: date | None = None) -> Documento:
    """The statement handed to the employer at the window: one número patronal or all of them."""
    cuentas = [cuenta] if cuenta else list(deudor.cuentas.order_by("numero"))
    estados = [cuenta_estado(cuenta=c, fecha=fecha, desde=desde, hasta=hasta) for c in cuentas]
    total = sum((e.saldo_total for e in estados), CERO)
    return documento_emitir(
        actor=actor, tipo=Documento.Tipo.ESTADO_CUENTA, plantilla="impresos/estado_cuenta.html",
        contexto={"deudor": deudor, "estados": estados, "fecha": fecha, "desde": desde, "hasta": hasta, "total": total},
        datos={"nit": deudor.nit, "fecha": fecha.isoformat(), "desde": desde and desde.isoformat(),
               "hasta": hasta and hasta.isoformat(), "total": _dinero(total), "cuentas": [_foto_estado(e) for e in estados]},
        referencia=cuenta.numero if cuenta else (deudor.nit or deudor.dui or ""),
    )


@dataclass
class FilaCertificacion:
    periodo: date | None
    laboral: Decimal = CERO
    patronal: Decimal = CERO
    recargos: Decimal = CERO
    multas: Decimal = CERO
    planillas: set = field(default_factory=set)

    @property
    def total(self):
        return self.laboral + self.patronal + self.recargos + self.multas


def filas_certificacion(estado: EstadoCuenta) -> list[FilaCertificacion]:
    """What is owed by period: contributions, surcharges (posted and accrued to the date), fines and
    other charges. Their sum is the statement's saldo_total, to the cent."""
    filas: "OrderedDict[date | None, FilaCertificacion]" = OrderedDict()
    for l in estado.lineas:
        o = l.obligacion
        if not l.saldo and not l.recargo_devengado:
            continue
        fila = filas.setdefault(o.periodo, FilaCertificacion(o.periodo))
        if o.planilla_id and l.saldo:
            fila.planillas.add(o.planilla_id)
        if o.concepto == Concepto.COTIZACION_LABORAL:
            fila.laboral += l.saldo
        elif o.concepto in COTIZACIONES:
            fila.patronal += l.saldo
        elif o.concepto == Concepto.RECARGO:
            fila.recargos += l.saldo
        else:
            fila.multas += l.saldo
        fila.recargos += l.recargo_devengado
    return sorted(filas.values(), key=lambda f: f.periodo or date.max)


def certificacion_saldos_emitir(*, actor, cuenta: Cuenta, fecha: date) -> Documento:
    """For judicial collection (LSS Art. 36: the Director's certification is an enforceable title)."""
    estado = cuenta_estado(cuenta=cuenta, fecha=fecha)
    filas = filas_certificacion(estado)
    total = estado.saldo_total
    return documento_emitir(
        actor=actor, tipo=Documento.Tipo.CERTIFICACION_SALDOS, plantilla="impresos/certificacion_saldos.html",
        contexto={"cuenta": cuenta, "deudor": cuenta.deudor, "estado": estado, "filas": filas, "total": total,
                  "total_letras": monto_en_letras(total), "fecha": fecha},
        datos={**_foto_estado(estado), "filas": [{"periodo": f.periodo and f"{f.periodo:%Y-%m}", "laboral": _dinero(f.laboral),
                                                  "patronal": _dinero(f.patronal), "recargos": _dinero(f.recargos),
                                                  "multas": _dinero(f.multas), "total": _dinero(f.total)} for f in filas],
               "total_letras": monto_en_letras(total)},
        referencia=cuenta.numero,
    )


def _foto_historial(historial) -> dict:
    return {"afiliado": historial.afiliado, "dui": historial.dui, "nombre": historial.nombre,
            "lineas": [{"periodo": f"{l.planilla.periodo:%Y-%m}", "numero_patronal": l.planilla.cuenta.numero,
                        "salario": _dinero(l.salario), "dias": l.dias, "patronal": _dinero(l.cotizacion_patronal),
                        "laboral": _dinero(l.cotizacion_laboral), "en_mora": l.en_mora} for l in historial.lineas]}


def cuenta_individual_emitir(*, actor, historial, solicitud: str = "") -> Documento:
    """Certificación de cuenta individual for the Fiscalía General de la República."""
    return documento_emitir(
        actor=actor, tipo=Documento.Tipo.CUENTA_INDIVIDUAL, plantilla="impresos/cuenta_individual.html",
        contexto={"h": historial, "solicitud": solicitud},
        datos={**_foto_historial(historial), "solicitud": solicitud}, referencia=historial.afiliado)


def dias_salarios_emitir(*, actor, historial, desde: date | None, hasta: date | None, solicitud: str = "") -> Documento:
    """Reporte de días y salarios for UPISSS (pension claims)."""
    return documento_emitir(
        actor=actor, tipo=Documento.Tipo.DIAS_SALARIOS, plantilla="impresos/dias_salarios.html",
        contexto={"h": historial, "desde": desde, "hasta": hasta, "solicitud": solicitud},
        datos={**_foto_historial(historial), "desde": desde and f"{desde:%Y-%m}", "hasta": hasta and f"{hasta:%Y-%m}",
               "solicitud": solicitud}, referencia=historial.afiliado)
