"""Fixtures of the mora tests: two sucursales, a gestor in each, and cases opened through the service."""
import pytest

from issscobros import roles
from mora import services
from tests.factories import DeudorFactory, SucursalFactory


@pytest.fixture
def otra_sucursal(db):
    return SucursalFactory(codigo="SM01", nombre="Sucursal San Miguel")


@pytest.fixture
def otro_gestor(crear_usuario, otra_sucursal):
    usuario = crear_usuario("gestor_sm", roles.GESTOR)
    usuario.sucursal = otra_sucursal
    usuario.save(update_fields=["sucursal"])
    return usuario


@pytest.fixture
def abrir_caso(usuarios):
    """abrir_caso(sucursal, gestor) -> an open case of a new deudor of that sucursal."""
    def abrir(sucursal, gestor=None, **deudor):
        d = DeudorFactory(sucursal=sucursal, **deudor)
        return services.caso_abrir(actor=usuarios[roles.JEFE_DEPARTAMENTO], deudor=d, gestor=gestor)
    return abrir


@pytest.fixture
def libro(usuarios):
    """Ledger state through the posting services (never factories): a deudor of DOMAIN example 3
    (ten workers at $500.00; 525.00 per period) with the periods given unpaid, and payments."""
    from datetime import date
    from decimal import Decimal

    from cuentas.services.pagos import recibo_registrar
    from cuentas.services.planillas import LineaTrabajador, planilla_registrar
    from tests.factories import CuentaFactory

    tecnico = usuarios[roles.TECNICO]

    class Libro:
        def cuenta(self, sucursal, **deudor):
            return CuentaFactory(deudor=DeudorFactory(sucursal=sucursal, **deudor))

        def planilla(self, cuenta, periodo: date, trabajadores: int = 10, salario: str = "500.00"):
            lineas = [LineaTrabajador(numero_afiliado=f"{cuenta.pk:04d}{i:05d}", nombre=f"Trabajador {i}",
                                      salario=Decimal(salario), dias=30) for i in range(trabajadores)]
            presentada = date(periodo.year + (periodo.month == 12), periodo.month % 12 + 1, 5)
            return planilla_registrar(actor=tecnico, cuenta=cuenta, periodo=periodo, tipo="SPU",
                                      fecha_presentacion=presentada, lineas=lineas)

        def pago(self, cuenta, fecha: date, monto: str, referencia: str):
            return recibo_registrar(actor=tecnico, canal="AGRICOLA", referencia=referencia, fecha_pago=fecha,
                                    monto=Decimal(monto), numero_patronal=cuenta.numero).recibo

    return Libro()
