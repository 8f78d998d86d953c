"""Receipts and their application (compensación) by the imputation rules of DOMAIN.md.

A receipt is posted when it arrives: debit Bancos, credit "recibos por aplicar" of its cuenta (of no
cuenta while unidentified). Applying it moves money from "por aplicar" to the obligations; whatever
cannot be applied stays there as the cuenta's credit (saldo a favor) and is applied to the next debt.
A late payment posts, in the same asiento, the surcharge on the amount it covers."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum

from issscobros.auditoria import auditar
from issscobros.errores import ErrorDeNegocio

from .. import contabilidad
from ..models import COTIZACIONES, Asiento, Concepto, Cuenta, LineaAsiento, Obligacion, Recibo
from ..reglas import Reglas, orden_imputacion, recargo_por_pago
from .ajustes import causado_hasta_por_base
from .cargos import NuevaObligacion, obligaciones_crear
from .libro import CERO, Pierna, asiento_registrar, cuentas_bloquear

POR_APLICAR = contabilidad.RECIBOS_POR_APLICAR


@dataclass(frozen=True)
class Registro:
    recibo: Recibo
    creado: bool


def creditos_por_recibo(*, cuenta_id: int | None, recibo_id: int | None = None) -> list[tuple[Recibo, Decimal]]:
    """Receipts with money still to apply on the cuenta (None: unidentified), oldest first."""
    filtro = Q(cuenta_contable_id=POR_APLICAR, cuenta_id=cuenta_id) if cuenta_id else Q(cuenta_contable_id=POR_APLICAR, cuenta__isnull=True)
    if recibo_id:
        filtro &= Q(recibo_id=recibo_id)
    filas = (LineaAsiento.objects.filter(filtro).values("recibo_id")
             .annotate(disponible=Sum("haber") - Sum("debe")).filter(disponible__gt=0))
    disponibles = {f["recibo_id"]: f["disponible"] for f in filas}
    recibos = Recibo.objects.filter(pk__in=disponibles).order_by("fecha_pago", "pk")
    return [(r, disponibles[r.pk]) for r in recibos]


def saldo_a_favor(*, cuenta_id: int, al: date | None = None) -> Decimal:
    """The cuenta's money received and not yet applied; `al`: as of that effective date."""
    lineas = LineaAsiento.objects.filter(cuenta_contable_id=POR_APLICAR, cuenta_id=cuenta_id)
    if al is not None:
        lineas = lineas.filter(fecha_valor__lte=al)
    return lineas.aggregate(s=Sum("haber") - Sum("debe"))["s"] or CERO


@transaction.atomic
def recibo_registrar(*, actor, canal: str, referencia: str, fecha_pago: date, monto: Decimal,
                     numero_patronal: str = "", periodo: date | None = None, npe: str = "",
                     importacion=None, reglas: Reglas | None = None) -> Registro:
    """Record a receipt once (UNIQUE canal + referencia) and apply it when its cuenta is known."""
    existente = Recibo.objects.filter(canal=canal, referencia=referencia).first()
    if existente is not None:
        return Registro(existente, False)
    cuenta = Cuenta.objects.filter(numero=numero_patronal).first() if numero_patronal else None
    if cuenta is None and npe:
        cuenta = _cuenta_de_cuota(npe)
    cuentas_bloquear([cuenta.pk] if cuenta else [])
    try:
        with transaction.atomic():
            recibo = Recibo.objects.create(
                canal=canal, referencia=referencia, fecha_pago=fecha_pago, monto=monto, numero_patronal=numero_patronal,
                periodo=periodo, npe=npe, cuenta=cuenta, importacion=importacion, creado_por=actor)
    except IntegrityError:  # another transaction recorded it first
        return Registro(Recibo.objects.get(canal=canal, referencia=referencia), False)
    asiento_registrar(
        actor=actor, clave=f"recibo:{canal}:{referencia}", tipo=Asiento.Tipo.RECIBO, fecha_valor=fecha_pago,
        recibo=recibo, descripcion=f"Recibo {canal} {referencia}",
        piernas=[Pierna(contabilidad.BANCOS, debe=monto, recibo_id=recibo.pk),
                 Pierna(POR_APLICAR, haber=monto, cuenta_id=cuenta.pk if cuenta else None, recibo_id=recibo.pk)],
    )
    if cuenta is not None:
        _recibo_aplicar(actor=actor, cuenta=cuenta, recibo=recibo, reglas=reglas)
    return Registro(recibo, True)


def _cuenta_de_cuota(npe: str) -> Cuenta | None:
    """A reference the system issued for a convenio cuota names its cuenta."""
    from convenios.models import Cuota  # convenios builds on the ledger, not the other way round

    cuota = Cuota.objects.select_related("convenio__cuenta").filter(npe=npe).first()
    return cuota.convenio.cuenta if cuota else None


def _recibo_aplicar(*, actor, cuenta: Cuenta, recibo: Recibo, reglas: Reglas | None = None) -> None:
    """A receipt for a current payment agreement (its cuota NPE, or no NPE nor period on a cuenta
    with one) is applied by the agreement, which pays its cuotas and then, through cuenta_compensar,
    the included obligations; any other receipt by the imputation rules."""
    from convenios.services.pagos import convenio_recibo_aplicar

    if not convenio_recibo_aplicar(actor=actor, recibo=recibo, reglas=reglas):
        cuenta_compensar(actor=actor, cuenta=cuenta, recibo=recibo, reglas=reglas)


@transaction.atomic
def recibo_identificar(*, actor, recibo: Recibo, cuenta: Cuenta) -> Recibo:
    """A technician identifies an unapplied receipt: it moves to the cuenta and is applied."""
    cuentas_bloquear([cuenta.pk])
    recibo = Recibo.objects.select_for_update().get(pk=recibo.pk)
    if recibo.cuenta_id is not None:
        raise ErrorDeNegocio("Ese recibo ya está identificado.")
    disponible = sum((c for _, c in creditos_por_recibo(cuenta_id=None, recibo_id=recibo.pk)), CERO)
    recibo.cuenta = cuenta
    recibo.save(update_fields=["cuenta"])
    if disponible > 0:
        asiento_registrar(
            actor=actor, clave=f"identificacion:{recibo.pk}", tipo=Asiento.Tipo.RECLASIFICACION,
            fecha_valor=recibo.fecha_pago, recibo=recibo, descripcion=f"Identificación del recibo {recibo.referencia}",
            piernas=[Pierna(POR_APLICAR, debe=disponible, recibo_id=recibo.pk),
                     Pierna(POR_APLICAR, haber=disponible, cuenta_id=cuenta.pk, recibo_id=recibo.pk)],
        )
    auditar(actor=actor, accion="recibo.identificar", objeto=recibo, despues={"cuenta": cuenta.numero})
    _recibo_aplicar(actor=actor, cuenta=cuenta, recibo=recibo)
    return recibo


def _clave_orden(o: Obligacion):
    return (o.periodo or date.max, orden_imputacion(o.concepto), o.vencimiento, o.pk)


@transaction.atomic
def cuenta_compensar(*, actor, cuenta: Cuenta, recibo: Recibo | None = None,
                     obligaciones: list[int] | None = None, reglas: Reglas | None = None) -> list[Asiento]:
    """Apply the cuenta's credit (all receipts with money left, or one) to its open obligations.

    Order (DOMAIN.md, imputation): the period the receipt names first, then the others oldest first;
    without a named period, oldest period first; within a period worker contribution, employer
    contribution, surcharges, fines. A receipt naming a period not declared yet (no contributions of
    that period) waits for its planilla. `obligaciones` restricts the targets (manual application by
    a technician). One asiento per receipt applied; re-running applies nothing twice because the
    money has already moved."""
    cuentas_bloquear([cuenta.pk])
    creditos = creditos_por_recibo(cuenta_id=cuenta.pk, recibo_id=recibo.pk if recibo else None)
    if not creditos:
        return []
    reglas = reglas or Reglas.cargar()
    abiertas = Obligacion.objects.filter(cuenta=cuenta, saldo__gt=0)
    if obligaciones is not None:
        abiertas = abiertas.filter(pk__in=obligaciones)
    abiertas = sorted(abiertas, key=_clave_orden)
    if not abiertas:
        return []
    causado = causado_hasta_por_base(bases=[o.pk for o in abiertas if o.concepto in COTIZACIONES])
    from convenios.selectors import recargos_congelados

    congelados = recargos_congelados(cuenta_ids=[cuenta.pk])
    saldos = {o.pk: o.saldo for o in abiertas}
    declarados = None  # periods with contributions, read once if a receipt names a period
    asientos = []
    for rec, disponible in creditos:
        primero = None
        objetivo = abiertas
        if rec.periodo and obligaciones is None:
            # Paid ahead of its planilla: keep it for that period rather than for older debts.
            # Once the period exists, what it does not need is the cuenta's credit for the rest.
            if declarados is None:
                declarados = set(Obligacion.objects.filter(cuenta=cuenta, concepto__in=COTIZACIONES)
                                 .values_list("periodo", flat=True).distinct())
            objetivo = abiertas if rec.periodo in declarados else []
            primero = rec.periodo
        asiento = _aplicar(actor=actor, cuenta=cuenta, recibo=rec, disponible=disponible, objetivo=objetivo,
                           saldos=saldos, causado=causado, reglas=reglas, primero=primero, abiertas=abiertas,
                           congelados=congelados)
        if asiento is not None:
            asientos.append(asiento)
    if asientos:
        auditar(actor=actor, accion="cuenta.compensar", objeto=cuenta,
                despues={"asientos": [a.pk for a in asientos]})
    return asientos


def _aplicar(*, actor, cuenta, recibo, disponible, objetivo, saldos, causado, reglas, primero=None,
             abiertas=None, congelados=None) -> Asiento | None:
    """Walk the target obligations period by period (`primero`, the named period, first): contributions
    (each late one creating its surcharge), then the period's surcharges (posted and new), then fines
    and the rest."""
    pago = recibo.fecha_pago
    por_periodo: dict = defaultdict(list)
    for o in objetivo:
        por_periodo[o.periodo].append(o)
    abonos: list[tuple[Obligacion | NuevaObligacion, Decimal]] = []
    nuevas: list[NuevaObligacion] = []
    fecha_valor = pago

    def abonar(destino, saldo) -> Decimal:
        nonlocal disponible
        monto = min(disponible, saldo)
        if monto > 0:
            abonos.append((destino, monto))
            disponible -= monto
        return monto

    for periodo in sorted(por_periodo, key=lambda p: (primero is None or p != primero, p or date.max)):
        cola = sorted(por_periodo[periodo], key=_clave_orden)
        cotizaciones = [o for o in cola if o.concepto in COTIZACIONES]
        recargos = [o for o in cola if o.concepto == Concepto.RECARGO]
        resto = [o for o in cola if o.concepto not in COTIZACIONES and o.concepto != Concepto.RECARGO]
        nuevas_del_periodo = []
        for o in cotizaciones:
            monto = abonar(o, saldos[o.pk])
            if not monto:
                continue
            recargo = recargo_por_pago(reglas, vencimiento=o.vencimiento, saldo=saldos[o.pk], pagado=monto,
                                       fecha_pago=pago, causado_hasta=causado.get(o.pk),
                                       congelado_al=(congelados or {}).get(o.pk))
            saldos[o.pk] -= monto
            fecha_valor = max(fecha_valor, o.fecha_origen)
            if recargo > 0:
                nuevas_del_periodo.append(NuevaObligacion(
                    concepto=Concepto.RECARGO, monto=recargo, periodo=o.periodo, base_id=o.pk,
                    fecha_origen=pago, vencimiento=pago,
                    descripcion=f"Recargo por pago tardío ({recibo.canal} {recibo.referencia})"))
        nuevas += nuevas_del_periodo
        for destino in [*recargos, *nuevas_del_periodo, *resto]:
            saldo = destino.monto if isinstance(destino, NuevaObligacion) else saldos[destino.pk]
            monto = abonar(destino, saldo)
            if monto and isinstance(destino, Obligacion):
                saldos[destino.pk] -= monto
                fecha_valor = max(fecha_valor, destino.fecha_origen)
    if not abonos:
        return None
    # A surcharge arises when the payment is applied (as-of statements see it from then on).
    for nueva in nuevas:
        nueva.fecha_origen = nueva.vencimiento = fecha_valor
    creadas, piernas = obligaciones_crear(actor=actor, cuenta_id=cuenta.pk, nuevas=nuevas)
    obligacion_de = {id(n): o for n, o in zip(nuevas, creadas)}
    total = CERO
    pagado: dict = defaultdict(lambda: CERO)
    for destino, monto in abonos:
        obligacion = obligacion_de[id(destino)] if isinstance(destino, NuevaObligacion) else destino
        piernas.append(Pierna(contabilidad.cuenta_por_cobrar(obligacion.concepto), haber=monto,
                              cuenta_id=cuenta.pk, obligacion_id=obligacion.pk))
        total += monto
        pagado[obligacion.pk] += monto
    if abiertas is not None:
        # A surcharge this receipt could not pay is open for the next receipt of the same run.
        for o in creadas:
            if o.monto > pagado[o.pk]:
                saldos[o.pk] = o.monto - pagado[o.pk]
                abiertas.append(o)
    piernas.append(Pierna(POR_APLICAR, debe=total, cuenta_id=cuenta.pk, recibo_id=recibo.pk))
    numero = Asiento.objects.filter(recibo=recibo, tipo=Asiento.Tipo.APLICACION).count() + 1
    return asiento_registrar(
        actor=actor, clave=f"aplicacion:{recibo.pk}:{numero}", tipo=Asiento.Tipo.APLICACION, fecha_valor=fecha_valor,
        recibo=recibo, piernas=piernas, descripcion=f"Aplicación del recibo {recibo.canal} {recibo.referencia}",
    ).asiento
