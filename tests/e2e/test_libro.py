"""The ledger journeys: the technician uploads a payroll file, sees the computed contributions,
records a late payment, sees the surcharge and the statement; a coordinator approves an exoneration
the technician proposed; the technician cannot approve their own proposal."""
from playwright.sync_api import expect

from cuentas.models import Cuenta, SolicitudAjuste

from .conftest import CAPTURAS, entrar


def capturar_pagina(pagina, nombre):
    CAPTURAS.mkdir(parents=True, exist_ok=True)
    pagina.screenshot(path=str(CAPTURAS / f"test_exoneracion_cuatro_ojos-{nombre}.png"), full_page=True)

NIT = "0614-050707-104-8"
PLANILLA = (
    "numero_patronal,nit,razon_social,periodo,tipo_planilla,fecha_presentacion,numero_afiliado,dui,nombre,salario,dias\n"
    f"900000001,{NIT},Textiles del Pacífico S.A. de C.V.,2025-03,SPU,2025-04-05,000000011,00016297-5,Ana López,408.80,30\n"
    f"900000001,{NIT},Textiles del Pacífico S.A. de C.V.,2025-03,SPU,2025-04-05,000000012,,Luis Pérez,800.00,30\n"
    f"900000001,{NIT},Textiles del Pacífico S.A. de C.V.,2025-03,SPU,2025-04-05,000000013,,Rosa Ayala,1500.00,30\n"
)


def _subir_planilla(page, url, tmp_path):
    archivo = tmp_path / "planilla-marzo.csv"
    archivo.write_text(PLANILLA, encoding="utf-8")
    page.goto(url("/planillas/importar/"))
    page.get_by_label("Archivo CSV").set_input_files(str(archivo))
    with page.expect_navigation():
        page.get_by_role("button", name="Importar").click()
    expect(page.locator(".alert-success")).to_contain_text("1 planillas, 3 líneas")


def test_tecnico_planilla_pago_tardio_recargo_y_estado(page, url, live_server, clave_demo, tmp_path, capturar):
    entrar(page, live_server, "tecnico", clave_demo)
    _subir_planilla(page, url, tmp_path)
    cuenta = Cuenta.objects.get(numero="900000001")

    page.goto(url(f"/cuentas/{cuenta.pk}/estado/?fecha=2025-04-14"))  # the due date: nothing late yet
    expect(page.locator("#saldo-total")).to_have_text("$231.92")
    page.goto(url(f"/cuentas/{cuenta.pk}/estado/?fecha=2025-04-30"))  # one month (fraction) late
    expect(page.locator("#total-recargos")).to_have_text("$2.32")
    page.get_by_role("link", name="planilla", exact=True).first.click()
    expect(page.locator("#planilla-patronal")).to_have_text("$165.66")
    expect(page.locator("#planilla-laboral")).to_have_text("$66.26")
    expect(page.locator("#planilla-total")).to_have_text("$231.92")
    expect(page.locator("#planilla-vencimiento")).to_have_text("14/04/2025")
    capturar("planilla")

    # A late payment at the cashier: paid 20 May 2025 → 2 months → $4.64 surcharge posted.
    page.goto(url(f"/cuentas/{cuenta.pk}/estado/"))
    page.get_by_role("link", name="Registrar pago").click()
    page.get_by_label("Canal").select_option("COLECTURIA")
    page.get_by_label("Referencia").fill("COL-2025-0001")
    page.get_by_label("Fecha de pago").fill("2025-05-20")
    page.get_by_label("Monto").fill("231.92")
    with page.expect_navigation():
        page.get_by_role("button", name="Registrar pago").click()
    expect(page.locator(".alert-success")).to_contain_text("Pago registrado y aplicado")

    page.goto(url(f"/cuentas/{cuenta.pk}/estado/?fecha=2025-05-31"))
    expect(page.locator("#saldo-total")).to_have_text("$4.64")
    expect(page.locator("#tabla-obligaciones")).to_contain_text("Recargo por mora")
    expect(page.locator("#tabla-pagos")).to_contain_text("COL-2025-0001")
    assert page.errores_consola == []


def test_exoneracion_cuatro_ojos(page, navegador, url, live_server, clave_demo, tmp_path, capturar):
    entrar(page, live_server, "tecnico", clave_demo)
    _subir_planilla(page, url, tmp_path)
    cuenta = Cuenta.objects.get(numero="900000001")

    page.goto(url(f"/cuentas/{cuenta.pk}/ajustes/nuevo/"))
    page.get_by_label("Tipo").select_option("exoneracion")
    page.get_by_label("Incluir los recargos devengados").check()
    page.get_by_role("textbox", name="Fecha de corte").fill("2025-06-30")
    page.get_by_label("Motivo").fill("Transacción aprobada por el Consejo Directivo")
    page.get_by_label("Número de acuerdo o resolución").fill("CD-2025-045")
    page.get_by_label("Fecha del acuerdo").fill("2025-06-30")
    with page.expect_navigation():
        page.get_by_role("button", name="Proponer").click()
    expect(page.locator("#estado-solicitud")).to_have_text("Propuesta")
    # The proposer sees no approve button: four eyes.
    expect(page.locator("#aviso-cuatro-ojos")).to_contain_text("debe aprobarla otro usuario")
    expect(page.get_by_role("button", name="Aprobar")).to_have_count(0)
    capturar("propuesta")
    solicitud = SolicitudAjuste.objects.get()

    contexto = navegador.new_context(viewport={"width": 1280, "height": 900}, locale="es-SV")
    coordinador = contexto.new_page()
    try:
        entrar(coordinador, live_server, "coordinador", clave_demo)
        coordinador.goto(url("/ajustes/"))
        coordinador.get_by_role("link", name=str(solicitud.pk), exact=True).click()
        coordinador.once("dialog", lambda dialogo: dialogo.accept())  # the confirmation
        with coordinador.expect_navigation():
            coordinador.get_by_role("button", name="Aprobar").click()
        expect(coordinador.locator("#estado-solicitud")).to_have_text("Aprobada")
        coordinador.goto(url(f"/cuentas/{cuenta.pk}/estado/?fecha=2025-06-30"))
        # Surcharges accrued to 30 June exonerated; contributions untouched.
        expect(coordinador.locator("#saldo-total")).to_have_text("$231.92")
        expect(coordinador.locator("#total-recargos")).to_have_text("$0.00")
        capturar_pagina(coordinador, "estado-exonerado")
    finally:
        contexto.close()
