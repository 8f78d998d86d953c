"""GET /api/v1/solvencias/?nit= (CONTRACTS §7): token, fields, and every query in the log."""
import json
from decimal import Decimal as D

import pytest
from django.urls import reverse

from issscobros import roles
from issscobros.api import token_crear
from solvencias.models import ConsultaApi
from solvencias.services import solvencia_emitir
from tests.factories import nit_valido

from .conftest import declarar, mes

pytestmark = pytest.mark.django_db


def _get(client, nit, token):
    r = client.get(reverse("api_solvencias"), {"nit": nit}, HTTP_AUTHORIZATION=f"Token {token}")
    return r, json.loads(r.content)


def test_token_desconocido_401(client):
    r = client.get(reverse("api_solvencias"), {"nit": "0614-010190-101-1"}, HTTP_AUTHORIZATION="Token inventado")
    assert r.status_code == 401
    assert client.get(reverse("api_solvencias"), {"nit": "0614-010190-101-1"}).status_code == 401
    assert not ConsultaApi.objects.exists()


def test_campos_del_contrato_y_bitacora(client, usuarios, tecnico, patrono):
    deudor, primera, segunda = patrono
    token = token_crear(usuario=usuarios[roles.AUDITOR])
    declarar(tecnico, primera, mes(-2))
    r, datos = _get(client, deudor.nit_formateado, token)
    assert r.status_code == 200
    assert datos["nit"] == deudor.nit_formateado and datos["solvente"] is False
    assert len(datos["motivos"]) == 2 and all("100000001" in m for m in datos["motivos"])
    assert datos["ultimo_periodo_pagado"] is None
    assert "codigo" not in datos and "valida_hasta" not in datos

    declarar(tecnico, primera, mes(-3))
    from cuentas.services.pagos import recibo_registrar
    from solvencias.elegibilidad import evaluar
    recibo_registrar(actor=tecnico, canal="COLECTURIA", referencia="R1", fecha_pago=mes(-2).replace(day=2),
                     monto=D("231.92"), numero_patronal=primera.numero)  # pays the oldest period on time
    recibo_registrar(actor=tecnico, canal="COLECTURIA", referencia="R2", fecha_pago=mes(0),
                     monto=evaluar(deudor=deudor).total_adeudado, numero_patronal=primera.numero)
    solvencia = solvencia_emitir(actor=tecnico, deudor=deudor)
    r, datos = _get(client, deudor.nit, token)
    assert datos["solvente"] is True and datos["motivos"] == []
    assert datos["ultimo_periodo_pagado"] == f"{mes(-2):%Y-%m}"
    assert datos["codigo"] == solvencia.codigo and datos["valida_hasta"] == solvencia.valida_hasta.isoformat()

    consultas = list(ConsultaApi.objects.order_by("id"))
    assert [(c.usuario, c.nit, c.estado_http, c.solvente) for c in consultas] == [
        (usuarios[roles.AUDITOR], deudor.nit, 200, False), (usuarios[roles.AUDITOR], deudor.nit, 200, True)]
    assert consultas[1].respuesta["codigo"] == solvencia.codigo
    # the log, for those who control
    pagina = client.get(reverse("solvencias:consultas_api"))
    assert pagina.status_code == 302  # no session: to the login page
    client.force_login(usuarios[roles.AUDITOR])
    assert deudor.nit in client.get(reverse("solvencias:consultas_api"), {"nit": deudor.nit}).content.decode()


def test_nit_no_inscrito_y_nit_invalido(client, usuarios):
    token = token_crear(usuario=usuarios[roles.TECNICO])
    r, datos = _get(client, nit_valido(), token)
    assert r.status_code == 200 and datos["solvente"] is False and datos["inscrito"] is False
    assert "no está inscrito" in datos["motivos"][0]
    r, datos = _get(client, "0614-010190-101-0", token)
    assert r.status_code == 400 and "NIT" in datos["detail"]
    assert ConsultaApi.objects.count() == 2
