"""Aging of balances as of a date equals the ledger's overdue amounts on that date, to the cent,
even when payments were made after it (DOMAIN example 3)."""
from datetime import date
from decimal import Decimal as D

import pytest

from cuentas.estado import cuenta_estado
from issscobros import roles
from mora.antiguedad import antiguedad_saldos

pytestmark = pytest.mark.django_db


def vencido_segun_libro(cuenta, fecha):
    estado = cuenta_estado(cuenta=cuenta, fecha=fecha)
    return sum((l.saldo for l in estado.lineas if l.obligacion.vencimiento < fecha), D("0.00"))


def test_antiguedad_a_fecha_pasada_igual_al_libro(usuarios, sucursal, otra_sucursal, libro):
    jefe = usuarios[roles.JEFE_DEPARTAMENTO]
    cuenta = libro.cuenta(sucursal)
    otra = libro.cuenta(otra_sucursal)
    for mes in (1, 2, 3):
        libro.planilla(cuenta, date(2025, mes, 1))
    libro.planilla(otra, date(2025, 1, 1), trabajadores=2)
    # Payments AFTER the cut-off date: a partial one and the whole of the other cuenta.
    libro.pago(cuenta, date(2025, 7, 15), "600.00", "R-1")
    libro.pago(otra, date(2025, 8, 1), "200.00", "R-2")

    corte = date(2025, 6, 30)
    reporte = antiguedad_saldos(user=jefe, fecha=corte, dimension="sucursal")
    # DOMAIN example 3: due 14 Feb, 14 Mar, 14 Apr → 136, 108 and 77 days overdue on 30 June.
    fila = next(f for f in reporte.filas if f.clave == sucursal.pk)
    assert fila.tramos == [D("0.00"), D("0.00"), D("525.00"), D("1050.00"), D("0.00"), D("0.00")]
    assert fila.total == D("1575.00") == vencido_segun_libro(cuenta, corte)
    assert reporte.total == vencido_segun_libro(cuenta, corte) + vencido_segun_libro(otra, corte) == D("1680.00")

    # After the payments the ledger's balance is lower; the report as of each date follows it.
    for fecha in (date(2025, 7, 20), date(2025, 8, 15), date(2026, 1, 31)):
        r = antiguedad_saldos(user=jefe, fecha=fecha, dimension="total")
        assert r.total == vencido_segun_libro(cuenta, fecha) + vencido_segun_libro(otra, fecha)
    assert antiguedad_saldos(user=jefe, fecha=date(2025, 8, 15), dimension="total").total < D("1680.00")


def test_antiguedad_por_concepto_y_alcance(usuarios, sucursal, otra_sucursal, libro):
    cuenta = libro.cuenta(sucursal)
    otra = libro.cuenta(otra_sucursal)
    libro.planilla(cuenta, date(2025, 1, 1))
    libro.planilla(otra, date(2025, 1, 1))
    corte = date(2025, 3, 1)
    por_concepto = antiguedad_saldos(user=usuarios[roles.JEFE_DEPARTAMENTO], fecha=corte, dimension="concepto")
    assert {f.nombre: f.total for f in por_concepto.filas} == {
        "Cotización laboral": D("300.00"), "Cotización patronal": D("750.00")}
    # A jefe de sucursal sees only their branch; a gestor only the deudores of their cases.
    assert antiguedad_saldos(user=usuarios[roles.JEFE_SUCURSAL], fecha=corte, dimension="total").total == D("525.00")
    assert antiguedad_saldos(user=usuarios[roles.GESTOR], fecha=corte, dimension="total").total == D("0.00")


def test_tendencia_del_tablero_igual_a_la_antiguedad_de_cada_cierre(usuarios, sucursal, libro):
    """The dashboard's 24-month trend (one pass over the legs) equals the aging as of each month end."""
    from mora.kpi import _tendencia

    cuenta = libro.cuenta(sucursal)
    for mes in (1, 2, 3, 4):
        libro.planilla(cuenta, date(2025, mes, 1))
    libro.pago(cuenta, date(2025, 5, 20), "700.00", "T-1")
    libro.pago(cuenta, date(2025, 9, 3), "900.00", "T-2")
    jefe = usuarios[roles.JEFE_DEPARTAMENTO]
    puntos = _tendencia(date(2026, 2, 10))
    assert len(puntos) == 24 and puntos[-1]["fecha"] == "2026-02-10" and puntos[-2]["fecha"] == "2026-01-31"
    for p in puntos:
        esperado = antiguedad_saldos(user=jefe, fecha=date.fromisoformat(p["fecha"]), dimension="total").total
        assert D(p["sucursales"].get(str(sucursal.pk), "0")) == esperado, p["fecha"]
    assert any(D(p["sucursales"].get(str(sucursal.pk), "0")) > 0 for p in puntos)
