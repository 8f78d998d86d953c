"""Amounts in words, as certifications and cheques write them in El Salvador:
1,638.00 -> "UN MIL SEISCIENTOS TREINTA Y OCHO 00/100 DÓLARES".

The number word before a noun is apocopated (UNO -> UN, VEINTIUNO -> VEINTIÚN), and a thousand is
"UN MIL", the legal style of the examples in DOMAIN.md."""
from decimal import Decimal

from .money import q

_UNIDADES = ["", "UNO", "DOS", "TRES", "CUATRO", "CINCO", "SEIS", "SIETE", "OCHO", "NUEVE", "DIEZ", "ONCE", "DOCE",
             "TRECE", "CATORCE", "QUINCE", "DIECISÉIS", "DIECISIETE", "DIECIOCHO", "DIECINUEVE", "VEINTE",
             "VEINTIUNO", "VEINTIDÓS", "VEINTITRÉS", "VEINTICUATRO", "VEINTICINCO", "VEINTISÉIS", "VEINTISIETE",
             "VEINTIOCHO", "VEINTINUEVE"]
_DECENAS = ["", "", "", "TREINTA", "CUARENTA", "CINCUENTA", "SESENTA", "SETENTA", "OCHENTA", "NOVENTA"]
_CENTENAS = ["", "CIENTO", "DOSCIENTOS", "TRESCIENTOS", "CUATROCIENTOS", "QUINIENTOS", "SEISCIENTOS",
             "SETECIENTOS", "OCHOCIENTOS", "NOVECIENTOS"]


def _hasta_999(n: int) -> str:
    if n == 100:
        return "CIEN"
    centena, resto = divmod(n, 100)
    partes = [_CENTENAS[centena]] if centena else []
    if resto < 30:
        partes.append(_UNIDADES[resto])
    else:
        decena, unidad = divmod(resto, 10)
        partes.append(_DECENAS[decena] + (f" Y {_UNIDADES[unidad]}" if unidad else ""))
    return " ".join(p for p in partes if p)


def _apocopar(texto: str) -> str:
    """UNO -> UN and VEINTIUNO -> VEINTIÚN when a noun (MIL, MILLONES, DÓLARES) follows."""
    if texto.endswith("VEINTIUNO"):
        return texto[:-len("VEINTIUNO")] + "VEINTIÚN"
    if texto.endswith("UNO"):
        return texto[:-3] + "UN"
    return texto


def entero_en_letras(n: int) -> str:
    if n == 0:
        return "CERO"
    partes = []
    millones, resto = divmod(n, 1_000_000)
    miles, unidades = divmod(resto, 1000)
    if millones:
        partes.append("UN MILLÓN" if millones == 1 else f"{_apocopar(entero_en_letras(millones))} MILLONES")
    if miles:
        partes.append(f"{_apocopar(_hasta_999(miles))} MIL")
    if unidades:
        partes.append(_hasta_999(unidades))
    return " ".join(partes)


def monto_en_letras(monto) -> str:
    monto = q(Decimal(monto))
    if monto < 0:
        raise ValueError("El monto en letras no admite negativos.")
    entero = int(monto)
    centavos = int((monto - entero) * 100)
    moneda = "DÓLAR" if entero == 1 else "DÓLARES"
    return f"{_apocopar(entero_en_letras(entero))} {centavos:02d}/100 {moneda}"
