"""Concurrency on real PostgreSQL: several OS processes post to the same cuenta at the same moment
(a barrier releases them together), as web and Celery workers would.

What must hold: the same receipt recorded and applied once however many workers see it; no lost
update (the result equals the same postings made one after another, on a twin cuenta); no deadlock
(every process ends within the time limit); and no lock left behind."""
import multiprocessing
import queue
import time
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection, connections

from cuentas.models import Asiento, Concepto, Cuenta, LineaAsiento, Obligacion, Planilla, Recibo
from cuentas.services.pagos import recibo_registrar, saldo_a_favor
from cuentas.services.planillas import LineaTrabajador, planilla_registrar
from issscobros import roles
from issscobros.models import Usuario
from tests.factories import CuentaFactory

pytestmark = pytest.mark.django_db(transaction=True)

PROCESOS = 4
LIMITE = 90  # seconds for all processes together; far above the few seconds they need
# DOMAIN example 1: 231.92 per period (laboral 66.26, patronal 165.66).
LINEAS = [("000000011", D("408.80")), ("000000012", D("800.00")), ("000000013", D("1500.00"))]
TOTAL_PERIODO = D("231.92")
A_TIEMPO = date(2025, 2, 10)  # before every due date used here: no surcharges, so order cannot matter


# --- children ---------------------------------------------------------------------------------------

def _hijo(nombre_bd, barrera, cola, indice, trabajo, datos):
    # Forked: the parent closed its connections before forking, so this process opens its own, to
    # the test database (the name pytest-django gave it in the parent).
    connection.settings_dict["NAME"] = nombre_bd
    try:
        connection.ensure_connection()
        barrera.wait(timeout=30)  # everyone connected: go together
        cola.put((indice, "ok", trabajo(**datos)))
    except BaseException as exc:  # reported to the parent, which fails the test with it
        cola.put((indice, "error", f"{type(exc).__name__}: {exc}"))
    finally:
        connections.close_all()


def _pagar(*, actor_id, numero, pagos):
    actor = Usuario.objects.get(pk=actor_id)
    hechos = []
    for canal, referencia, monto in pagos:
        r = recibo_registrar(actor=actor, canal=canal, referencia=referencia, fecha_pago=A_TIEMPO, monto=monto,
                             numero_patronal=numero)
        hechos.append((r.recibo.pk, r.creado))
    return hechos


def _declarar(*, actor_id, cuenta_id, periodos):
    actor, cuenta = Usuario.objects.get(pk=actor_id), Cuenta.objects.get(pk=cuenta_id)
    return [planilla_declarar(actor, cuenta, p).pk for p in periodos]


def en_paralelo(trabajos: list[tuple]) -> list:
    """Run each (function, kwargs) in its own OS process, released together; return their results
    in order. Fails on any error, and on any process still running at the limit (a deadlock)."""
    ctx = multiprocessing.get_context("fork")
    barrera, cola = ctx.Barrier(len(trabajos)), ctx.Queue()
    nombre_bd = connection.settings_dict["NAME"]
    connections.close_all()  # a forked child must never share the parent's socket
    procesos = [ctx.Process(target=_hijo, args=(nombre_bd, barrera, cola, i, f, datos), daemon=True)
                for i, (f, datos) in enumerate(trabajos)]
    inicio = time.monotonic()
    for p in procesos:
        p.start()
    resultados = {}
    try:
        while len(resultados) < len(procesos):
            restante = LIMITE - (time.monotonic() - inicio)
            assert restante > 0, f"deadlock: {len(procesos) - len(resultados)} process(es) still running after {LIMITE}s"
            try:
                indice, estado, valor = cola.get(timeout=min(restante, 1))
            except queue.Empty:  # keep waiting until the limit
                continue
            assert estado == "ok", f"process {indice}: {valor}"
            resultados[indice] = valor
        for p in procesos:
            p.join(max(1, LIMITE - (time.monotonic() - inicio)))
            assert p.exitcode == 0, f"process exit code {p.exitcode}"
    finally:
        for p in procesos:
            if p.is_alive():
                p.terminate()
    return [resultados[i] for i in range(len(procesos))]


# --- helpers ------------------------------------------------------------------------------------------

def planilla_declarar(actor, cuenta, periodo: date) -> Planilla:
    siguiente = date(periodo.year + periodo.month // 12, periodo.month % 12 + 1, 3)
    return planilla_registrar(actor=actor, cuenta=cuenta, periodo=periodo, tipo=Planilla.Tipo.SPU,
                              fecha_presentacion=siguiente,
                              lineas=[LineaTrabajador(a, f"Trabajador {a}", s, 30) for a, s in LINEAS])


def saldos(cuenta) -> dict:
    """Saldo per (periodo, concepto); surcharges of one period add up."""
    suma: dict = {}
    for o in Obligacion.objects.filter(cuenta=cuenta):
        suma[(o.periodo, o.concepto)] = suma.get((o.periodo, o.concepto), D("0.00")) + o.saldo
    return suma


def sin_bloqueos_pendientes():
    with connection.cursor() as cursor:
        # Only this test database: other suites share the server.
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                       "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
        assert cursor.fetchone()[0] == 0, "advisory lock left behind"
        for _ in range(50):  # a finished child's backend may take a moment to go away
            cursor.execute("SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                           "WHERE d.datname = current_database() AND l.pid <> pg_backend_pid()")
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.1)
        raise AssertionError("another session still holds locks in the test database")


def aplicado(cuenta) -> D:
    return sum((l.debe for l in LineaAsiento.objects.filter(cuenta=cuenta, asiento__tipo=Asiento.Tipo.APLICACION,
                                                            cuenta_contable_id="2130101")), D("0.00"))


@pytest.fixture
def tecnico(usuarios):
    return usuarios[roles.TECNICO]


# --- tests ----------------------------------------------------------------------------------------------

def test_el_mismo_recibo_desde_varios_procesos_se_registra_y_aplica_una_vez(tecnico):
    # Both paths in one test (each transactional test costs a database flush): a receipt of a known
    # número patronal (cuenta row lock, then UNIQUE canal + referencia) and an unidentified one
    # (no cuenta to lock: only the UNIQUE index serialises them).
    cuenta, gemela = CuentaFactory(numero="100000001"), CuentaFactory(numero="100000002")
    for c in (cuenta, gemela):
        planilla_declarar(tecnico, c, date(2025, 3, 1))
    for referencia, numero in (("DUP-1", cuenta.numero), ("DUP-2", "")):
        pago = [("AGRICOLA", referencia, D("100.00"))]
        resultados = en_paralelo([(_pagar, {"actor_id": tecnico.pk, "numero": numero, "pagos": pago})] * PROCESOS)
        hechos = [h for r in resultados for h in r]
        assert len({pk for pk, _ in hechos}) == 1, "every process got the same receipt"
        assert sum(creado for _, creado in hechos) == 1, "exactly one process recorded it"
        recibo = Recibo.objects.get(canal="AGRICOLA", referencia=referencia)
        assert recibo.asientos.filter(tipo=Asiento.Tipo.RECIBO).count() == 1
        assert recibo.asientos.filter(tipo=Asiento.Tipo.APLICACION).count() == (1 if numero else 0)
        sin_bloqueos_pendientes()
    assert Recibo.objects.filter(cuenta__isnull=True).count() == 1
    # Sequential expectation: the same receipt posted once on the twin.
    _pagar(actor_id=tecnico.pk, numero=gemela.numero, pagos=[("AGRICOLA", "DUP-G", D("100.00"))])
    assert saldos(cuenta) == saldos(gemela) == {(date(2025, 3, 1), Concepto.COTIZACION_LABORAL): D("0.00"),
                                                (date(2025, 3, 1), Concepto.COTIZACION_PATRONAL): D("131.92")}
    assert saldo_a_favor(cuenta_id=cuenta.pk) == D("0.00")


def test_pagos_distintos_a_la_misma_cuenta_no_pierden_nada(tecnico):
    cuenta, gemela = CuentaFactory(numero="100000001"), CuentaFactory(numero="100000002")
    periodos = [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)]
    for c in (cuenta, gemela):
        for p in periodos:
            planilla_declarar(tecnico, c, p)
    adeudado = TOTAL_PERIODO * len(periodos)
    montos = [D("50.00"), D("75.50"), D("60.00"), D("80.00"), D("45.25"), D("70.00"),
              D("65.00"), D("55.00"), D("62.25"), D("57.00"), D("63.00"), D("67.00")]
    total = sum(montos)
    assert total > adeudado  # so a credit (saldo a favor) must remain too
    lotes = [[("CUSCATLAN", f"P-{i}-{j}", montos[i * 3 + j]) for j in range(3)] for i in range(PROCESOS)]
    resultados = en_paralelo([(_pagar, {"actor_id": tecnico.pk, "numero": cuenta.numero, "pagos": lote})
                              for lote in lotes])

    assert all(creado for r in resultados for _, creado in r)
    recibos = Recibo.objects.filter(cuenta=cuenta)
    assert recibos.count() == len(montos)
    for r in recibos:
        assert r.asientos.filter(tipo=Asiento.Tipo.RECIBO).count() == 1
        assert r.asientos.filter(tipo=Asiento.Tipo.APLICACION).count() <= 1
    # The same payments one after another on the twin: oldest period first fills the same way.
    for lote in lotes:
        _pagar(actor_id=tecnico.pk, numero=gemela.numero, pagos=[(c, "G" + ref, m) for c, ref, m in lote])
    assert saldos(cuenta) == saldos(gemela)
    assert all(s == 0 for s in saldos(cuenta).values())
    assert aplicado(cuenta) == adeudado
    assert saldo_a_favor(cuenta_id=cuenta.pk) == saldo_a_favor(cuenta_id=gemela.pk) == total - adeudado
    sin_bloqueos_pendientes()


def test_planillas_y_pagos_a_la_vez_no_dejan_credito_sin_aplicar(tecnico):
    cuenta = CuentaFactory(numero="100000001")
    periodos = [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1), date(2025, 4, 1)]
    montos = [D("61.00"), D("99.99"), D("150.00"), D("42.10"), D("80.00"), D("66.91")]
    pagado = sum(montos)
    trabajos = [
        (_declarar, {"actor_id": tecnico.pk, "cuenta_id": cuenta.pk, "periodos": periodos[:2]}),
        (_declarar, {"actor_id": tecnico.pk, "cuenta_id": cuenta.pk, "periodos": periodos[2:]}),
        (_pagar, {"actor_id": tecnico.pk, "numero": cuenta.numero,
                  "pagos": [("BAC", f"M-{i}", m) for i, m in enumerate(montos[:3])]}),
        (_pagar, {"actor_id": tecnico.pk, "numero": cuenta.numero,
                  "pagos": [("BAC", f"N-{i}", m) for i, m in enumerate(montos[3:])]}),
    ]
    en_paralelo(trabajos)

    adeudado = TOTAL_PERIODO * len(periodos)
    assert Planilla.objects.filter(cuenta=cuenta).count() == len(periodos)
    # Whatever the interleaving, a payment that arrived before its planilla was applied when the
    # planilla came: nothing owed while money waits.
    assert saldo_a_favor(cuenta_id=cuenta.pk) == 0
    assert sum(saldos(cuenta).values()) == adeudado - pagado
    assert aplicado(cuenta) == pagado
    assert not Obligacion.objects.filter(cuenta=cuenta, concepto=Concepto.RECARGO).exists()
    sin_bloqueos_pendientes()
