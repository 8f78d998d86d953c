"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Every test here is marked `e2e`. Without /usr/bin/chromium the whole folder is skipped (so `make test`
passes on a machine without a browser; CI installs Chromium). Each test leaves a full-page screenshot
of its last page in var/e2e/<test-name>.png, passed or failed, for debugging and for humans to look at.
"""
import os
import re
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
CARPETA_E2E = Path(__file__).resolve().parent
CAPTURAS = Path(settings.BASE_DIR) / "var" / "e2e"
VENTANA = {"width": 1280, "height": 900}  # wide enough for the expanded (not collapsed) navbar
ESPERA_MS = 15_000


def pytest_collection_modifyitems(config, items):
    """Mark the tests of this folder `e2e`; skip them all when Chromium is not installed."""
    sin_chromium = not os.access(CHROMIUM, os.X_OK)
    omitir = pytest.mark.skip(
        reason=f"pruebas de navegador omitidas: no se encontró Chromium en {CHROMIUM} "
               "(instálelo con: apt-get install chromium)"
    )
    for item in items:
        if CARPETA_E2E not in Path(str(item.fspath)).resolve().parents:
            continue  # this hook sees the whole session's items: touch only ours
        item.add_marker(pytest.mark.e2e)
        if sin_chromium:
            item.add_marker(omitir)


@pytest.fixture(scope="session")
def navegador():
    """One headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _nombre_archivo(nombre: str) -> str:
    return re.sub(r"[^\w.\-\[\]]+", "_", nombre)


@pytest.fixture
def page(navegador, request):
    """A page in a fresh browser context (no cookies shared between tests). At the end its final
    state is saved as var/e2e/<test-name>.png."""
    contexto = navegador.new_context(viewport=VENTANA, locale="es-SV", timezone_id="America/El_Salvador")
    contexto.set_default_timeout(ESPERA_MS)
    pagina = contexto.new_page()
    # Errors the user would not see but that betray a broken page: a JS error, a CSP violation, an
    # asset (CSS, JS, image) that fails to load. The browser's own /favicon.ico probe is ignored
    # (the app's icon is favicon.svg); the main document's status is for each test to check.
    errores = []

    def _consola(mensaje):
        if mensaje.type == "error" and not mensaje.text.startswith("Failed to load resource"):
            errores.append(f"consola: {mensaje.text}")

    def _respuesta(respuesta):
        if (respuesta.status >= 400 and respuesta.request.resource_type != "document"
                and not respuesta.url.endswith("/favicon.ico")):
            errores.append(f"{respuesta.status} {respuesta.url}")

    pagina.on("console", _consola)
    pagina.on("pageerror", lambda e: errores.append(f"js: {e}"))
    pagina.on("response", _respuesta)
    # ERR_ABORTED: the page navigated away before the request finished (e.g. the icon of a page
    # that a form submission replaced); failed statuses are caught by _respuesta above.
    pagina.on("requestfailed", lambda r: r.failure == "net::ERR_ABORTED" or errores.append(f"falló {r.url}: {r.failure}"))
    pagina.errores_consola = errores
    yield pagina
    try:
        CAPTURAS.mkdir(parents=True, exist_ok=True)
        pagina.screenshot(path=str(CAPTURAS / f"{_nombre_archivo(request.node.name)}.png"), full_page=True)
    finally:
        contexto.close()


@pytest.fixture
def capturar(page, request):
    """capturar('paso') saves an extra screenshot var/e2e/<test-name>-paso.png of an intermediate step."""
    def capturar_(paso: str):
        CAPTURAS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(CAPTURAS / f"{_nombre_archivo(request.node.name)}-{paso}.png"), full_page=True)
    return capturar_


@pytest.fixture
def datos_demo(transactional_db):
    """The demo branches, the seven demo users and 40 employers (deterministic, seed 7).
    The live server runs in another thread, so the data must be committed: transactional_db."""
    from issscobros import demo

    sucursales = demo.sucursales_cargar()
    usuarios = demo.usuarios_demo_cargar(sucursales[0])
    deudores, cuentas = demo.deudores_cargar(n=40, semilla=7, sucursales=sucursales)
    assert deudores > 0 and cuentas > 0
    return {"sucursales": sucursales, "usuarios": {u.username: u for u in usuarios}}


@pytest.fixture
def url(live_server, datos_demo):
    """url('/ruta/') -> absolute address on the live server (with the demo data loaded)."""
    return lambda ruta: f"{live_server.url}{ruta}"


def entrar(page, live_server, username: str, password: str):
    """Sign in through the real login form (django-axes sees every attempt). Returns the response
    of the form submission (the page after any redirect)."""
    page.goto(f"{live_server.url}/accounts/login/")
    return enviar_login(page, username, password)


def enviar_login(page, username: str, password: str):
    """Fill and submit the login form already on screen; returns the final response."""
    page.get_by_label("Usuario", exact=True).fill(username)
    page.get_by_label("Contraseña", exact=True).fill(password)
    with page.expect_navigation() as navegacion:
        page.get_by_role("button", name="Ingresar").click()
    return navegacion.value


@pytest.fixture
def clave_demo():
    return settings.DEMO_PASSWORD


def entrada_de_menu(page, nombre: str):
    """The menu entry `nombre` (a plain link or an item of a group's drop-down), visible or not."""
    return page.locator("#menu [data-menu-entrada]").filter(has_text=re.compile(rf"^\s*{re.escape(nombre)}\s*$"))


def ir_por_menu(page, nombre: str) -> None:
    """Click the menu entry `nombre`, opening its group's drop-down first when it is in one."""
    enlace = entrada_de_menu(page, nombre)
    if not enlace.is_visible():
        enlace.locator("xpath=ancestor::li[contains(@class, 'dropdown')]/a[contains(@class, 'dropdown-toggle')]").click()
    enlace.click()
