"""The statement of a cuenta as of a date (estado de cuenta): the one read that the statement page,
its PDF and the API share. Effective dating: an obligation counts from its `fecha_origen`, a leg from
its asiento's `fecha_valor`, so a statement as of any past date is what it was then."""
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.db import connection
from django.db.models import Case, DecimalField, Exists, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from .models import COTIZACIONES, Asiento, Concepto, Cuenta, LineaAsiento, Obligacion, Recibo
from .reglas import Reglas, meses_de_mora, recargo_devengado
from .services.ajustes import recargos_causados
from .services.pagos import saldo_a_favor

CERO = Decimal("0.00")
_DINERO = DecimalField(max_digits=14, decimal_places=2)


@dataclass(slots=True)
class ObligacionEstado:
    """An obligation as the statement reads it: its columns as of the date, not a model instance (a
    10-year history has hundreds, and building Obligacion instances cost twice the query itself)."""
    pk: int
    concepto: str
    periodo: date | None
    vencimiento: date
    monto: Decimal
    planilla_id: int | None
    documento_numero: str
    descripcion: str
    saldo: Decimal           # cached: always the sum of its legs
    movido_despues: Decimal  # what legs dated after the statement's date moved
    causado_al: date | None  # surcharges posted up to
    congelado_al: date | None  # surcharges frozen by a payment agreement

    def get_concepto_display(self) -> str:
        return Concepto(self.concepto).label


_COLUMNAS = [f.name for f in fields(ObligacionEstado)]


@dataclass
class LineaEstado:
    obligacion: ObligacionEstado
    saldo: Decimal
    abonado: Decimal
    dias_mora: int
    meses_mora: int
    recargo_devengado: Decimal


@dataclass
class AplicacionPago:
    concepto: str
    periodo: date | None
    monto: Decimal


@dataclass
class PagoEstado:
    recibo: Recibo
    aplicado: Decimal
    aplicaciones: list[AplicacionPago] = field(default_factory=list)

    @property
    def por_aplicar(self):
        return self.recibo.monto - self.aplicado


@dataclass
class EstadoCuenta:
    cuenta: Cuenta
    fecha: date
    lineas: list[LineaEstado]
    pagos: list[PagoEstado]
    saldo_a_favor: Decimal | None

    @property
    def total_monto(self):
        return sum((l.obligacion.monto for l in self.lineas), CERO)

    @property
    def total_saldo(self):
        return sum((l.saldo for l in self.lineas), CERO)

    @property
    def total_abonado(self):
        return sum((l.abonado for l in self.lineas), CERO)

    @property
    def recargos_a_la_fecha(self):
        return sum((l.recargo_devengado for l in self.lineas), CERO)

    @property
    def saldo_total(self):
        return self.total_saldo + self.recargos_a_la_fecha


def cuenta_estado(*, cuenta: Cuenta, fecha: date, desde: date | None = None, hasta: date | None = None,
                  reglas: Reglas | None = None, con_pagos: bool = True) -> EstadoCuenta:
    """`con_pagos=False` leaves out the payments and the credit balance (the API returns neither)."""
    reglas = reglas or Reglas.cargar()
    lineas = []
    for o in _obligaciones(cuenta_id=cuenta.pk, fecha=fecha, desde=desde, hasta=hasta):
        saldo = o.saldo - o.movido_despues
        vencido = saldo > 0 and fecha > o.vencimiento
        devengado = CERO
        if vencido and o.concepto in COTIZACIONES:
            devengado = recargo_devengado(reglas, vencimiento=o.vencimiento, saldo=saldo, fecha=fecha,
                                          causado_hasta=o.causado_al, congelado_al=o.congelado_al)
        lineas.append(LineaEstado(
            obligacion=o, saldo=saldo, abonado=o.monto - saldo,
            dias_mora=(fecha - o.vencimiento).days if vencido else 0,
            meses_mora=meses_de_mora(o.vencimiento, fecha) if vencido else 0,
            recargo_devengado=devengado,
        ))
    if not con_pagos:
        return EstadoCuenta(cuenta=cuenta, fecha=fecha, lineas=lineas, pagos=[], saldo_a_favor=None)
    return EstadoCuenta(cuenta=cuenta, fecha=fecha, lineas=lineas, pagos=pagos_estado(recibos_al(cuenta, fecha), fecha),
                        saldo_a_favor=saldo_a_favor(cuenta_id=cuenta.pk, al=fecha))


def _obligaciones_qs(*, cuenta_id: int, fecha: date, desde: date | None, hasta: date | None):
    """The cuenta's obligations as of `fecha`, each with what moved it later, the date its surcharges
    were posted to and the date a payment agreement froze them (imported here: convenios builds on
    the ledger)."""
    from convenios.selectors import recargos_congelados_al

    qs = (Obligacion.objects.filter(cuenta_id=cuenta_id, fecha_origen__lte=fecha)
          .annotate(movido_despues=_movido_despues(fecha),
                    causado_al=Subquery(recargos_causados(al=fecha).filter(base=OuterRef("pk"), fecha_origen__lte=fecha)
                                        .order_by("-causado_hasta").values("causado_hasta")[:1]),
                    congelado_al=recargos_congelados_al(al=fecha))
          .order_by("periodo", "vencimiento", "id")
          .values_list(*_COLUMNAS))
    if desde:
        qs = qs.filter(periodo__gte=desde)
    if hasta:
        qs = qs.filter(periodo__lte=hasta)
    return qs


# Building and compiling that queryset (three correlated subqueries) took 8 ms of a 21 ms statement
# of 334 obligations, the same SQL every time but for its values. So it is compiled once per shape
# with stand-in values, which each call replaces by its own (tests/cuentas/test_estado_consulta.py
# checks that no stand-in is left in the SQL text and that both paths give the same rows).
_FECHA, _DESDE, _HASTA, _CUENTA = date(1, 1, 2), date(1, 1, 3), date(1, 1, 4), -987654321


@lru_cache(maxsize=4)
def _compilada(con_desde: bool, con_hasta: bool) -> tuple[str, tuple]:
    qs = _obligaciones_qs(cuenta_id=_CUENTA, fecha=_FECHA, desde=_DESDE if con_desde else None,
                          hasta=_HASTA if con_hasta else None)
    return qs.query.sql_with_params()


def _obligaciones(*, cuenta_id: int, fecha: date, desde: date | None, hasta: date | None) -> list[ObligacionEstado]:
    sql, plantilla = _compilada(desde is not None, hasta is not None)
    valores = {_FECHA: fecha, _DESDE: desde, _HASTA: hasta, _CUENTA: cuenta_id}
    params = [valores[p] if type(p) in (date, int) and p in valores else p for p in plantilla]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [ObligacionEstado(*fila) for fila in cursor.fetchall()]


def _movido_despues(fecha: date):
    """What legs dated after `fecha` moved an obligation's balance, so that the saldo as of `fecha` is
    the cached saldo (always the sum of its legs: leg trigger, nightly reconciliation) minus this.
    PostgreSQL evaluates the uncorrelated EXISTS once: when nothing is dated after `fecha` (today's
    statement) no leg of a 10-year history is read at all."""
    despues = LineaAsiento.objects.filter(obligacion=OuterRef("pk"), fecha_valor__gt=fecha)
    neto = despues.values("obligacion").annotate(neto=Sum("debe") - Sum("haber")).values("neto")
    return Case(When(Exists(Asiento.objects.filter(fecha_valor__gt=fecha)), then=Coalesce(Subquery(neto), CERO)),
                default=Value(CERO), output_field=_DINERO)


# Every obligation that arose by %(fecha)s with its balance on that date, as a CTE `saldos_al` (id,
# cuenta_id, concepto, vencimiento, saldo; saldo may be 0) for the set-wise reports: aging and the
# dashboard (mora.antiguedad), the conformación (selectors_contabilidad). The same rule as
# _movido_despues for one cuenta: the cached saldo less what legs dated after the date moved, those
# legs read from the index of obligations' legs by date (a recent date reads few entries). Only an
# obligation open now or moved since can owe something on the date.
SALDOS_AL = """saldos_al AS (
        SELECT o.id, o.cuenta_id, o.concepto, o.vencimiento, o.saldo - COALESCE(x.mov, 0) AS saldo
          FROM cuentas_obligacion o
          LEFT JOIN (SELECT obligacion_id, SUM(neto_centavos) * 0.01 AS mov FROM cuentas_lineaasiento
                      WHERE obligacion_id IS NOT NULL AND fecha_valor > %(fecha)s GROUP BY obligacion_id) x
            ON x.obligacion_id = o.id
         WHERE o.fecha_origen <= %(fecha)s AND (o.saldo > 0 OR x.obligacion_id IS NOT NULL))"""


def recibos_al(cuenta: Cuenta, fecha: date):
    """The cuenta's receipts as of `fecha`, oldest first (a queryset: the page reads one page of them)."""
    return Recibo.objects.filter(cuenta=cuenta, fecha_pago__lte=fecha).order_by("fecha_pago", "pk")


def pagos_estado(recibos, fecha: date) -> list[PagoEstado]:
    """How each of `recibos` was applied as of `fecha` (the page shows some of them: only theirs are read)."""
    pagos = {r.pk: PagoEstado(r, CERO) for r in recibos}
    abonos = (LineaAsiento.objects
              .filter(asiento__recibo__in=list(pagos), asiento__tipo=Asiento.Tipo.APLICACION,
                      fecha_valor__lte=fecha, obligacion__isnull=False, haber__gt=0)
              .values_list("asiento__recibo_id", "obligacion__concepto", "obligacion__periodo", "haber")
              .order_by("asiento__recibo_id", "obligacion__periodo", "id"))
    for recibo_id, concepto, periodo, monto in abonos:
        pago = pagos[recibo_id]
        pago.aplicado += monto
        pago.aplicaciones.append(AplicacionPago(concepto, periodo, monto))
    return list(pagos.values())
