import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from stdnum.sv import nit as stdnum_nit

from cuentas.identificadores import dui_validar
from cuentas.models import Cuenta, Deudor
from issscobros import demo, roles
from issscobros.models import Usuario

pytestmark = pytest.mark.django_db


def test_seed_demo_crea_usuarios_por_rol_y_datos_validos(capsys):
    call_command("seed_demo", deudores=60, semilla=3)
    salida = capsys.readouterr().out
    for username, rol, *_ in demo.USUARIOS_DEMO:
        usuario = Usuario.objects.get(username=username)
        assert usuario.check_password(settings.DEMO_PASSWORD)
        assert list(usuario.groups.values_list("name", flat=True)) == [rol]
        assert username in salida
    assert {u for u, *_ in demo.USUARIOS_DEMO} == {"tecnico", "coordinador", "gestor", "jefe_sucursal", "jefe", "auditor", "admin"}
    assert {r for _, r, *_ in demo.USUARIOS_DEMO} == set(roles.ROLES)
    assert Deudor.objects.filter(tipo=Deudor.Tipo.PATRONO).count() == 60
    for nit in Deudor.objects.exclude(nit=None).values_list("nit", flat=True):
        assert stdnum_nit.is_valid(nit)
    for dui in Deudor.objects.exclude(dui=None).values_list("dui", flat=True):
        dui_validar(dui)
    assert Cuenta.objects.filter(tipo=Cuenta.Tipo.PATRONAL).count() >= 60
    # a second run keeps the data and says so
    call_command("seed_demo", deudores=60, semilla=3)
    assert "no se cargaron datos nuevos" in capsys.readouterr().out
    assert Deudor.objects.filter(tipo=Deudor.Tipo.PATRONO).count() == 60


def _foto():
    return list(Deudor.objects.order_by("id").values_list("nit", "dui", "razon_social", "cuentas__numero"))


def test_misma_semilla_mismos_datos(django_db_blocker):
    sucursales = demo.sucursales_cargar()
    demo.deudores_cargar(n=30, semilla=9, sucursales=sucursales)
    primera = _foto()
    Cuenta.objects.all().delete()
    Deudor.objects.all().delete()
    demo.deudores_cargar(n=30, semilla=9, sucursales=sucursales)
    segunda = _foto()
    assert [f[:3] for f in primera] == [f[:3] for f in segunda]
    demo.deudores_cargar(n=30, semilla=10, sucursales=sucursales)
    assert Deudor.objects.count() == 2 * len({f[:3] for f in primera})  # distinct NITs across seeds


def test_seed_demo_prohibido_en_produccion(settings):
    settings.DEMO_PERMITIDO = False
    with pytest.raises(CommandError, match="producción"):
        call_command("seed_demo")
