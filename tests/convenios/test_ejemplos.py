"""DOMAIN.md examples 3 and 4 lived as an agreement: to the cent."""
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.files.base import ContentFile

from convenios.models import Convenio
from convenios.services.convenios import convenio_crear, convenio_legalizar
from convenios.services.incumplimiento import convenio_revisar, convenios_revisar
from cuentas.estado import cuenta_estado
from cuentas.identificadores import npe_es_valido
from cuentas.models import Concepto, Obligacion
from issscobros import roles

from .conftest import FIRMA

pytestmark = pytest.mark.django_db


def firmado(cuenta, usuario, legalizar=True, **kw):
    obligaciones = list(Obligacion.objects.filter(cuenta=cuenta, saldo__gt=0).values_list("pk", flat=True))
    datos = dict(fecha_firma=FIRMA, prima=None, numero_cuotas=6, primer_vencimiento=date(2025, 7, 31))
    datos.update(kw)
    convenio = convenio_crear(actor=usuario, cuenta=cuenta, obligaciones=obligaciones, **datos)
    if legalizar:
        convenio = convenio_legalizar(actor=usuario, convenio=convenio, copia_firmada=ContentFile(b"%PDF-1.4 firmado", "firmado.pdf"),
                                      fecha_legalizacion=FIRMA)
    return convenio


def estado(cuenta, fecha):
    e = cuenta_estado(cuenta=cuenta, fecha=fecha)
    recargos = sum((l.obligacion.monto for l in e.lineas if l.obligacion.concepto == Concepto.RECARGO), D(0))
    return e, recargos + e.recargos_a_la_fecha


def test_ejemplo_3_prima_20_y_seis_cuotas(ejemplo_3, usuarios):
    convenio = firmado(ejemplo_3(), usuarios[roles.GESTOR], legalizar=False)
    assert (convenio.deuda, convenio.prima, convenio.total) == (D("1638.00"), D("327.60"), D("1638.00"))
    cuotas = list(convenio.cuotas.order_by("numero"))
    assert [(c.numero, c.vencimiento, c.monto) for c in cuotas] == [
        (0, date(2025, 6, 30), D("327.60")),
        (1, date(2025, 7, 31), D("218.40")), (2, date(2025, 8, 31), D("218.40")), (3, date(2025, 9, 30), D("218.40")),
        (4, date(2025, 10, 31), D("218.40")), (5, date(2025, 11, 30), D("218.40")), (6, date(2025, 12, 31), D("218.40")),
    ]
    assert sum(c.monto for c in cuotas) == convenio.total
    assert all(len(c.npe) == 14 and npe_es_valido(c.npe) for c in cuotas)
    assert convenio.estado == Convenio.Estado.BORRADOR


def test_todas_las_cuotas_a_tiempo_no_causan_recargo_despues_de_la_firma(ejemplo_3, usuarios, pagar):
    cuenta = ejemplo_3()
    convenio = firmado(cuenta, usuarios[roles.GESTOR])
    assert convenio.estado == Convenio.Estado.LEGALIZADO
    # the surcharges accrued to the signing date are posted and included: 63.00
    assert sum(o.monto for o in Obligacion.objects.filter(cuenta=cuenta, concepto=Concepto.RECARGO)) == D("63.00")
    assert sum(i.total for i in convenio.inclusiones.all()) == convenio.deuda == D("1638.00")
    for c in convenio.cuotas.order_by("numero"):
        pagar([(f"C{c.numero}", c.vencimiento.isoformat(), c.monto, "", c.npe)])
        if c.numero == 0:
            convenio.refresh_from_db()
            assert convenio.estado == Convenio.Estado.VIGENTE
        # while it runs, the statement shows nothing accruing after the signing date
        e, recargos = estado(cuenta, c.vencimiento)
        assert recargos == D("63.00")
    convenio.refresh_from_db()
    assert convenio.estado == Convenio.Estado.CUMPLIDO and convenio.fecha_cumplimiento == date(2025, 12, 31)
    e, recargos = estado(cuenta, date(2026, 3, 1))
    assert e.saldo_total == D("0.00") and recargos == D("63.00") and e.saldo_a_favor == D("0.00")
    assert all(c.pagada for c in convenio.cuotas.all())


def test_dos_cuotas_consecutivas_sin_pagar_incumple_como_si_nunca_hubiera_firmado(ejemplo_3, usuarios, pagar):
    con = ejemplo_3("100000002", "0614-050707-104-8")
    sin = ejemplo_3("100000003", "06140101901015")
    convenio = firmado(con, usuarios[roles.GESTOR])
    prima, c1 = convenio.cuotas.order_by("numero")[:2]
    pagar([("P0", "2025-06-30", "327.60", "", prima.npe), ("P1", "2025-07-31", "218.40", "", c1.npe)])
    # the employer who never signed pays the same amounts on the same dates
    pagar([("S0", "2025-06-30", "327.60", "100000003", ""), ("S1", "2025-07-31", "218.40", "100000003", "")])
    tecnico = usuarios[roles.TECNICO]
    # cuota 2 (31/08) unpaid is one; cuota 3 (30/09) unpaid makes two: it falls on 01/10/2025
    assert convenios_revisar(actor=tecnico, al=date(2025, 9, 30)) == []
    assert convenios_revisar(actor=tecnico, al=date(2025, 10, 15)) == [convenio.pk]
    convenio.refresh_from_db()
    assert convenio.estado == Convenio.Estado.INCUMPLIDO and convenio.fecha_incumplimiento == date(2025, 10, 1)
    # running it again changes nothing
    antes = Obligacion.objects.count()
    assert convenios_revisar(actor=tecnico, al=date(2025, 10, 15)) == []
    convenio_revisar(actor=tecnico, convenio=convenio, al=date(2025, 10, 15))
    assert Obligacion.objects.count() == antes
    for fecha in (date(2025, 10, 1), date(2025, 11, 20), date(2026, 2, 1)):
        e_con, r_con = estado(con, fecha)
        e_sin, r_sin = estado(sin, fecha)
        assert r_con == r_sin, fecha
        assert e_con.saldo_total == e_sin.saldo_total, fecha
    e_sin, r_sin = estado(sin, date(2025, 10, 1))
    assert e_sin.saldo_total > D("1638.00") - D("546.00")


def test_solvencias_ven_lo_cubierto_solo_mientras_esta_vigente(ejemplo_3, usuarios, pagar):
    from convenios.selectors import obligaciones_en_convenio_vigente

    cuenta = ejemplo_3()
    convenio = firmado(cuenta, usuarios[roles.GESTOR])
    incluidas = set(convenio.inclusiones.values_list("obligacion_id", flat=True))
    assert obligaciones_en_convenio_vigente(cuenta_ids=[cuenta.pk]) == set()  # legalized, prima unpaid
    pagar([("P0", "2025-07-02", "327.60", "", convenio.cuotas.get(numero=0).npe)])
    assert obligaciones_en_convenio_vigente(cuenta_ids=[cuenta.pk]) == incluidas
    assert obligaciones_en_convenio_vigente(cuenta_ids=[cuenta.pk], al=date(2025, 7, 1)) == set()
    assert obligaciones_en_convenio_vigente(cuenta_ids=[cuenta.pk], al=date(2025, 8, 15)) == incluidas
    convenio_revisar(actor=usuarios[roles.TECNICO], convenio=convenio, al=date(2025, 9, 5))
    assert obligaciones_en_convenio_vigente(cuenta_ids=[cuenta.pk]) == set()
    # as of a day it was still in force, it still covered them (a reprinted solvency agrees)
    assert obligaciones_en_convenio_vigente(cuenta_ids=[cuenta.pk], al=date(2025, 8, 15)) == incluidas


def test_anular_un_convenio_vigente_reanuda_los_recargos(ejemplo_3, usuarios, pagar):
    from convenios.services.convenios import convenio_anular

    con = ejemplo_3("100000002", "0614-050707-104-8")
    sin = ejemplo_3("100000003", "06140101901015")
    convenio = firmado(con, usuarios[roles.GESTOR])
    prima, c1 = convenio.cuotas.order_by("numero")[:2]
    pagar([("P0", "2025-06-30", "327.60", "", prima.npe), ("P1", "2025-07-31", "218.40", "", c1.npe)])
    pagar([("S0", "2025-06-30", "327.60", "100000003", ""), ("S1", "2025-07-31", "218.40", "100000003", "")])
    convenio = convenio_anular(actor=usuarios[roles.JEFE_SUCURSAL], convenio=convenio, fecha=date(2025, 8, 10),
                               motivo="El patrono lo desconoce.")
    assert convenio.estado == Convenio.Estado.ANULADO
    for fecha in (date(2025, 8, 10), date(2025, 12, 1)):
        assert estado(con, fecha)[1] == estado(sin, fecha)[1]
        assert estado(con, fecha)[0].saldo_total == estado(sin, fecha)[0].saldo_total
