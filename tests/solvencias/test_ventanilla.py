"""The window (technician), the electronic solvency of Zona Franca / DPA (R12) and its monthly batch."""
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse

from cuentas.models import Cuenta
from issscobros import roles
from solvencias.models import Solvencia
from solvencias.selectors import deudores_para_lote_electronico
from solvencias.services import NoSolvente, mes_anterior, solvencia_electronica_emitir
from solvencias.tasks import solvencias_electronicas_emitir
from tests.factories import CuentaFactory, nit_valido

from .conftest import HOY, declarar, mes, multa_proveedor, pagar, texto_pdf

pytestmark = pytest.mark.django_db


def test_ventanilla_solvente_emite_y_no_solvente_imprime_motivos(cliente_de, tecnico, patrono, django_assert_max_num_queries):
    deudor, primera, segunda = patrono
    declarar(tecnico, primera, mes(0))
    cliente = cliente_de(roles.TECNICO)
    r = cliente.get(reverse("solvencias:consulta"), {"q": "100000002"})  # by número patronal
    assert "Solvente." in r.content.decode() and r.context["ev"].deudor == deudor
    r = cliente.post(reverse("solvencias:emitir", args=[deudor.pk]))
    solvencia = Solvencia.objects.get()
    assert r.url == reverse("solvencias:detalle", args=[solvencia.pk])
    with django_assert_max_num_queries(12):
        assert solvencia.codigo_agrupado in cliente.get(r.url).content.decode()

    declarar(tecnico, segunda, mes(-3))
    r = cliente.get(reverse("solvencias:consulta"), {"q": deudor.nit_formateado})
    html = r.content.decode()
    assert "No solvente." in html and "Número patronal 100000002" in html and "Emitir solvencia" not in html
    pdf = cliente.get(reverse("solvencias:motivos_pdf", args=[deudor.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    # A stale screen: the emit button of a NIT that stopped being solvent answers with the reason.
    r = cliente.post(reverse("solvencias:emitir", args=[deudor.pk]), follow=True)
    assert "obligaciones vencidas" in r.content.decode() and Solvencia.objects.count() == 1


def test_ventanilla_nit_no_registrado_constancia_y_permisos(cliente_de, usuarios):
    nit = nit_valido()
    cliente = cliente_de(roles.TECNICO)
    r = cliente.get(reverse("solvencias:consulta"), {"q": nit})
    assert "constancia de no inscrito" in r.content.decode()
    assert cliente.post(reverse("solvencias:no_inscrito"), {"nit": nit, "nombre": ""}).status_code == 400
    r = cliente.post(reverse("solvencias:no_inscrito"), {"nit": nit, "nombre": "María Rivas"})
    constancia = Solvencia.objects.get()
    assert constancia.tipo == Solvencia.Tipo.NO_INSCRITO and r.url == reverse("solvencias:detalle", args=[constancia.pk])
    texto = " ".join(texto_pdf(bytes(constancia.documento.pdf)).split())
    assert "CONSTANCIA DE NO INSCRITO" in texto and "María Rivas" in texto and "NO SE ENCUENTRA INSCRITO COMO PATRONO" in texto
    assert "NIT" in cliente.get(reverse("solvencias:consulta"), {"q": "0614-010190-101-0"}).context["form"].errors["q"][0]
    # roles: the auditor reads, does not issue; the admin sees no log
    auditor = cliente_de(roles.AUDITOR)
    assert auditor.get(reverse("solvencias:consulta"), {"q": nit}).status_code == 200
    assert auditor.post(reverse("solvencias:no_inscrito"), {"nit": nit, "nombre": "X"}).status_code == 403
    assert cliente_de(roles.ADMINISTRADOR).get(reverse("solvencias:verificaciones")).status_code == 403


def test_solvencia_electronica_del_mes_anterior_idempotente(tecnico, patrono):
    deudor, primera, segunda = patrono
    deudor.zona_franca_dpa = True
    deudor.save()
    anterior = mes_anterior()
    # What fell due up to the end of the month certified counts; what falls due later does not.
    declarar(tecnico, primera, mes(-3))
    with pytest.raises(NoSolvente):
        solvencia_electronica_emitir(actor=tecnico, deudor_id=deudor.pk, mes=anterior)
    pagar(tecnico, primera, D("300.00"), "P-ZF")
    contrato = CuentaFactory(deudor=deudor, tipo=Cuenta.Tipo.CONTRATO_PROVEEDOR, numero="LP-ZF")
    multa_proveedor(tecnico, contrato, dias_vencida=HOY.day - 1)  # due this month (today, on the 1st)
    primera_vez = solvencia_electronica_emitir(actor=tecnico, deudor_id=deudor.pk, mes=anterior)
    assert (primera_vez.tipo, primera_vez.mes_cubierto) == (Solvencia.Tipo.ELECTRONICA, anterior)
    assert primera_vez.valida_hasta <= (mes(1) - timedelta(days=1))  # never past the end of this month
    texto = " ".join(texto_pdf(bytes(primera_vez.documento.pdf)).split())
    assert "SOLVENCIA ELECTRÓNICA" in texto and "Zona Franca" in texto and f"{anterior:%Y}" in texto
    assert solvencia_electronica_emitir(actor=tecnico, deudor_id=deudor.pk, mes=anterior) == primera_vez
    with pytest.raises(Exception, match="aún no ha terminado"):
        solvencia_electronica_emitir(actor=tecnico, deudor_id=deudor.pk, mes=mes(0))


def test_lote_mensual_por_celery_seguro_de_correr_dos_veces(tecnico, sucursal):
    zf = [CuentaFactory(deudor__sucursal=sucursal, deudor__zona_franca_dpa=True).deudor for _ in range(3)]
    CuentaFactory(deudor__sucursal=sucursal)  # not a Zona Franca user
    declarar(tecnico, zf[2].cuentas.get(), mes(-3))  # in mora
    assert deudores_para_lote_electronico() == [d.pk for d in zf]
    mes_iso = f"{mes_anterior():%Y-%m}"
    assert solvencias_electronicas_emitir(mes=mes_iso, actor_id=tecnico.pk) == {"emitidas": 2, "no_solventes": 1, "errores": []}
    assert solvencias_electronicas_emitir(mes=mes_iso, actor_id=tecnico.pk)["emitidas"] == 2
    assert Solvencia.objects.filter(tipo=Solvencia.Tipo.ELECTRONICA).count() == 2
