"""Writes of an agreement's life: create (borrador), legalize, activate, comply, breach, annul.

Every state change goes through `convenio_transicionar` (the one state machine: TRANSICIONES), which
locks the row, records who/when/why in HistorialConvenio, audits and tells the collection case
(mora.services.caso_convenio_evento). Money never moves here: legalizing posts, through the ledger's
causation service, the surcharges accrued to the signing date on the included contributions (from
then on they are frozen, cuentas.reglas.congelado); breaching or annulling posts, through the posting
service, what the freeze spared (convenios.services.incumplimiento)."""
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cuentas.models import COTIZACIONES, Cuenta, Obligacion
from cuentas.reglas import Reglas
from cuentas.services.ajustes import recargos_causar
from cuentas.services.libro import cuentas_bloquear
from issscobros.auditoria import auditar
from issscobros.errores import ErrorDeNegocio
from issscobros.money import formato_dinero

from ..calculo import RECARGOS_CONGELADOS, simular
from ..models import Convenio, ConvenioObligacion, Cuota, HistorialConvenio
from ..selectors import en_convenio_activo

E = Convenio.Estado
TRANSICIONES = {
    E.BORRADOR: {E.LEGALIZADO, E.ANULADO},
    E.LEGALIZADO: {E.VIGENTE, E.ANULADO},
    E.VIGENTE: {E.CUMPLIDO, E.INCUMPLIDO, E.ANULADO},
    E.CUMPLIDO: set(),
    E.INCUMPLIDO: set(),
    E.ANULADO: set(),
}
# What the collection case hears of each change (mora.services.caso_convenio_evento).
EVENTO_CASO = {E.LEGALIZADO: "formalizado", E.INCUMPLIDO: "incumplido", E.CUMPLIDO: "cumplido"}
FECHA_DE = {E.LEGALIZADO: "fecha_legalizacion", E.INCUMPLIDO: "fecha_incumplimiento", E.CUMPLIDO: "fecha_cumplimiento"}


def _bloquear(convenio: Convenio) -> Convenio:
    cuentas_bloquear([convenio.cuenta_id])  # the ledger's lock first, as every posting takes it
    return Convenio.objects.select_for_update().get(pk=convenio.pk)


@transaction.atomic
def convenio_crear(*, actor, cuenta: Cuenta, obligaciones: list[int], fecha_firma: date, prima: Decimal | None,
                   numero_cuotas: int, primer_vencimiento: date, tipo: str = Convenio.Tipo.CONVENIO,
                   empleado: str = "", reglas: Reglas | None = None) -> Convenio:
    """A borrador with its included obligations and its schedule (the prima is cuota 0), each cuota
    with its own payment reference. Refused with the simulator's messages when a parameter says no."""
    reglas = reglas or Reglas.cargar()
    cuentas_bloquear([cuenta.pk])
    elegidas = list(Obligacion.objects.filter(cuenta=cuenta, pk__in=obligaciones, saldo__gt=0)
                    .order_by("periodo", "vencimiento", "id"))
    if len(elegidas) != len(set(obligaciones)):
        raise ErrorDeNegocio("Alguna obligación elegida no es de la cuenta o ya no tiene saldo.", campo="obligaciones")
    if en_convenio_activo(cuenta_ids=[cuenta.pk]) & {o.pk for o in elegidas}:
        raise ErrorDeNegocio("Alguna obligación elegida ya está en un convenio legalizado o vigente.", campo="obligaciones")
    if tipo == Convenio.Tipo.DESCUENTO and not empleado.strip():
        raise ErrorDeNegocio("Indique el empleado que autoriza el descuento por planilla.", campo="empleado")
    sim = simular(obligaciones=elegidas, fecha_firma=fecha_firma, prima=prima, numero_cuotas=numero_cuotas,
                  primer_vencimiento=primer_vencimiento, reglas=reglas)
    if not sim.valida:
        raise ErrorDeNegocio(" ".join(sim.errores))
    convenio = Convenio.objects.create(
        deudor_id=cuenta.deudor_id, cuenta=cuenta, tipo=tipo, fecha_firma=fecha_firma, deuda=sim.deuda,
        prima=sim.prima, total=sim.total, numero_cuotas=numero_cuotas, empleado=empleado.strip(),
        recargos_congelados=reglas.valor(RECARGOS_CONGELADOS, fecha_firma) == 1, creado_por=actor)
    ConvenioObligacion.objects.bulk_create([
        ConvenioObligacion(convenio=convenio, obligacion=l.obligacion, saldo_al_firmar=l.saldo, recargo_al_firmar=l.recargo)
        for l in sim.lineas])
    Cuota.objects.bulk_create([
        Cuota(convenio=convenio, numero=c.numero, vencimiento=c.vencimiento, monto=c.monto,
              npe=Cuota.npe_para(convenio.pk, c.numero)) for c in sim.cuotas])
    HistorialConvenio.objects.create(convenio=convenio, estado_nuevo=E.BORRADOR, fecha=fecha_firma,
                                     motivo="Convenio elaborado.", actor=actor)
    auditar(actor=actor, accion="convenio.crear", objeto=convenio, despues={
        "cuenta": cuenta.numero, "obligaciones": [o.pk for o in elegidas], "total": str(sim.total),
        "prima": str(sim.prima), "cuotas": numero_cuotas})
    return convenio


@transaction.atomic
def convenio_transicionar(*, actor, convenio: Convenio, estado: str, fecha: date, motivo: str) -> Convenio:
    """One step of the state machine, with its effective date and reason."""
    motivo = (motivo or "").strip()
    if not motivo:
        raise ErrorDeNegocio("Indique el motivo del cambio de estado.", campo="motivo")
    convenio = _bloquear(convenio)
    anterior = convenio.estado
    if estado not in TRANSICIONES[anterior]:
        raise ErrorDeNegocio(f"Un convenio {E(anterior).label.lower()} no puede pasar a {E(estado).label.lower()}.",
                             campo="estado")
    convenio.estado = estado
    campos = ["estado", "actualizado_por", "actualizado_en"]
    if estado in FECHA_DE:
        setattr(convenio, FECHA_DE[estado], fecha)
        campos.append(FECHA_DE[estado])
    convenio.actualizado_por, convenio.actualizado_en = actor, timezone.now()
    convenio.save(update_fields=campos)
    HistorialConvenio.objects.create(convenio=convenio, estado_anterior=anterior, estado_nuevo=estado, fecha=fecha,
                                     motivo=motivo, actor=actor)
    auditar(actor=actor, accion="convenio.estado", objeto=convenio, antes={"estado": anterior},
            despues={"estado": estado, "fecha": fecha.isoformat(), "motivo": motivo})
    if estado in EVENTO_CASO:
        from mora.services import caso_convenio_evento

        caso_convenio_evento(actor=actor, deudor_id=convenio.deudor_id, evento=EVENTO_CASO[estado],
                             motivo=f"{convenio}: {motivo}")
    return convenio


@transaction.atomic
def convenio_legalizar(*, actor, convenio: Convenio, copia_firmada, fecha_legalizacion: date,
                       reglas: Reglas | None = None) -> Convenio:
    """The signed copy is uploaded: the agreement binds. The surcharges accrued to the signing date
    on the included contributions are posted (and included), so what the cuotas pay is exactly what
    the ledger owes; from here on they are frozen."""
    if not copia_firmada:
        raise ErrorDeNegocio("Adjunte la copia firmada del convenio.", campo="copia_firmada")
    convenio = _bloquear(convenio)
    if fecha_legalizacion < convenio.fecha_firma:
        raise ErrorDeNegocio(f"La legalización no puede ser anterior a la firma ({convenio.fecha_firma:%d/%m/%Y}).",
                             campo="fecha_legalizacion")
    if fecha_legalizacion > timezone.localdate():
        raise ErrorDeNegocio("La fecha de legalización no puede ser futura.", campo="fecha_legalizacion")
    inclusiones = list(convenio.inclusiones.select_related("obligacion"))
    ids = [i.obligacion_id for i in inclusiones]
    if en_convenio_activo(cuenta_ids=[convenio.cuenta_id]) & set(ids):
        raise ErrorDeNegocio("Alguna obligación de este convenio ya está en otro convenio legalizado o vigente.")
    reglas = reglas or Reglas.cargar()
    actuales = Obligacion.objects.filter(pk__in=ids)
    sim = simular(obligaciones=list(actuales), fecha_firma=convenio.fecha_firma, prima=convenio.prima,
                  numero_cuotas=convenio.numero_cuotas, primer_vencimiento=convenio.fecha_firma, reglas=reglas)
    if sim.deuda != convenio.deuda:
        raise ErrorDeNegocio(
            f"La deuda incluida cambió desde que se elaboró el convenio ({formato_dinero(convenio.deuda)} → "
            f"{formato_dinero(sim.deuda)}): anúlelo y elabore uno nuevo.")
    convenio.copia_firmada = copia_firmada
    convenio.save(update_fields=["copia_firmada"])
    convenio = convenio_transicionar(actor=actor, convenio=convenio, estado=E.LEGALIZADO, fecha=fecha_legalizacion,
                                     motivo="Copia firmada recibida; convenio legalizado.")
    if convenio.recargos_congelados:
        contribuciones = [i.obligacion_id for i in inclusiones if i.obligacion.concepto in COTIZACIONES]
        causados = recargos_causar(actor=actor, cuenta=convenio.cuenta, fecha=convenio.fecha_firma,
                                   clave=f"causacion:convenio:{convenio.pk}", reglas=reglas, solo=contribuciones)
        # The surcharge now is an obligation of its own: it leaves its contribution's row, so the
        # rows still add up to the agreed debt.
        ConvenioObligacion.objects.bulk_create([
            ConvenioObligacion(convenio=convenio, obligacion=o, saldo_al_firmar=o.monto) for o in causados])
        ConvenioObligacion.objects.filter(convenio=convenio, obligacion_id__in={o.base_id for o in causados}).update(
            recargo_al_firmar=0)
    if not convenio.cuotas.filter(numero=0).exists():  # no prima to wait for
        convenio = convenio_transicionar(actor=actor, convenio=convenio, estado=E.VIGENTE, fecha=fecha_legalizacion,
                                         motivo="Convenio sin prima: vigente desde su legalización.")
    return convenio


@transaction.atomic
def convenio_anular(*, actor, convenio: Convenio, motivo: str, fecha: date | None = None,
                    reglas: Reglas | None = None) -> Convenio:
    """An agreement withdrawn (error, or replaced): if it had frozen surcharges, they are as if it
    had never been signed."""
    from .incumplimiento import recargos_reanudar

    fecha = fecha or timezone.localdate()
    convenio = convenio_transicionar(actor=actor, convenio=convenio, estado=E.ANULADO, fecha=fecha, motivo=motivo)
    recargos_reanudar(actor=actor, convenio=convenio, fecha=fecha, reglas=reglas)
    return convenio
