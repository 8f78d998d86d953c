"""The payment certification journey in the browser: the technician prepares it and sends it for
signature; a coordinator signs it (confirming the dialog) and prints it; the PDF is in the register."""
from playwright.sync_api import expect

from cuentas.models import CertificacionPago
from issscobros import roles
from issscobros.models import Documento
from tests.conftest import CLAVE
from tests.cuentas.test_contabilidad import libro

from .conftest import entrar, ir_por_menu


def test_certificacion_de_pago_elaborada_firmada_e_impresa(page, live_server, transactional_db, crear_usuario, sucursal,
                                                           capturar):
    tecnico = crear_usuario("tecnico_cp", roles.TECNICO, first_name="María José", last_name="Hernández")
    crear_usuario("coordinador_cp", roles.COORDINADOR, first_name="Carlos", last_name="Rivas")
    libro(tecnico, sucursal)
    page.on("dialog", lambda dialogo: dialogo.accept())  # the data-confirmar questions

    entrar(page, live_server, "tecnico_cp", CLAVE)
    ir_por_menu(page, "Contabilidad")
    page.get_by_role("link", name="Elaborar", exact=True).click()
    page.get_by_label("Número patronal").fill("100000003")
    page.get_by_label("Desde el periodo").fill("2025-01")
    page.get_by_label("Hasta el periodo").fill("2025-02")
    page.get_by_label("Recargos por mora").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Elaborar certificación").click()
    expect(page.locator("#total-certificado")).to_have_text("$1,065.75")
    with page.expect_navigation():
        page.get_by_role("button", name="Enviar a firma").click()
    expect(page.locator("#estado-certificacion")).to_have_text("Enviada a firma")
    expect(page.locator("#aviso-cuatro-ojos")).to_be_visible()
    expect(page.get_by_role("button", name="Firmar")).to_have_count(0)
    page.get_by_role("button", name="Cerrar sesión").click()

    entrar(page, live_server, "coordinador_cp", CLAVE)
    certificacion = CertificacionPago.objects.get()
    page.goto(f"{live_server.url}/contabilidad/certificaciones-pago/{certificacion.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Firmar").click()
    expect(page.locator("#estado-certificacion")).to_have_text("Firmada")
    capturar("firmada")
    with page.expect_navigation():
        page.get_by_role("button", name="Imprimir (PDF)").click()
    documento = Documento.objects.get(tipo=Documento.Tipo.CERTIFICACION_PAGO)
    assert page.url.endswith(f"/documentos/{documento.pk}/")
    expect(page.get_by_text(documento.folio).first).to_be_visible()
    assert page.errores_consola == []
