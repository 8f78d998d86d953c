"""An obligation born after the legs that charge it (migration cuentas 0009), proven with raw SQL:
it must be born with their net as its saldo, on their cuenta, and no exoneration or annulment may
credit a contribution through it; with no legs it is born at 0. The payroll import writes its
charges this way, so its obligations are checked too."""
from contextlib import contextmanager
from decimal import Decimal as D

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Sum
from stdnum.sv import nit

from cuentas import contabilidad
from cuentas.importacion import planillas_importar
from cuentas.models import Concepto, Obligacion
from issscobros import roles
from tests.factories import CuentaFactory

pytestmark = pytest.mark.django_db

CHECK, FK = "23514", "23503"
LABORAL = Concepto.COTIZACION_LABORAL


def sql(consulta: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(consulta, params)
        return cursor.fetchall() if cursor.description else None


@contextmanager
def rechazado(pgcode: str, match: str):
    """The body must fail in the database with `pgcode`; a savepoint keeps the test usable."""
    with pytest.raises(DatabaseError, match=match) as info:
        with transaction.atomic():
            yield
    assert info.value.__cause__.pgcode == pgcode, info.value


def nuevo_id() -> int:
    ((pk,),) = sql("SELECT nextval(pg_get_serial_sequence('cuentas_obligacion', 'id'))")
    return pk


def cargo(*, obligacion_id: int, cuenta_id: int, monto: str, tipo: str = "cargo", concepto=LABORAL,
          credito: bool = False) -> None:
    """An asiento whose first leg is on the obligation (a charge, or a credit), balanced by income."""
    ((asiento_id,),) = sql("INSERT INTO cuentas_asiento (clave, tipo, fecha_valor, descripcion) "
                           "VALUES (%s, %s, '2025-04-05', '') RETURNING id", [f"crudo:{obligacion_id}:{tipo}", tipo])
    por_cobrar, ingreso = contabilidad.cuenta_por_cobrar(concepto), contabilidad.cuenta_de_ingreso(concepto)
    debe, haber = ("0", monto) if credito else (monto, "0")
    sql("INSERT INTO cuentas_lineaasiento (asiento_id, fecha_valor, cuenta_contable_codigo, debe, haber, cuenta_id, "
        "obligacion_id) VALUES (%s, '2025-04-05', %s, %s, %s, %s, %s), (%s, '2025-04-05', %s, %s, %s, %s, NULL)",
        [asiento_id, por_cobrar, debe, haber, cuenta_id, obligacion_id, asiento_id, ingreso, haber, debe, cuenta_id])


def obligacion(*, pk: int, cuenta_id: int, monto: str, saldo: str, concepto=LABORAL) -> None:
    sql("INSERT INTO cuentas_obligacion (id, cuenta_id, concepto, monto, saldo, fecha_origen, vencimiento, periodo, "
        "documento_numero, descripcion, soporte) VALUES (%s, %s, %s, %s, %s, '2025-04-05', '2025-04-14', '2025-03-01', "
        "'', '', '')", [pk, cuenta_id, concepto, monto, saldo])


def sin_diferidos():
    """The deferred checks (balance, foreign keys) now, as at COMMIT; deferred again afterwards."""
    sql("SET CONSTRAINTS ALL IMMEDIATE")
    sql("SET CONSTRAINTS ALL DEFERRED")


@pytest.fixture
def cuentas():
    return CuentaFactory(numero="100000001"), CuentaFactory(numero="100000002")


def test_nace_con_el_saldo_de_sus_lineas(cuentas):
    a, _ = cuentas
    pk = nuevo_id()
    cargo(obligacion_id=pk, cuenta_id=a.pk, monto="66.26")
    obligacion(pk=pk, cuenta_id=a.pk, monto="66.26", saldo="66.26")
    sin_diferidos()
    # later legs move it as always
    cargo(obligacion_id=pk, cuenta_id=a.pk, monto="16.26", tipo="aplicacion", credito=True)
    assert Obligacion.objects.get(pk=pk).saldo == D("50.00")


@pytest.mark.parametrize("saldo", ["0.00", "66.25", "30.00"])
def test_no_nace_con_otro_saldo_que_el_de_sus_lineas(cuentas, saldo):
    a, _ = cuentas
    pk = nuevo_id()
    with rechazado(CHECK, "nace con saldo"):  # the legs pass; the obligation is refused, and they go with it
        cargo(obligacion_id=pk, cuenta_id=a.pk, monto="66.26")
        obligacion(pk=pk, cuenta_id=a.pk, monto="66.26", saldo=saldo)


def test_sin_lineas_nace_en_cero(cuentas):
    a, _ = cuentas
    with rechazado(CHECK, "nace con saldo"):
        obligacion(pk=nuevo_id(), cuenta_id=a.pk, monto="10.00", saldo="10.00")
    pk = nuevo_id()
    obligacion(pk=pk, cuenta_id=a.pk, monto="10.00", saldo="0.00")  # control: what the services write
    assert Obligacion.objects.get(pk=pk).saldo == 0


def test_lineas_de_otra_cuenta_se_rechazan_al_nacer(cuentas):
    a, b = cuentas
    pk = nuevo_id()
    with rechazado(CHECK, "no pertenece"):
        cargo(obligacion_id=pk, cuenta_id=b.pk, monto="66.26")  # accepted for now: the obligation does not exist
        obligacion(pk=pk, cuenta_id=a.pk, monto="66.26", saldo="66.26")


@pytest.mark.parametrize("tipo", ["exoneracion", "anulacion"])
def test_un_ajuste_escrito_antes_no_reduce_la_cotizacion(cuentas, tipo):
    a, _ = cuentas
    pk = nuevo_id()
    with rechazado(CHECK, "no puede reducir cotizaciones"):
        cargo(obligacion_id=pk, cuenta_id=a.pk, monto="66.26")
        cargo(obligacion_id=pk, cuenta_id=a.pk, monto="1.00", tipo=tipo, credito=True)
        obligacion(pk=pk, cuenta_id=a.pk, monto="66.26", saldo="65.26")


def test_una_linea_sin_obligacion_no_se_confirma(cuentas):
    a, _ = cuentas
    with pytest.raises(IntegrityError) as info:
        with transaction.atomic():
            cargo(obligacion_id=nuevo_id(), cuenta_id=a.pk, monto="66.26")
            sin_diferidos()
    assert info.value.__cause__.pgcode == FK


def test_las_obligaciones_importadas_valen_lo_que_suman_sus_lineas(usuarios):
    nits = {numero: base + nit.calc_check_digit(base) for numero, base in (("100000001", "0614010190101"),
                                                                           ("100000002", "0614010190102"))}
    texto = "numero_patronal,nit,razon_social,periodo,tipo_planilla,fecha_presentacion,numero_afiliado,dui,nombre,salario,dias\n"
    texto += "".join(f"{numero},{nits[numero]},Patrono {numero},2025-03,SPU,2025-04-05,00000001{i},,Trabajador {i},{s},30\n"
                     for numero in nits for i, s in enumerate(["408.80", "800.00", "1500.00"]))
    planillas_importar(actor=usuarios[roles.TECNICO], contenido=texto.encode(), nombre_archivo="p.csv")
    sin_diferidos()
    obligaciones = Obligacion.objects.annotate(d=Sum("lineas__debe"), h=Sum("lineas__haber"))
    # DOMAIN example 1 twice: 66.26 and 165.66 each, charged and owed in full
    assert sorted((o.monto, o.saldo) for o in obligaciones) == [(D("66.26"), D("66.26"))] * 2 + [(D("165.66"), D("165.66"))] * 2
    assert all(o.saldo == o.d - o.h for o in obligaciones)
