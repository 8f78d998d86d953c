"""Solvencias in the browser: the technician issues a solvency at the window and opens its verification
page from the URL printed on it; the public page works signed out; 30 rapid wrong codes from one IP are
throttled (429, Spanish page)."""
import re

import pytest
from playwright.sync_api import expect

from cuentas.models import Cuenta, Deudor
from solvencias import limites
from solvencias.models import Solvencia, Verificacion

from .conftest import CAPTURAS, entrar


@pytest.fixture(autouse=True)
def limites_limpios():
    limites.reiniciar("127.0.0.1")
    yield
    limites.reiniciar("127.0.0.1")


def test_tecnico_emite_y_verifica_sin_sesion_y_codigos_malos_se_limitan(page, navegador, url, live_server, clave_demo, capturar):
    deudor = (Deudor.objects.filter(tipo=Deudor.Tipo.PATRONO, cuentas__tipo=Cuenta.Tipo.PATRONAL)
              .order_by("pk").first())
    entrar(page, live_server, "tecnico", clave_demo)
    page.get_by_role("link", name="Solvencias", exact=True).click()
    page.get_by_label("NIT, DUI o número patronal").fill(deudor.nit_formateado)
    page.get_by_role("button", name="Verificar").click()
    expect(page.locator("#resultado-solvencia")).to_contain_text("Solvente")
    capturar("ventanilla")
    with page.expect_navigation():
        page.get_by_role("button", name="Emitir solvencia", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("emitida")
    solvencia = Solvencia.objects.get()
    expect(page.locator("#codigo-verificacion")).to_have_text(solvencia.codigo_agrupado)
    expect(page.locator("#estado-solvencia")).to_have_text("Vigente")
    enlace = page.locator("#url-verificacion")
    direccion = enlace.get_attribute("href")
    assert direccion == url(f"/verificar/{solvencia.codigo}/")
    capturar("detalle")
    enlace.click()  # the technician opens it too, as the employer will from the QR
    expect(page.locator("#resultado-verificacion")).to_contain_text("vigente")

    # The public page, signed out, in a fresh browser context (no session cookie).
    publico = navegador.new_context(locale="es-SV")
    try:
        anonimo = publico.new_page()
        respuesta = anonimo.goto(direccion)
        assert respuesta.status == 200 and "/accounts/login/" not in anonimo.url
        expect(anonimo.locator("#resultado-verificacion")).to_contain_text("vigente")
        expect(anonimo.locator("#verificacion-nombre")).to_have_text(deudor.razon_social)
        expect(anonimo.locator("#verificacion-nit")).to_have_text(re.compile(r"^\d{4}-\*{6}-\*\*\d-\d$"))
        assert "$" not in anonimo.content()
        anonimo.screenshot(path=str(CAPTURAS / "test_solvencias-publica.png"), full_page=True)

        # 30 rapid wrong codes from one IP: the limit answers 429 with a Spanish page.
        estados = []
        for i in range(30):
            estados.append(anonimo.goto(url(f"/verificar/CODIGOFALSO{i:02d}/")).status)
        assert estados[:limites.FALLOS_MAXIMOS] == [200] * limites.FALLOS_MAXIMOS
        assert set(estados[limites.FALLOS_MAXIMOS:]) == {429}
        expect(anonimo.get_by_role("heading")).to_have_text("Demasiados intentos")
        expect(anonimo.locator("#verificacion-limitada")).to_contain_text("demasiados códigos no válidos")
        anonimo.screenshot(path=str(CAPTURAS / "test_solvencias-limitada.png"), full_page=True)
    finally:
        publico.close()
    assert Verificacion.objects.filter(resultado="limitada").count() == 1
    assert Verificacion.objects.filter(resultado="no_encontrada").count() == limites.FALLOS_MAXIMOS

    # Back at the window, the technician sees the check in the certificate's page.
    page.goto(url(f"/solvencias/{solvencia.pk}/"))
    expect(page.locator("body")).to_contain_text("Vigente")
    assert page.errores_consola == []
