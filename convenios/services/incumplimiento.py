"""Breach of an agreement and the surcharges it had frozen.

Breach (parameter `convenio_cuotas_incumplimiento`, default 2; R14): N consecutive cuotas unpaid.
A cuota is unpaid from the day after its due date until it is fully paid, so the agreement falls on
the first day on which N consecutive cuotas are all due and unpaid — the day after the due date of
the N-th — provided none of them had been paid in full by then. The detection runs nightly
(convenios.tasks) and on demand; it only looks at agreements in force, so running it twice changes
nothing, and the posting it makes is idempotent by its clave.

On breach (or annulment) the surcharges are as if the agreement had never been signed: for every
part of an included contribution paid while frozen, the ledger receives the difference between the
surcharge the general rule gives (cuentas.reglas.recargo_por_pago, from the original due date to the
payment date) and the frozen one it got; what is still unpaid accrues again from the original due
date by the general rule (the freeze ends with the state)."""
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from cuentas.models import COTIZACIONES, Asiento, Concepto, LineaAsiento
from cuentas.reglas import Reglas, recargo_por_pago
from cuentas.services.ajustes import causado_hasta_por_base
from cuentas.services.cargos import NuevaObligacion, obligaciones_crear
from cuentas.services.libro import asiento_registrar

from ..calculo import CUOTAS_INCUMPLIMIENTO
from ..models import Convenio

CERO = Decimal("0.00")


def fecha_incumplimiento(cuotas, *, consecutivas: int, al: date) -> date | None:
    """The first day ≤ `al` on which `consecutivas` consecutive cuotas (the prima aside) are due and
    none of them fully paid; None if there is none. `cuotas`: objects with numero, vencimiento,
    fecha_pago (day it was fully paid, or None)."""
    serie = sorted((c for c in cuotas if c.numero > 0), key=lambda c: c.numero)
    candidatas = []
    for i in range(len(serie) - consecutivas + 1):
        tramo = serie[i:i + consecutivas]
        dia = tramo[-1].vencimiento + timedelta(days=1)
        if dia <= al and all(c.fecha_pago is None or c.fecha_pago >= dia for c in tramo):
            candidatas.append(dia)
    return min(candidatas, default=None)


@transaction.atomic
def convenio_revisar(*, actor, convenio: Convenio, al: date, reglas: Reglas | None = None) -> Convenio:
    """Declare the breach of one agreement in force, if its cuotas say so."""
    from .convenios import _bloquear, convenio_transicionar

    convenio = _bloquear(convenio)  # fresh state: a payment may have just fulfilled it
    if convenio.estado != Convenio.Estado.VIGENTE:
        return convenio
    reglas = reglas or Reglas.cargar()
    consecutivas = int(reglas.valor(CUOTAS_INCUMPLIMIENTO, convenio.fecha_firma))
    dia = fecha_incumplimiento(list(convenio.cuotas.all()), consecutivas=consecutivas, al=al)
    if dia is None:
        return convenio
    convenio = convenio_transicionar(
        actor=actor, convenio=convenio, estado=Convenio.Estado.INCUMPLIDO, fecha=dia,
        motivo=f"{consecutivas} cuotas consecutivas sin pagar: el saldo completo es exigible.")
    recargos_reanudar(actor=actor, convenio=convenio, fecha=dia, reglas=reglas)
    return convenio


def convenios_revisar(*, actor, al: date) -> list[int]:
    """Every agreement in force, one transaction each (a failure leaves the others done). Returns
    the ids found in breach."""
    caidos = []
    for pk in Convenio.objects.filter(estado=Convenio.Estado.VIGENTE).order_by("pk").values_list("pk", flat=True):
        convenio = convenio_revisar(actor=actor, convenio=Convenio.objects.get(pk=pk), al=al)
        if convenio.estado == Convenio.Estado.INCUMPLIDO:
            caidos.append(pk)
    return caidos


def recargos_reanudar(*, actor, convenio: Convenio, fecha: date, reglas: Reglas | None = None) -> list:
    """Post what the freeze spared on the included contributions paid while it lasted. The caller
    holds the cuenta's lock (convenio_transicionar takes it)."""
    clave = f"convenio:{convenio.pk}:recargos_reanudados"
    legalizado = convenio.historial.filter(estado_nuevo=Convenio.Estado.LEGALIZADO).values_list("momento", flat=True).first()
    if not convenio.recargos_congelados or legalizado is None or Asiento.objects.filter(clave=clave).exists():
        return []  # never frozen (a borrador annulled), or already done
    reglas = reglas or Reglas.cargar()
    firma = convenio.fecha_firma
    contribuciones = {i.obligacion_id: i.obligacion for i in convenio.inclusiones.select_related("obligacion")
                      if i.obligacion.concepto in COTIZACIONES}
    causado = causado_hasta_por_base(bases=list(contribuciones), hasta=firma)
    lineas = (LineaAsiento.objects.filter(obligacion_id__in=list(contribuciones))
              .select_related("asiento__recibo").order_by("asiento__fecha_valor", "asiento_id", "id"))
    saldo: dict = defaultdict(lambda: CERO)
    diferencias: dict = defaultdict(lambda: CERO)
    for l in lineas:
        o = contribuciones[l.obligacion_id]
        antes = saldo[o.pk]
        saldo[o.pk] += l.debe - l.haber
        a = l.asiento
        if (a.tipo != Asiento.Tipo.APLICACION or not l.haber or a.fecha_valor < firma or a.fecha_valor >= fecha
                or a.registrado_en < legalizado):
            continue  # only what was applied under the freeze
        pago = a.recibo.fecha_pago
        comun = dict(vencimiento=o.vencimiento, saldo=antes, pagado=l.haber, causado_hasta=causado.get(o.pk))
        diferencias[o.pk] += (recargo_por_pago(reglas, fecha_pago=pago, **comun)
                              - recargo_por_pago(reglas, fecha_pago=pago, congelado_al=firma, **comun))
    nuevas = [NuevaObligacion(concepto=Concepto.RECARGO, monto=monto, periodo=contribuciones[pk].periodo, base_id=pk,
                              fecha_origen=fecha, vencimiento=fecha,
                              descripcion=f"Recargos reanudados: {convenio} sin efecto")
              for pk, monto in sorted(diferencias.items()) if monto > 0]
    creadas, piernas = obligaciones_crear(actor=actor, cuenta_id=convenio.cuenta_id, nuevas=nuevas)
    if piernas:
        asiento_registrar(actor=actor, clave=clave, tipo=Asiento.Tipo.CARGO,
                          fecha_valor=fecha, piernas=piernas,
                          descripcion=f"Recargos que {convenio} había congelado")
    return creadas
