"""Charges: new obligations and the asiento that books them (debit receivable, credit income)."""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction

from issscobros.auditoria import auditar
from issscobros.errores import ErrorDeNegocio

from .. import contabilidad
from ..models import Asiento, Concepto, Cuenta, Obligacion
from ..reglas import Reglas
from .libro import Pierna, asiento_registrar, cuentas_bloquear


@dataclass
class NuevaObligacion:
    concepto: str
    monto: Decimal
    fecha_origen: date
    vencimiento: date
    periodo: date | None = None
    planilla_id: int | None = None
    base_id: int | None = None
    causado_hasta: date | None = None
    documento_numero: str = ""
    documento_fecha: date | None = None
    descripcion: str = ""
    extra: dict = field(default_factory=dict)


def obligaciones_crear(*, actor, cuenta_id: int, nuevas: list[NuevaObligacion]) -> tuple[list[Obligacion], list[Pierna]]:
    """Insert the obligations (saldo 0) and return them with their charge legs. The caller posts
    the legs in its asiento; the leg trigger then sets each saldo to its monto."""
    obligaciones = Obligacion.objects.bulk_create([
        Obligacion(cuenta_id=cuenta_id, concepto=n.concepto, monto=n.monto, saldo=0, fecha_origen=n.fecha_origen,
                   vencimiento=n.vencimiento, periodo=n.periodo, planilla_id=n.planilla_id, base_id=n.base_id,
                   causado_hasta=n.causado_hasta, documento_numero=n.documento_numero,
                   documento_fecha=n.documento_fecha, descripcion=n.descripcion,
                   creado_por=actor if getattr(actor, "is_authenticated", False) else None, **n.extra)
        for n in nuevas if n.monto > 0
    ])
    piernas = []
    for o in obligaciones:
        piernas.append(Pierna(contabilidad.cuenta_por_cobrar(o.concepto), debe=o.monto, cuenta_id=cuenta_id, obligacion_id=o.pk))
        piernas.append(Pierna(contabilidad.cuenta_de_ingreso(o.concepto), haber=o.monto, cuenta_id=cuenta_id))
    return obligaciones, piernas


@transaction.atomic
def cargo_registrar(*, actor, cuenta: Cuenta, concepto: str, monto: Decimal, periodo: date | None,
                    vencimiento: date, fecha_origen: date, documento_numero: str = "",
                    documento_fecha: date | None = None, descripcion: str = "", soporte=None,
                    clave: str | None = None) -> Obligacion:
    """A fine (multa) from an Inspection resolution, or another receivable (supplier fine, labour
    simulation, rental, insurance recovery, medical services, the State's contribution, other)."""
    from .pagos import cuenta_compensar

    if concepto in (Concepto.COTIZACION_LABORAL, Concepto.COTIZACION_PATRONAL, Concepto.INSAFORP, Concepto.RECARGO):
        raise ErrorDeNegocio("Las cotizaciones nacen de planillas y los recargos de los pagos tardíos.", campo="concepto")
    permitidos = contabilidad.CARGOS_POR_TIPO_DE_CUENTA.get(cuenta.tipo, ())
    if concepto not in permitidos:
        nombres = ", ".join(Concepto(c).label.lower() for c in permitidos)
        raise ErrorDeNegocio(f"Una cuenta de tipo «{cuenta.get_tipo_display()}» solo admite: {nombres}.", campo="concepto")
    if monto <= 0:
        raise ErrorDeNegocio("El monto debe ser mayor que cero.", campo="monto")
    if concepto == Concepto.MULTA:
        reglas = Reglas.cargar()
        minimo = reglas.valor("multa_minima", documento_fecha or fecha_origen)
        maximo = reglas.valor("multa_maxima", documento_fecha or fecha_origen)
        if not minimo <= monto <= maximo:
            raise ErrorDeNegocio(f"La multa debe estar entre ${minimo:,.2f} y ${maximo:,.2f} (LSS Art. 95).", campo="monto")
    cuentas_bloquear([cuenta.pk])
    clave = clave or f"cargo:{cuenta.pk}:{concepto}:{documento_numero or fecha_origen.isoformat()}"
    if Asiento.objects.filter(clave=clave).exists():
        raise ErrorDeNegocio(f"Ese cargo ya fue registrado ({documento_numero or clave}).", campo="documento_numero")
    (obligacion,), piernas = obligaciones_crear(actor=actor, cuenta_id=cuenta.pk, nuevas=[NuevaObligacion(
        concepto=concepto, monto=monto, periodo=periodo, vencimiento=vencimiento, fecha_origen=fecha_origen,
        documento_numero=documento_numero, documento_fecha=documento_fecha, descripcion=descripcion,
        # The supporting document goes in with the row: afterwards only saldo may change.
        extra={"soporte": soporte} if soporte else {})])
    asiento_registrar(actor=actor, clave=clave, tipo=Asiento.Tipo.CARGO, fecha_valor=fecha_origen, piernas=piernas,
                      descripcion=f"{obligacion.get_concepto_display()} {documento_numero}".strip())
    auditar(actor=actor, accion="obligacion.cargar", objeto=obligacion,
            despues={"concepto": concepto, "monto": str(monto), "documento": documento_numero})
    cuenta_compensar(actor=actor, cuenta=cuenta)
    return obligacion
