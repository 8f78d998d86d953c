"""A batch of statements on a real Celery worker process (prefork, the production command line),
killed with kill -9 in the middle and started again: every document exists exactly once and the ZIP
holds them all. 60 statements in the normal suite; PROCESOS_LOTE_GRANDE=1 also runs the issue's 2,000."""
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections import Counter
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from stdnum.sv import nit as stdnum_nit

from cuentas.services.planillas import LineaTrabajador, planilla_registrar
from issscobros import roles
from issscobros.celery import app
from issscobros.models import Documento, Proceso
from issscobros.procesos.servicios import proceso_iniciar
from issscobros.procesos.zip import ruta
from tests.bench.documentos import _rss_sesion
from tests.factories import CuentaFactory

RAIZ = Path(__file__).resolve().parents[2]
VISIBILIDAD = 4  # seconds before Redis hands an unacknowledged chunk to another worker


def _url_bd() -> str:
    d = connection.settings_dict
    return f"postgres://{d['USER']}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{d['NAME']}"


def iniciar_worker(registro) -> subprocess.Popen:
    entorno = {**os.environ, "DATABASE_URL": _url_bd(), "REDIS_URL": settings.REDIS_URL,
               "DJANGO_SETTINGS_MODULE": "issscobros.settings.local", "DJANGO_DEBUG": "0",
               "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT), "CELERY_VISIBILITY_TIMEOUT": str(VISIBILIDAD),
               "CELERY_RESTAURAR_CADA": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "issscobros", "worker", "--pool=prefork", "--concurrency=1",
         "--without-gossip", "--without-mingle", "--loglevel=INFO"],
        cwd=RAIZ, env=entorno, stdout=registro, stderr=subprocess.STDOUT, start_new_session=True)


def matar(proceso: subprocess.Popen) -> None:
    """kill -9 of the worker and its pool children (its own session), as the OOM killer would."""
    try:
        os.killpg(proceso.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proceso.wait(timeout=10)


def esperar(condicion, limite: float, registro) -> None:
    fin = time.monotonic() + limite
    while not condicion():
        if time.monotonic() > fin:
            registro.flush()
            raise AssertionError("tiempo agotado; registro del worker:\n" + Path(registro.name).read_text()[-4000:])
        time.sleep(0.2)


def lote_con_muerte(usuarios, sucursal, n: int, tmp_path) -> None:
    tecnico = usuarios[roles.TECNICO]
    numeros = []
    for i in range(n):
        # Our own NITs: the factory's sequence repeats after 900.
        base = f"0614{1 + i // 900:02d}0291{i % 900 + 100:03d}"
        cuenta = CuentaFactory(numero=f"4{i:08d}", deudor__sucursal=sucursal,
                               deudor__nit=base + stdnum_nit.calc_check_digit(base))
        planilla_registrar(actor=tecnico, cuenta=cuenta, periodo=date(2025, 3, 1), tipo="SPU",
                           fecha_presentacion=date(2025, 4, 5), lineas=[LineaTrabajador("1", "Ana", D("400.00"), 30)])
        numeros.append(cuenta.numero)
    app.control.purge()  # chunks left on this Redis database by earlier runs
    registro = open(tmp_path / "worker.log", "w+")
    worker = iniciar_worker(registro)
    try:
        proceso = proceso_iniciar(actor=tecnico, tipo="estados_cuenta",
                                  parametros={"seleccion": "numeros", "numeros": numeros, "fecha": "2025-06-30"})

        def avance():
            return Proceso.objects.values_list("hechos", flat=True).get(pk=proceso.pk)

        mitad = n // 2
        esperar(lambda: avance() >= mitad, 300, registro)
        matar(worker)
        hechos_al_morir = avance()
        assert hechos_al_morir < n, "el lote terminó antes de matar al worker"
        worker = iniciar_worker(registro)
        esperar(lambda: Proceso.objects.get(pk=proceso.pk).estado == "terminado", 3600, registro)
        # The restarted worker rendered the other half: its largest process stays under 400 MB.
        mayor_kib, _ = _rss_sesion(worker.pid)
        assert 0 < mayor_kib <= 400 * 1024
    finally:
        matar(worker)
        registro.close()
    proceso.refresh_from_db()
    assert (proceso.hechos, proceso.total, proceso.errores) == (n, n, [])
    por_cuenta = Counter(Documento.objects.filter(tipo="estado_cuenta").values_list("referencia", flat=True))
    assert por_cuenta == Counter({numero: 1 for numero in numeros})  # each exactly once
    with zipfile.ZipFile(ruta(proceso.archivo)) as archivo:
        assert len(archivo.namelist()) == n
        assert sorted(nombre.split("_")[1].removesuffix(".pdf") for nombre in archivo.namelist()) == sorted(numeros)
    # Numbers of the series are gapless: the killed item gave its number back.
    assert sorted(Documento.objects.values_list("numero", flat=True)) == list(range(1, n + 1))


@pytest.mark.django_db(transaction=True)
def test_lote_sobrevive_kill_9_del_worker(usuarios, sucursal, tmp_path):
    lote_con_muerte(usuarios, sucursal, 60, tmp_path)


@pytest.mark.skipif(not os.environ.get("PROCESOS_LOTE_GRANDE"), reason="lento (~15 min): PROCESOS_LOTE_GRANDE=1 lo corre")
@pytest.mark.django_db(transaction=True)
def test_lote_de_2000_sobrevive_kill_9_del_worker(usuarios, sucursal, tmp_path):
    lote_con_muerte(usuarios, sucursal, 2000, tmp_path)
