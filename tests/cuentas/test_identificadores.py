import pytest
from django.core.exceptions import ValidationError
from stdnum.sv import nit as stdnum_nit

from cuentas import identificadores as ids


def test_dui_del_ejemplo_de_domain_es_valido():
    assert ids.dui_validar("00016297-5") == "000162975"
    assert ids.dui_formatear("000162975") == "00016297-5"


@pytest.mark.parametrize("malo", ["00016297-4", "0001629-7", "ABCDEFGH-5", "", "000162975 1"])
def test_dui_invalido_dice_por_que(malo):
    with pytest.raises(ValidationError) as exc:
        ids.dui_validar(malo)
    assert "DUI" in exc.value.messages[0]


def test_dui_digito_verificador_formula_de_domain():
    # check = (10 − Σ dᵢ·(9−i) mod 10) mod 10: 0·9+0·8+0·7+1·6+6·5+2·4+9·3+7·2 = 85 → (10−5) mod 10 = 5
    assert ids.dui_digito_verificador("00016297") == "5"


def test_nit_valido_y_formateado():
    assert ids.nit_validar("0614-050707-104-8") == "06140507071048"
    assert ids.nit_formatear("06140507071048") == "0614-050707-104-8"


@pytest.mark.parametrize("malo,motivo", [
    ("0614-050707-104-0", "dígito verificador"),
    ("0614-0507", "14 dígitos"),
    ("0614-05X707-104-8", "formato"),
])
def test_nit_invalido_dice_por_que(malo, motivo):
    with pytest.raises(ValidationError) as exc:
        ids.nit_validar(malo)
    assert motivo in exc.value.messages[0]


def test_nit_generado_por_la_demo_valida_con_stdnum():
    import random

    from issscobros.demo import nit_generar

    usados = set()
    for _ in range(200):
        assert stdnum_nit.is_valid(nit_generar(random.Random(len(usados)), "0614", usados))


def test_numero_patronal():
    assert ids.numero_patronal_validar("100-000-001") == "100000001"
    with pytest.raises(ValidationError):
        ids.numero_patronal_validar("12A")
