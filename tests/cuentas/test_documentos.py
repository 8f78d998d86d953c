"""Documents of the ledger, read back as a person reads them (pdftotext), checked against the API."""
import hashlib
import json
import shutil
import subprocess
import threading
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.urls import reverse

from cuentas.documentos import certificacion_saldos_emitir, estado_cuenta_emitir
from cuentas.services.planillas import LineaTrabajador, planilla_registrar
from issscobros import roles
from issscobros.api import token_crear
from issscobros.models import Documento
from tests.factories import CuentaFactory

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) no está instalado")


def texto_pdf(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def ejemplo_3(actor, sucursal):
    cuenta = CuentaFactory(numero="100000003", deudor__sucursal=sucursal, deudor__razon_social="Textiles San Miguel S.A. de C.V.")
    for periodo, presentacion in ((date(2025, 1, 1), date(2025, 2, 3)), (date(2025, 2, 1), date(2025, 3, 3)), (date(2025, 3, 1), date(2025, 4, 1))):
        planilla_registrar(actor=actor, cuenta=cuenta, periodo=periodo, tipo="SPU", fecha_presentacion=presentacion,
                           lineas=[LineaTrabajador(f"{i:09d}", f"Trabajador {i}", D("500.00"), 30) for i in range(10)])
    return cuenta


@pytest.mark.django_db
def test_certificacion_de_saldos_igual_al_api_y_en_letras(usuarios, sucursal, client):
    tecnico = usuarios[roles.TECNICO]
    cuenta = ejemplo_3(tecnico, sucursal)
    documento = certificacion_saldos_emitir(actor=tecnico, cuenta=cuenta, fecha=date(2025, 6, 30))
    texto = texto_pdf(bytes(documento.pdf))
    token = token_crear(usuario=tecnico)
    api = json.loads(client.get(reverse("api_cuenta_estado", args=["100000003"]), {"fecha": "2025-06-30"},
                                HTTP_AUTHORIZATION=f"Token {token}").content)
    assert api["saldo_total"] == "1638.00" and documento.datos["saldo_total"] == api["saldo_total"]
    assert "$1,638.00" in texto
    assert "UN MIL SEISCIENTOS TREINTA Y OCHO 00/100 DÓLARES" in texto
    # one row per period: worker, employer, surcharges (5, 4, 3 months), fines, total
    for periodo, recargo, total in (("2025-01", "$26.25", "$551.25"), ("2025-02", "$21.00", "$546.00"), ("2025-03", "$15.75", "$540.75")):
        fila = next(l for l in texto.splitlines() if l.strip().startswith(periodo))
        assert fila.split() == [periodo, "$150.00", "$375.00", recargo, "$0.00", total]
    assert f"CS-{documento.anio}-{documento.numero:06d}" in texto and documento.codigo in texto
    assert "Página 1 de 1" in texto


@pytest.mark.django_db
def test_estado_de_cuenta_pdf_desde_su_pagina_y_reimpresion_identica(usuarios, sucursal, cliente_de):
    cuenta = ejemplo_3(usuarios[roles.TECNICO], sucursal)
    cliente = cliente_de(roles.TECNICO)
    r = cliente.post(reverse("cuentas:estado_pdf", args=[cuenta.pk]), {"fecha": "2025-06-30"})
    documento = Documento.objects.get()
    assert r.url == reverse("documento_detalle", args=[documento.pk])
    primera = cliente.get(reverse("documento_pdf", args=[documento.pk])).content
    segunda = cliente.get(reverse("documento_pdf", args=[documento.pk])).content
    assert primera == segunda == bytes(documento.pdf)
    assert hashlib.sha256(primera).hexdigest() == documento.sha256
    texto = texto_pdf(primera)
    assert "ESTADO DE CUENTA AL 30/06/2025" in texto and "$1,638.00" in texto and "100000003" in texto
    # found in the register by folio and by code
    assert cliente.get(reverse("documento_lista"), {"q": documento.folio}).context["pagina"].object_list[0] == documento
    assert cliente.get(reverse("documento_lista"), {"q": documento.codigo}).context["pagina"].object_list[0] == documento


@pytest.mark.django_db
def test_estado_de_todos_los_numeros_patronales(usuarios, sucursal):
    tecnico = usuarios[roles.TECNICO]
    cuenta = ejemplo_3(tecnico, sucursal)
    otra = CuentaFactory(numero="100000004", deudor=cuenta.deudor)
    planilla_registrar(actor=tecnico, cuenta=otra, periodo=date(2025, 3, 1), tipo="SPU", fecha_presentacion=date(2025, 4, 1),
                       lineas=[LineaTrabajador("1", "Uno", D("1000.00"), 30)])
    documento = estado_cuenta_emitir(actor=tecnico, deudor=cuenta.deudor, fecha=date(2025, 6, 30))
    texto = texto_pdf(bytes(documento.pdf))
    # 1,638.00 + (75.00 + 30.00) + 3 % surcharges 3.15 = 1,746.15
    assert "100000003" in texto and "100000004" in texto and "$1,746.15" in texto
    assert documento.datos["total"] == "1746.15"


@pytest.mark.django_db
def test_el_registro_no_se_modifica(usuarios, sucursal):
    cuenta = ejemplo_3(usuarios[roles.TECNICO], sucursal)
    documento = certificacion_saldos_emitir(actor=usuarios[roles.TECNICO], cuenta=cuenta, fecha=date(2025, 6, 30))
    for sql in ("UPDATE issscobros_documento SET referencia = 'x'", "DELETE FROM issscobros_documento"):
        with pytest.raises(DatabaseError, match="solo inserción"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert Documento.objects.get().referencia == documento.referencia


@pytest.mark.django_db(transaction=True)
def test_numeracion_sin_huecos_ni_duplicados_en_emision_concurrente(usuarios, sucursal):
    tecnico = usuarios[roles.TECNICO]
    cuenta = ejemplo_3(tecnico, sucursal)
    errores, barrera = [], threading.Barrier(6)

    def emitir():
        try:
            barrera.wait()
            for _ in range(3):
                certificacion_saldos_emitir(actor=tecnico, cuenta=cuenta, fecha=date(2025, 6, 30))
        except Exception as exc:  # noqa: BLE001 — reported below
            errores.append(exc)
        finally:
            connections.close_all()

    hilos = [threading.Thread(target=emitir) for _ in range(6)]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join(120)
    assert not errores
    numeros = sorted(Documento.objects.values_list("numero", flat=True))
    assert numeros == list(range(1, 19))
