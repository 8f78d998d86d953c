"""Signing in, each role's home page and menu, lockout after five wrong passwords, the Spanish 403,
and pages that need a signed-in user."""
import re

import pytest
from playwright.sync_api import expect

from cuentas.models import Cuenta, Deudor
from issscobros import roles

from .conftest import entrada_de_menu, entrar, enviar_login, ir_por_menu

# What each demo user must see in the menu, in order (and nothing else): groups of one entry show as a
# link, larger groups as drop-downs (issscobros.menu).
COBRO = ["Cartera", "Convenios", "Solvencias"]
CONSULTA = ["Deudores", "Pagos", "Ajustes"]
MENU_ESPERADO = {
    "tecnico": (roles.TECNICO, [*COBRO, "Deudores", "Planillas", "Pagos", "Ajustes", "Documentos", "Contabilidad",
                                "Parámetros", "Procesos"]),
    "coordinador": (roles.COORDINADOR, [*COBRO, "Deudores", "Planillas", "Pagos", "Ajustes", "Documentos", "Contabilidad",
                                        "Parámetros", "Procesos", "Auditoría"]),
    "gestor": (roles.GESTOR, [*COBRO, *CONSULTA, "Parámetros"]),
    "jefe_sucursal": (roles.JEFE_SUCURSAL, [*COBRO, *CONSULTA, "Documentos", "Parámetros"]),
    "jefe": (roles.JEFE_DEPARTAMENTO, [*COBRO, *CONSULTA, "Documentos", "Contabilidad", "Parámetros", "Procesos",
                                       "Auditoría"]),
    "auditor": (roles.AUDITOR, [*COBRO, *CONSULTA, "Documentos", "Contabilidad", "Parámetros", "Procesos", "Auditoría",
                                "Usuarios", "Sucursales"]),
    "admin": (roles.ADMINISTRADOR, ["Solvencias", *CONSULTA, "Parámetros", "Procesos", "Programación", "Auditoría",
                                    "Usuarios", "Sucursales"]),
}


@pytest.mark.parametrize("username", list(MENU_ESPERADO))
def test_cada_usuario_demo_ve_el_inicio_de_su_rol(page, live_server, datos_demo, clave_demo, username):
    rol, menu = MENU_ESPERADO[username]
    respuesta = entrar(page, live_server, username, clave_demo)

    assert respuesta.status == 200
    assert page.url == f"{live_server.url}/"
    expect(page.locator("#titulo-inicio")).to_contain_text(roles.NOMBRES[rol])
    expect(page.locator("#usuario-actual")).to_contain_text(roles.NOMBRES[rol])
    expect(page.locator("#menu [data-menu-entrada]")).to_have_text(menu)
    for entrada in {"Cartera", "Deudores", "Planillas", "Auditoría", "Usuarios", "Sucursales"} - set(menu):
        expect(entrada_de_menu(page, entrada)).to_have_count(0)
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()
    # The page is styled (Bootstrap and app.css loaded): the navbar has a background colour.
    fondo = page.locator("nav.navbar").evaluate("n => getComputedStyle(n).backgroundColor")
    assert fondo not in ("", "transparent", "rgba(0, 0, 0, 0)")
    assert page.errores_consola == []


def test_gestor_no_ve_enlace_usuarios_y_el_administrador_si(page, live_server, datos_demo, clave_demo):
    entrar(page, live_server, "gestor", clave_demo)
    expect(entrada_de_menu(page, "Usuarios")).to_have_count(0)
    page.get_by_role("button", name="Cerrar sesión").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))

    entrar(page, live_server, "admin", clave_demo)
    with page.expect_navigation() as navegacion:
        ir_por_menu(page, "Usuarios")
    assert navegacion.value.status == 200
    expect(page).to_have_url(f"{live_server.url}/administracion/usuarios/")
    expect(page.locator("body")).to_contain_text("gestor")


def test_cinco_claves_erroneas_bloquean_al_usuario(page, live_server, datos_demo, clave_demo):
    entrar(page, live_server, "tecnico", "clave-equivocada")
    for intento in range(2, 6):
        if intento < 5:
            expect(page.get_by_role("alert")).to_contain_text("Usuario o contraseña incorrectos")
            enviar_login(page, "tecnico", f"clave-equivocada-{intento}")
        else:
            # The 5th failure may already answer with the lockout page: go back to the form.
            page.goto(f"{live_server.url}/accounts/login/")
            enviar_login(page, "tecnico", f"clave-equivocada-{intento}")

    page.goto(f"{live_server.url}/accounts/login/")
    respuesta = enviar_login(page, "tecnico", clave_demo)  # the right password, too late

    assert respuesta.status == 429  # django-axes' lockout status (AXES_HTTP_RESPONSE_CODE default)
    expect(page.get_by_role("heading", name="Usuario bloqueado")).to_be_visible()
    expect(page.locator("body")).to_contain_text("demasiados intentos fallidos")
    expect(page.locator("#titulo-inicio")).to_have_count(0)
    # Still not signed in: the home page sends back to the login form.
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.goto(f"{live_server.url}/accounts/login/")
    enviar_login(page, "tecnico", clave_demo)
    expect(page.get_by_role("heading", name="Usuario bloqueado")).to_be_visible()
    assert page.errores_consola == []


def test_bloqueo_es_por_usuario_no_afecta_a_otros(page, live_server, datos_demo, clave_demo):
    for intento in range(5):
        entrar(page, live_server, "gestor", f"mala-{intento}")
    entrar(page, live_server, "coordinador", clave_demo)  # same browser, same IP: not locked
    expect(page.locator("#titulo-inicio")).to_contain_text(roles.NOMBRES[roles.COORDINADOR])
    page.get_by_role("button", name="Cerrar sesión").click()
    respuesta = entrar(page, live_server, "gestor", clave_demo)  # but the gestor is
    assert respuesta.status == 429
    expect(page.get_by_role("heading", name="Usuario bloqueado")).to_be_visible()


def test_gestor_en_pagina_de_administrador_recibe_403_en_espanol(page, live_server, datos_demo, clave_demo, capturar):
    entrar(page, live_server, "gestor", clave_demo)
    respuesta = page.goto(f"{live_server.url}/administracion/usuarios/")

    assert respuesta.status == 403
    expect(page.get_by_role("heading", level=1)).to_contain_text("Acceso denegado")
    expect(page.locator("body")).to_contain_text("No tiene permiso para ver esta página con su rol.")
    expect(page).to_have_title(re.compile("Acceso denegado"))
    capturar("403")
    page.get_by_role("link", name="Ir al inicio").click()
    expect(page.locator("#titulo-inicio")).to_contain_text(roles.NOMBRES[roles.GESTOR])
    assert page.errores_consola == []


def _rutas_protegidas():
    """(id, function deudor, cuenta -> path) for pages of the cuentas app."""
    return [
        ("deudores", lambda d, c: "/deudores/"),
        ("deudor_nuevo", lambda d, c: "/deudores/nuevo/"),
        ("deudor_detalle", lambda d, c: f"/deudores/{d.pk}/"),
        ("deudor_editar", lambda d, c: f"/deudores/{d.pk}/editar/"),
        ("cuenta_nueva", lambda d, c: f"/deudores/{d.pk}/cuentas/nueva/"),
        ("cuenta_editar", lambda d, c: f"/cuentas/{c.pk}/editar/"),
    ]


@pytest.mark.parametrize("ruta", [r for _, r in _rutas_protegidas()], ids=[i for i, _ in _rutas_protegidas()])
def test_sin_sesion_las_paginas_de_cuentas_llevan_al_login(page, live_server, datos_demo, ruta):
    cuenta = Cuenta.objects.select_related("deudor").filter(tipo=Cuenta.Tipo.PATRONAL).first()
    destino = ruta(cuenta.deudor, cuenta)

    respuesta = page.goto(f"{live_server.url}{destino}")

    assert respuesta.status == 200
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=" + re.escape(destino) + "$"))
    expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
    expect(page.get_by_label("Usuario", exact=True)).to_be_visible()
    expect(page.get_by_label("Contraseña", exact=True)).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(cuenta.deudor.razon_social)
    assert page.errores_consola == []


def test_al_cerrar_sesion_vuelve_a_pedir_login_y_luego_regresa_a_la_pagina(page, live_server, datos_demo, clave_demo):
    entrar(page, live_server, "tecnico", clave_demo)
    page.get_by_role("button", name="Cerrar sesión").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))

    page.goto(f"{live_server.url}/deudores/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/deudores/$"))
    enviar_login(page, "tecnico", clave_demo)  # after signing in, back where the user was going

    expect(page).to_have_url(f"{live_server.url}/deudores/")
    primero = Deudor.objects.order_by("razon_social", "id").first()
    expect(page.locator("#tabla-deudores")).to_contain_text(primero.razon_social)
