"""Worker documents: found by affiliate number or DUI across employers, unpaid payrolls flagged."""
import shutil
import subprocess
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from cuentas.services.pagos import recibo_registrar
from cuentas.services.planillas import LineaTrabajador, planilla_registrar
from cuentas.trabajadores import trabajador_historial
from issscobros import roles
from issscobros.models import Documento
from tests.factories import CuentaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dos_patronos(usuarios, sucursal):
    tecnico = usuarios[roles.TECNICO]
    a = CuentaFactory(numero="100000101", deudor__sucursal=sucursal, deudor__razon_social="Panadería La Espiga S.A. de C.V.")
    b = CuentaFactory(numero="100000202", deudor__sucursal=sucursal, deudor__razon_social="Transportes Izalco S.A. de C.V.")
    ana = LineaTrabajador("123456789", "Ana Ayala", D("400.00"), 30, dui="000162975")
    for mes in (1, 2):
        planilla_registrar(actor=tecnico, cuenta=a, periodo=date(2025, mes, 1), tipo="SPU",
                           fecha_presentacion=date(2025, mes + 1, 2), lineas=[ana])
    planilla_registrar(actor=tecnico, cuenta=b, periodo=date(2025, 3, 1), tipo="SPU", fecha_presentacion=date(2025, 4, 2),
                       lineas=[LineaTrabajador("123456789", "Ana Ayala", D("1200.00"), 20, dui="000162975")])
    # employer A pays January only
    recibo_registrar(actor=tecnico, canal="AGRICOLA", referencia="P-1", fecha_pago=date(2025, 2, 10), monto=D("42.00"),
                     numero_patronal="100000101", periodo=date(2025, 1, 1))
    return tecnico


def test_historial_por_afiliado_o_dui_en_varios_patronos(dos_patronos):
    por_afiliado = trabajador_historial(texto="123456789")
    por_dui = trabajador_historial(texto="00016297-5")
    assert [l.pk for l in por_afiliado.lineas] == [l.pk for l in por_dui.lineas]
    assert [(f"{l.planilla.periodo:%Y-%m}", l.planilla.cuenta.numero, l.en_mora) for l in por_afiliado.lineas] == [
        ("2025-01", "100000101", False), ("2025-02", "100000101", True), ("2025-03", "100000202", True)]
    assert por_afiliado.total_dias == 80 and por_afiliado.total_salarios == D("2000.00")
    assert trabajador_historial(texto="999999999") is None
    desde = trabajador_historial(texto="123456789", desde=date(2025, 2, 1), hasta=date(2025, 2, 1))
    assert len(desde.lineas) == 1


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) no está instalado")
def test_documentos_del_trabajador_desde_su_pagina(dos_patronos, cliente_de):
    cliente = cliente_de(roles.TECNICO)
    pagina = cliente.get(reverse("cuentas:trabajador"), {"q": "00016297-5"})
    assert "Ana Ayala" in pagina.content.decode() and "2 en mora" in pagina.content.decode()
    cliente.post(reverse("cuentas:trabajador_cuenta_individual"), {"q": "123456789", "solicitud": "FGR-2025-77"})
    cliente.post(reverse("cuentas:trabajador_dias_salarios"), {"q": "123456789", "desde": "2025-01", "hasta": "2025-03"})
    ci, ds = Documento.objects.order_by("id")
    texto_ci = subprocess.run(["pdftotext", "-layout", "-", "-"], input=bytes(ci.pdf), capture_output=True).stdout.decode()
    texto_ds = subprocess.run(["pdftotext", "-layout", "-", "-"], input=bytes(ds.pdf), capture_output=True).stdout.decode()
    assert "CERTIFICACIÓN DE CUENTA INDIVIDUAL" in texto_ci and "FGR-2025-77" in texto_ci
    # 400 × 7.5 % = 30.00 and 3 % = 12.00 per month with A; 1,200 capped at 1,000: 75.00 / 30.00 with B
    assert "$135.00" in texto_ci and "$54.00" in texto_ci  # totals patronal, laboral
    assert "2025-02, 2025-03" in texto_ci
    assert "REPORTE DE DÍAS Y SALARIOS" in texto_ds and "$2,000.00" in texto_ds and " 80 " in texto_ds
    filas_en_mora = [l.split()[0] for l in texto_ds.splitlines() if l.strip().startswith("2025-") and "EN MORA" in l]
    assert filas_en_mora == ["2025-02", "2025-03"]
