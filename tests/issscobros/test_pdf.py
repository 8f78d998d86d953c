"""issscobros.pdf: the print CSS, fonts and letterhead are loaded once per thread and reused; only
project static files may be loaded."""
import gc
import re
import shutil
import subprocess
import threading
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from issscobros import pdf


def _certificacion():
    return pdf.pdf_renderizar("impresos/certificacion_saldos.html", {
        "documento": SimpleNamespace(get_tipo_display="Certificación de saldos", folio="CS-2026-000001",
                                     codigo="ABCDEFGHJKLMNPQRSTUVWXYZ23", emitido_en=datetime(2026, 3, 2, 9, 30)),
        "emitido_por": SimpleNamespace(get_full_name="Ana María Rivas", username="tecnico"),
        "filas": [SimpleNamespace(periodo=None, laboral=Decimal("1.00"), patronal=Decimal("2.00"), recargos=Decimal("0.50"),
                                  multas=Decimal("0.00"), total=Decimal("3.50"))],
        "total": Decimal("3.50"), "total_letras": "TRES 50/100 DÓLARES"})


def test_la_hoja_de_agente_define_cada_elemento_de_los_documentos():
    # css/agente.css replaces WeasyPrint's user-agent sheet: an element a document template uses
    # without defaults there would lay out as an anonymous inline.
    etiquetas = set()
    for plantilla in (Path(settings.BASE_DIR) / "templates" / "impresos").glob("*.html"):
        etiquetas |= set(re.findall(r"<([a-z][a-z0-9]*)", plantilla.read_text(encoding="utf-8")))
    agente = re.sub(r"/\*.*?\*/|@page \{.*\}\s*$", "", Path(finders.find(pdf.AGENTE)).read_text(encoding="utf-8"), flags=re.S)
    definidas = {etiqueta for selectores in re.findall(r"([^{}]+)\{", agente)
                 for etiqueta in re.findall(r"(?:^|[\s,>])([a-z][a-z0-9]*)", selectores)}
    inline = {"span"}  # inline by default: no rule needed
    assert etiquetas - definidas - inline == set()


def test_recursos_por_hilo():
    propios = pdf._recursos()
    assert pdf._recursos() is propios
    otros = []
    hilo = threading.Thread(target=lambda: otros.append(pdf._recursos()))
    hilo.start()
    hilo.join()
    assert otros[0] is not propios


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="pdffonts (poppler-utils) no está instalado")
def test_renders_repetidos_con_fuentes_incrustadas():
    primero, segundo = _certificacion(), _certificacion()
    assert primero.startswith(b"%PDF") and len(segundo) == len(primero)
    fuentes = subprocess.run(["pdffonts", "-"], input=segundo, capture_output=True, check=True).stdout.decode()
    assert "DejaVu-Sans-Bold" in fuentes and "DejaVu-Sans " in fuentes
    assert all(linea.split()[-5:-3] == ["yes", "yes"] for linea in fuentes.splitlines()[2:])  # embedded, subset
    assert "isss-logo.svg" in str(pdf._recursos().imagenes)


def test_recurso_externo_rechazado():
    with pytest.raises(ValueError, match="no permitido"):
        pdf.FetcherLocal().fetch("https://example.com/logo.png")


def test_recolector_reanudado():
    assert gc.isenabled()
    _certificacion()
    assert gc.isenabled()
    gc.disable()  # whoever had it off keeps it off
    try:
        _certificacion()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_pausas_del_recolector_se_cuentan():
    # One mechanism for the PDF renders and the payroll import: an inner or overlapping pause
    # does not resume the collector while an outer one still runs.
    from issscobros.recolector import sin_recolector

    with sin_recolector():
        with sin_recolector():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
