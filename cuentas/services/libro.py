"""The posting service: the only code that creates asientos (ARCHITECTURE.md, the ledger).

Callers lock the cuentas they act on (`cuentas_bloquear`) before reading balances, then describe the
legs; this module makes the asiento idempotent by its `clave`, and PostgreSQL checks the rest
(balance at commit, saldo moved by trigger, no overpayment, append-only)."""
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db import IntegrityError, connection, transaction
from django.db.models import Sum

from issscobros.errores import ErrorDeNegocio

from .. import contabilidad
from ..models import Asiento, LineaAsiento, Recibo

CERO = Decimal("0.00")


class Pierna(NamedTuple):
    """One leg: a GL account code, a debit or a credit, and what it concerns. (A tuple: a payroll
    file makes tens of thousands.)"""

    cuenta_contable: str
    debe: Decimal = CERO
    haber: Decimal = CERO
    cuenta_id: int | None = None
    obligacion_id: int | None = None
    recibo_id: int | None = None


@dataclass(frozen=True)
class AsientoNuevo:
    """One asiento of a batch (asientos_registrar_lote)."""

    clave: str
    tipo: str
    fecha_valor: date
    piernas: list
    descripcion: str = ""


@dataclass(frozen=True)
class Resultado:
    asiento: Asiento
    creado: bool


def cuentas_bloquear(ids: Iterable[int]) -> None:
    """Row locks on the cuentas, always in id order so two postings never deadlock. Every write that
    reads a balance it will act on takes these first (Zulip's lock-before-read-then-write)."""
    ids = sorted({i for i in ids if i is not None})
    if ids:  # ANY(array): a payroll file locks thousands, and IN would prepare each id in Python
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM cuentas_cuenta WHERE id = ANY(%s) ORDER BY id FOR UPDATE", [ids])


def _bloquear_clave(clave: str) -> None:
    # Two transactions posting the same event (e.g. the same receipt applied from two screens)
    # serialise here; the second then finds the first's asiento.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [clave])


@transaction.atomic
def asiento_registrar(*, actor, clave: str, tipo: str, fecha_valor: date, piernas: list[Pierna],
                      descripcion: str = "", reversa_de: Asiento | None = None, recibo=None,
                      solicitud=None) -> Resultado:
    """Post one asiento, or return the one already posted under `clave` (creado=False)."""
    _bloquear_clave(clave)
    existente = Asiento.objects.filter(clave=clave).first()
    if existente is not None:
        return Resultado(existente, False)
    debe = sum((p.debe for p in piernas), CERO)
    haber = sum((p.haber for p in piernas), CERO)
    if debe != haber or debe == 0:
        # The database would refuse it at commit; saying it here names the event.
        raise ErrorDeNegocio(f"El asiento {clave} no cuadra: debe {debe} y haber {haber}.")
    asiento = Asiento.objects.create(
        clave=clave, tipo=tipo, fecha_valor=fecha_valor, descripcion=descripcion[:250],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        reversa_de=reversa_de, recibo=recibo, solicitud=solicitud,
    )
    LineaAsiento.objects.bulk_create([
        LineaAsiento(asiento=asiento, fecha_valor=asiento.fecha_valor, cuenta_contable_id=p.cuenta_contable,
                     debe=p.debe, haber=p.haber, cuenta_id=p.cuenta_id, obligacion_id=p.obligacion_id,
                     recibo_id=p.recibo_id)
        for p in piernas if p.debe or p.haber
    ])
    return Resultado(asiento, True)


@transaction.atomic
def asiento_revertir(*, actor, asiento: Asiento, fecha_valor: date, motivo: str) -> Resultado:
    """A new asiento with every leg swapped. An asiento is reversed at most once (UNIQUE reversa_de);
    a reversal that would leave an obligation below zero (it was paid since), or take back money a
    receipt has already applied, is refused."""
    if asiento.tipo == Asiento.Tipo.REVERSA:
        raise ErrorDeNegocio("Una reversión no se revierte; registre el asiento correcto.")
    lineas = list(asiento.lineas.order_by("pk"))
    cuentas_bloquear(l.cuenta_id for l in lineas)
    if Asiento.objects.filter(reversa_de=asiento).exists():
        raise ErrorDeNegocio(f"El asiento {asiento.pk} ya fue revertido.")
    _recibos_pueden_devolver(asiento, lineas)
    # Debits first, as reversals have always listed them. (The saldo trigger nets the whole INSERT
    # per obligation since migration 0008, so the order no longer matters for the range check.)
    piernas = sorted((Pierna(l.cuenta_contable_id, debe=l.haber, haber=l.debe, cuenta_id=l.cuenta_id,
                             obligacion_id=l.obligacion_id, recibo_id=l.recibo_id) for l in lineas),
                     key=lambda p: p.debe == 0)
    try:
        with transaction.atomic():
            return asiento_registrar(
                actor=actor, clave=f"reversa:{asiento.pk}", tipo=Asiento.Tipo.REVERSA, fecha_valor=fecha_valor,
                piernas=piernas, descripcion=f"Reversión del asiento {asiento.pk}: {motivo}", reversa_de=asiento,
                recibo=asiento.recibo,
            )
    except IntegrityError as exc:
        raise ErrorDeNegocio(
            f"No se puede revertir el asiento {asiento.pk}: dejaría una obligación con saldo fuera de rango "
            "(tiene pagos o ajustes posteriores; reviértalos primero)."
        ) from exc


def _recibos_pueden_devolver(asiento: Asiento, lineas: list[LineaAsiento]) -> None:
    """A reversal that takes money out of "recibos por aplicar" needs that money to be there: a
    receipt already applied would leave a negative saldo a favor (no CHECK can see a sum of legs)."""
    retiros: dict = defaultdict(lambda: CERO)
    for l in lineas:
        if l.cuenta_contable_id == contabilidad.RECIBOS_POR_APLICAR and l.recibo_id:
            retiros[(l.cuenta_id, l.recibo_id)] += l.haber - l.debe
    retiros = {k: v for k, v in retiros.items() if v > 0}
    if not retiros:
        return
    # Unidentified receipts have no cuenta lock; their row lock serialises with recibo_identificar.
    list(Recibo.objects.select_for_update().filter(pk__in=sorted({r for _, r in retiros})).order_by("pk").values_list("pk"))
    for (cuenta_id, recibo_id), monto in retiros.items():
        disponible = LineaAsiento.objects.filter(
            cuenta_contable_id=contabilidad.RECIBOS_POR_APLICAR, cuenta_id=cuenta_id, recibo_id=recibo_id,
        ).aggregate(s=Sum("haber") - Sum("debe"))["s"] or CERO
        if disponible < monto:
            raise ErrorDeNegocio(
                f"No se puede revertir el asiento {asiento.pk}: el recibo ya se aplicó a obligaciones "
                "(revierta primero su aplicación).")


def asientos_registrar_lote(*, actor, lote: list[AsientoNuevo]) -> list[int]:
    """Many NEW asientos at once, with COPY (a payroll file: thousands of charges). The same rows
    asiento_registrar writes; the claves must be new because their sources were just created in this
    transaction — a repeated one fails on UNIQUE instead of returning the first. The database checks
    each asiento's balance at commit as always; it is checked here too, to name the culprit."""
    from ..copia import copiar, reservar_ids

    for nuevo in lote:
        debe = haber = CERO
        for p in nuevo.piernas:
            debe += p.debe
            haber += p.haber
        if debe != haber or debe == 0:
            raise ErrorDeNegocio(f"El asiento {nuevo.clave} no cuadra.")
    ids = reservar_ids(Asiento, len(lote))
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    copiar(Asiento, ["id", "clave", "tipo", "fecha_valor", "descripcion", "actor_id"],
           ((pk, n.clave, n.tipo, n.fecha_valor, n.descripcion[:250], actor_id) for pk, n in zip(ids, lote)))
    # One COPY, one statement: the saldo trigger nets each obligation's legs, so their order is free.
    copiar(LineaAsiento, ["asiento_id", "fecha_valor", "cuenta_contable_codigo", "debe", "haber", "cuenta_id", "obligacion_id",
                          "recibo_id"],
           ((pk, n.fecha_valor, *p) for pk, n in zip(ids, lote) for p in n.piernas))  # a Pierna's fields, in its order
    return ids
