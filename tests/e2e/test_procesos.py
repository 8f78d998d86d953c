"""The Procesos screen follows a running batch of statements: the progress bar and the count advance
on their own (htmx polling), without reloading the page, until the run ends and its ZIP is offered;
a coordinator loads control figures and resolves the difference the reconciliation finds."""
from playwright.sync_api import expect

from cuentas.models import Cuenta
from issscobros.celery import app
from issscobros.models import Usuario
from issscobros.procesos.servicios import proceso_iniciar, trozo_ejecutar

from .conftest import entrar


def test_procesos_muestra_el_avance_de_un_lote_en_curso(page, url, live_server, clave_demo, capturar):
    numeros = list(Cuenta.objects.filter(tipo="patronal").order_by("numero").values_list("numero", flat=True)[:30])
    assert len(numeros) == 30
    app.control.purge()
    proceso = proceso_iniciar(actor=Usuario.objects.get(username="tecnico"), tipo="estados_cuenta",
                              parametros={"seleccion": "numeros", "numeros": numeros, "fecha": "2025-06-30"})
    entrar(page, live_server, "tecnico", clave_demo)
    page.goto(url("/procesos/"))  # the menu's grouping is not what this test is about
    fila = page.locator(f'tr[data-proceso="{proceso.pk}"]')
    expect(fila.locator(".avance")).to_have_text("0 de 30 (0 %)")
    expect(fila).to_contain_text("Pendiente")
    page.evaluate("window.sinRecargar = true")  # gone if the page reloads
    # The chunks run here, one at a time, as a worker runs them (the worker itself is tested in
    # tests/issscobros/test_procesos_worker.py): each step must reach the screen by itself.
    trozo_ejecutar(proceso_id=proceso.pk, intento=1, indice=0)
    expect(fila.locator(".avance")).to_have_text("20 de 30 (66 %)")
    expect(fila).to_contain_text("En curso")
    assert fila.locator("progress").get_attribute("value") == "20"
    capturar("a-medio-camino")
    trozo_ejecutar(proceso_id=proceso.pk, intento=1, indice=1)
    expect(fila).to_contain_text("Terminado")
    app.control.purge()  # the chunk messages proceso_iniciar queued: already done here
    expect(fila.locator(".avance")).to_have_text("30 de 30 (100 %)")
    assert page.evaluate("window.sinRecargar") is True
    fila.get_by_role("link", name=str(proceso.pk)).click()
    expect(page.get_by_role("link", name="Descargar ZIP")).to_be_visible()
    assert page.errores_consola == []


def test_coordinador_carga_cifras_concilia_y_resuelve(page, url, live_server, clave_demo, tmp_path, capturar):
    from cuentas.conciliacion import conciliacion_ejecutar

    archivo = tmp_path / "contabilidad-2025-05.csv"
    archivo.write_text("cuenta_contable,mes,debe,haber\n1110101,2025-05,125.50,0.00\n", encoding="utf-8")
    entrar(page, live_server, "coordinador", clave_demo)
    page.goto(url("/procesos/"))
    page.get_by_role("link", name="Diferencias de conciliación").click()
    page.get_by_role("link", name="Cifras de control").click()
    expect(page.locator("#formato-cifras")).to_contain_text("cuenta_contable,mes,debe,haber")
    page.get_by_label("Fuente").select_option("contabilidad")
    page.get_by_label("Archivo CSV").set_input_files(str(archivo))
    with page.expect_navigation():
        page.get_by_role("button", name="Cargar").click()
    expect(page.locator(".alert-success")).to_contain_text("1 cifra(s) de Contabilidad Institucional cargadas")
    conciliacion_ejecutar()  # the nightly run (its screen is the Procesos one above)
    page.goto(url("/procesos/conciliacion/"))
    fila = page.locator("#tabla-diferencias tbody tr").first
    expect(fila).to_contain_text("cuenta contable 1110101 2025-05")
    expect(fila).to_contain_text("debe 125.50, haber 0.00 (Contabilidad Institucional)")
    expect(fila).to_contain_text("debe 0.00, haber 0.00 (auxiliar)")
    fila.get_by_role("link").first.click()
    page.get_by_label("Asignar a").select_option(str(Usuario.objects.get(username="tecnico").pk))
    page.get_by_role("button", name="Asignar").click()
    page.get_by_label("Nota de resolución").fill("El banco acreditó en mayo un depósito de junio; Contabilidad reclasifica.")
    page.once("dialog", lambda dialogo: dialogo.accept())
    page.get_by_role("button", name="Resolver").click()
    expect(page.locator("#estado-diferencia")).to_have_text("Resuelta")
    capturar("resuelta")
    assert page.errores_consola == []
