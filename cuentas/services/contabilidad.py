"""The Técnico Financiero's accounting paperwork: certificaciones de pago (prepared, sent to the
Sección Control de Ingresos, signed by someone else, then printed), comprobantes contables
(partidas de diario numbered per month, reviewed, sent to Contabilidad, filed), and the monthly
reports (control de partidas tramitadas, conformación de cuentas auxiliares, indicadores de gestión).

Every change is a step of a state machine taken under a row lock, checked here and again by the
database (CHECKs and triggers of migration cuentas 0005), and audited. Every PDF goes through
issscobros.documentos.documento_emitir; a certification or voucher is printed once and reprinted
from the register (same bytes)."""
from dataclasses import asdict
from datetime import date
from decimal import Decimal

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone

from issscobros.auditoria import auditar
from issscobros.documentos import documento_emitir
from issscobros.errores import ErrorDeNegocio
from issscobros.letras import monto_en_letras
from issscobros.models import Documento, SerieDocumento

from .. import selectors_contabilidad as lecturas
from ..models import Asiento, CertificacionPago, Comprobante, ComprobanteAsiento, Cuenta

CERO = Decimal("0.00")


def _exigir(actor, permiso: str, mensaje: str) -> None:
    if not actor.has_perm(permiso):
        raise ErrorDeNegocio(mensaje)


def _dinero(valor) -> str:
    return f"{valor:.2f}"


def _mes_pasado_o_actual(mes: date) -> date:
    mes = mes.replace(day=1)
    if mes > timezone.localdate().replace(day=1):
        raise ErrorDeNegocio("Ese mes aún no ha comenzado.", campo="mes")
    return mes


# --- certificación de pago -----------------------------------------------------------------------

@transaction.atomic
def certificacion_pago_elaborar(*, actor, cuenta: Cuenta, desde: date, hasta: date, cotizaciones: bool,
                                multas: bool, recargos: bool, solicitud: str = "") -> CertificacionPago:
    """Take from the ledger the payments applied to the chosen concepts of those periods and keep
    them as the certification's content (what is signed is what prints)."""
    _exigir(actor, "cuentas.add_certificacionpago", "Su rol no puede elaborar certificaciones de pago.")
    desde, hasta = desde.replace(day=1), hasta.replace(day=1)
    if desde > hasta:
        raise ErrorDeNegocio("El periodo final es anterior al inicial.", campo="hasta")
    if not (cotizaciones or multas or recargos):
        raise ErrorDeNegocio("Elija al menos uno: cotizaciones, multas o recargos.", campo="cotizaciones")
    filas = lecturas.pagos_certificables(cuenta=cuenta, desde=desde, hasta=hasta, cotizaciones=cotizaciones,
                                         multas=multas, recargos=recargos)
    if not filas:
        raise ErrorDeNegocio(f"La cuenta {cuenta.numero} no tiene pagos aplicados a esos conceptos entre "
                             f"{desde:%Y-%m} y {hasta:%Y-%m}: no hay nada que certificar.")
    totales = {k: sum((getattr(f, k) for f in filas), CERO) for k in ("laboral", "patronal", "recargos", "multas")}
    total = sum(totales.values(), CERO)
    datos = {
        "filas": [{**{k: (_dinero(v) if isinstance(v, Decimal) else v) for k, v in asdict(f).items()},
                   "periodo": f.periodo.isoformat() if f.periodo else None, "fecha_pago": f.fecha_pago.isoformat()}
                  for f in filas],
        "totales": {k: _dinero(v) for k, v in totales.items()},
    }
    certificacion = CertificacionPago.objects.create(
        cuenta=cuenta, desde=desde, hasta=hasta, cotizaciones=cotizaciones, multas=multas, recargos=recargos,
        solicitud=solicitud.strip(), datos=datos, total=total, elaborada_por=actor)
    auditar(actor=actor, accion="certificacion_pago.elaborar", objeto=certificacion, despues={
        "cuenta": cuenta.numero, "desde": f"{desde:%Y-%m}", "hasta": f"{hasta:%Y-%m}",
        "conceptos": certificacion.conceptos_texto, "total": _dinero(total)})
    return certificacion


def _certificacion_bloquear(certificacion: CertificacionPago) -> CertificacionPago:
    return CertificacionPago.objects.select_for_update().get(pk=certificacion.pk)


def _paso(*, actor, objeto, de: str, a: str, campos: dict, accion: str, nombre: str):
    """One step of a state machine (certificación de pago, comprobante): only from `de` to `a`, with
    who and when in `campos`, audited. The caller holds the row lock."""
    if objeto.estado != de:
        raise ErrorDeNegocio(f"{nombre} está «{objeto.get_estado_display()}»: no se puede "
                             f"pasar a «{type(objeto).Estado(a).label}».")
    type(objeto).objects.filter(pk=objeto.pk).update(estado=a, **campos)
    auditar(actor=actor, accion=accion, objeto=objeto, antes={"estado": de}, despues={"estado": a})
    objeto.refresh_from_db()
    return objeto


@transaction.atomic
def certificacion_pago_enviar(*, actor, certificacion: CertificacionPago) -> CertificacionPago:
    """To the Sección Control de Ingresos, for signature."""
    _exigir(actor, "cuentas.add_certificacionpago", "Su rol no puede enviar certificaciones a firma.")
    certificacion = _certificacion_bloquear(certificacion)
    return _paso(actor=actor, objeto=certificacion, nombre="La certificación", de=CertificacionPago.Estado.ELABORADA,
                               a=CertificacionPago.Estado.ENVIADA_FIRMA, accion="certificacion_pago.enviar_firma",
                               campos={"enviada_por": actor, "enviada_en": timezone.now()})


@transaction.atomic
def certificacion_pago_firmar(*, actor, certificacion: CertificacionPago) -> CertificacionPago:
    _exigir(actor, "cuentas.firmar_certificacionpago", "Su rol no puede firmar certificaciones de pago.")
    certificacion = _certificacion_bloquear(certificacion)
    if certificacion.elaborada_por_id == actor.pk:
        raise ErrorDeNegocio("Quien elabora la certificación no puede firmarla (cuatro ojos).")
    return _paso(actor=actor, objeto=certificacion, nombre="La certificación", de=CertificacionPago.Estado.ENVIADA_FIRMA,
                               a=CertificacionPago.Estado.FIRMADA, accion="certificacion_pago.firmar",
                               campos={"firmada_por": actor, "firmada_en": timezone.now()})


@transaction.atomic
def certificacion_pago_imprimir(*, actor, certificacion: CertificacionPago) -> Documento:
    """Issue the signed certification once; afterwards the register returns the same document."""
    _exigir(actor, "issscobros.emitir_documento", "Su rol no puede emitir documentos.")
    certificacion = _certificacion_bloquear(certificacion)
    if certificacion.estado != CertificacionPago.Estado.FIRMADA:
        raise ErrorDeNegocio("Solo se imprime una certificación firmada.")
    if certificacion.documento_id:
        return certificacion.documento
    certificacion = (CertificacionPago.objects.select_related("cuenta__deudor", "elaborada_por", "firmada_por")
                     .get(pk=certificacion.pk))
    filas = lecturas.filas_de_datos(certificacion.datos)
    totales = {k: Decimal(v) for k, v in certificacion.datos["totales"].items()}
    documento = documento_emitir(
        actor=actor, tipo=Documento.Tipo.CERTIFICACION_PAGO, plantilla="impresos/certificacion_pago.html",
        contexto={"c": certificacion, "cuenta": certificacion.cuenta, "deudor": certificacion.cuenta.deudor,
                  "filas": filas, "totales": totales, "total": certificacion.total,
                  "total_letras": monto_en_letras(certificacion.total)},
        datos={"certificacion": certificacion.pk, "numero_patronal": certificacion.cuenta.numero,
               "desde": f"{certificacion.desde:%Y-%m}", "hasta": f"{certificacion.hasta:%Y-%m}",
               "conceptos": certificacion.conceptos_texto, **certificacion.datos, "total": _dinero(certificacion.total),
               "total_letras": monto_en_letras(certificacion.total),
               "elaborada_por": certificacion.elaborada_por.username, "firmada_por": certificacion.firmada_por.username},
        referencia=certificacion.cuenta.numero)
    CertificacionPago.objects.filter(pk=certificacion.pk).update(documento=documento)
    auditar(actor=actor, accion="certificacion_pago.imprimir", objeto=certificacion, despues={"folio": documento.folio})
    return documento


# --- comprobantes contables (partidas de diario) -------------------------------------------------

def _numeros_reservar(mes: date, cantidad: int) -> int:
    """Reserve `cantidad` consecutive numbers of the month's series; returns the first. The series
    row (SerieDocumento "comprobante-AAAA-MM") is locked until commit, so concurrent generators
    queue and a rolled-back run gives its numbers back: gapless per month."""
    tipo = f"comprobante-{mes:%Y-%m}"
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO issscobros_seriedocumento (tipo, anio, ultimo) VALUES (%s, %s, 0) "
                       "ON CONFLICT (tipo, anio) DO NOTHING", [tipo, mes.year])
    serie = SerieDocumento.objects.select_for_update().get(tipo=tipo, anio=mes.year)
    primero = serie.ultimo + 1
    serie.ultimo += cantidad
    serie.save(update_fields=["ultimo"])
    return primero


_DESCRIPCIONES = {
    Asiento.Tipo.CARGO: "Cargos por planillas, multas y otras cuentas por cobrar",
    Asiento.Tipo.RECIBO: "Recibos de pago ingresados a bancos",
    Asiento.Tipo.APLICACION: "Aplicación de pagos a cuentas por cobrar (compensación)",
    Asiento.Tipo.RECLASIFICACION: "Identificación de pagos por aplicar",
    Asiento.Tipo.CAUSACION: "Causación de recargos por mora",
    Asiento.Tipo.ANULACION: "Anulación de multas y recargos",
    Asiento.Tipo.EXONERACION: "Exoneración de multas y recargos",
    Asiento.Tipo.REVERSA: "Reversión de asientos",
}


@transaction.atomic
def comprobantes_generar(*, actor, mes: date) -> list[Comprobante]:
    """One voucher per (day, kind of asiento) for the month's asientos not yet in a voucher, numbered
    in date then kind order. Safe to run again: later asientos go in new vouchers."""
    _exigir(actor, "cuentas.add_comprobante", "Su rol no puede elaborar partidas de diario.")
    mes = _mes_pasado_o_actual(mes)
    with connection.cursor() as cursor:
        # Two runs for the same month would both see the same free asientos; the second waits here.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"comprobantes:{mes:%Y-%m}"])
    libres = (Asiento.objects
              .filter(fecha_valor__gte=mes, fecha_valor__lte=lecturas.mes_fin(mes))
              .exclude(Exists(ComprobanteAsiento.objects.filter(asiento_id=OuterRef("pk"))))
              .values("fecha_valor", "tipo")
              .annotate(ids=ArrayAgg("pk", distinct=True, order_by="pk"), total=Sum("lineas__debe"))
              .order_by("fecha_valor", "tipo"))
    grupos = list(libres)
    if not grupos:
        return []
    primero = _numeros_reservar(mes, len(grupos))
    comprobantes = Comprobante.objects.bulk_create([
        Comprobante(mes=mes, numero=primero + i, fecha=g["fecha_valor"], tipo_asiento=g["tipo"], total=g["total"],
                    descripcion=f"{_DESCRIPCIONES[g['tipo']]} del {g['fecha_valor']:%d/%m/%Y} ({len(g['ids'])} "
                                f"asiento{'s' if len(g['ids']) != 1 else ''})",
                    elaborado_por=actor)
        for i, g in enumerate(grupos)])
    ComprobanteAsiento.objects.bulk_create(
        [ComprobanteAsiento(comprobante=c, asiento_id=a) for c, g in zip(comprobantes, grupos) for a in g["ids"]],
        batch_size=5000)
    for c, g in zip(comprobantes, grupos):
        auditar(actor=actor, accion="comprobante.elaborar", objeto=c,
                despues={"partida": c.folio, "asientos": len(g["ids"]), "total": _dinero(c.total)})
    return comprobantes


def _comprobante_bloquear(comprobante: Comprobante) -> Comprobante:
    return Comprobante.objects.select_for_update().get(pk=comprobante.pk)


@transaction.atomic
def comprobante_revisar(*, actor, comprobante: Comprobante) -> Comprobante:
    _exigir(actor, "cuentas.revisar_comprobante", "Su rol no puede revisar partidas de diario.")
    comprobante = _comprobante_bloquear(comprobante)
    if comprobante.elaborado_por_id == actor.pk:
        raise ErrorDeNegocio("Quien elabora la partida no puede revisarla (cuatro ojos).")
    return _paso(actor=actor, objeto=comprobante, nombre=f"La partida {comprobante.folio}", de=Comprobante.Estado.ELABORADA,
                             a=Comprobante.Estado.REVISADA, accion="comprobante.revisar",
                             campos={"revisado_por": actor, "revisado_en": timezone.now()})


@transaction.atomic
def comprobante_enviar(*, actor, comprobante: Comprobante) -> Comprobante:
    """To Contabilidad Institucional: the printed original goes, so it must have been printed."""
    _exigir(actor, "cuentas.change_comprobante", "Su rol no puede tramitar partidas de diario.")
    comprobante = _comprobante_bloquear(comprobante)
    if comprobante.estado == Comprobante.Estado.REVISADA and not comprobante.documento_id:
        raise ErrorDeNegocio("Imprima la partida antes de enviarla a Contabilidad.")
    return _paso(actor=actor, objeto=comprobante, nombre=f"La partida {comprobante.folio}", de=Comprobante.Estado.REVISADA,
                             a=Comprobante.Estado.ENVIADA, accion="comprobante.enviar_contabilidad",
                             campos={"enviado_por": actor, "enviado_en": timezone.now()})


@transaction.atomic
def comprobante_archivar(*, actor, comprobante: Comprobante) -> Comprobante:
    _exigir(actor, "cuentas.change_comprobante", "Su rol no puede tramitar partidas de diario.")
    comprobante = _comprobante_bloquear(comprobante)
    if comprobante.estado == Comprobante.Estado.ENVIADA and not (comprobante.original_archivado and comprobante.copia_archivada):
        raise ErrorDeNegocio("Para archivar la partida marque primero el original y la copia como archivados.")
    return _paso(actor=actor, objeto=comprobante, nombre=f"La partida {comprobante.folio}", de=Comprobante.Estado.ENVIADA,
                             a=Comprobante.Estado.ARCHIVADA, accion="comprobante.archivar",
                             campos={"archivado_por": actor, "archivado_en": timezone.now()})


@transaction.atomic
def comprobante_marcar_archivo(*, actor, comprobante: Comprobante, original: bool, copia: bool) -> Comprobante:
    """Record where the paper is: the original and the copy filed (or not, to correct a mark)."""
    _exigir(actor, "cuentas.change_comprobante", "Su rol no puede tramitar partidas de diario.")
    comprobante = _comprobante_bloquear(comprobante)
    if comprobante.estado == Comprobante.Estado.ARCHIVADA:
        raise ErrorDeNegocio(f"La partida {comprobante.folio} ya está archivada.")
    if not comprobante.documento_id and (original or copia):
        raise ErrorDeNegocio("Una partida sin imprimir no tiene original ni copia que archivar.")
    antes = {"original_archivado": comprobante.original_archivado, "copia_archivada": comprobante.copia_archivada}
    despues = {"original_archivado": original, "copia_archivada": copia}
    if antes == despues:
        return comprobante
    Comprobante.objects.filter(pk=comprobante.pk).update(**despues)
    auditar(actor=actor, accion="comprobante.archivo", objeto=comprobante, antes=antes, despues=despues)
    comprobante.refresh_from_db()
    return comprobante


@transaction.atomic
def comprobante_imprimir(*, actor, comprobante: Comprobante) -> Documento:
    """Issue the voucher once (its asientos never change); a reprint is the stored document."""
    _exigir(actor, "issscobros.emitir_documento", "Su rol no puede emitir documentos.")
    comprobante = _comprobante_bloquear(comprobante)
    if comprobante.documento_id:
        return comprobante.documento
    comprobante = Comprobante.objects.select_related("elaborado_por", "revisado_por").get(pk=comprobante.pk)
    cuentas = lecturas.comprobante_cuentas(comprobante=comprobante)
    debe = sum((l.debe for l in cuentas), CERO)
    haber = sum((l.haber for l in cuentas), CERO)
    if debe != haber or debe != comprobante.total:  # the ledger's balance trigger makes this impossible
        raise ErrorDeNegocio(f"La partida {comprobante.folio} no cuadra: debe {debe}, haber {haber}.")
    asientos = list(lecturas.comprobante_asientos(comprobante=comprobante))
    documento = documento_emitir(
        actor=actor, tipo=Documento.Tipo.COMPROBANTE, plantilla="impresos/comprobante.html",
        contexto={"p": comprobante, "cuentas": cuentas, "debe": debe, "haber": haber, "asientos": asientos,
                  "total_letras": monto_en_letras(debe)},
        datos={"partida": comprobante.folio, "fecha": comprobante.fecha.isoformat(), "tipo": comprobante.tipo_asiento,
               "cuentas": [{"codigo": l.codigo, "debe": _dinero(l.debe), "haber": _dinero(l.haber)} for l in cuentas],
               "debe": _dinero(debe), "haber": _dinero(haber), "asientos": [a.pk for a in asientos]},
        referencia=comprobante.folio)
    Comprobante.objects.filter(pk=comprobante.pk).update(documento=documento)
    auditar(actor=actor, accion="comprobante.imprimir", objeto=comprobante, despues={"folio": documento.folio})
    return documento


# --- monthly reports -----------------------------------------------------------------------------

def control_partidas_emitir(*, actor, mes: date) -> Documento:
    """Control Contable de Partidas Tramitadas: every voucher of the month, its state and whether
    its original and copy are filed, as of now."""
    _exigir(actor, "issscobros.emitir_documento", "Su rol no puede emitir documentos.")
    mes = mes.replace(day=1)
    partidas = list(lecturas.comprobantes_buscar(user=actor, mes=mes).order_by("numero"))
    if not partidas:
        raise ErrorDeNegocio(f"No hay partidas de diario de {mes:%m/%Y}.", campo="mes")
    por_estado = {e.label: sum(1 for p in partidas if p.estado == e.value) for e in Comprobante.Estado}
    completas = sum(1 for p in partidas if p.original_archivado and p.copia_archivada)
    total = sum((p.total for p in partidas), CERO)
    return documento_emitir(
        actor=actor, tipo=Documento.Tipo.CONTROL_PARTIDAS, plantilla="impresos/control_partidas.html",
        contexto={"mes": mes, "partidas": partidas, "por_estado": por_estado, "completas": completas, "total": total},
        datos={"mes": f"{mes:%Y-%m}", "total": _dinero(total), "por_estado": por_estado, "archivadas_completas": completas,
               "partidas": [{"partida": p.folio, "fecha": p.fecha.isoformat(), "tipo": p.tipo_asiento,
                             "total": _dinero(p.total), "estado": p.estado, "original": p.original_archivado,
                             "copia": p.copia_archivada} for p in partidas]},
        referencia=f"{mes:%Y-%m}")


def conformacion_emitir(*, actor, mes: date, saldo_control: Decimal, nota: str = "") -> Documento:
    """Conformación de cuentas auxiliares: the subledger's receivables at the month's end beside the
    general-ledger balance Contabilidad reports (typed by the user), and the difference."""
    _exigir(actor, "issscobros.emitir_documento", "Su rol no puede emitir documentos.")
    mes = _mes_pasado_o_actual(mes)
    filas = lecturas.conformacion(mes=mes)
    totales = {k: sum((getattr(f, k) for f in filas), CERO) for k in ("saldo_inicial", "cargos", "abonos", "saldo")}
    diferencia = totales["saldo"] - saldo_control
    return documento_emitir(
        actor=actor, tipo=Documento.Tipo.CONFORMACION, plantilla="impresos/conformacion.html",
        contexto={"mes": mes, "corte": lecturas.mes_fin(mes), "filas": filas, "totales": totales,
                  "control": saldo_control, "diferencia": diferencia, "nota": nota.strip()},
        datos={"mes": f"{mes:%Y-%m}", "corte": lecturas.mes_fin(mes).isoformat(),
               "filas": [{"cuenta_contable": f.codigo, "concepto": f.concepto, "obligaciones": f.obligaciones,
                          "saldo_inicial": _dinero(f.saldo_inicial), "cargos": _dinero(f.cargos),
                          "abonos": _dinero(f.abonos), "saldo": _dinero(f.saldo)} for f in filas],
               **{k: _dinero(v) for k, v in totales.items()}, "saldo_control": _dinero(saldo_control),
               "diferencia": _dinero(diferencia), "nota": nota.strip()},
        referencia=f"{mes:%Y-%m}")


def indicadores_emitir(*, actor, mes: date) -> Documento:
    _exigir(actor, "issscobros.emitir_documento", "Su rol no puede emitir documentos.")
    mes = _mes_pasado_o_actual(mes)
    ind = lecturas.indicadores_gestion(mes=mes)

    def foto(indicadores):
        return [{"indicador": i.nombre, "cantidad": i.cantidad, "monto": None if i.monto is None else _dinero(i.monto)}
                for i in indicadores]

    return documento_emitir(
        actor=actor, tipo=Documento.Tipo.INDICADORES, plantilla="impresos/indicadores.html",
        contexto={"ind": ind},
        datos={"mes": f"{mes:%Y-%m}", "total": ind.total, "totales": foto(ind.totales),
               "usuarios": [{"usuario": u.usuario, "indicadores": foto(u.indicadores)} for u in ind.usuarios]},
        referencia=f"{mes:%Y-%m}")
