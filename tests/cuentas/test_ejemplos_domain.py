"""DOMAIN.md worked examples 1–4, lived as a technician lives them: files through the import
commands, numbers read back from the JSON API (CONTRACTS §7). To the cent."""
import json
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.urls import reverse

from cuentas.models import Concepto, Cuenta, Obligacion, Planilla, SolicitudAjuste
from cuentas.services.ajustes import solicitud_aprobar, solicitud_proponer
from issscobros import roles
from issscobros.api import token_crear

pytestmark = pytest.mark.django_db

ENCABEZADO_P = "numero_patronal,nit,razon_social,periodo,tipo_planilla,fecha_presentacion,numero_afiliado,dui,nombre,salario,dias\n"
ENCABEZADO_R = "referencia,fecha_pago,monto,numero_patronal,periodo,npe,canal\n"
NIT = "0614-050707-104-8"


@pytest.fixture
def archivo(tmp_path):
    def escribir(nombre, texto):
        ruta = tmp_path / nombre
        ruta.write_text(texto, encoding="utf-8")
        return str(ruta)
    return escribir


@pytest.fixture
def api(client, usuarios):
    token = token_crear(usuario=usuarios[roles.TECNICO])

    def estado(numero, fecha):
        r = client.get(reverse("api_cuenta_estado", args=[numero]), {"fecha": fecha}, HTTP_AUTHORIZATION=f"Token {token}")
        assert r.status_code == 200, r.content
        return json.loads(r.content)
    return estado


def planilla_ejemplo_1(archivo):
    filas = [("000000011", "001", "00016297-5", "Ana López", "408.80"),
             ("000000012", "002", "", "Luis Pérez", "800.00"),
             ("000000013", "003", "", "Rosa Ayala", "1500.00")]
    texto = ENCABEZADO_P + "".join(
        f"100000001,{NIT},Textiles San Miguel S.A. de C.V.,2025-03,SPU,2025-04-05,{a},{d},{n},{s},30\n"
        for a, _, d, n, s in filas)
    return archivo("planilla.csv", texto)


def importar(comando, ruta, capsys, usuario):
    call_command(comando, ruta, usuario=usuario.username)
    return capsys.readouterr().out


def test_ejemplo_1_a_tiempo(archivo, capsys, usuarios, api):
    tecnico = usuarios[roles.TECNICO]
    salida = importar("importar_planillas", planilla_ejemplo_1(archivo), capsys, tecnico)
    assert "1 planillas, 3 líneas" in salida
    planilla = Planilla.objects.get()
    assert (planilla.total_patronal, planilla.total_laboral, planilla.total) == (D("165.66"), D("66.26"), D("231.92"))
    assert planilla.vencimiento == date(2025, 4, 14)
    assert Cuenta.objects.get(numero="100000001").deudor.nit == "06140507071048"  # created from the file
    importar("importar_pagos", archivo("pagos.csv", ENCABEZADO_R + "B-1,2025-04-14,231.92,100000001,2025-03,,AGRICOLA\n"), capsys, tecnico)
    estado = api("100000001", "2025-04-30")
    assert estado["recargos_a_la_fecha"] == "0.00" and estado["saldo_total"] == "0.00"
    assert {(o["concepto"], o["monto"], o["saldo"]) for o in estado["obligaciones"]} == {
        ("cotizacion_laboral", "66.26", "0.00"), ("cotizacion_patronal", "165.66", "0.00")}
    assert not Obligacion.objects.filter(concepto=Concepto.RECARGO).exists()


@pytest.mark.parametrize("fecha_pago,recargo", [("2025-05-20", "4.64"), ("2025-04-15", "2.32")])
def test_ejemplo_2_tarde(archivo, capsys, usuarios, api, fecha_pago, recargo):
    tecnico = usuarios[roles.TECNICO]
    importar("importar_planillas", planilla_ejemplo_1(archivo), capsys, tecnico)
    importar("importar_pagos", archivo("pagos.csv", ENCABEZADO_R + f"B-2,{fecha_pago},231.92,100000001,,,AGRICOLA\n"), capsys, tecnico)
    recargos = Obligacion.objects.filter(concepto=Concepto.RECARGO)
    assert sum(o.monto for o in recargos) == D(recargo)
    estado = api("100000001", "2025-06-01")
    assert estado["saldo_total"] == recargo  # the surcharge is posted and still owed
    assert estado["recargos_a_la_fecha"] == "0.00"  # nothing unpaid accrues
    # the statement before the payment shows the contributions unpaid and nothing posted yet
    antes = api("100000001", "2025-04-14")
    assert antes["saldo_total"] == "231.92" and all(o["concepto"] != "recargo" for o in antes["obligaciones"])
    # paying the surcharge settles the account
    importar("importar_pagos", archivo("pagos2.csv", ENCABEZADO_R + f"B-3,{fecha_pago},{recargo},100000001,,,AGRICOLA\n"), capsys, tecnico)
    assert api("100000001", "2025-06-01")["saldo_total"] == "0.00"


def test_ejemplo_2_un_solo_pago_con_recargo(archivo, capsys, usuarios, api):
    tecnico = usuarios[roles.TECNICO]
    importar("importar_planillas", planilla_ejemplo_1(archivo), capsys, tecnico)
    importar("importar_pagos", archivo("p.csv", ENCABEZADO_R + "B-9,2025-05-20,236.56,100000001,2025-03,,AGRICOLA\n"), capsys, tecnico)
    assert api("100000001", "2025-05-31")["saldo_total"] == "0.00"


def planillas_ejemplo_3(archivo):
    lineas = []
    for periodo, presentacion in (("2025-01", "2025-02-03"), ("2025-02", "2025-03-03"), ("2025-03", "2025-04-01")):
        for i in range(10):
            lineas.append(f"100000002,{NIT},Textiles San Miguel S.A. de C.V.,{periodo},SPU,{presentacion},{200 + i},,Trabajador {i},500.00,30\n")
    return archivo("planillas3.csv", ENCABEZADO_P + "".join(lineas))


def test_ejemplo_3_cartera(archivo, capsys, usuarios, api):
    importar("importar_planillas", planillas_ejemplo_3(archivo), capsys, usuarios[roles.TECNICO])
    assert [p.vencimiento for p in Planilla.objects.order_by("periodo")] == [date(2025, 2, 14), date(2025, 3, 14), date(2025, 4, 14)]
    estado = api("100000002", "2025-06-30")
    assert sum(D(o["saldo"]) for o in estado["obligaciones"]) == D("1575.00")
    assert estado["recargos_a_la_fecha"] == "63.00"
    assert estado["saldo_total"] == "1638.00"


def test_ejemplo_4_exoneracion_de_recargos(archivo, capsys, usuarios, api):
    importar("importar_planillas", planillas_ejemplo_3(archivo), capsys, usuarios[roles.TECNICO])
    cuenta = Cuenta.objects.get(numero="100000002")
    solicitud = solicitud_proponer(
        actor=usuarios[roles.TECNICO], tipo=SolicitudAjuste.Tipo.EXONERACION, cuenta=cuenta, obligaciones=[],
        incluye_recargos_devengados=True, fecha_corte=date(2025, 6, 30), motivo="Transacción aprobada",
        acuerdo_numero="CD-2025-123", acuerdo_fecha=date(2025, 6, 30))
    asiento = solicitud_aprobar(actor=usuarios[roles.COORDINADOR], solicitud=solicitud)
    assert sum(l.haber for l in asiento.lineas.all()) == D("63.00")
    estado = api("100000002", "2025-06-30")
    assert estado["saldo_total"] == "1575.00" and estado["recargos_a_la_fecha"] == "0.00"
    assert {o["saldo"] for o in estado["obligaciones"] if o["concepto"] == "recargo"} == {"0.00"}
    # contributions untouched
    assert sum(o.saldo for o in Obligacion.objects.filter(concepto__in=["cotizacion_laboral", "cotizacion_patronal"])) == D("1575.00")
