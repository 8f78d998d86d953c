"""The ledger's database guards (migration cuentas 0004), proven by running the forbidden SQL.

State is built through the services, so the guards run on real postings; only the forbidden
statement is raw SQL. Immediate triggers and CHECKs fire inside a savepoint; the deferred balance
trigger only fires at COMMIT, so those tests run with transaction=True."""
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Sum

from cuentas import contabilidad
from cuentas.models import (Asiento, Concepto, Cuenta, LineaAsiento, LineaPlanilla, Obligacion, Planilla, Recibo,
                            SolicitudAjuste)
from cuentas.services.ajustes import solicitud_aprobar, solicitud_proponer
from cuentas.services.cargos import cargo_registrar
from cuentas.services.libro import Pierna, asiento_registrar, asiento_revertir
from cuentas.services.pagos import recibo_registrar, saldo_a_favor
from cuentas.services.planillas import LineaTrabajador, planilla_registrar
from issscobros import roles
from issscobros.errores import ErrorDeNegocio
from tests.factories import CuentaFactory

pytestmark = pytest.mark.django_db

# SQLSTATEs raised by the guards (language independent, unlike the messages)
RESTRICT = "23001"
UNIQUE = "23505"
CHECK = "23514"


def sql(consulta: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(consulta, params)
        return cursor.fetchall() if cursor.description else None


@contextmanager
def rechazado(pgcode: str, match: str | None = None):
    """The body must fail in the database with `pgcode`; a savepoint keeps the test usable."""
    with pytest.raises(DatabaseError, match=match) as info:
        with transaction.atomic():
            yield
    assert info.value.__cause__.pgcode == pgcode, info.value


FECHA_CRUDA = date(2025, 5, 1)


def asiento_crudo(*, tipo: str, piernas, clave: str, reversa_de: int | None = None,
                  fecha_lineas: date = FECHA_CRUDA) -> int:
    """An asiento and its legs by raw INSERTs, bypassing the posting service.
    piernas: (codigo, debe, haber, cuenta_id, obligacion_id, recibo_id)."""
    ((asiento_id,),) = sql(
        "INSERT INTO cuentas_asiento (clave, tipo, fecha_valor, descripcion, reversa_de_id) "
        "VALUES (%s, %s, %s, '', %s) RETURNING id", [clave, tipo, FECHA_CRUDA, reversa_de])
    for codigo, debe, haber, cuenta_id, obligacion_id, recibo_id in piernas:
        sql("INSERT INTO cuentas_lineaasiento (asiento_id, fecha_valor, cuenta_contable_codigo, debe, haber, cuenta_id, "
            "obligacion_id, recibo_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [asiento_id, fecha_lineas, codigo, debe, haber, cuenta_id, obligacion_id, recibo_id])
    return asiento_id


def saldos(cuenta) -> dict[int, D]:
    return dict(Obligacion.objects.filter(cuenta=cuenta).values_list("pk", "saldo"))


def conteos() -> tuple[int, ...]:
    return (Asiento.objects.count(), LineaAsiento.objects.count(), Obligacion.objects.count(), Recibo.objects.count())


@dataclass
class Libro:
    tecnico: object
    coordinador: object
    cuenta: Cuenta
    planilla: Planilla
    laboral: Obligacion
    patronal: Obligacion
    multa: Obligacion
    recibo: Recibo


@pytest.fixture
def libro(usuarios) -> Libro:
    """DOMAIN example 1's planilla (231.92), a fine, and a partial on-time payment of 50.00."""
    tecnico = usuarios[roles.TECNICO]
    cuenta = CuentaFactory(numero="100000001")
    planilla = planilla_registrar(
        actor=tecnico, cuenta=cuenta, periodo=date(2025, 3, 1), tipo=Planilla.Tipo.SPU,
        fecha_presentacion=date(2025, 4, 5), lineas=[
            LineaTrabajador("000000011", "Ana López", D("408.80"), 30, "000162975"),
            LineaTrabajador("000000012", "Luis Pérez", D("800.00"), 30),
            LineaTrabajador("000000013", "Rosa Ayala", D("1500.00"), 30),
        ])
    multa = cargo_registrar(actor=tecnico, cuenta=cuenta, concepto=Concepto.MULTA, monto=D("57.14"), periodo=None,
                            vencimiento=date(2025, 5, 31), fecha_origen=date(2025, 5, 2), documento_numero="RES-1")
    recibo = recibo_registrar(actor=tecnico, canal="AGRICOLA", referencia="B-1", fecha_pago=date(2025, 4, 10),
                              monto=D("50.00"), numero_patronal=cuenta.numero).recibo
    por_concepto = {o.concepto: o for o in planilla.obligaciones.all()}
    return Libro(tecnico, usuarios[roles.COORDINADOR], cuenta, planilla, por_concepto[Concepto.COTIZACION_LABORAL],
                 por_concepto[Concepto.COTIZACION_PATRONAL], multa, recibo)


def test_el_estado_de_partida_es_el_esperado(libro):
    libro.laboral.refresh_from_db()
    libro.patronal.refresh_from_db()
    assert (libro.laboral.monto, libro.laboral.saldo) == (D("66.26"), D("16.26"))  # worker share paid first
    assert (libro.patronal.monto, libro.patronal.saldo) == (D("165.66"), D("165.66"))


# --- balanced: the deferred trigger, at COMMIT ------------------------------------------------------

def confirmar_debe_fallar(mensaje: str, cuerpo) -> None:
    """Run `cuerpo` in a transaction: its statements pass, COMMIT raises the balance check."""
    antes = conteos()
    insertado = False
    with pytest.raises(IntegrityError, match=mensaje) as info:
        with transaction.atomic():
            cuerpo()
            insertado = True  # every INSERT passed: only COMMIT checks the balance
    assert insertado
    assert info.value.__cause__.pgcode == CHECK
    assert conteos() == antes


# One transactional test for the four cases: each one needs a real COMMIT, and each transactional
# test costs a flush of the whole database.
@pytest.mark.django_db(transaction=True)
def test_el_balance_se_revisa_al_confirmar(libro):
    def crudo(*piernas):
        return lambda: asiento_crudo(tipo="recibo", clave="crudo:1",
                                     piernas=[(c, d, h, None, None, None) for c, d, h in piernas])

    # an asiento with one leg
    confirmar_debe_fallar("al menos dos", crudo((contabilidad.BANCOS, D("10.00"), D("0"))))
    # two legs that do not add up
    confirmar_debe_fallar("no cuadra", crudo((contabilidad.BANCOS, D("10.00"), D("0")),
                                             (contabilidad.RECIBOS_POR_APLICAR, D("0"), D("9.99"))))
    # an unbalanced leg added inside a savepoint still reaches the asiento's check at COMMIT
    def en_savepoint():
        asiento_id = crudo((contabilidad.BANCOS, D("10.00"), D("0")), (contabilidad.RECIBOS_POR_APLICAR, D("0"), D("10.00")))()
        with transaction.atomic():
            sql("INSERT INTO cuentas_lineaasiento (asiento_id, fecha_valor, cuenta_contable_codigo, debe, haber) "
                "VALUES (%s, %s, %s, 1.00, 0)", [asiento_id, FECHA_CRUDA, contabilidad.BANCOS])
    confirmar_debe_fallar("no cuadra", en_savepoint)
    # an asiento committed earlier takes no more legs, unbalanced or not: refused at once (its
    # balance was checked at its own commit, and only the asiento's triggers check it again)
    asiento = Asiento.objects.get(clave=f"planilla:{libro.planilla.pk}")
    for piernas in ([(contabilidad.BANCOS, "1.00", "0")],
                    [(contabilidad.BANCOS, "1.00", "0"), (contabilidad.RECIBOS_POR_APLICAR, "0", "1.00")]):
        antes = conteos()
        with pytest.raises(DatabaseError, match="no es de esta transacci") as info:
            with transaction.atomic():
                sql("INSERT INTO cuentas_lineaasiento (asiento_id, fecha_valor, cuenta_contable_codigo, debe, haber) VALUES "
                    + ", ".join(["(%s, %s, %s, %s, %s)"] * len(piernas)),
                    [v for p in piernas for v in (asiento.pk, asiento.fecha_valor, *p)])
        assert info.value.__cause__.pgcode == RESTRICT
        assert conteos() == antes
    assert asiento.lineas.count() == 4
    # control: a balanced raw asiento commits (the trigger refuses imbalance, not raw inserts)
    with transaction.atomic():
        crudo((contabilidad.BANCOS, D("10.00"), D("0")), (contabilidad.RECIBOS_POR_APLICAR, D("0"), D("10.00")))()
    assert Asiento.objects.filter(clave="crudo:1").exists()


def test_una_linea_lleva_la_fecha_valor_de_su_asiento(libro):
    # The legs' copy of the date is what the reconciliation and the totals by month read.
    for fecha in (date(2025, 4, 30), date(2025, 5, 2)):
        with rechazado(CHECK, "fecha valor"):
            asiento_crudo(tipo="recibo", clave=f"crudo:{fecha}", fecha_lineas=fecha, piernas=[
                (contabilidad.BANCOS, D("10.00"), D("0"), None, None, None),
                (contabilidad.RECIBOS_POR_APLICAR, D("0"), D("10.00"), None, None, None)])
    with rechazado("23502"):  # not null
        sql("INSERT INTO cuentas_lineaasiento (asiento_id, cuenta_contable_codigo, debe, haber) "
            "SELECT id, %s, 1.00, 0 FROM cuentas_asiento LIMIT 1", [contabilidad.BANCOS])
    # the posting service copies it: every leg has its asiento's date
    assert not LineaAsiento.objects.exclude(fecha_valor=F("asiento__fecha_valor")).exists()
    assert LineaAsiento.objects.count() > 0


def test_la_transaccion_de_un_asiento_la_pone_la_base(libro):
    # Only legs of the asiento's own transaction are accepted, so that mark cannot be chosen.
    with transaction.atomic():
        ((propia,),) = sql("INSERT INTO cuentas_asiento (clave, tipo, fecha_valor, descripcion, transaccion) "
                           "VALUES ('crudo:t', 'recibo', '2025-05-01', '', 1) RETURNING transaccion = txid_current()")
        transaction.set_rollback(True)  # legless: the test's final constraint check would refuse it
    assert propia


# --- append-only ------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentencia", [
    "UPDATE cuentas_asiento SET descripcion = 'corregido' WHERE id = %(asiento)s",
    "UPDATE cuentas_asiento SET fecha_valor = '2020-01-01' WHERE id = %(asiento)s",
    "DELETE FROM cuentas_asiento WHERE id = %(asiento)s",
    "UPDATE cuentas_lineaasiento SET haber = haber + 1 WHERE asiento_id = %(asiento)s",
    "UPDATE cuentas_lineaasiento SET cuenta_contable_codigo = '1110101' WHERE asiento_id = %(asiento)s",
    "DELETE FROM cuentas_lineaasiento WHERE asiento_id = %(asiento)s",
])
def test_asientos_y_piernas_son_de_solo_insercion(libro, sentencia):
    asiento = libro.recibo.asientos.get(tipo=Asiento.Tipo.RECIBO)
    antes = conteos(), list(asiento.lineas.values_list("debe", "haber", "cuenta_contable_id"))
    with rechazado(RESTRICT, "solo inserci"):
        sql(sentencia, {"asiento": asiento.pk})
    assert (conteos(), list(asiento.lineas.values_list("debe", "haber", "cuenta_contable_id"))) == antes


# --- reversal at most once; idempotent clave ---------------------------------------------------------

def test_segunda_reversion_viola_unique_reversa_de(libro):
    cargo = libro.multa.lineas.get(debe__gt=0).asiento
    primera = asiento_revertir(actor=libro.tecnico, asiento=cargo, fecha_valor=date(2025, 5, 3), motivo="error")
    assert primera.creado and primera.asiento.reversa_de_id == cargo.pk
    libro.multa.refresh_from_db()
    assert libro.multa.saldo == 0
    with pytest.raises(ErrorDeNegocio, match="ya fue revertido"):
        asiento_revertir(actor=libro.tecnico, asiento=cargo, fecha_valor=date(2025, 5, 4), motivo="otra vez")
    antes = conteos()
    with rechazado(UNIQUE, "reversa_de"):
        asiento_crudo(tipo="reversa", clave="reversa:otra", reversa_de=cargo.pk, piernas=[
            (contabilidad.cuenta_por_cobrar(Concepto.MULTA), D("57.14"), D("0"), libro.cuenta.pk, None, None),
            (contabilidad.cuenta_de_ingreso(Concepto.MULTA), D("0"), D("57.14"), libro.cuenta.pk, None, None)])
    assert conteos() == antes


def test_una_reversion_no_se_revierte(libro):
    cargo = libro.multa.lineas.get(debe__gt=0).asiento
    reversa = asiento_revertir(actor=libro.tecnico, asiento=cargo, fecha_valor=date(2025, 5, 3), motivo="error").asiento
    with pytest.raises(ErrorDeNegocio):
        asiento_revertir(actor=libro.tecnico, asiento=reversa, fecha_valor=date(2025, 5, 4), motivo="deshacer")


def test_un_recibo_ya_aplicado_no_se_revierte_antes_que_su_aplicacion(libro):
    # Reversing the receipt alone would leave "recibos por aplicar" at -50.00: a negative saldo a favor.
    recibo_asiento = libro.recibo.asientos.get(tipo=Asiento.Tipo.RECIBO)
    antes = conteos(), saldos(libro.cuenta)
    with pytest.raises(ErrorDeNegocio, match="ya se aplic"):
        asiento_revertir(actor=libro.tecnico, asiento=recibo_asiento, fecha_valor=date(2025, 4, 20), motivo="rechazado")
    assert (conteos(), saldos(libro.cuenta)) == antes
    aplicacion = libro.recibo.asientos.get(tipo=Asiento.Tipo.APLICACION)
    asiento_revertir(actor=libro.tecnico, asiento=aplicacion, fecha_valor=date(2025, 4, 20), motivo="mal aplicado")
    assert saldo_a_favor(cuenta_id=libro.cuenta.pk) == D("50.00")
    asiento_revertir(actor=libro.tecnico, asiento=recibo_asiento, fecha_valor=date(2025, 4, 20), motivo="rechazado")
    assert saldo_a_favor(cuenta_id=libro.cuenta.pk) == D("0.00")
    libro.laboral.refresh_from_db()
    assert libro.laboral.saldo == libro.laboral.monto


def test_revertir_una_aplicacion_tardia_deshace_tambien_su_recargo(libro):
    # Paid 20/05/2025 (2 months late): the application charges a surcharge and pays it in the same
    # asiento. Its reversal must go through (debits before credits), leaving the surcharge at 0.
    pago = recibo_registrar(actor=libro.tecnico, canal="AGRICOLA", referencia="B-T", fecha_pago=date(2025, 5, 20),
                            monto=D("185.56"), numero_patronal=libro.cuenta.numero).recibo
    aplicacion = pago.asientos.get(tipo=Asiento.Tipo.APLICACION)
    recargos = Obligacion.objects.filter(concepto=Concepto.RECARGO).order_by("base__concepto")
    # 16.26 and 165.66 × 1 % × 2 months, paid in full by the same asiento
    assert [(r.monto, r.saldo) for r in recargos] == [(D("0.33"), D("0.00")), (D("3.31"), D("0.00"))]
    reversa = asiento_revertir(actor=libro.tecnico, asiento=aplicacion, fecha_valor=date(2025, 5, 21), motivo="error")
    assert reversa.creado
    libro.laboral.refresh_from_db()
    libro.patronal.refresh_from_db()
    assert [r.saldo for r in recargos.all()] == [D("0.00"), D("0.00")]
    assert (libro.laboral.saldo, libro.patronal.saldo) == (D("16.26"), D("165.66"))
    assert saldo_a_favor(cuenta_id=libro.cuenta.pk) == D("185.56")


def test_misma_clave_devuelve_el_primer_asiento_y_no_cambia_nada(libro):
    primero = Asiento.objects.get(clave=f"planilla:{libro.planilla.pk}")
    antes = conteos(), saldos(libro.cuenta)
    # Different legs under the same clave: the event was already posted, so the first result wins.
    resultado = asiento_registrar(
        actor=libro.tecnico, clave=primero.clave, tipo=Asiento.Tipo.CARGO, fecha_valor=date(2025, 6, 1),
        piernas=[Pierna(contabilidad.cuenta_por_cobrar(Concepto.COTIZACION_PATRONAL), debe=D("1.00"),
                        cuenta_id=libro.cuenta.pk, obligacion_id=libro.patronal.pk),
                 Pierna(contabilidad.cuenta_de_ingreso(Concepto.COTIZACION_PATRONAL), haber=D("1.00"))])
    assert (resultado.asiento.pk, resultado.creado) == (primero.pk, False)
    assert (conteos(), saldos(libro.cuenta)) == antes
    # The same receipt again (same canal + referencia) is the same receipt.
    otra_vez = recibo_registrar(actor=libro.tecnico, canal="AGRICOLA", referencia="B-1", fecha_pago=date(2025, 4, 11),
                                monto=D("99.00"), numero_patronal=libro.cuenta.numero)
    assert (otra_vez.recibo.pk, otra_vez.creado) == (libro.recibo.pk, False)
    assert (conteos(), saldos(libro.cuenta)) == antes


# --- obligations: only saldo moves, by the leg trigger; never deleted; 0 <= saldo <= monto -------------

@pytest.mark.parametrize("sentencia", [
    "UPDATE cuentas_obligacion SET monto = monto + 100 WHERE id = %(o)s",
    "UPDATE cuentas_obligacion SET concepto = 'multa' WHERE id = %(o)s",
    "UPDATE cuentas_obligacion SET vencimiento = '2030-01-01' WHERE id = %(o)s",
    "UPDATE cuentas_obligacion SET saldo = 0, monto = 1 WHERE id = %(o)s",
])
def test_obligacion_no_se_modifica(libro, sentencia):
    antes = Obligacion.objects.filter(pk=libro.patronal.pk).values().get()
    with rechazado(RESTRICT, "no se modifica"):
        sql(sentencia, {"o": libro.patronal.pk})
    assert Obligacion.objects.filter(pk=libro.patronal.pk).values().get() == antes


def test_la_pierna_mueve_el_saldo(libro):
    # A payment is a leg; the trigger moves the cached saldo in the same transaction.
    recibo_registrar(actor=libro.tecnico, canal="AGRICOLA", referencia="B-2", fecha_pago=date(2025, 4, 10),
                     monto=D("100.00"), numero_patronal=libro.cuenta.numero)
    for o in (libro.laboral, libro.patronal):
        o.refresh_from_db()
        legs = o.lineas.aggregate(d=Sum("debe"), h=Sum("haber"))
        assert o.saldo == legs["d"] - legs["h"]
    assert (libro.laboral.saldo, libro.patronal.saldo) == (D("0.00"), D("81.92"))  # 16.26 + 83.74


def test_obligacion_no_se_borra(libro):
    with rechazado(RESTRICT, "no se borran"):
        sql("DELETE FROM cuentas_obligacion WHERE id = %s", [libro.multa.pk])
    assert Obligacion.objects.filter(pk=libro.multa.pk).exists()


@pytest.mark.parametrize("debe,haber", [(D("0"), D("165.67")), (D("0.01"), D("0"))], ids=["bajo_cero", "sobre_monto"])
def test_pierna_que_saca_el_saldo_de_rango_falla(libro, debe, haber):
    # Patronal: monto = saldo = 165.66. The asiento balances; only the CHECK 0 <= saldo <= monto refuses it.
    por_aplicar = (contabilidad.RECIBOS_POR_APLICAR, haber, debe, libro.cuenta.pk, None, libro.recibo.pk)
    with rechazado(CHECK, "obligacion_saldo_en_rango"):
        asiento_crudo(tipo="aplicacion", clave="crudo:rango", piernas=[
            (contabilidad.cuenta_por_cobrar(Concepto.COTIZACION_PATRONAL), debe, haber, libro.cuenta.pk,
             libro.patronal.pk, None), por_aplicar])
    libro.patronal.refresh_from_db()
    assert libro.patronal.saldo == D("165.66")


def test_pierna_de_otra_cuenta_falla(libro):
    otra = CuentaFactory(numero="100000009")
    with rechazado(CHECK, "no pertenece"):
        asiento_crudo(tipo="aplicacion", clave="crudo:otra", piernas=[
            (contabilidad.cuenta_por_cobrar(Concepto.MULTA), D("0"), D("1.00"), otra.pk, libro.multa.pk, None),
            (contabilidad.RECIBOS_POR_APLICAR, D("1.00"), D("0"), otra.pk, None, None)])


# --- exonerations and annulments never reduce contributions (R8) ---------------------------------------

@pytest.mark.parametrize("tipo", ["exoneracion", "anulacion"])
@pytest.mark.parametrize("concepto", [Concepto.COTIZACION_PATRONAL, Concepto.COTIZACION_LABORAL])
def test_ajuste_no_reduce_cotizaciones_ni_con_sql_crudo(libro, tipo, concepto):
    obligacion = libro.patronal if concepto == Concepto.COTIZACION_PATRONAL else libro.laboral
    with rechazado(CHECK, "no puede reducir cotizaciones"):
        asiento_crudo(tipo=tipo, clave=f"crudo:{tipo}", piernas=[
            (contabilidad.cuenta_por_cobrar(concepto), D("0"), D("1.00"), libro.cuenta.pk, obligacion.pk, None),
            (contabilidad.EXONERACIONES, D("1.00"), D("0"), libro.cuenta.pk, None, None)])
    assert Obligacion.objects.get(pk=obligacion.pk).saldo == obligacion.saldo


def test_ajuste_crudo_de_una_multa_pasa_el_trigger(libro):
    # Control: the same raw legs on a fine are accepted (the balance is checked at COMMIT, not here).
    asiento_crudo(tipo="exoneracion", clave="crudo:multa", piernas=[
        (contabilidad.cuenta_por_cobrar(Concepto.MULTA), D("0"), D("1.00"), libro.cuenta.pk, libro.multa.pk, None),
        (contabilidad.EXONERACIONES, D("1.00"), D("0"), libro.cuenta.pk, None, None)])
    assert Obligacion.objects.get(pk=libro.multa.pk).saldo == D("56.14")


@pytest.mark.parametrize("tipo", [SolicitudAjuste.Tipo.EXONERACION, SolicitudAjuste.Tipo.ANULACION])
def test_el_servicio_tampoco_propone_reducir_cotizaciones(libro, tipo):
    with pytest.raises(ErrorDeNegocio, match="nunca reduce cotizaciones"):
        solicitud_proponer(actor=libro.tecnico, tipo=tipo, cuenta=libro.cuenta, obligaciones=[libro.patronal, libro.multa],
                           fecha_corte=date(2025, 6, 30), motivo="transacción", acuerdo_numero="CD-1",
                           acuerdo_fecha=date(2025, 6, 30))
    assert not SolicitudAjuste.objects.exists()


# --- receipts and planillas ---------------------------------------------------------------------------

@pytest.mark.parametrize("sentencia", [
    "DELETE FROM cuentas_recibo WHERE id = %(r)s",
    "UPDATE cuentas_recibo SET monto = 5000 WHERE id = %(r)s",
    "UPDATE cuentas_recibo SET referencia = 'B-X' WHERE id = %(r)s",
    "UPDATE cuentas_recibo SET cuenta_id = %(otra)s WHERE id = %(r)s",
    "UPDATE cuentas_recibo SET cuenta_id = NULL WHERE id = %(r)s",
])
def test_recibo_no_se_borra_ni_cambia(libro, sentencia):
    otra = CuentaFactory(numero="100000008")
    antes = Recibo.objects.filter(pk=libro.recibo.pk).values().get()
    with rechazado(RESTRICT, "recibo"):
        sql(sentencia, {"r": libro.recibo.pk, "otra": otra.pk})
    assert Recibo.objects.filter(pk=libro.recibo.pk).values().get() == antes


def test_recibo_sin_identificar_solo_admite_asignar_la_cuenta(libro):
    # Control: identification (setting the cuenta once) is the one change a receipt accepts.
    recibo = recibo_registrar(actor=libro.tecnico, canal="AGRICOLA", referencia="B-SIN", fecha_pago=date(2025, 4, 10),
                              monto=D("10.00"), numero_patronal="").recibo
    sql("UPDATE cuentas_recibo SET cuenta_id = %s WHERE id = %s", [libro.cuenta.pk, recibo.pk])
    with rechazado(RESTRICT, "recibo"):
        sql("UPDATE cuentas_recibo SET cuenta_id = NULL WHERE id = %s", [recibo.pk])


@pytest.mark.parametrize("sentencia", [
    "UPDATE cuentas_planilla SET total_patronal = 0 WHERE id = %(p)s",
    "UPDATE cuentas_planilla SET fecha_presentacion = '2025-04-01' WHERE id = %(p)s",
    "DELETE FROM cuentas_planilla WHERE id = %(p)s",
    "UPDATE cuentas_lineaplanilla SET salario = 1 WHERE planilla_id = %(p)s",
    "DELETE FROM cuentas_lineaplanilla WHERE planilla_id = %(p)s",
])
def test_planilla_y_sus_lineas_no_se_modifican(libro, sentencia):
    antes = Planilla.objects.filter(pk=libro.planilla.pk).values().get(), list(
        LineaPlanilla.objects.filter(planilla=libro.planilla).order_by("pk").values_list("salario", flat=True))
    with rechazado(RESTRICT, "solo inserci"):
        sql(sentencia, {"p": libro.planilla.pk})
    assert (Planilla.objects.filter(pk=libro.planilla.pk).values().get(), list(
        LineaPlanilla.objects.filter(planilla=libro.planilla).order_by("pk").values_list("salario", flat=True))) == antes


# --- four eyes -----------------------------------------------------------------------------------------

def test_cuatro_ojos_en_sql(libro):
    solicitud = solicitud_proponer(actor=libro.coordinador, tipo=SolicitudAjuste.Tipo.ANULACION, cuenta=libro.cuenta,
                                   obligaciones=[libro.multa], fecha_corte=date(2025, 5, 10), motivo="mal impuesta")
    with rechazado(CHECK, "ajuste_cuatro_ojos"):
        sql("UPDATE cuentas_solicitudajuste SET resuelto_por_id = propuesto_por_id, estado = 'aprobada' WHERE id = %s",
            [solicitud.pk])
    # The service says no too, before posting anything.
    antes = conteos()
    with pytest.raises(ErrorDeNegocio, match="cuatro ojos"):
        solicitud_aprobar(actor=libro.coordinador, solicitud=solicitud)
    assert conteos() == antes
    solicitud.refresh_from_db()
    assert (solicitud.estado, solicitud.resuelto_por_id) == (SolicitudAjuste.Estado.PROPUESTA, None)
    # Another approver may.
    otro = type(libro.coordinador).objects.create_user(username="otro_coord", password="x", sucursal=libro.coordinador.sucursal)
    otro.groups.set(libro.coordinador.groups.all())
    asiento = solicitud_aprobar(actor=otro, solicitud=solicitud)
    assert asiento.tipo == Asiento.Tipo.ANULACION
    libro.multa.refresh_from_db()
    assert libro.multa.saldo == 0
