"""Ledger state for the solvency tests, made through the posting services (never factories)."""
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from cuentas.models import Concepto, Cuenta, Planilla
from cuentas.services.cargos import cargo_registrar
from cuentas.services.pagos import recibo_registrar
from cuentas.services.planillas import LineaTrabajador, planilla_registrar
from issscobros import roles
from solvencias import limites
from tests.factories import CuentaFactory, DeudorFactory

HOY = timezone.localdate()
# DOMAIN example 1's payroll: employer 165.66 + worker 66.26 = 231.92 per period.
LINEAS = [LineaTrabajador("000000011", "Ana López", D("408.80"), 30),
          LineaTrabajador("000000012", "Luis Pérez", D("800.00"), 30),
          LineaTrabajador("000000013", "Rosa Ayala", D("1500.00"), 30)]


def mes(desplazamiento: int) -> date:
    """First day of the month `desplazamiento` months from this one (negative: past)."""
    total = HOY.year * 12 + HOY.month - 1 + desplazamiento
    return date(total // 12, total % 12 + 1, 1)


def declarar(actor, cuenta: Cuenta, periodo: date) -> Planilla:
    """A planilla filed on the 3rd of the following month (or today, for the current month)."""
    presentacion = min(HOY, mes(0) if periodo >= mes(0) else date(periodo.year + periodo.month // 12, periodo.month % 12 + 1, 3))
    return planilla_registrar(actor=actor, cuenta=cuenta, periodo=periodo, tipo=Planilla.Tipo.SPU,
                              fecha_presentacion=max(presentacion, periodo), lineas=LINEAS)


def pagar(actor, cuenta: Cuenta, monto: D, referencia: str, fecha: date | None = None):
    return recibo_registrar(actor=actor, canal="COLECTURIA", referencia=referencia, fecha_pago=fecha or HOY,
                            monto=monto, numero_patronal=cuenta.numero)


def multa_proveedor(actor, cuenta: Cuenta, monto=D("500.00"), dias_vencida=10):
    origen = HOY - timedelta(days=40)
    return cargo_registrar(actor=actor, cuenta=cuenta, concepto=Concepto.MULTA_CONTRACTUAL, monto=monto, periodo=None,
                           fecha_origen=origen, vencimiento=HOY - timedelta(days=dias_vencida),
                           documento_numero=f"MC-{origen:%Y%m%d}", documento_fecha=origen,
                           descripcion="Entrega tardía de insumos")


@pytest.fixture
def tecnico(usuarios):
    return usuarios[roles.TECNICO]


@pytest.fixture
def coordinador(usuarios):
    return usuarios[roles.COORDINADOR]


@pytest.fixture
def patrono(sucursal):
    """An employer with two números patronales, nothing owed yet."""
    deudor = DeudorFactory(sucursal=sucursal, razon_social="Textiles del Pacífico S.A. de C.V.")
    primera = CuentaFactory(deudor=deudor, numero="100000001")
    segunda = CuentaFactory(deudor=deudor, numero="100000002")
    return deudor, primera, segunda


@pytest.fixture(autouse=True)
def limites_limpios():
    """The rate-limit counters live in Redis, shared by runs: start and end every test clean."""
    for ip in ("127.0.0.1", "10.0.0.7", "10.0.0.8"):
        limites.reiniciar(ip)
    yield
    for ip in ("127.0.0.1", "10.0.0.7", "10.0.0.8"):
        limites.reiniciar(ip)


requiere_poppler = pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("zbarimg") and shutil.which("pdftotext")),
                                      reason="pdftoppm, pdftotext o zbarimg no están instalados")


def texto_pdf(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
