"""Money: every amount is a Decimal in US dollars with two places; one rounding mode, named once."""
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ROUNDING = ROUND_HALF_UP  # DOMAIN.md: contributions are rounded half up per line and share


def q(value) -> Decimal:
    """Round to cents. Floats are refused: they carry binary error into money."""
    if isinstance(value, float):
        raise TypeError("Los montos no pueden ser float; use Decimal o str.")
    return Decimal(value).quantize(CENT, rounding=ROUNDING)


def formato_dinero(value) -> str:
    """$1,234.56 (negative: -$1,234.56)."""
    if value is None or value == "":
        return ""
    amount = q(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def repartir(total: Decimal, partes: int) -> list[Decimal]:
    """Split `total` into `partes` amounts that differ by at most one cent and sum exactly to it:
    the remainder cents go to the first parts."""
    if partes < 1:
        raise ValueError("partes debe ser al menos 1")
    total = q(total)
    centavos = int(total / CENT)
    base, resto = divmod(centavos, partes)
    return [(Decimal(base + (1 if i < resto else 0)) * CENT) for i in range(partes)]
