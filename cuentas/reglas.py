"""The rules of DOMAIN.md, computed. This is the one place to read how a contribution, a due date,
the months of delay and a surcharge are calculated.

`Reglas` is an in-memory snapshot of the effective-dated parameters and the holidays (both small
tables), so an import of many thousands of lines asks the database once."""
import bisect
import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from issscobros.money import q

from .models.parametros import Feriado, Parametro

CIEN = Decimal(100)
Clave = Parametro.Clave


@dataclass
class Reglas:
    valores: dict[str, list[tuple[date, Decimal]]] = field(default_factory=dict)
    _feriados: frozenset | None = None

    @classmethod
    def cargar(cls) -> "Reglas":
        valores: dict[str, list[tuple[date, Decimal]]] = {}
        for clave, desde, valor in Parametro.objects.order_by("clave", "vigente_desde").values_list("clave", "vigente_desde", "valor"):
            valores.setdefault(clave, []).append((desde, valor))
        return cls(valores=valores)

    @property
    def feriados(self) -> frozenset:
        # Loaded on first use: due dates need them, reading a statement does not.
        if self._feriados is None:
            self._feriados = frozenset(Feriado.objects.values_list("fecha", flat=True))
        return self._feriados

    def valor(self, clave: str, fecha: date) -> Decimal:
        """The value in force on `fecha`: the latest vigencia on or before it."""
        vigencias = self.valores.get(clave, [])
        i = bisect.bisect_right(vigencias, fecha, key=lambda v: v[0])
        if i == 0:
            raise LookupError(f"El parámetro {clave} no tiene valor vigente al {fecha:%d/%m/%Y}.")
        return vigencias[i - 1][1]

    # --- contributions (R1, R1b, R2; rates and ceiling of the PERIOD declared) -----------------
    def cotizacion(self, salario: Decimal, periodo: date, regimen_especial: bool = False) -> tuple[Decimal, Decimal, Decimal]:
        """(salario afecto, cotización patronal, cotización laboral) of one worker line, each share
        rounded half-up to the cent on its own (DOMAIN: totals are sums of rounded lines)."""
        afecto = min(salario, self.valor(Clave.TOPE_COTIZABLE, periodo))
        if regimen_especial:
            tasa_p, tasa_l = self.valor(Clave.TASA_PATRONAL_ESPECIAL, periodo), self.valor(Clave.TASA_LABORAL_ESPECIAL, periodo)
        else:
            tasa_p, tasa_l = self.valor(Clave.TASA_PATRONAL, periodo), self.valor(Clave.TASA_LABORAL, periodo)
        return afecto, q(afecto * tasa_p / CIEN), q(afecto * tasa_l / CIEN)

    def insaforp(self, total_afecto: Decimal, trabajadores: int, periodo: date) -> Decimal:
        """R10: 1 % for employers with 10+ workers, only while enabled (off by default)."""
        if self.valor(Clave.INSAFORP_HABILITADO, periodo) != 1:
            return Decimal("0.00")
        if trabajadores < self.valor(Clave.INSAFORP_MIN_TRABAJADORES, periodo):
            return Decimal("0.00")
        return q(total_afecto * self.valor(Clave.TASA_INSAFORP, periodo) / CIEN)

    # --- due date (R6) ------------------------------------------------------------------------
    def es_habil(self, dia: date) -> bool:
        return dia.weekday() < 5 and dia not in self.feriados

    def vencimiento(self, periodo: date) -> date:
        """The n-th business day (Mon–Fri, not a holiday) of the month after the period; n = 0
        means the last business day of that month."""
        anio, mes = (periodo.year + 1, 1) if periodo.month == 12 else (periodo.year, periodo.month + 1)
        n = int(self.valor(Clave.DIA_HABIL_VENCIMIENTO, periodo))
        if n == 0:
            dia = date(anio, mes, calendar.monthrange(anio, mes)[1])
            while not self.es_habil(dia):
                dia -= timedelta(days=1)
            return dia
        dia, contados = date(anio, mes, 1), 0
        while True:
            if self.es_habil(dia):
                contados += 1
                if contados == n:
                    return dia
            dia += timedelta(days=1)

    # --- surcharges (R4) ----------------------------------------------------------------------
    def tasa_recargo(self, fecha: date) -> Decimal:
        return self.valor(Clave.TASA_RECARGO, fecha)

    def recargo(self, monto: Decimal, vencimiento: date, fecha: date) -> Decimal:
        """Surcharge on `monto` paid (or still unpaid) on `fecha`: 1 % per month or fraction of
        month of delay, simple, rounded half-up."""
        meses = meses_de_mora(vencimiento, fecha)
        if meses == 0 or monto <= 0:
            return Decimal("0.00")
        return q(monto * self.tasa_recargo(fecha) / CIEN * meses)


def sumar_meses(dia: date, meses: int) -> date:
    """add_months clamping to the month's end: 31 Jan + 1 = 28/29 Feb."""
    total = dia.month - 1 + meses
    anio, mes = dia.year + total // 12, total % 12 + 1
    return date(anio, mes, min(dia.day, calendar.monthrange(anio, mes)[1]))


def meses_de_mora(vencimiento: date, pago: date) -> int:
    """0 if paid by the due date; else the smallest k ≥ 1 with pago ≤ add_months(vencimiento, k)."""
    if pago <= vencimiento:
        return 0
    k = max(1, (pago.year - vencimiento.year) * 12 + pago.month - vencimiento.month - 1)
    while pago > sumar_meses(vencimiento, k):
        k += 1
    return k


def periodo_de(texto: str) -> date:
    """'2025-03' -> date(2025, 3, 1); ValueError with a Spanish message otherwise."""
    try:
        anio, mes = texto.strip().split("-")
        if len(anio) != 4 or len(mes) != 2:
            raise ValueError
        return date(int(anio), int(mes), 1)
    except ValueError:
        raise ValueError(f"periodo '{texto}' no es AAAA-MM")


def congelado(fecha: date, causado_hasta: date | None, congelado_al: date | None) -> date | None:
    """Surcharges frozen by a current payment agreement (convenio): delay is counted up to the
    signing date `congelado_al` only, and once they were posted to it nothing more accrues.
    Returns the date to count delay to, or None when nothing is new."""
    if congelado_al is None:
        return fecha
    fecha = min(fecha, congelado_al)
    return None if causado_hasta is not None and causado_hasta >= fecha else fecha


def recargo_por_pago(reglas: Reglas, *, vencimiento: date, saldo: Decimal, pagado: Decimal, fecha_pago: date,
                     causado_hasta: date | None, congelado_al: date | None = None) -> Decimal:
    """The surcharge a payment of `pagado` (out of an unpaid `saldo`) on `fecha_pago` adds.

    Without an earlier accrual it is the surcharge on the amount paid. When surcharges were already
    posted by accrual up to `causado_hasta` (before an exoneration or certification) on the whole
    unpaid balance, only what accrued since then on the paid part is new:
        recargo(A, P) + recargo(S − A, C) − recargo(S, C)
    which keeps the posted total equal to the surcharge of each amount at the date it was paid.
    `congelado_al`: see `congelado`."""
    fecha_pago = congelado(fecha_pago, causado_hasta, congelado_al)
    if fecha_pago is None:
        return Decimal("0.00")
    nuevo = reglas.recargo(pagado, vencimiento, fecha_pago)
    if causado_hasta is not None:
        nuevo += reglas.recargo(saldo - pagado, vencimiento, causado_hasta) - reglas.recargo(saldo, vencimiento, causado_hasta)
    return max(nuevo, Decimal("0.00"))


def recargo_devengado(reglas: Reglas, *, vencimiento: date, saldo: Decimal, fecha: date,
                      causado_hasta: date | None, congelado_al: date | None = None) -> Decimal:
    """Surcharge accrued to `fecha` on an unpaid `saldo` and not yet posted (statements, API)."""
    fecha = congelado(fecha, causado_hasta, congelado_al)
    if fecha is None:
        return Decimal("0.00")
    devengado = reglas.recargo(saldo, vencimiento, fecha)
    if causado_hasta is not None:
        devengado -= reglas.recargo(saldo, vencimiento, causado_hasta)
    return max(devengado, Decimal("0.00"))


# Imputation within a period (DOMAIN.md): worker contribution, employer contribution, surcharges,
# fines; the other receivables after them.
ORDEN_IMPUTACION = {
    "cotizacion_laboral": 0, "cotizacion_patronal": 1, "insaforp": 2, "recargo": 3, "multa": 4,
}


def orden_imputacion(concepto: str) -> int:
    return ORDEN_IMPUTACION.get(concepto, 5)
