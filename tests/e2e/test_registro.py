"""The technician's journeys in the debtor registry: finding an employer and registering a new one."""
import re

from playwright.sync_api import expect
from stdnum.sv import nit as stdnum_nit

from cuentas.busqueda import normalizar
from cuentas.models import Cuenta, Deudor

from .conftest import entrar, ir_por_menu


def _patrono_con_cuenta() -> Deudor:
    """A demo employer with a número patronal, whose name has at least two words of 4+ letters."""
    for deudor in Deudor.objects.filter(tipo=Deudor.Tipo.PATRONO).order_by("pk"):
        palabras = [p for p in normalizar(deudor.razon_social).split() if len(p) >= 4 and p.isalpha()]
        if len(palabras) >= 2 and deudor.cuentas.filter(tipo=Cuenta.Tipo.PATRONAL).exists():
            return deudor
    raise AssertionError("los datos demo no tienen un patrono adecuado")


def test_tecnico_encuentra_patrono_por_nit_con_guiones(page, live_server, datos_demo, clave_demo):
    deudor = _patrono_con_cuenta()
    numeros = list(deudor.cuentas.filter(tipo=Cuenta.Tipo.PATRONAL).values_list("numero", flat=True))
    entrar(page, live_server, "tecnico", clave_demo)

    caja = page.get_by_role("searchbox", name="Buscar deudor")
    caja.fill(deudor.nit_formateado)  # e.g. 0614-050707-104-8
    assert "-" in deudor.nit_formateado
    with page.expect_navigation():
        caja.press("Enter")

    # A single match: straight to the employer's page (hidden field ir=1).
    expect(page).to_have_url(f"{live_server.url}/deudores/{deudor.pk}/")
    assert page.errores_consola == []
    expect(page.get_by_role("heading", level=1)).to_have_text(deudor.razon_social)
    expect(page.locator("#deudor-nit")).to_have_text(deudor.nit_formateado)
    for numero in numeros:
        expect(page.locator("#tabla-cuentas")).to_contain_text(numero)
    expect(page.locator("#tabla-cuentas")).to_contain_text("Número patronal")


def test_tecnico_encuentra_patrono_por_parte_del_nombre(page, live_server, datos_demo, clave_demo, capturar):
    deudor = _patrono_con_cuenta()
    palabras = [p for p in normalizar(deudor.razon_social).split() if len(p) >= 4 and p.isalpha()]
    fragmento = f"{palabras[0][:4]} {palabras[1][:4]}"  # lower case, no accents, two word prefixes
    entrar(page, live_server, "tecnico", clave_demo)
    ir_por_menu(page, "Deudores")
    expect(page.get_by_role("heading", level=1)).to_have_text("Deudores")

    page.get_by_label("Buscar", exact=True).fill(fragmento)
    with page.expect_navigation():
        page.get_by_role("button", name="Buscar").click()

    expect(page).to_have_url(re.compile(r"/deudores/\?q=" + re.escape(fragmento.replace(" ", "+"))))
    tabla = page.locator("#tabla-deudores")
    expect(tabla.get_by_role("link", name=deudor.razon_social, exact=True)).to_be_visible()
    expect(tabla).to_contain_text(deudor.nit_formateado)
    # Every row listed really matches the fragment (no unrelated employers).
    esperados = {d.razon_social for d in Deudor.objects.all()
                 if all(any(w.startswith(p) for w in normalizar(f"{d.razon_social} {d.nombre_comercial}").split())
                        for p in fragmento.split())}
    expect(tabla.locator("tbody tr td:first-child a")).to_have_count(len(esperados))
    capturar("resultados")
    tabla.get_by_role("link", name=deudor.razon_social, exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/deudores/{deudor.pk}/")
    assert page.errores_consola == []


def _nit_libre() -> str:
    """A valid NIT (14 digits, right check digit) that no demo deudor has."""
    for correlativo in range(101, 999):
        base = f"0614150385{correlativo:03d}"
        nit = base + stdnum_nit.calc_check_digit(base)
        if not Deudor.objects.filter(nit=nit).exists():
            return nit
    raise AssertionError("no hay NIT libre")


def _formatear(nit: str) -> str:
    return f"{nit[:4]}-{nit[4:10]}-{nit[10:13]}-{nit[13]}"


def test_tecnico_registra_patrono_corrigiendo_un_nit_invalido(page, live_server, datos_demo, clave_demo, capturar):
    nit = _nit_libre()
    nit_malo = nit[:13] + str((int(nit[13]) + 1) % 10)  # same digits, wrong check digit
    razon = "Panadería El Buen Gusto S.A. de C.V."
    entrar(page, live_server, "tecnico", clave_demo)
    page.get_by_role("link", name="Registrar deudor").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrar deudor")

    page.get_by_label("NIT", exact=True).fill(_formatear(nit_malo))
    page.get_by_label("Nombre o razón social").fill(razon)
    page.get_by_label("Nombre comercial").fill("Panadería El Buen Gusto")
    page.get_by_label("Representante legal").fill("Rosa Elena Quintanilla")
    page.get_by_label("Sucursal").select_option(label="Sucursal Santa Ana")
    page.get_by_label("Municipio").fill("Santa Ana")
    with page.expect_navigation() as navegacion:
        page.get_by_role("button", name="Guardar").click()

    assert navegacion.value.status == 400
    campo_nit = page.get_by_label("NIT", exact=True)
    expect(campo_nit).to_have_class(re.compile(r"\bis-invalid\b"))
    # The Spanish message sits under the NIT field itself (crispy: #div_id_nit .invalid-feedback).
    expect(page.locator("#div_id_nit .invalid-feedback")).to_have_text(
        "El NIT no es válido: el dígito verificador no corresponde.")
    expect(page.get_by_label("Nombre o razón social")).to_have_value(razon)  # what was typed is kept
    assert not Deudor.objects.filter(razon_social=razon).exists()
    capturar("nit-invalido")

    campo_nit.fill(_formatear(nit))
    with page.expect_navigation() as navegacion:
        page.get_by_role("button", name="Guardar").click()

    assert navegacion.value.status == 200
    deudor = Deudor.objects.get(nit=nit)
    expect(page).to_have_url(f"{live_server.url}/deudores/{deudor.pk}/")
    assert page.errores_consola == []
    expect(page.get_by_role("alert")).to_contain_text("Deudor registrado.")
    expect(page.get_by_role("heading", level=1)).to_have_text(razon)
    expect(page.locator("#deudor-nit")).to_have_text(_formatear(nit))
    expect(page.locator("body")).to_contain_text("Sucursal Santa Ana")
    expect(page.locator("#tabla-cuentas")).to_contain_text("Sin cuentas registradas.")
    assert deudor.tipo == Deudor.Tipo.PATRONO and deudor.razon_social == razon
    assert page.errores_consola == []
