from decimal import Decimal as D

import pytest

from issscobros.letras import monto_en_letras


@pytest.mark.parametrize("monto,letras", [
    ("1638.00", "UN MIL SEISCIENTOS TREINTA Y OCHO 00/100 DÓLARES"),
    ("0.01", "CERO 01/100 DÓLARES"),
    ("1", "UN 00/100 DÓLAR"),
    ("21", "VEINTIÚN 00/100 DÓLARES"),
    ("100", "CIEN 00/100 DÓLARES"),
    ("1000000.15", "UN MILLÓN 15/100 DÓLARES"),
    ("1575.00", "UN MIL QUINIENTOS SETENTA Y CINCO 00/100 DÓLARES"),
    ("231.92", "DOSCIENTOS TREINTA Y UN 92/100 DÓLARES"),
    ("101", "CIENTO UN 00/100 DÓLARES"),
    ("21000", "VEINTIÚN MIL 00/100 DÓLARES"),
    ("2500000.50", "DOS MILLONES QUINIENTOS MIL 50/100 DÓLARES"),
    ("16", "DIECISÉIS 00/100 DÓLARES"),
    ("999999999.99", "NOVECIENTOS NOVENTA Y NUEVE MILLONES NOVECIENTOS NOVENTA Y NUEVE MIL NOVECIENTOS NOVENTA Y NUEVE 99/100 DÓLARES"),
    ("31001", "TREINTA Y UN MIL UN 00/100 DÓLARES"),
])
def test_monto_en_letras(monto, letras):
    assert monto_en_letras(D(monto)) == letras


def test_negativo():
    with pytest.raises(ValueError):
        monto_en_letras(D("-1"))
