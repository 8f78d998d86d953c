"""Every page needs a signed-in user with a role; the role decides what they reach."""
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from issscobros import roles

pytestmark = pytest.mark.django_db

SIN_LOGIN = {"healthz", "login", "verificar", "verificar_codigo"}  # CONTRACTS §7 "no login"
API = {"api_cuenta_estado", "api_solvencias"}  # token, not session: 401 without one


def _rutas(resolver=None, prefijo=""):
    resolver = resolver or get_resolver()
    for patron in resolver.url_patterns:
        if isinstance(patron, URLResolver):
            if str(patron.pattern) == "admin/":
                continue  # Django's admin has its own login (staff only), tested apart
            espacio = f"{prefijo}{patron.namespace}:" if patron.namespace else prefijo
            yield from _rutas(patron, espacio)
        elif isinstance(patron, URLPattern) and patron.name:
            yield prefijo + patron.name, patron


def _url(nombre, patron):
    kwargs = {k: "1" if k == "numero_patronal" else 1 for k in patron.pattern.converters}
    return reverse(nombre, kwargs=kwargs)


def test_toda_pagina_sin_sesion_redirige_al_login(client):
    revisadas = 0
    for nombre, patron in _rutas():
        if nombre in SIN_LOGIN:
            continue
        respuesta = client.get(_url(nombre, patron))
        if nombre in API:
            assert respuesta.status_code == 401 and respuesta["WWW-Authenticate"] == "Token", nombre
            continue
        assert respuesta.status_code == 302, nombre
        assert respuesta.url.startswith(reverse("login")), nombre
        revisadas += 1
    assert revisadas >= 10


def test_paginas_sin_login(client):
    assert client.get(reverse("login")).status_code == 200
    assert "Iniciar sesión" in client.get(reverse("login")).content.decode()


def test_usuario_sin_rol_recibe_403(client, crear_usuario):
    client.force_login(crear_usuario("sinrol"))
    respuesta = client.get(reverse("inicio"))
    assert respuesta.status_code == 403
    assert "no tiene un rol asignado" in respuesta.content.decode()


@pytest.mark.parametrize("rol", [r for r in roles.ROLES if r != roles.ADMINISTRADOR])
@pytest.mark.parametrize("pagina", ["usuario_nuevo", "sucursal_nueva"])
def test_solo_el_administrador_administra(cliente_de, rol, pagina):
    respuesta = cliente_de(rol).get(reverse(pagina))
    assert respuesta.status_code == 403
    assert "Acceso denegado" in respuesta.content.decode()


def test_gestor_no_ve_usuarios_ni_auditoria(cliente_de):
    cliente = cliente_de(roles.GESTOR)
    assert cliente.get(reverse("usuario_lista")).status_code == 403
    assert cliente.get(reverse("auditoria_lista")).status_code == 403
    inicio = cliente.get(reverse("inicio")).content.decode()
    assert "Usuarios" not in inicio and "Auditoría" not in inicio and "Deudores" in inicio


def test_menu_por_rol(cliente_de):
    contexto = cliente_de(roles.ADMINISTRADOR).get(reverse("inicio")).context
    assert [e["etiqueta"] for e in contexto["menu_entradas"]] == [
        "Solvencias", "Deudores", "Pagos", "Ajustes", "Parámetros", "Procesos", "Programación", "Auditoría", "Usuarios",
        "Sucursales"]
    assert [(g["etiqueta"], len(g["entradas"])) for g in contexto["menu_grupos"]] == [
        ("Cobro", 1), ("Cuentas", 3), ("Administración", 6)]
    menu = cliente_de(roles.TECNICO).get(reverse("inicio")).context["menu_entradas"]
    assert [e["etiqueta"] for e in menu] == ["Cartera", "Convenios", "Solvencias", "Deudores", "Planillas", "Pagos",
                                             "Ajustes", "Documentos", "Contabilidad", "Parámetros", "Procesos"]


def test_roles_creados_por_la_migracion_con_sus_permisos():
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLES)
    for rol, permisos in roles.PERMISOS.items():
        grupo = Group.objects.get(name=rol)
        tiene = {f"{p.content_type.app_label}.{p.codename}" for p in grupo.permissions.select_related("content_type")}
        assert tiene == permisos, rol


def _sesion(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(pk=client.session.session_key)


def test_la_sesion_se_renueva_a_lo_sumo_una_vez_por_minuto(cliente_de):
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from issscobros.sesion import CLAVE

    cliente = cliente_de(roles.TECNICO)
    assert cliente.get(reverse("inicio")).status_code == 200
    assert CLAVE in cliente.session
    with CaptureQueriesContext(connection) as consultas:
        assert cliente.get(reverse("inicio")).status_code == 200
    assert not [q for q in consultas if "UPDATE" in q["sql"] and "django_session" in q["sql"]]

    # A minute after the last renewal, the next page renews it: 30 more minutes from now.
    clave = cliente.session.session_key
    almacen = SessionStore(session_key=clave)
    almacen[CLAVE] -= 61
    almacen.save()
    Session.objects.filter(pk=clave).update(expire_date=timezone.now() + timedelta(minutes=5))
    assert cliente.get(reverse("inicio")).status_code == 200
    restante = _sesion(cliente).expire_date - timezone.now()
    assert timedelta(minutes=29) < restante <= timedelta(minutes=30)


def test_la_sesion_vence_tras_30_minutos_de_inactividad(settings, cliente_de):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    assert settings.SESSION_COOKIE_AGE == 1800 and not settings.SESSION_SAVE_EVERY_REQUEST
    cliente = cliente_de(roles.TECNICO)
    assert cliente.get(reverse("inicio")).status_code == 200
    restante = _sesion(cliente).expire_date - timezone.now()
    assert timedelta(minutes=29) < restante <= timedelta(minutes=30)
    Session.objects.filter(pk=cliente.session.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    respuesta = cliente.get(reverse("inicio"))
    assert respuesta.status_code == 302 and respuesta.url.startswith(reverse("login"))


def test_cabeceras_de_seguridad(cliente_de):
    respuesta = cliente_de(roles.TECNICO).get(reverse("inicio"))
    csp = respuesta.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert respuesta.headers["X-Frame-Options"] == "DENY"
    assert respuesta.headers["X-Content-Type-Options"] == "nosniff"


def test_bloqueo_tras_cinco_intentos_fallidos(client, crear_usuario):
    from tests.conftest import CLAVE

    crear_usuario("victima", roles.TECNICO)
    for _ in range(5):
        r = client.post(reverse("login"), {"username": "victima", "password": "mala"})
        assert r.status_code in (200, 429)
    bloqueado = client.post(reverse("login"), {"username": "victima", "password": CLAVE})
    assert bloqueado.status_code == 429
    assert "Usuario bloqueado" in bloqueado.content.decode()
    # Another user from the same address is not locked out (username lockout, docs/decisions.md).
    crear_usuario("otro", roles.TECNICO)
    assert client.post(reverse("login"), {"username": "otro", "password": CLAVE}).status_code == 302
