"""Payments under an agreement. A receipt carrying a cuota's NPE pays that cuota (or, without NPE nor
period, on a cuenta with an agreement in force, the oldest unpaid one); what exceeds it pays the next
cuotas; a cuota can be paid in parts. The money itself moves only through the ledger:
cuentas.services.pagos.cuenta_compensar applies the receipt to the included obligations by the
imputation order. Called by cuentas.services.pagos when a receipt is recorded or identified."""
from decimal import Decimal

from django.db import transaction

from cuentas.models import Recibo
from cuentas.reglas import Reglas
from cuentas.services.pagos import cuenta_compensar
from issscobros.auditoria import auditar

from ..models import AplicacionCuota, Convenio, Cuota
from ..selectors import ACTIVOS

CERO = Decimal("0.00")


def _convenio_y_cuota(recibo: Recibo) -> tuple[Convenio, Cuota | None] | None:
    if recibo.npe:
        cuota = Cuota.objects.select_related("convenio").filter(npe=recibo.npe).first()
        if cuota is not None:
            return (cuota.convenio, cuota) if cuota.convenio.estado in ACTIVOS else None
    if recibo.periodo or recibo.cuenta_id is None:
        return None
    convenio = Convenio.objects.filter(cuenta_id=recibo.cuenta_id, estado__in=ACTIVOS).order_by("fecha_firma", "pk").first()
    return (convenio, None) if convenio else None


@transaction.atomic
def convenio_recibo_aplicar(*, actor, recibo: Recibo, reglas: Reglas | None = None) -> bool:
    """Apply the receipt under its agreement; False when it is not an agreement's (the caller then
    applies it by the general rules). The caller holds the cuenta's lock."""
    encontrado = _convenio_y_cuota(recibo)
    if encontrado is None:
        return False
    convenio, nombrada = encontrado
    convenio = Convenio.objects.select_for_update().get(pk=convenio.pk)
    pendientes = [c for c in convenio.cuotas.select_for_update().order_by("numero") if not c.pagada]
    if nombrada is not None:
        # The named cuota first, then the following ones; earlier arrears are not skipped silently:
        # they stay unpaid and count for breach.
        pendientes = [c for c in pendientes if c.numero >= nombrada.numero] + [c for c in pendientes if c.numero < nombrada.numero]
    disponible = recibo.monto
    aplicadas = []
    for cuota in pendientes:
        if disponible <= 0:
            break
        monto = min(disponible, cuota.pendiente)
        AplicacionCuota.objects.create(cuota=cuota, recibo=recibo, monto=monto, fecha=recibo.fecha_pago)
        cuota.pagado += monto
        if cuota.pagada:
            cuota.fecha_pago = recibo.fecha_pago
        cuota.save(update_fields=["pagado", "fecha_pago"])
        disponible -= monto
        aplicadas.append({"cuota": cuota.numero, "monto": str(monto)})
    incluidas = list(convenio.inclusiones.values_list("obligacion_id", flat=True))
    cuenta_compensar(actor=actor, cuenta=convenio.cuenta, recibo=recibo, obligaciones=incluidas, reglas=reglas)
    auditar(actor=actor, accion="convenio.pago", objeto=convenio,
            despues={"recibo": recibo.pk, "cuotas": aplicadas, "sobrante": str(disponible)})
    _estado_por_pagos(actor=actor, convenio=convenio, recibo=recibo)
    return True


def _estado_por_pagos(*, actor, convenio: Convenio, recibo: Recibo) -> None:
    """The prima paid puts a legalized agreement in force; every cuota paid fulfils it."""
    from .convenios import convenio_transicionar

    E = Convenio.Estado
    cuotas = list(convenio.cuotas.all())
    if convenio.estado == E.LEGALIZADO and all(c.pagada for c in cuotas if c.numero == 0):
        convenio = convenio_transicionar(actor=actor, convenio=convenio, estado=E.VIGENTE, fecha=recibo.fecha_pago,
                                         motivo=f"Prima pagada (recibo {recibo.canal} {recibo.referencia}).")
    if convenio.estado == E.VIGENTE and all(c.pagada for c in cuotas):
        convenio_transicionar(actor=actor, convenio=convenio, estado=E.CUMPLIDO, fecha=recibo.fecha_pago,
                              motivo=f"Todas las cuotas pagadas (último recibo {recibo.canal} {recibo.referencia}).")
