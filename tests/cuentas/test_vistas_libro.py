"""The ledger screens as a technician and a coordinator use them (Django test client, real DB)."""
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cuentas.models import Concepto, Cuenta, Obligacion, Parametro, Planilla, Recibo, SolicitudAjuste
from issscobros import roles
from tests.cuentas.test_ejemplos_domain import ENCABEZADO_P, NIT

pytestmark = pytest.mark.django_db

PLANILLA = ENCABEZADO_P + (
    f"100000001,{NIT},Textiles San Miguel S.A. de C.V.,2025-03,SPU,2025-04-05,000000011,00016297-5,Ana López,408.80,30\n"
    f"100000001,{NIT},Textiles San Miguel S.A. de C.V.,2025-03,SPU,2025-04-05,000000012,,Luis Pérez,800.00,30\n"
    f"100000001,{NIT},Textiles San Miguel S.A. de C.V.,2025-03,SPU,2025-04-05,000000013,,Rosa Ayala,1500.00,30\n")


def subir(cliente, nombre_url, texto, nombre="archivo.csv"):
    return cliente.post(reverse(nombre_url), {"archivo": SimpleUploadedFile(nombre, texto.encode("utf-8"), "text/csv")})


@pytest.fixture
def cuenta(cliente_de):
    assert subir(cliente_de(roles.TECNICO), "cuentas:planillas_importar", PLANILLA).status_code == 302
    return Cuenta.objects.get(numero="100000001")


def test_subir_planilla_y_ver_cotizaciones(cliente_de, cuenta):
    cliente = cliente_de(roles.TECNICO)
    planilla = Planilla.objects.get()
    pagina = cliente.get(reverse("cuentas:planilla_detalle", args=[planilla.pk])).content.decode()
    for cifra in ("$165.66", "$66.26", "$231.92", "14/04/2025", "$30.66", "$12.26", "00016297-5"):
        assert cifra in pagina
    # uploading the same file again saves nothing and says so
    respuesta = subir(cliente, "cuentas:planillas_importar", PLANILLA)
    assert "ya fue importado" in str(list(respuesta.wsgi_request._messages))
    assert Planilla.objects.count() == 1


def test_subir_archivo_con_errores_los_lista_todos_y_no_guarda(cliente_de):
    malo = ENCABEZADO_P + (
        f"100000001,{NIT},Textiles,2025-13,SPU,2025-04-05,11,,Ana,-5,30\n"
        f"100000001,{NIT},Textiles,2025-03,XX,2025-04-05,12,,Luis,abc,40\n")
    respuesta = subir(cliente_de(roles.TECNICO), "cuentas:planillas_importar", malo)
    assert respuesta.status_code == 400
    errores = respuesta.context["errores"]
    assert [e.split(":")[0] for e in errores] == [
        "línea 2, columna periodo", "línea 2, columna salario", "línea 3, columna tipo_planilla",
        "línea 3, columna salario", "línea 3, columna dias"]
    assert "No se guardó nada" in respuesta.content.decode()
    assert not Planilla.objects.exists() and not Cuenta.objects.exists()


def test_estado_de_cuenta_con_pago_tardio_y_recargo(cliente_de, cuenta, django_assert_max_num_queries):
    cliente = cliente_de(roles.TECNICO)
    r = cliente.post(reverse("cuentas:recibo_nuevo"), {
        "canal": "COLECTURIA", "referencia": "C-1", "fecha_pago": "2025-05-20", "monto": "231.92",
        "numero_patronal": "100000001"})
    assert r.status_code == 302 and r.url == reverse("cuentas:cuenta_estado", args=[cuenta.pk])
    with django_assert_max_num_queries(15):
        pagina = cliente.get(r.url, {"fecha": "2025-05-31"})
    html = pagina.content.decode()
    assert pagina.context["estado"].saldo_total == D("4.64")
    assert "Recargo por mora" in html and "$4.64" in html and "C-1" in html
    # as of the day before the payment: unpaid, surcharge accrued (1 month) and not yet posted
    antes = cliente.get(r.url, {"fecha": "2025-05-14"}).context["estado"]
    assert antes.total_saldo == D("231.92") and antes.recargos_a_la_fecha == D("2.32")


def test_estado_de_cuenta_pagina_sus_tablas_y_totaliza_todo(cliente_de, cuenta):
    """A long history: each table shows one page (obligations and payments paged on their own), the
    totals cover every obligation."""
    from cuentas.services.pagos import recibo_registrar
    from cuentas.services.planillas import LineaTrabajador, planilla_registrar

    tecnico = Planilla.objects.get().creado_por
    for mes in range(1, 22):  # 21 more planillas: 66 contributions with the fixture's
        periodo = date(2023 + (mes - 1) // 12, (mes - 1) % 12 + 1, 1)
        planilla_registrar(actor=tecnico, cuenta=cuenta, periodo=periodo, tipo="SPU", fecha_presentacion=periodo.replace(day=5),
                           lineas=[LineaTrabajador("000000011", "Ana López", D("408.80"), 30)])
    for n in range(27):
        recibo_registrar(actor=tecnico, canal="COLECTURIA", referencia=f"P-{n:02d}", fecha_pago=date(2025, 6, 1),
                         monto=D("1.00"), numero_patronal="100000001")
    url = reverse("cuentas:cuenta_estado", args=[cuenta.pk])
    cliente = cliente_de(roles.TECNICO)
    primera = cliente.get(url, {"fecha": "2025-06-30"})
    estado, lineas, pagos = (primera.context[k] for k in ("estado", "lineas", "pagos"))
    n = len(estado.lineas)  # 66 contributions and the surcharges the late payments posted
    assert 60 < n <= 120 and len(lineas.object_list) == 60 and lineas.paginator.num_pages == 2
    assert len(pagos.object_list) == 25 and pagos.paginator.count == 27
    html = primera.content.decode()
    assert f"Totales de las {n} obligaciones" in html
    # the payments' second page keeps the obligations' page, and the totals do not change
    segunda = cliente.get(url, {"fecha": "2025-06-30", "page": "2", "pagos": "2"})
    assert len(segunda.context["lineas"].object_list) == n - 60 and len(segunda.context["pagos"].object_list) == 2
    assert segunda.context["estado"].saldo_total == estado.saldo_total
    assert "page=2&amp;pagos=1" in segunda.content.decode() or "pagos=1&amp;page=2" in segunda.content.decode()


def test_pago_sin_numero_queda_por_identificar_y_luego_se_aplica(cliente_de, cuenta):
    cliente = cliente_de(roles.TECNICO)
    r = cliente.post(reverse("cuentas:recibo_nuevo"), {
        "canal": "AGRICOLA", "referencia": "X-9", "fecha_pago": "2025-04-10", "monto": "231.92"})
    assert r.url == reverse("cuentas:recibos_por_identificar")
    recibo = Recibo.objects.get(referencia="X-9")
    assert recibo in cliente.get(r.url).context["pagina"].object_list
    r = cliente.post(reverse("cuentas:recibo_identificar", args=[recibo.pk]), {"numero_patronal": "100000001"})
    assert r.status_code == 302
    estado = cliente.get(reverse("cuentas:cuenta_estado", args=[cuenta.pk]), {"fecha": "2025-06-01"}).context["estado"]
    assert estado.saldo_total == D("0.00")  # paid 10 April, before the due date: no surcharge


def test_recibo_repetido_se_rechaza_en_el_campo(cliente_de, cuenta):
    cliente = cliente_de(roles.TECNICO)
    datos = {"canal": "COLECTURIA", "referencia": "R-1", "fecha_pago": "2025-04-10", "monto": "10.00", "numero_patronal": "100000001"}
    cliente.post(reverse("cuentas:recibo_nuevo"), datos)
    r = cliente.post(reverse("cuentas:recibo_nuevo"), datos)
    assert r.status_code == 400 and "ya fue registrado" in r.context["form"].errors["referencia"][0]
    assert Recibo.objects.count() == 1


def test_multa_fuera_del_rango_legal(cliente_de, cuenta):
    datos = {"concepto": "multa", "monto": "60.00", "documento_numero": "RES-1", "documento_fecha": "2025-05-02",
             "vencimiento": "2025-06-02", "descripcion": "No presentar planilla"}
    r = cliente_de(roles.TECNICO).post(reverse("cuentas:cargo_nuevo", args=[cuenta.pk]), datos)
    assert r.status_code == 400 and "$1.14 y $57.14" in r.context["form"].errors["monto"][0]
    datos["monto"] = "57.14"
    soporte = SimpleUploadedFile("resolucion.pdf", b"%PDF-1.4 resolucion", "application/pdf")
    r = cliente_de(roles.TECNICO).post(reverse("cuentas:cargo_nuevo", args=[cuenta.pk]), {**datos, "soporte": soporte})
    assert r.status_code == 302
    multa = Obligacion.objects.get(concepto=Concepto.MULTA)
    assert multa.saldo == D("57.14") and multa.documento_numero == "RES-1" and multa.soporte.name.endswith(".pdf")


def _proponer_exoneracion(cliente, cuenta):
    return cliente.post(reverse("cuentas:ajuste_nuevo", args=[cuenta.pk]), {
        "tipo": "exoneracion", "incluye_recargos_devengados": "on", "fecha_corte": "2025-06-30", "porcentaje": "100",
        "motivo": "Transacción del Consejo Directivo", "acuerdo_numero": "CD-1", "acuerdo_fecha": "2025-06-30"})


def test_cuatro_ojos_en_pantalla(cliente_de, cuenta, usuarios):
    tecnico = cliente_de(roles.TECNICO)
    r = _proponer_exoneracion(tecnico, cuenta)
    solicitud = SolicitudAjuste.objects.get()
    detalle = tecnico.get(r.url)
    assert not detalle.context["puede_resolver"] and "debe aprobarla otro usuario" in detalle.content.decode()
    # the proposer cannot approve, even by posting the form
    assert tecnico.post(r.url, {"aprobar": "1"}).status_code in (400, 403)
    solicitud.refresh_from_db()
    assert solicitud.estado == "propuesta"
    coordinador = cliente_de(roles.COORDINADOR)
    assert coordinador.get(reverse("cuentas:ajuste_lista")).context["pagina"].object_list[0] == solicitud
    assert coordinador.post(r.url, {"aprobar": "1", "nota": "Conforme"}).status_code == 302
    solicitud.refresh_from_db()
    assert solicitud.estado == "aprobada" and solicitud.resuelto_por == usuarios[roles.COORDINADOR]
    estado = coordinador.get(reverse("cuentas:cuenta_estado", args=[cuenta.pk]), {"fecha": "2025-06-30"}).context["estado"]
    assert estado.saldo_total == D("231.92")  # surcharges accrued to 30 June exonerated; principal intact


def test_exoneracion_de_cotizaciones_no_se_ofrece_ni_se_acepta(cliente_de, cuenta):
    cotizacion = Obligacion.objects.filter(concepto=Concepto.COTIZACION_PATRONAL).first()
    r = cliente_de(roles.TECNICO).post(reverse("cuentas:ajuste_nuevo", args=[cuenta.pk]), {
        "tipo": "exoneracion", "obligaciones": [cotizacion.pk], "fecha_corte": "2025-06-30", "porcentaje": "100",
        "motivo": "x", "acuerdo_numero": "CD-2", "acuerdo_fecha": "2025-06-30"})
    assert r.status_code == 400 and "obligaciones" in r.context["form"].errors
    assert not SolicitudAjuste.objects.exists()


def test_administrador_agrega_vigencia_de_parametro(cliente_de):
    r = cliente_de(roles.ADMINISTRADOR).post(reverse("cuentas:parametro_lista"), {
        "clave": "tope_cotizable", "valor": "1200.00", "vigente_desde": "2027-01-01", "fuente": "Acuerdo CD prueba"})
    assert r.status_code == 302
    assert Parametro.objects.filter(clave="tope_cotizable", vigente_desde=date(2027, 1, 1)).exists()
    assert cliente_de(roles.TECNICO).post(reverse("cuentas:parametro_lista"), {}).status_code == 403


@pytest.mark.parametrize("rol,codigo", [(roles.GESTOR, 403), (roles.AUDITOR, 403), (roles.TECNICO, 200)])
def test_permisos_de_registro(cliente_de, cuenta, rol, codigo):
    cliente = cliente_de(rol)
    assert cliente.get(reverse("cuentas:cuenta_estado", args=[cuenta.pk])).status_code == 200
    assert cliente.get(reverse("cuentas:planilla_nueva", args=[cuenta.pk])).status_code == codigo
    assert cliente.get(reverse("cuentas:recibo_nuevo")).status_code == codigo


def test_planilla_a_mano_con_lineas(cliente_de, cuenta):
    datos = {"periodo": "2025-04", "tipo": "MECANIZADA", "fecha_presentacion": "2025-05-06",
             "lineas-TOTAL_FORMS": "2", "lineas-INITIAL_FORMS": "0", "lineas-MIN_NUM_FORMS": "1", "lineas-MAX_NUM_FORMS": "1000",
             "lineas-0-numero_afiliado": "123456789", "lineas-0-nombre": "Marta Flores", "lineas-0-salario": "500.00", "lineas-0-dias": "30",
             "lineas-1-numero_afiliado": "", "lineas-1-nombre": "", "lineas-1-salario": "", "lineas-1-dias": ""}
    r = cliente_de(roles.TECNICO).post(reverse("cuentas:planilla_nueva", args=[cuenta.pk]), datos)
    assert r.status_code == 302, r.context["lineas"].errors if r.context else r
    planilla = Planilla.objects.get(periodo=date(2025, 4, 1))
    assert (planilla.total_patronal, planilla.total_laboral, planilla.vencimiento) == (D("37.50"), D("15.00"), date(2025, 5, 15))


def test_otras_cuentas_por_cobrar_con_su_concepto(cliente_de, sucursal):
    """An Estado's quarterly contribution and a rental: each on a cuenta of its kind, paid and
    compensated; a concept foreign to the kind of cuenta is refused."""
    from cuentas.models import Deudor
    from tests.factories import CuentaFactory, DeudorFactory

    estado = CuentaFactory(deudor=DeudorFactory(tipo=Deudor.Tipo.ESTADO, sucursal=sucursal), tipo="aporte_estado", numero="EST-2025")
    cliente = cliente_de(roles.TECNICO)
    datos = {"concepto": "aporte_estado", "monto": "1250000.00", "documento_numero": "MH-T1-2025",
             "documento_fecha": "2025-04-01", "vencimiento": "2025-04-30", "descripcion": "Aporte del Estado, 1.er trimestre 2025"}
    assert cliente.post(reverse("cuentas:cargo_nuevo", args=[estado.pk]), datos).status_code == 302
    r = cliente.post(reverse("cuentas:cargo_nuevo", args=[estado.pk]), {**datos, "concepto": "arrendamiento", "documento_numero": "X"})
    assert r.status_code == 400 and "concepto" in r.context["form"].errors
    cliente.post(reverse("cuentas:recibo_nuevo"), {"canal": "HIPOTECARIO", "referencia": "MH-TR-1", "fecha_pago": "2025-04-20",
                                                    "monto": "1250000.00", "numero_patronal": "EST-2025"})
    saldo = cliente.get(reverse("cuentas:cuenta_estado", args=[estado.pk]), {"fecha": "2025-05-01"}).context["estado"].saldo_total
    assert saldo == D("0.00")
