"""Settlements (transacciones) before the Consejo Directivo (R8, LSS Art. 14 r).

preparada (agent: dossier + anteproyecto de acuerdo) → revisada (jefe) → acuerdo (jefe records the
Board's acuerdo: number, session, date, signed document) → archivada; or denegada. Recording the
acuerdo proposes the exoneration through cuentas.services.ajustes (four eyes: a coordinator approves
it there, and only that approval posts). The exoneration never touches contributions: ajustes
refuses them and the ledger's trigger would too. A conditional acuerdo (the contributions paid by a
date) whose condition fails is undone by reversing the exoneration asientos
(cuentas.services.libro.asiento_revertir) → revertida."""
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cuentas.estado import cuenta_estado
from cuentas.models import COTIZACIONES, Asiento, Concepto, Cuenta, Obligacion, SolicitudAjuste
from cuentas.services.ajustes import solicitud_proponer
from cuentas.services.libro import asiento_revertir, cuentas_bloquear
from issscobros.auditoria import auditar
from issscobros.errores import ErrorDeNegocio

from ..models import Convenio, Transaccion

T = Transaccion.Estado
CERO = Decimal("0.00")


def expediente(*, cuenta: Cuenta, fecha: date) -> dict:
    """What the Board is asked to waive on `fecha`: surcharges (posted and accrued) and fines unpaid,
    and the contributions that stay owed."""
    estado = cuenta_estado(cuenta=cuenta, fecha=fecha)
    recargos = sum((l.saldo for l in estado.lineas if l.obligacion.concepto == Concepto.RECARGO), CERO)
    return {
        "estado": estado,
        "recargos": recargos + estado.recargos_a_la_fecha,
        "multas": sum((l.saldo for l in estado.lineas if l.obligacion.concepto == Concepto.MULTA), CERO),
        "cotizaciones": sum((l.saldo for l in estado.lineas if l.obligacion.concepto in COTIZACIONES), CERO),
    }


def _bloquear(transaccion: Transaccion) -> Transaccion:
    return Transaccion.objects.select_for_update().get(pk=transaccion.pk)


def _cambiar(*, actor, transaccion: Transaccion, de: tuple, a: str, campos: dict, accion: str) -> Transaccion:
    if transaccion.estado not in de:
        raise ErrorDeNegocio(f"La transacción está {transaccion.get_estado_display().lower()}: no puede pasar a "
                             f"{T(a).label.lower()}.")
    anterior = transaccion.estado
    for campo, valor in campos.items():
        setattr(transaccion, campo, valor)
    transaccion.estado, transaccion.actualizado_por, transaccion.actualizado_en = a, actor, timezone.now()
    transaccion.save()
    auditar(actor=actor, accion=f"transaccion.{accion}", objeto=transaccion, antes={"estado": anterior},
            despues={"estado": a, **{k: str(v) for k, v in campos.items() if k != "acuerdo_documento"}})
    return transaccion


@transaction.atomic
def transaccion_preparar(*, actor, cuenta: Cuenta, fecha_corte: date, justificacion: str,
                         convenio: Convenio | None = None, porcentaje_recargos: Decimal = Decimal(100),
                         incluye_multas: bool = True) -> Transaccion:
    if not justificacion.strip():
        raise ErrorDeNegocio("Explique por qué se solicita la transacción.", campo="justificacion")
    if convenio is not None and convenio.cuenta_id != cuenta.pk:
        raise ErrorDeNegocio("El convenio no es de esa cuenta.", campo="convenio")
    if not 0 <= porcentaje_recargos <= 100:
        raise ErrorDeNegocio("El porcentaje debe estar entre 0 y 100.", campo="porcentaje_recargos")
    datos = expediente(cuenta=cuenta, fecha=fecha_corte)
    if datos["recargos"] + datos["multas"] <= 0:
        raise ErrorDeNegocio("La cuenta no tiene recargos ni multas pendientes a esa fecha: no hay nada que exonerar.")
    transaccion = Transaccion.objects.create(
        deudor_id=cuenta.deudor_id, cuenta=cuenta, convenio=convenio, fecha_corte=fecha_corte,
        porcentaje_recargos=porcentaje_recargos, incluye_multas=incluye_multas, monto_recargos=datos["recargos"],
        monto_multas=datos["multas"], justificacion=justificacion.strip(), creado_por=actor)
    auditar(actor=actor, accion="transaccion.preparar", objeto=transaccion, despues={
        "cuenta": cuenta.numero, "recargos": str(datos["recargos"]), "multas": str(datos["multas"])})
    return transaccion


@transaction.atomic
def transaccion_revisar(*, actor, transaccion: Transaccion, aprobada: bool, nota: str = "") -> Transaccion:
    """The jefe's review: approved, it goes to the Board; returned, it stays preparada with the notes."""
    transaccion = _bloquear(transaccion)
    if not aprobada and not nota.strip():
        raise ErrorDeNegocio("Indique qué debe corregirse.", campo="nota")
    campos = {"revisado_por": actor, "revisado_en": timezone.now(), "nota_revision": nota.strip()}
    return _cambiar(actor=actor, transaccion=transaccion, de=(T.PREPARADA,), a=T.REVISADA if aprobada else T.PREPARADA,
                    campos=campos, accion="revisar" if aprobada else "devolver")


@transaction.atomic
def transaccion_registrar_acuerdo(*, actor, transaccion: Transaccion, numero: str, sesion: str, fecha: date,
                                  documento, porcentaje_recargos: Decimal, incluye_multas: bool,
                                  condicion_fecha: date | None = None) -> Transaccion:
    """The Board's acuerdo, as decided (it may grant less than asked: a percentage of surcharges, fines
    only). Proposes the exoneration(s) for a coordinator's approval."""
    if not (numero.strip() and sesion.strip()):
        raise ErrorDeNegocio("Indique el número del acuerdo y la sesión del Consejo Directivo.", campo="numero")
    if not documento:
        raise ErrorDeNegocio("Adjunte el acuerdo firmado.", campo="documento")
    if not 0 <= porcentaje_recargos <= 100:
        raise ErrorDeNegocio("El porcentaje debe estar entre 0 y 100.", campo="porcentaje_recargos")
    if porcentaje_recargos == 0 and not incluye_multas:
        raise ErrorDeNegocio("El acuerdo no exonera nada: registre la transacción como denegada.", campo="porcentaje_recargos")
    if condicion_fecha is not None and condicion_fecha < fecha:
        raise ErrorDeNegocio("La fecha de la condición no puede ser anterior al acuerdo.", campo="condicion_fecha")
    cuentas_bloquear([transaccion.cuenta_id])
    transaccion = _bloquear(transaccion)
    transaccion = _cambiar(actor=actor, transaccion=transaccion, de=(T.REVISADA,), a=T.ACUERDO, accion="acuerdo", campos={
        "acuerdo_numero": numero.strip(), "acuerdo_sesion": sesion.strip(), "acuerdo_fecha": fecha,
        "acuerdo_documento": documento, "porcentaje_recargos": porcentaje_recargos, "incluye_multas": incluye_multas,
        "condicion_fecha": condicion_fecha})
    motivo = (f"Transacción TR-{transaccion.pk:06d}: acuerdo {transaccion.acuerdo_numero} del Consejo Directivo, "
              f"sesión {transaccion.acuerdo_sesion}.")
    comun = dict(actor=actor, tipo=SolicitudAjuste.Tipo.EXONERACION, cuenta=transaccion.cuenta,
                 fecha_corte=transaccion.fecha_corte, motivo=motivo, acuerdo_numero=transaccion.acuerdo_numero,
                 acuerdo_fecha=fecha, soporte=transaccion.acuerdo_documento)
    abiertas = Obligacion.objects.filter(cuenta=transaccion.cuenta, saldo__gt=0, fecha_origen__lte=transaccion.fecha_corte)
    solicitudes = []
    if porcentaje_recargos > 0:
        solicitudes.append(solicitud_proponer(
            **comun, obligaciones=list(abiertas.filter(concepto=Concepto.RECARGO)), porcentaje=porcentaje_recargos,
            incluye_recargos_devengados=True))
    multas = list(abiertas.filter(concepto=Concepto.MULTA))
    if incluye_multas and multas:
        solicitudes.append(solicitud_proponer(**comun, obligaciones=multas))
    transaccion.solicitudes.add(*solicitudes)
    return transaccion


@transaction.atomic
def transaccion_denegar(*, actor, transaccion: Transaccion, numero: str, sesion: str, fecha: date) -> Transaccion:
    transaccion = _bloquear(transaccion)
    return _cambiar(actor=actor, transaccion=transaccion, de=(T.REVISADA,), a=T.DENEGADA, accion="denegar",
                    campos={"acuerdo_numero": numero.strip(), "acuerdo_sesion": sesion.strip(), "acuerdo_fecha": fecha})


def _pendientes(transaccion: Transaccion) -> bool:
    return transaccion.solicitudes.filter(estado=SolicitudAjuste.Estado.PROPUESTA).exists()


@transaction.atomic
def transaccion_verificar_condicion(*, actor, transaccion: Transaccion, al: date) -> Transaccion:
    """After its date, a conditional acuerdo holds if the contributions owed at the cut-off are paid;
    otherwise its exonerations are reversed. Running it again changes nothing."""
    transaccion = _bloquear(transaccion)
    if (transaccion.estado != T.ACUERDO or transaccion.condicion_fecha is None
            or transaccion.condicion_cumplida is not None or al <= transaccion.condicion_fecha
            or _pendientes(transaccion)):
        return transaccion
    debe = Obligacion.objects.filter(cuenta=transaccion.cuenta, concepto__in=COTIZACIONES, saldo__gt=0,
                                     fecha_origen__lte=transaccion.fecha_corte).exists()
    if not debe:
        return _cambiar(actor=actor, transaccion=transaccion, de=(T.ACUERDO,), a=T.ACUERDO, accion="condicion_cumplida",
                        campos={"condicion_cumplida": True})
    motivo = f"Condición del acuerdo {transaccion.acuerdo_numero} incumplida al {transaccion.condicion_fecha:%d/%m/%Y}"
    asientos = Asiento.objects.filter(solicitud__in=transaccion.solicitudes.all(), reversa_de__isnull=True,
                                      reversion__isnull=True).exclude(tipo=Asiento.Tipo.REVERSA).order_by("-pk")
    for asiento in asientos:  # the accruals they posted stay: reversing the waiver makes them owed again
        asiento_revertir(actor=actor, asiento=asiento, fecha_valor=transaccion.condicion_fecha + timedelta(days=1),
                         motivo=motivo)
    return _cambiar(actor=actor, transaccion=transaccion, de=(T.ACUERDO,), a=T.REVERTIDA, accion="revertir",
                    campos={"condicion_cumplida": False})


@transaction.atomic
def transaccion_archivar(*, actor, transaccion: Transaccion) -> Transaccion:
    transaccion = _bloquear(transaccion)
    if _pendientes(transaccion):
        raise ErrorDeNegocio("La exoneración aún espera la aprobación del coordinador.")
    if transaccion.condicion_fecha and transaccion.condicion_cumplida is None and transaccion.estado == T.ACUERDO:
        raise ErrorDeNegocio(f"El acuerdo es condicional: se archiva cuando se verifique la condición "
                             f"(después del {transaccion.condicion_fecha:%d/%m/%Y}).")
    return _cambiar(actor=actor, transaccion=transaccion, de=(T.ACUERDO, T.DENEGADA, T.REVERTIDA), a=T.ARCHIVADA,
                    accion="archivar", campos={})
