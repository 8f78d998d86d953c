"""The scenarios of the issue, as the technician at the window lives them: every número patronal and
every other receivable of the NIT counts; what is not yet due never blocks; paying makes it solvent."""
from datetime import timedelta
from decimal import Decimal as D

import pytest

from cuentas.models import Concepto, Cuenta, Obligacion
from solvencias.elegibilidad import evaluar
from solvencias.models import Solvencia
from solvencias.services import NoSolvente, constancia_no_inscrito_emitir, solvencia_emitir
from tests.factories import CuentaFactory, DeudorFactory, nit_valido

from .conftest import HOY, declarar, mes, multa_proveedor, pagar

pytestmark = pytest.mark.django_db


def test_deuda_solo_en_el_segundo_numero_patronal_no_es_solvente_y_el_motivo_lo_nombra(tecnico, patrono):
    deudor, primera, segunda = patrono
    declarar(tecnico, primera, mes(-3))
    pagar(tecnico, primera, D("231.92"), "P1", fecha=mes(-2))  # paid before its due date
    declarar(tecnico, segunda, mes(-3))

    ev = evaluar(deudor=deudor)
    assert not ev.solvente
    assert {m.numero for m in ev.motivos} == {"100000002"}
    assert sorted((m.concepto, m.saldo) for m in ev.motivos) == [
        (Concepto.COTIZACION_LABORAL, D("66.26")), (Concepto.COTIZACION_PATRONAL, D("165.66"))]
    texto = " ".join(m.texto for m in ev.motivos)
    assert "Número patronal 100000002" in texto and f"{mes(-3):%Y-%m}" in texto
    # A month or more late: the surcharge accrued to today is owed too (1 % per month or fraction).
    assert all(m.recargo > 0 for m in ev.motivos)
    with pytest.raises(NoSolvente) as exc:
        solvencia_emitir(actor=tecnico, deudor=deudor)
    assert "2 obligaciones vencidas" in exc.value.mensaje
    assert not Solvencia.objects.exists()


def test_multa_de_proveedor_impaga_del_mismo_nit_no_es_solvente(tecnico, patrono):
    deudor, primera, _ = patrono
    declarar(tecnico, primera, mes(0))  # not due yet
    contrato = CuentaFactory(deudor=deudor, tipo=Cuenta.Tipo.CONTRATO_PROVEEDOR, numero="LP-2026-017")
    multa_proveedor(tecnico, contrato)

    ev = evaluar(deudor=deudor)
    assert not ev.solvente
    (motivo,) = ev.motivos
    assert (motivo.numero, motivo.concepto, motivo.saldo, motivo.recargo) == (
        "LP-2026-017", Concepto.MULTA_CONTRACTUAL, D("500.00"), D("0.00"))  # fines carry no surcharge
    assert motivo.texto.startswith("Contrato de proveedor LP-2026-017: multa contractual a proveedor")


def test_obligacion_aun_no_vencida_es_solvente_y_se_emite(tecnico, patrono):
    deudor, primera, segunda = patrono
    declarar(tecnico, primera, mes(0))
    assert Obligacion.objects.filter(cuenta=primera, saldo__gt=0, vencimiento__gte=HOY).count() == 2
    solvencia = solvencia_emitir(actor=tecnico, deudor=deudor)
    assert solvencia.tipo == Solvencia.Tipo.SOLVENCIA
    assert solvencia.numeros_patronales == ["100000001", "100000002"]
    assert solvencia.valida_hasta == HOY + timedelta(days=30)  # 30 days counted from the day after issue
    assert solvencia.datos["solvente"] is True and solvencia.datos["motivos"] == []
    assert solvencia.datos["cuentas"] == [{"numero": "100000001", "tipo": "patronal"}, {"numero": "100000002", "tipo": "patronal"}]
    assert solvencia.documento.folio.startswith(f"SV-{HOY.year}-") and solvencia.codigo == solvencia.documento.codigo
    assert len(solvencia.codigo) == 26  # 26 symbols of a 32-letter alphabet: 130 bits
    assert solvencia.estado == Solvencia.Estado.VIGENTE


def test_despues_de_pagar_la_deuda_es_solvente(tecnico, patrono):
    deudor, _, segunda = patrono
    declarar(tecnico, segunda, mes(-3))
    ev = evaluar(deudor=deudor)
    assert not ev.solvente
    # Paying principal and the surcharge the payment posts clears everything.
    pagar(tecnico, segunda, ev.total_adeudado, "P-MORA")
    ev = evaluar(deudor=deudor)
    assert ev.solvente, [m.texto for m in ev.motivos]
    assert ev.ultimo_periodo_pagado == mes(-3)
    assert solvencia_emitir(actor=tecnico, deudor=deudor).estado == Solvencia.Estado.VIGENTE


def test_nit_sin_numero_patronal_recibe_constancia_de_no_inscrito(tecnico, sucursal):
    nit = nit_valido()
    constancia = constancia_no_inscrito_emitir(actor=tecnico, nit=nit, nombre="Juana Pérez")
    assert (constancia.tipo, constancia.nit, constancia.nombre, constancia.deudor) == (Solvencia.Tipo.NO_INSCRITO, nit, "Juana Pérez", None)
    assert constancia.documento.folio.startswith("NI-")
    # An employer never gets one; a supplier with an overdue fine does not either, until it pays.
    proveedor = DeudorFactory(sucursal=sucursal, tipo="proveedor")
    contrato = CuentaFactory(deudor=proveedor, tipo=Cuenta.Tipo.CONTRATO_PROVEEDOR, numero="LP-1")
    multa_proveedor(tecnico, contrato)
    with pytest.raises(NoSolvente):
        constancia_no_inscrito_emitir(actor=tecnico, nit=proveedor.nit)
    patrono = CuentaFactory(deudor__sucursal=sucursal).deudor
    with pytest.raises(Exception, match="inscrito como patrono"):
        constancia_no_inscrito_emitir(actor=tecnico, nit=patrono.nit)
