"""The nightly generation and the on-demand button at the same moment (threads on real PostgreSQL,
released together by a barrier): each deudor in mora gets exactly one case, and the second run
waits for the first (advisory lock) instead of failing on the unique index."""
import threading
from datetime import date

import pytest
from django.db import connections

from mora.generacion import cartera_generar
from mora.models import CasoCobro

pytestmark = pytest.mark.django_db(transaction=True)
HILOS = 4


def test_generaciones_simultaneas_abren_un_caso_por_deudor(usuarios, sucursal, libro):
    for _ in range(6):
        libro.planilla(libro.cuenta(sucursal), date(2025, 1, 1))
    barrera = threading.Barrier(HILOS)
    resultados, errores = [], []

    def generar():
        try:
            barrera.wait(timeout=30)
            resultados.append(cartera_generar(actor=None, fecha=date(2025, 6, 30)).abiertos)
        except BaseException as exc:  # reported below
            errores.append(exc)
        finally:
            connections.close_all()

    hilos = [threading.Thread(target=generar) for _ in range(HILOS)]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join(timeout=60)
    assert not errores, errores
    assert sorted(resultados) == [0] * (HILOS - 1) + [6]
    assert CasoCobro.objects.count() == 6 == CasoCobro.objects.values("deudor").distinct().count()
