"""DOMAIN.md rules, computed by cuentas.reglas against the parameters and holidays the migrations
load (real PostgreSQL)."""
from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cuentas.models import Parametro
from cuentas.reglas import Reglas, meses_de_mora, periodo_de, sumar_meses

pytestmark = pytest.mark.django_db


@pytest.fixture
def reglas():
    return Reglas.cargar()


def test_ejemplo_1_cotizaciones_por_linea(reglas):
    lineas = [reglas.cotizacion(D(s), date(2025, 3, 1)) for s in ("408.80", "800.00", "1500.00")]
    assert [l[1] for l in lineas] == [D("30.66"), D("60.00"), D("75.00")]
    assert [l[2] for l in lineas] == [D("12.26"), D("24.00"), D("30.00")]
    assert sum(l[1] for l in lineas) == D("165.66") and sum(l[2] for l in lineas) == D("66.26")
    assert lineas[2][0] == D("1000.00")  # the ceiling


def test_tope_segun_el_periodo_declarado(reglas):
    assert reglas.cotizacion(D("1500.00"), date(2015, 7, 1))[0] == D("685.71")
    assert reglas.cotizacion(D("1500.00"), date(2015, 8, 1))[0] == D("1000.00")


def test_regimen_especial(reglas):
    _, patronal, laboral = reglas.cotizacion(D("500.00"), date(2025, 3, 1), regimen_especial=True)
    assert (patronal, laboral) == (D("33.40"), D("13.35"))


@pytest.mark.parametrize("periodo,vence", [
    (date(2025, 1, 1), date(2025, 2, 14)), (date(2025, 2, 1), date(2025, 3, 14)),
    (date(2025, 3, 1), date(2025, 4, 14)),
])
def test_vencimiento_decimo_dia_habil(reglas, periodo, vence):
    assert reglas.vencimiento(periodo) == vence


def test_semana_santa_corre_el_vencimiento(reglas):
    # April 2022: Holy Thursday 14 and Good Friday 15 are holidays → the 10th business day is Monday 18
    assert reglas.vencimiento(date(2022, 3, 1)) == date(2022, 4, 18)


def test_vencimiento_alternativo_ultimo_dia_habil(reglas):
    Parametro.objects.create(clave="dia_habil_vencimiento", valor=0, vigente_desde=date(2025, 1, 1), fuente="prueba")
    reglas = Reglas.cargar()
    assert reglas.vencimiento(date(2025, 4, 1)) == date(2025, 5, 30)  # 31 May 2025 is a Saturday
    assert reglas.vencimiento(date(2024, 12, 1)) == date(2025, 1, 15)  # old rule; 1 Jan is a holiday


def test_cambiar_una_tasa_a_futuro_no_cambia_periodos_anteriores(reglas):
    Parametro.objects.create(clave="tasa_patronal", valor=D("8.00"), vigente_desde=date(2026, 1, 1), fuente="prueba")
    reglas = Reglas.cargar()
    assert reglas.cotizacion(D("1000"), date(2025, 12, 1))[1] == D("75.00")
    assert reglas.cotizacion(D("1000"), date(2026, 1, 1))[1] == D("80.00")


def test_ejemplo_2_meses_y_recargo(reglas):
    vence = date(2025, 4, 14)
    assert meses_de_mora(vence, date(2025, 4, 14)) == 0
    assert meses_de_mora(vence, date(2025, 4, 15)) == 1
    assert meses_de_mora(vence, date(2025, 5, 14)) == 1
    assert meses_de_mora(vence, date(2025, 5, 20)) == 2
    assert reglas.recargo(D("66.26"), vence, date(2025, 5, 20)) + reglas.recargo(D("165.66"), vence, date(2025, 5, 20)) == D("4.64")
    assert reglas.recargo(D("66.26"), vence, date(2025, 4, 15)) + reglas.recargo(D("165.66"), vence, date(2025, 4, 15)) == D("2.32")


def test_ejemplo_3_meses_al_30_de_junio():
    corte = date(2025, 6, 30)
    assert [meses_de_mora(v, corte) for v in (date(2025, 2, 14), date(2025, 3, 14), date(2025, 4, 14))] == [5, 4, 3]


def test_fin_de_mes():
    assert sumar_meses(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert sumar_meses(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert meses_de_mora(date(2025, 1, 31), date(2025, 2, 28)) == 1
    assert meses_de_mora(date(2025, 1, 31), date(2025, 3, 1)) == 2


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)), st.integers(min_value=0, max_value=400))
def test_meses_de_mora_es_el_minimo_k(vence, dias):
    from datetime import timedelta

    pago = vence + timedelta(days=dias)
    k = meses_de_mora(vence, pago)
    if dias == 0:
        assert k == 0
    else:
        assert k >= 1 and pago <= sumar_meses(vence, k) and (k == 1 or pago > sumar_meses(vence, k - 1))


def test_periodo_de():
    assert periodo_de("2025-03") == date(2025, 3, 1)
    for malo in ("2025-3", "25-03", "2025-13", "marzo"):
        with pytest.raises(ValueError):
            periodo_de(malo)
