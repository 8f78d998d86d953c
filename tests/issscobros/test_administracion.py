import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from issscobros import roles
from issscobros.models import RegistroAuditoria, Sucursal, Usuario

pytestmark = pytest.mark.django_db


def test_administrador_crea_usuario_con_rol_y_sucursal(cliente_de, sucursal, usuarios):
    cliente = cliente_de(roles.ADMINISTRADOR)
    respuesta = cliente.post(reverse("usuario_nuevo"), {
        "username": "nueva", "first_name": "Nueva", "last_name": "Gestora", "email": "n@isss.demo",
        "cargo": "Gestor", "sucursal": sucursal.pk, "is_active": "on", "roles": [roles.GESTOR],
        "password": "Una-clave-larga-2026",
    })
    assert respuesta.status_code == 302
    nueva = Usuario.objects.get(username="nueva")
    assert list(nueva.groups.values_list("name", flat=True)) == [roles.GESTOR]
    assert nueva.check_password("Una-clave-larga-2026") and not nueva.is_staff
    registro = RegistroAuditoria.objects.get(accion="usuario.crear")
    assert registro.actor == usuarios[roles.ADMINISTRADOR] and registro.despues["roles"] == [roles.GESTOR]
    assert "password" not in registro.despues


def test_usuario_sin_rol_o_con_clave_debil_se_rechaza(cliente_de, sucursal):
    respuesta = cliente_de(roles.ADMINISTRADOR).post(reverse("usuario_nuevo"), {
        "username": "x", "sucursal": sucursal.pk, "password": "123", "roles": [],
    })
    assert respuesta.status_code == 400
    errores = respuesta.context["form"].errors
    assert errores["roles"] == ["Asigne al menos un rol."]
    assert errores["password"]
    assert not Usuario.objects.filter(username="x").exists()


def test_cambiar_roles_queda_en_auditoria(cliente_de, usuarios, sucursal):
    gestor = usuarios[roles.GESTOR]
    cliente_de(roles.ADMINISTRADOR).post(reverse("usuario_editar", args=[gestor.pk]), {
        "username": gestor.username, "sucursal": sucursal.pk, "is_active": "on",
        "roles": [roles.GESTOR, roles.JEFE_SUCURSAL],
    })
    registro = RegistroAuditoria.objects.get(accion="usuario.actualizar")
    assert registro.antes["roles"] == [roles.GESTOR]
    assert registro.despues["roles"] == [roles.GESTOR, roles.JEFE_SUCURSAL]


def test_desactivar_usuario_no_lo_borra(cliente_de, usuarios, sucursal):
    gestor = usuarios[roles.GESTOR]
    cliente_de(roles.ADMINISTRADOR).post(reverse("usuario_editar", args=[gestor.pk]), {
        "username": gestor.username, "sucursal": sucursal.pk, "roles": [roles.GESTOR],
    })
    gestor.refresh_from_db()
    assert not gestor.is_active


def test_administrador_gestiona_sucursales(cliente_de):
    cliente = cliente_de(roles.ADMINISTRADOR)
    r = cliente.post(reverse("sucursal_nueva"), {"codigo": "SM01", "nombre": "Sucursal San Miguel", "activa": "on"})
    assert r.status_code == 302
    suc = Sucursal.objects.get(codigo="SM01")
    r = cliente.post(reverse("sucursal_nueva"), {"codigo": "SM01", "nombre": "Otra"})
    assert r.status_code == 400 and "codigo" in r.context["form"].errors
    cliente.post(reverse("sucursal_editar", args=[suc.pk]), {"codigo": "SM01", "nombre": "Sucursal San Miguel"})
    suc.refresh_from_db()
    assert not suc.activa
    assert RegistroAuditoria.objects.filter(accion__startswith="sucursal.").count() == 2
    lista = cliente.get(reverse("sucursal_lista"), {"q": "miguel"})
    assert list(lista.context["pagina"].object_list) == [suc]


def test_auditor_filtra_la_bitacora(cliente_de, usuarios):
    from issscobros.auditoria import auditar

    auditar(actor=usuarios[roles.TECNICO], accion="deudor.crear", despues={"x": 1})
    auditar(actor=usuarios[roles.ADMINISTRADOR], accion="usuario.crear", despues={"y": 2})
    respuesta = cliente_de(roles.AUDITOR).get(reverse("auditoria_lista"), {"accion": "deudor"})
    assert [r.accion for r in respuesta.context["pagina"].object_list] == ["deudor.crear"]
    respuesta = cliente_de(roles.AUDITOR).get(reverse("auditoria_lista"), {"actor": usuarios[roles.ADMINISTRADOR].pk})
    assert [r.accion for r in respuesta.context["pagina"].object_list] == ["usuario.crear"]


@pytest.mark.parametrize("sql", [
    "UPDATE issscobros_registroauditoria SET accion = 'borrado'",
    "DELETE FROM issscobros_registroauditoria",
])
def test_la_bitacora_no_se_modifica_ni_se_borra_en_la_base(usuarios, sql):
    from issscobros.auditoria import auditar

    auditar(actor=usuarios[roles.TECNICO], accion="prueba", despues={})
    with pytest.raises(DatabaseError, match="solo inserción"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql)
    assert RegistroAuditoria.objects.get().accion == "prueba"
