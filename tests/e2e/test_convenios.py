"""The agreement and settlement journeys in the browser: the gestor simulates from a case, formalizes,
prints and uploads the signed copy; the gestor prepares a settlement; the jefe reviews it and records
the Board's acuerdo; the coordinator approves the exoneration (four eyes) and the statement shows it."""
from django.core.management import call_command
from playwright.sync_api import expect

from convenios.models import Convenio, Transaccion
from cuentas.models import Cuenta
from issscobros.models import Usuario
from mora import services as mora

from .conftest import CAPTURAS, entrar

ENCABEZADO = "numero_patronal,nit,razon_social,periodo,tipo_planilla,fecha_presentacion,numero_afiliado,dui,nombre,salario,dias\n"


def _ejemplo_3(tmp_path, numero, nit, nombre):
    filas = [f"{numero},{nit},{nombre},{p},SPU,{f},{200 + i},,Trabajador {i},500.00,30\n"
             for p, f in (("2025-01", "2025-02-03"), ("2025-02", "2025-03-03"), ("2025-03", "2025-04-01")) for i in range(10)]
    ruta = tmp_path / f"{numero}.csv"
    ruta.write_text(ENCABEZADO + "".join(filas), encoding="utf-8")
    call_command("importar_planillas", str(ruta), usuario="tecnico")
    return Cuenta.objects.get(numero=numero)


def _confirmar_y_enviar(pagina, boton):
    pagina.once("dialog", lambda dialogo: dialogo.accept())
    with pagina.expect_navigation():
        boton.click()


def test_convenio_y_transaccion(page, navegador, url, live_server, clave_demo, tmp_path, capturar):
    cuenta = _ejemplo_3(tmp_path, "800000001", "0614-050707-104-8", "Textiles San Miguel S.A. de C.V.")
    otra = _ejemplo_3(tmp_path, "800000002", "06140101901015", "Panadería La Espiga S.A. de C.V.")
    gestor = Usuario.objects.get(username="gestor")
    jefe = Usuario.objects.get(username="jefe")
    caso = mora.caso_abrir(actor=jefe, deudor=cuenta.deudor, gestor=gestor)
    mora.caso_abrir(actor=jefe, deudor=otra.deudor, gestor=gestor)

    # The gestor simulates from the case: DOMAIN.md example 3, 20 % prima and 6 cuotas.
    entrar(page, live_server, "gestor", clave_demo)
    page.goto(url(f"/convenios/simular/?caso={caso.pk}"))
    page.get_by_label("Fecha de firma").fill("2025-06-30")
    page.get_by_label("Número de cuotas mensuales").fill("6")
    page.get_by_label("Vencimiento de la primera cuota").fill("2025-07-31")
    with page.expect_navigation():
        page.get_by_role("button", name="Simular").click()
    expect(page.locator("#total-convenio")).to_have_text("$1,638.00")
    expect(page.locator("#calendario")).to_contain_text("$327.60")
    expect(page.locator("#calendario tbody tr")).to_have_count(7)
    capturar("simulacion")
    _confirmar_y_enviar(page, page.get_by_role("button", name="Formalizar convenio"))
    expect(page.locator("#estado-convenio")).to_have_text("Borrador")
    convenio = Convenio.objects.get()
    expect(page.locator("#tabla-cuotas")).to_contain_text(convenio.cuotas.get(numero=3).npe)
    with page.expect_response(lambda r: r.url.endswith(f"/convenios/{convenio.pk}/impreso/")) as impreso:
        page.get_by_role("button", name="Imprimir convenio (PDF)").click()
    assert impreso.value.status == 200 and impreso.value.header_value("content-type") == "application/pdf"
    page.goto(url(f"/convenios/{convenio.pk}/"))
    firmado = tmp_path / "convenio-firmado.pdf"
    firmado.write_bytes(b"%PDF-1.4\n% firmado\n")
    page.get_by_label("Copia firmada (PDF o imagen)").set_input_files(str(firmado))
    page.get_by_label("Fecha de legalización").fill("2025-06-30")
    _confirmar_y_enviar(page, page.get_by_role("button", name="Legalizar"))
    expect(page.locator("#estado-convenio")).to_have_text("Legalizado")
    expect(page.locator("#historial")).to_contain_text("Copia firmada recibida")
    capturar("legalizado")

    # The gestor prepares a settlement for the other employer.
    page.goto(url(f"/convenios/transacciones/nueva/?cuenta={otra.pk}"))
    page.get_by_label("Recargos causados hasta").fill("2025-06-30")
    page.get_by_label("Justificación").fill("Pagará de contado las cotizaciones si se exoneran los recargos.")
    with page.expect_navigation():
        page.get_by_role("button", name="Preparar solicitud").click()
    expect(page.locator("#estado-transaccion")).to_have_text("Preparada")
    t = Transaccion.objects.get()
    assert str(t.monto_recargos) == "63.00"
    assert page.errores_consola == []

    # The jefe reviews it and records the Board's acuerdo.
    contexto = navegador.new_context(viewport={"width": 1280, "height": 900}, locale="es-SV")
    pagina_jefe = contexto.new_page()
    try:
        entrar(pagina_jefe, live_server, "jefe", clave_demo)
        pagina_jefe.goto(url(f"/convenios/transacciones/{t.pk}/"))
        pagina_jefe.locator("#id_decision").select_option("aprobar")
        _confirmar_y_enviar(pagina_jefe, pagina_jefe.get_by_role("button", name="Registrar revisión"))
        expect(pagina_jefe.locator("#estado-transaccion")).to_have_text("Revisada por la jefatura")
        acuerdo = tmp_path / "acuerdo.pdf"
        acuerdo.write_bytes(b"%PDF-1.4\n% acuerdo\n")
        pagina_jefe.get_by_label("Número de acuerdo").fill("CD-2025-123")
        pagina_jefe.get_by_label("Sesión").fill("Ordinaria 25/2025")
        pagina_jefe.get_by_label("Fecha del acuerdo").fill("2025-06-30")
        pagina_jefe.get_by_label("Acuerdo firmado").set_input_files(str(acuerdo))
        pagina_jefe.get_by_label("Porcentaje de recargos exonerado").fill("100")
        _confirmar_y_enviar(pagina_jefe, pagina_jefe.get_by_role("button", name="Registrar acuerdo"))
        expect(pagina_jefe.locator("#estado-transaccion")).to_have_text("Acuerdo registrado")
        pagina_jefe.screenshot(path=str(CAPTURAS / "test_convenio_y_transaccion-acuerdo.png"), full_page=True)
    finally:
        contexto.close()
    solicitud = Transaccion.objects.get().solicitudes.get()

    # The coordinator approves the exoneration: the contributions stay owed, the surcharges go.
    contexto = navegador.new_context(viewport={"width": 1280, "height": 900}, locale="es-SV")
    coordinador = contexto.new_page()
    try:
        entrar(coordinador, live_server, "coordinador", clave_demo)
        coordinador.goto(url("/ajustes/"))
        coordinador.get_by_role("link", name=str(solicitud.pk), exact=True).click()
        _confirmar_y_enviar(coordinador, coordinador.get_by_role("button", name="Aprobar"))
        expect(coordinador.locator("#estado-solicitud")).to_have_text("Aprobada")
        coordinador.goto(url(f"/cuentas/{otra.pk}/estado/?fecha=2025-06-30"))
        expect(coordinador.locator("#saldo-total")).to_have_text("$1,575.00")
        coordinador.goto(url(f"/convenios/transacciones/{t.pk}/"))
        expect(coordinador.locator(f"#solicitud-{solicitud.pk}")).to_have_text("Aprobada")
        coordinador.screenshot(path=str(CAPTURAS / "test_convenio_y_transaccion-coordinador.png"), full_page=True)
    finally:
        contexto.close()
