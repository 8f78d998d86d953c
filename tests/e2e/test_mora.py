"""Collection journeys: the gestor logs an action with a promise, sees it in Mi cartera, and sees it
turn broken once its date has passed; the jefe reassigns ten cases in bulk; the jefe reads the
dashboard and drills down from the aging chart to the cases behind a bar."""
import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import Group
from playwright.sync_api import expect

from cuentas.services.planillas import LineaTrabajador, planilla_registrar
from issscobros import roles
from issscobros.models import Usuario
from mora import services
from mora.antiguedad import TRAMOS
from mora.generacion import cartera_generar
from mora.kpi import kpi_instantanea
from mora.models import AsignacionCaso, CasoCobro
from tests.factories import CuentaFactory, DeudorFactory

from .conftest import entrar


def _caso(sucursal, gestor, actor, nombre):
    deudor = DeudorFactory(sucursal=sucursal, razon_social=nombre)
    return services.caso_abrir(actor=actor, deudor=deudor, gestor=gestor)


def test_gestor_promesa_en_cartera_y_luego_incumplida(page, url, live_server, datos_demo, clave_demo, capturar,
                                                        monkeypatch):
    u = datos_demo["usuarios"]
    caso = _caso(datos_demo["sucursales"][0], u["gestor"], u["jefe"], "Textiles del Pacífico S.A. de C.V.")
    hoy = dt.date.today()
    entrar(page, live_server, "gestor", clave_demo)
    page.goto(url("/mora/"))
    expect(page.locator("#titulo-cartera")).to_have_text("Mi cartera")
    page.get_by_role("link", name="Textiles del Pacífico S.A. de C.V.").click()
    expect(page.locator("#titulo-caso")).to_contain_text("Textiles del Pacífico")

    formulario = page.locator("#form-gestion")
    formulario.get_by_label("Tipo de gestión").select_option("llamada")
    formulario.get_by_label("Resultado").select_option("promesa")
    formulario.get_by_label("Persona contactada").fill("Lic. Marta Campos, contadora")
    formulario.get_by_label("Fecha prometida de pago").fill(hoy.isoformat())
    formulario.get_by_label("Monto prometido").fill("350.00")
    formulario.get_by_label("Próxima acción").fill(hoy.isoformat())
    with page.expect_navigation():
        page.locator("#boton-gestion").click()
    expect(page.locator(".alert-success")).to_contain_text("Gestión registrada")
    expect(page.locator("#estado-caso")).to_have_text("Compromiso de pago")
    capturar("caso")

    page.goto(url("/mora/"))
    fila = page.locator(f'tr[data-caso="{caso.pk}"]')
    expect(fila).to_contain_text("$350.00")
    expect(fila).to_contain_text("Pendiente")
    expect(fila.locator(".badge", has_text="Hoy")).to_be_visible()  # today's follow-up, on top
    capturar("cartera-pendiente")

    # The promised date passes with no payment in the ledger: the promise shows as broken.
    manana = hoy + dt.timedelta(days=1)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: manana)
    page.reload()
    expect(fila.locator(".promesa-incumplida")).to_have_text("Incumplida")
    expect(fila).to_contain_text("1 promesa rota")
    page.get_by_label("Alerta").select_option("promesa_rota")
    with page.expect_navigation():
        page.get_by_role("button", name="Filtrar").click()
    expect(page.locator("#tabla-cartera tbody tr")).to_have_count(1)
    assert not page.errores_consola, page.errores_consola


def test_jefe_reasigna_diez_casos(page, url, live_server, datos_demo, clave_demo, capturar):
    u = datos_demo["usuarios"]
    central = datos_demo["sucursales"][0]
    nuevo = Usuario.objects.create_user("gestor2", password=clave_demo, first_name="Rosa", last_name="Méndez",
                                        sucursal=central)
    nuevo.groups.add(Group.objects.get(name=roles.GESTOR))
    casos = [_caso(central, u["gestor"], u["jefe"], f"Empresa {i:02d} S.A.") for i in range(12)]
    page.on("dialog", lambda dialogo: dialogo.accept())  # the data-confirmar question
    entrar(page, live_server, "jefe_sucursal", clave_demo)
    page.goto(url("/mora/?orden=deudor"))
    expect(page.locator("#titulo-cartera")).to_have_text("Casos de cobro")
    for caso in casos[:10]:
        page.locator(f'tr[data-caso="{caso.pk}"] input.sel-caso').check()
    page.get_by_label("Asignar a").select_option(label=f"Rosa Méndez ({central})")
    page.get_by_label("Motivo").fill("Redistribución de cartera por incapacidad")
    capturar("seleccion")
    with page.expect_navigation():
        page.locator("#boton-reasignar").click()
    expect(page.locator(".alert-success")).to_contain_text("10 casos reasignados a Rosa Méndez")
    assert CasoCobro.objects.filter(gestor=nuevo).count() == 10
    assert CasoCobro.objects.filter(gestor=u["gestor"]).count() == 2
    assert AsignacionCaso.objects.filter(gestor_nuevo=nuevo, actor=u["jefe_sucursal"],
                                         motivo="Redistribución de cartera por incapacidad").count() == 10
    assert not page.errores_consola, page.errores_consola


def test_jefe_tablero_y_detalle_desde_la_antiguedad(page, url, live_server, datos_demo, clave_demo, capturar):
    u = datos_demo["usuarios"]
    central = datos_demo["sucursales"][0]
    hoy = dt.date.today()
    periodo = (hoy.replace(day=1) - dt.timedelta(days=100)).replace(day=1)
    nombres = ["Café Las Ninfas S.A. de C.V.", "Transportes Cuscatlán S.A.", "Panadería El Trigal"]
    vencimientos = []
    for nombre in nombres:
        cuenta = CuentaFactory(deudor=DeudorFactory(sucursal=central, razon_social=nombre))
        p = planilla_registrar(actor=u["tecnico"], cuenta=cuenta, periodo=periodo, tipo="SPU",
                               fecha_presentacion=periodo + dt.timedelta(days=35),
                               lineas=[LineaTrabajador("000000001", "Ana López", Decimal("800.00"), 30)])
        vencimientos.append(p.vencimiento)
    cartera_generar(actor=u["jefe"])
    kpi_instantanea()
    dias = (hoy - vencimientos[0]).days
    etiqueta = next(n for _, n, a, b in TRAMOS if a <= dias and (b is None or dias <= b))

    entrar(page, live_server, "jefe", clave_demo)
    page.goto(url("/mora/"))
    page.locator("#nav-mora").get_by_role("link", name="Tablero", exact=True).click()
    expect(page.locator("#titulo-tablero")).to_be_visible()
    expect(page.locator("#kpi-mora")).to_have_text("$252.00")  # 3 × (60.00 employer + 24.00 worker), ledger
    capturar("tablero")
    with page.expect_navigation():
        page.locator(f'#grafico-antiguedad a[data-etiqueta="{etiqueta}"] rect').click()
    assert "tramo=" in page.url
    filas = page.locator("#tabla-cartera tbody tr")
    expect(filas).to_have_count(3)
    for nombre in nombres:
        expect(page.locator("#tabla-cartera")).to_contain_text(nombre)
    assert not page.errores_consola, page.errores_consola
