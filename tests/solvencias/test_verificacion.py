"""Public verification (no login): state, minimal data, NIT partly masked, never amounts; ?nit= checks
the NIT; every check logged; wrong codes from one IP throttled. And the QR on the PDF."""
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse

from issscobros import roles
from solvencias import limites
from solvencias.models import Solvencia, Verificacion
from solvencias.selectors import verificar
from solvencias.services import solvencia_anular, solvencia_emitir

from .conftest import HOY, declarar, mes, requiere_poppler, texto_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def solvencia(tecnico, patrono):
    deudor, primera, _ = patrono
    declarar(tecnico, primera, mes(0))
    return solvencia_emitir(actor=tecnico, deudor=deudor, url_base="https://cobros.isss.gob.sv")


def test_vigente_y_a_los_31_dias_vencida(solvencia):
    assert verificar(codigo=solvencia.codigo) == ("vigente", solvencia)
    assert verificar(codigo=solvencia.codigo, hoy=HOY + timedelta(days=30))[0] == "vigente"  # the 30th day counts
    assert verificar(codigo=solvencia.codigo, hoy=HOY + timedelta(days=31))[0] == "vencida"
    # typed by hand: groups, lower case
    assert verificar(codigo=solvencia.codigo_agrupado.lower())[0] == "vigente"


def test_pagina_publica_sin_sesion_datos_minimos_y_bitacora(client, solvencia):
    r = client.get(reverse("verificar_codigo", args=[solvencia.codigo]), REMOTE_ADDR="10.0.0.7")
    assert r.status_code == 200
    html = r.content.decode()
    assert "vigente" in html and solvencia.nombre in html and solvencia.folio in html
    nit = solvencia.nit
    assert f"{nit[:4]}-******-**{nit[12]}-{nit[13]}" in html and solvencia.nit_formateado not in html
    assert "$" not in html  # never amounts
    v = Verificacion.objects.get()
    assert (v.ip, v.codigo, v.resultado, v.solvencia) == ("10.0.0.7", solvencia.codigo, "vigente", solvencia)
    # 31 days later the same page says vencida
    Solvencia.objects.filter(pk=solvencia.pk).update(valida_hasta=HOY - timedelta(days=1))
    assert "vencida" in client.get(reverse("verificar_codigo", args=[solvencia.codigo])).content.decode()


def test_nit_equivocado_con_codigo_correcto_no_encontrada(client, solvencia):
    url = reverse("verificar_codigo", args=[solvencia.codigo])
    assert verificar(codigo=solvencia.codigo, nit="0614-010190-999-0") == ("no_encontrada", None)
    html = client.get(url, {"nit": "0614-010190-999-0"}).content.decode()
    assert "no encontrada" in html and solvencia.nombre not in html
    assert "vigente" in client.get(url, {"nit": solvencia.nit_formateado}).content.decode()
    assert list(Verificacion.objects.order_by("id").values_list("resultado", "nit")) == [
        ("no_encontrada", "0614-010190-999-0"), ("vigente", solvencia.nit_formateado)]
    # the search form of /verificar/ answers the same
    assert "no encontrada" in client.get(reverse("verificar"), {"codigo": "NOEXISTE"}).content.decode()


def test_anulada_por_el_coordinador_con_motivo(client, cliente_de, solvencia, usuarios):
    cliente = cliente_de(roles.TECNICO)
    assert cliente.post(reverse("solvencias:anular", args=[solvencia.pk]), {"motivo": "x"}).status_code == 403
    cliente = cliente_de(roles.COORDINADOR)
    r = cliente.post(reverse("solvencias:anular", args=[solvencia.pk]), {"motivo": ""})
    assert r.status_code == 400
    r = cliente.post(reverse("solvencias:anular", args=[solvencia.pk]), {"motivo": "Emitida a un NIT equivocado"})
    assert r.status_code == 302
    solvencia.refresh_from_db()
    assert solvencia.anulada_por == usuarios[roles.COORDINADOR] and solvencia.motivo_anulacion == "Emitida a un NIT equivocado"
    assert verificar(codigo=solvencia.codigo)[0] == "anulada"
    cliente.logout()
    assert "anulada" in client.get(reverse("verificar_codigo", args=[solvencia.codigo])).content.decode()
    with pytest.raises(Exception, match="ya está anulada"):
        solvencia_anular(actor=usuarios[roles.COORDINADOR], solvencia=solvencia, motivo="otra vez")


def test_codigos_equivocados_desde_una_ip_se_limitan(client, solvencia):
    for i in range(limites.FALLOS_MAXIMOS):
        r = client.get(reverse("verificar_codigo", args=[f"MAL{i:04d}"]), REMOTE_ADDR="10.0.0.8")
        assert r.status_code == 200
    for i in range(10):
        r = client.get(reverse("verificar_codigo", args=[f"OTRO{i}"]), REMOTE_ADDR="10.0.0.8")
        assert r.status_code == 429 and "Demasiados intentos" in r.content.decode()
    # the right code is refused too from that IP while the window lasts; other IPs are not affected
    assert client.get(reverse("verificar_codigo", args=[solvencia.codigo]), REMOTE_ADDR="10.0.0.8").status_code == 429
    assert client.get(reverse("verificar_codigo", args=[solvencia.codigo]), REMOTE_ADDR="10.0.0.7").status_code == 200
    # logged: every miss, and the first refusal (not the whole flood)
    resultados = list(Verificacion.objects.filter(ip="10.0.0.8").values_list("resultado", flat=True))
    assert resultados.count("no_encontrada") == limites.FALLOS_MAXIMOS and resultados.count("limitada") == 1


def test_los_codigos_son_aleatorios_y_no_enumerables(tecnico, patrono):
    deudor, primera, _ = patrono
    declarar(tecnico, primera, mes(0))
    codigos = [solvencia_emitir(actor=tecnico, deudor=deudor).codigo for _ in range(3)]
    assert len(set(codigos)) == 3 and all(len(c) == 26 for c in codigos)
    assert len(set(codigos[0]) | set(codigos[1]) | set(codigos[2])) > 15  # not a counter


@requiere_poppler
def test_el_qr_del_pdf_es_la_url_de_verificacion(solvencia, tmp_path):
    pdf = bytes(solvencia.documento.pdf)
    (tmp_path / "s.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(tmp_path / "s.pdf"), str(tmp_path / "pagina")], check=True)
    (png,) = sorted(tmp_path.glob("pagina*.png"))
    salida = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True, check=True).stdout
    assert salida.strip() == f"https://cobros.isss.gob.sv/verificar/{solvencia.codigo}/"
    texto = texto_pdf(pdf)
    assert "SOLVENCIA" in texto and solvencia.folio in texto and solvencia.nombre in texto
    assert "100000001, 100000002" in texto and f"{solvencia.valida_hasta:%d/%m/%Y}" in texto
    assert solvencia.codigo_agrupado in texto


def test_reimpresion_identica_y_listas(cliente_de, solvencia, django_assert_max_num_queries):
    cliente = cliente_de(roles.JEFE_DEPARTAMENTO)
    primera = cliente.get(reverse("solvencias:pdf", args=[solvencia.pk])).content
    assert primera == cliente.get(reverse("solvencias:pdf", args=[solvencia.pk])).content == bytes(solvencia.documento.pdf)
    for q in (solvencia.nit_formateado, "100000002", solvencia.codigo, solvencia.folio):
        assert list(cliente.get(reverse("solvencias:lista"), {"q": q}).context["pagina"]) == [solvencia], q
    with django_assert_max_num_queries(14):  # constant: session, user, permissions, users filter, count, page, summary
        r = cliente.get(reverse("solvencias:lista"), {"tipo": "solvencia", "dia": HOY.isoformat(),
                                                     "usuario": solvencia.emitida_por_id, "estado": "vigente"})
    assert list(r.context["pagina"]) == [solvencia]
    assert [(x["emitida_por__username"], x["tipo"], x["n"]) for x in r.context["resumen"]] == [
        (solvencia.emitida_por.username, "solvencia", 1)]
    assert list(cliente.get(reverse("solvencias:lista"), {"estado": "anulada"}).context["pagina"]) == []
    assert cliente.get(reverse("solvencias:verificaciones")).status_code == 200
    assert cliente_de(roles.GESTOR).get(reverse("solvencias:verificaciones")).status_code == 403
