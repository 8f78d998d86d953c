from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from issscobros.money import formato_dinero, q, repartir


def test_q_redondea_mitad_hacia_arriba_y_rechaza_float():
    assert q("30.66") == Decimal("30.66")
    assert q(Decimal("408.80") * Decimal("0.075")) == Decimal("30.66")  # 30.66
    assert q(Decimal("0.125")) == Decimal("0.13")
    with pytest.raises(TypeError):
        q(0.1)


def test_formato_dinero():
    assert formato_dinero(Decimal("1234.5")) == "$1,234.50"
    assert formato_dinero(Decimal("-63")) == "-$63.00"


@given(st.decimals(min_value=0, max_value=10**9, places=2), st.integers(min_value=1, max_value=240))
def test_repartir_suma_exacto(total, partes):
    cuotas = repartir(total, partes)
    assert sum(cuotas) == total and len(cuotas) == partes
    assert max(cuotas) - min(cuotas) <= Decimal("0.01")


def test_url_de_id_es_la_de_url():
    from django.core.exceptions import ImproperlyConfigured
    from django.urls import reverse

    from issscobros.templatetags.formato import url_de_id

    for pk in (1, 42, 987654321):
        assert url_de_id("cuentas:planilla_detalle", pk) == reverse("cuentas:planilla_detalle", args=[pk])
    with pytest.raises(ImproperlyConfigured):
        url_de_id("cuentas:cuenta_estado", 1)  # ends in /estado/, not in the id
