"""The debtor registry as a technician uses it: create, validate, search, deactivate."""
import pytest
from django.urls import reverse

from cuentas.models import Cuenta, Deudor
from issscobros import roles
from issscobros.models import RegistroAuditoria
from tests.factories import CuentaFactory, DeudorFactory, nit_valido

pytestmark = pytest.mark.django_db


def datos_deudor(sucursal, **cambios):
    datos = {
        "tipo": "patrono", "nit": "0614-050707-104-8", "dui": "", "razon_social": "Textiles San Miguel S.A. de C.V.",
        "nombre_comercial": "Textiles San Miguel", "representante_legal": "Rosa Peña", "direccion": "Calle Arce 12",
        "municipio": "San Salvador", "telefono": "2222-3333", "correo": "info@textiles.demo",
        "sucursal": sucursal.pk,
    }
    datos.update(cambios)
    return datos


def test_tecnico_registra_deudor_y_queda_auditado(cliente_de, sucursal, usuarios):
    respuesta = cliente_de(roles.TECNICO).post(reverse("cuentas:deudor_nuevo"), datos_deudor(sucursal))
    deudor = Deudor.objects.get()
    assert respuesta.status_code == 302 and respuesta.url == reverse("cuentas:deudor_detalle", args=[deudor.pk])
    assert deudor.nit == "06140507071048"
    registro = RegistroAuditoria.objects.get(accion="deudor.crear")
    assert registro.actor == usuarios[roles.TECNICO]
    assert registro.despues["razon_social"] == "Textiles San Miguel S.A. de C.V."
    assert registro.objeto_id == str(deudor.pk)


@pytest.mark.parametrize("campo,valor,mensaje", [
    ("nit", "0614-050707-104-0", "El NIT no es válido: el dígito verificador no corresponde."),
    ("nit", "12345", "El NIT debe tener 14 dígitos"),
    ("razon_social", "   ", "obligatorio"),
])
def test_formulario_rechaza_y_no_guarda_nada(cliente_de, sucursal, campo, valor, mensaje):
    respuesta = cliente_de(roles.TECNICO).post(reverse("cuentas:deudor_nuevo"), datos_deudor(sucursal, **{campo: valor}))
    assert respuesta.status_code == 400
    assert mensaje in " ".join(respuesta.context["form"].errors[campo])
    assert not Deudor.objects.exists()
    assert not RegistroAuditoria.objects.exists()


def test_dui_invalido_en_el_campo_dui(cliente_de, sucursal):
    respuesta = cliente_de(roles.TECNICO).post(
        reverse("cuentas:deudor_nuevo"), datos_deudor(sucursal, tipo="empleado", nit="", dui="00016297-4"))
    assert "dígito verificador" in respuesta.context["form"].errors["dui"][0]
    assert not Deudor.objects.exists()


def test_sin_nit_ni_dui(cliente_de, sucursal):
    respuesta = cliente_de(roles.TECNICO).post(reverse("cuentas:deudor_nuevo"), datos_deudor(sucursal, nit="", dui=""))
    assert respuesta.context["form"].errors["nit"] == ["Indique el NIT o el DUI."]
    assert not Deudor.objects.exists()


def test_nit_repetido(cliente_de, sucursal):
    DeudorFactory(nit="06140507071048", sucursal=sucursal)
    respuesta = cliente_de(roles.TECNICO).post(reverse("cuentas:deudor_nuevo"), datos_deudor(sucursal))
    assert respuesta.status_code == 400
    assert "NIT" in respuesta.context["form"].errors["nit"][0]
    assert Deudor.objects.count() == 1


def test_numero_patronal_repetido_se_rechaza_en_el_campo(cliente_de, sucursal):
    CuentaFactory(numero="100000001", deudor=DeudorFactory(sucursal=sucursal))
    otro = DeudorFactory(sucursal=sucursal)
    respuesta = cliente_de(roles.TECNICO).post(
        reverse("cuentas:cuenta_nueva", args=[otro.pk]),
        {"tipo": "patronal", "numero": "100000001", "fecha_apertura": "2024-01-15", "estado": "activa"},
    )
    assert respuesta.status_code == 400
    assert respuesta.context["form"].errors["numero"] == ["Ese número ya pertenece a otra cuenta."]
    assert not otro.cuentas.exists()


def test_un_nit_con_varios_numeros_patronales(cliente_de, sucursal):
    deudor = DeudorFactory(sucursal=sucursal)
    cliente = cliente_de(roles.TECNICO)
    for numero in ["100000001", "100000002"]:
        r = cliente.post(reverse("cuentas:cuenta_nueva", args=[deudor.pk]),
                         {"tipo": "patronal", "numero": numero, "fecha_apertura": "15/01/2024", "estado": "activa"})
        assert r.status_code == 302
    assert list(deudor.cuentas.values_list("numero", flat=True)) == ["100000001", "100000002"]
    pagina = cliente.get(reverse("cuentas:deudor_detalle", args=[deudor.pk])).content.decode()
    assert "100000001" in pagina and "100000002" in pagina and "15/01/2024" in pagina


def test_numero_patronal_no_cambia_de_deudor_al_editar(cliente_de, sucursal):
    cuenta = CuentaFactory(numero="100000009", deudor=DeudorFactory(sucursal=sucursal))
    cliente_de(roles.TECNICO).post(
        reverse("cuentas:cuenta_editar", args=[cuenta.pk]),
        {"tipo": "patronal", "numero": "999999999", "fecha_apertura": "2020-01-01", "estado": "inactiva",
         "descripcion": "Cierre de planta"},
    )
    cuenta.refresh_from_db()
    assert cuenta.numero == "100000009" and cuenta.estado == "inactiva"


@pytest.fixture
def registro(sucursal):
    a = DeudorFactory(razon_social="Panadería Peña Hernández S.A. de C.V.", nombre_comercial="Pan Peña",
                      nit="06140507071048", sucursal=sucursal)
    b = DeudorFactory(razon_social="Textiles San Miguel S.A. de C.V.", sucursal=sucursal)
    c = DeudorFactory(tipo=Deudor.Tipo.EMPLEADO, nit=None, dui="000162975", razon_social="José Pérez", sucursal=sucursal)
    CuentaFactory(deudor=b, numero="123456789")
    return a, b, c


@pytest.mark.parametrize("texto,esperado", [
    ("0614-050707-104-8", 0), ("06140507", 0), ("pena hern", 0), ("PAN", 0), ("Peña", 0),
    ("tex san", 1), ("123456", 1), ("123456789", 1), ("00016297-5", 2), ("perez", 2),
])
def test_busqueda_por_nit_numero_dui_o_parte_del_nombre(cliente_de, registro, texto, esperado):
    respuesta = cliente_de(roles.TECNICO).get(reverse("cuentas:deudor_lista"), {"q": texto})
    encontrados = list(respuesta.context["pagina"].object_list)
    assert encontrados == [registro[esperado]]


def test_busqueda_sin_resultado_lo_dice(cliente_de, registro):
    respuesta = cliente_de(roles.TECNICO).get(reverse("cuentas:deudor_lista"), {"q": "inexistente"})
    assert "No se encontraron deudores" in respuesta.content.decode()


def test_busqueda_con_un_resultado_y_ir_abre_el_deudor(cliente_de, registro):
    respuesta = cliente_de(roles.TECNICO).get(reverse("cuentas:deudor_lista"), {"q": "tex san", "ir": "1"})
    assert respuesta.url == reverse("cuentas:deudor_detalle", args=[registro[1].pk])


def test_lista_paginada_con_pocas_consultas(cliente_de, sucursal, django_assert_max_num_queries):
    for _ in range(30):
        CuentaFactory(deudor=DeudorFactory(sucursal=sucursal))
    cliente = cliente_de(roles.TECNICO)
    # session + user + permissions (4), session renewal (3), menu roles, count, page: not per row
    with django_assert_max_num_queries(11):
        respuesta = cliente.get(reverse("cuentas:deudor_lista"))
    assert len(respuesta.context["pagina"].object_list) == 25
    assert "Página 1 de 2" in respuesta.content.decode()
    segunda = cliente.get(reverse("cuentas:deudor_lista"), {"page": 2})
    assert len(segunda.context["pagina"].object_list) == 5


def test_detalle_con_pocas_consultas(cliente_de, sucursal, django_assert_max_num_queries):
    deudor = DeudorFactory(sucursal=sucursal)
    for _ in range(5):
        CuentaFactory(deudor=deudor)
    cliente = cliente_de(roles.TECNICO)
    with django_assert_max_num_queries(10):
        assert cliente.get(reverse("cuentas:deudor_detalle", args=[deudor.pk])).status_code == 200


def test_desactivar_pide_confirmacion_y_no_borra(cliente_de, sucursal):
    deudor = DeudorFactory(sucursal=sucursal)
    cliente = cliente_de(roles.TECNICO)
    confirmar = cliente.get(reverse("cuentas:deudor_estado", args=[deudor.pk]))
    assert "¿Desactivar" in confirmar.content.decode()
    deudor.refresh_from_db()
    assert deudor.activo  # a GET changes nothing
    cliente.post(reverse("cuentas:deudor_estado", args=[deudor.pk]))
    deudor.refresh_from_db()
    assert not deudor.activo
    registro = RegistroAuditoria.objects.get(accion="deudor.actualizar")
    assert registro.antes["activo"] is True and registro.despues["activo"] is False


def test_editar_registra_antes_y_despues(cliente_de, sucursal):
    deudor = DeudorFactory(sucursal=sucursal, razon_social="Nombre Viejo S.A.")
    datos = datos_deudor(sucursal, nit=deudor.nit, razon_social="Nombre Nuevo S.A.")
    cliente_de(roles.TECNICO).post(reverse("cuentas:deudor_editar", args=[deudor.pk]), datos)
    deudor.refresh_from_db()
    assert deudor.razon_social == "Nombre Nuevo S.A."
    registro = RegistroAuditoria.objects.get(accion="deudor.actualizar")
    assert (registro.antes["razon_social"], registro.despues["razon_social"]) == ("Nombre Viejo S.A.", "Nombre Nuevo S.A.")
    # the search follows the new name
    assert Deudor.objects.filter(busqueda="nuevo").exists()


@pytest.mark.parametrize("rol", [roles.GESTOR, roles.AUDITOR, roles.JEFE_SUCURSAL, roles.JEFE_DEPARTAMENTO])
def test_roles_de_consulta_no_crean_deudores(cliente_de, sucursal, rol):
    cliente = cliente_de(rol)
    assert cliente.get(reverse("cuentas:deudor_lista")).status_code == 200
    assert cliente.get(reverse("cuentas:deudor_nuevo")).status_code == 403
    assert cliente.post(reverse("cuentas:deudor_nuevo"), datos_deudor(sucursal)).status_code == 403
    assert not Deudor.objects.exists()


def test_deudor_inexistente_da_404_en_espanol(cliente_de):
    respuesta = cliente_de(roles.TECNICO).get(reverse("cuentas:deudor_detalle", args=[999999]))
    assert respuesta.status_code == 404
    assert "No encontrado" in respuesta.content.decode()


def test_base_de_datos_exige_nit_o_dui(sucursal):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Deudor.objects.create(razon_social="Sin identificación", sucursal=sucursal)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cuenta.objects.create(deudor=DeudorFactory(sucursal=sucursal), numero="", fecha_apertura="2020-01-01")
    assert nit_valido() != nit_valido()
