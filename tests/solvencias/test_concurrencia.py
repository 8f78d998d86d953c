"""Eligibility is decided under the lock the posting service takes on the cuentas of the NIT: a charge
posted while a solvency is being issued waits for it, and an issue that starts while a charge is being
posted waits and then sees the charge. Real threads, each with its own PostgreSQL connection."""
import threading
import time

import pytest
from django.db import connection, connections, transaction

from solvencias.models import Solvencia
from solvencias.services import NoSolvente, solvencia_emitir
from tests.factories import CuentaFactory

from .conftest import declarar, mes, multa_proveedor

pytestmark = pytest.mark.django_db(transaction=True)


def en_hilo(funcion):
    """Start `funcion` in a thread with its own connection; returns (thread, result dict)."""
    resultado = {}

    def correr():
        try:
            resultado["valor"] = funcion()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            resultado["error"] = exc
        finally:
            connections.close_all()

    hilo = threading.Thread(target=correr, daemon=True)
    hilo.start()
    return hilo, resultado


def esperar_bloqueo(resultado, segundos=10):
    """Wait until another session of this database waits for a lock. (pg_stat_activity is a snapshot
    kept for the rest of our transaction unless cleared.)"""
    limite = time.monotonic() + segundos
    while time.monotonic() < limite:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            # A row-lock wait is on the holder's transaction id (pg_locks.database is NULL for it).
            cursor.execute("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                           "WHERE NOT l.granted AND a.datname = current_database() AND l.pid <> pg_backend_pid()")
            if cursor.fetchone()[0]:
                return
        assert "error" not in resultado and "valor" not in resultado, f"no esperó el bloqueo: {resultado}"
        time.sleep(0.05)
    raise AssertionError("la otra transacción no llegó al bloqueo")


def test_un_cargo_durante_la_emision_espera_y_una_emision_durante_un_cargo_lo_ve(tecnico, patrono, sucursal):
    from cuentas.models import Cuenta

    deudor, primera, _ = patrono
    declarar(tecnico, primera, mes(0))
    contrato = CuentaFactory(deudor=deudor, tipo=Cuenta.Tipo.CONTRATO_PROVEEDOR, numero="LP-A")

    # 1. The issue holds the locks: the charge waits for the certificate to be committed.
    with transaction.atomic():
        solvencia = solvencia_emitir(actor=tecnico, deudor=deudor)
        hilo, resultado = en_hilo(lambda: multa_proveedor(tecnico, contrato))
        esperar_bloqueo(resultado)
        assert hilo.is_alive()
    hilo.join(30)
    assert "error" not in resultado, resultado
    assert solvencia.datos["motivos"] == []  # what was certified: before the charge
    assert Solvencia.objects.get(pk=solvencia.pk).datos["solvente"] is True

    # 2. A charge holds the locks: the issue waits, then sees it and refuses.
    otro = CuentaFactory(deudor__sucursal=sucursal, numero="100000009").deudor
    contrato_otro = CuentaFactory(deudor=otro, tipo=Cuenta.Tipo.CONTRATO_PROVEEDOR, numero="LP-B")
    with transaction.atomic():
        multa_proveedor(tecnico, contrato_otro)
        hilo, resultado = en_hilo(lambda: solvencia_emitir(actor=tecnico, deudor=otro))
        esperar_bloqueo(resultado)
    hilo.join(30)
    assert isinstance(resultado.get("error"), NoSolvente), resultado
    assert [m.numero for m in resultado["error"].evaluacion.motivos] == ["LP-B"]
    assert not Solvencia.objects.filter(deudor=otro).exists()
