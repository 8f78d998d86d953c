"""Payments under an agreement: a bank file carrying cuota references (importar_pagos, CONTRACTS
§5.2) applies each payment to its cuota; overpayment moves to the next cuota; a cuota can be paid in
parts; a receipt without NPE nor period goes to the oldest unpaid cuota; all money through the
ledger, on the included obligations only."""
from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings, strategies as st

from convenios import reportes
from convenios.models import AplicacionCuota, Convenio
from issscobros import roles
from cuentas.models import Recibo
from cuentas.services.pagos import saldo_a_favor
from issscobros.money import repartir

from .test_ejemplos import firmado

pytestmark = pytest.mark.django_db


def test_archivo_de_pagos_con_referencias_de_cuota(ejemplo_3, usuarios, pagar):
    cuenta = ejemplo_3()
    convenio = firmado(cuenta, usuarios[roles.GESTOR])
    c = {q.numero: q for q in convenio.cuotas.all()}
    salida = pagar([
        ("B-100", "2025-06-30", "327.60", "", c[0].npe),             # the prima, by NPE only
        ("B-101", "2025-07-31", "300.00", "", c[1].npe),             # 218.40 + 81.60 to cuota 2
        ("B-102", "2025-08-31", "100.00", cuenta.numero, c[2].npe),  # cuota 2 in parts: 81.60 + 100 = 181.60
        ("B-103", "2025-09-15", "50.00", cuenta.numero, ""),         # no NPE: the oldest unpaid cuota (2)
    ])
    assert "4" in salida
    c = {q.numero: q for q in convenio.cuotas.all()}
    assert (c[0].pagado, c[1].pagado, c[2].pagado, c[3].pagado) == (D("327.60"), D("218.40"), D("218.40"), D("13.20"))
    assert c[1].fecha_pago == date(2025, 7, 31) and c[2].fecha_pago == date(2025, 9, 15) and c[3].fecha_pago is None
    assert sum(a.monto for a in AplicacionCuota.objects.all()) == D("777.60")
    assert all(r.cuenta_id == cuenta.pk for r in Recibo.objects.all())
    convenio.refresh_from_db()
    assert convenio.estado == Convenio.Estado.VIGENTE
    # every cent reached the ledger's included obligations: nothing left as credit
    assert saldo_a_favor(cuenta_id=cuenta.pk) == D("0.00")
    # a receipt already recorded changes nothing
    pagar([("B-100", "2025-06-30", "327.60", "", c[0].npe), ("B-104", "2025-09-30", "0.01", "", c[3].npe)])
    assert AplicacionCuota.objects.count() == 7
    assert convenio.cuotas.get(numero=0).pagado == D("327.60")
    # the reports: expected against collected by month, and the agent's agreements
    jefe = usuarios[roles.JEFE_DEPARTAMENTO]
    meses = {m["mes"].month: (m["esperado"], m["cobrado"]) for m in reportes.esperado_y_cobrado(user=jefe, anio=2025)}
    assert meses[6] == (D("327.60"), D("327.60")) and meses[7] == (D("218.40"), D("300.00"))
    assert meses[8] == (D("218.40"), D("100.00")) and meses[9] == (D("218.40"), D("50.01"))
    assert meses[12] == (D("218.40"), D("0.00")) and meses[1] == (D("0.00"), D("0.00"))
    (fila,) = reportes.por_agente_y_sucursal(user=jefe)
    assert (fila["vigente"], fila["total_vigente"], fila["cumplido"]) == (1, D("1638.00"), 0)


@given(total=st.decimals(min_value=D("0.01"), max_value=D("9999999.99"), places=2),
       partes=st.integers(min_value=1, max_value=120))
@settings(max_examples=300, deadline=None)
def test_las_cuotas_suman_exactamente_el_total(total, partes):
    if total < partes * D("0.01"):
        return
    cuotas = repartir(total, partes)
    assert sum(cuotas) == total and len(cuotas) == partes
    assert max(cuotas) - min(cuotas) <= D("0.01") and min(cuotas) > 0
