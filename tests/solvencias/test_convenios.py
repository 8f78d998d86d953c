"""A payment agreement that is current counts as solvent (parameter solvencia_convenio_solvente); a
breached one does not. Made with the real convenios services."""
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from convenios.models import Convenio
from convenios.services.convenios import convenio_crear, convenio_legalizar, convenio_transicionar
from cuentas.models import Obligacion, Parametro
from issscobros import roles
from solvencias.elegibilidad import evaluar
from solvencias.services import solvencia_emitir

from .conftest import HOY, declarar, mes

pytestmark = pytest.mark.django_db


@pytest.fixture
def en_convenio(usuarios, tecnico, patrono):
    """The second número patronal owes 3 periods, all included in an agreement made vigente today."""
    deudor, _, segunda = patrono
    for k in (-4, -3, -2):
        declarar(tecnico, segunda, mes(k))
    jefe = usuarios[roles.JEFE_DEPARTAMENTO]
    ids = list(Obligacion.objects.filter(cuenta=segunda, saldo__gt=0).values_list("pk", flat=True))
    convenio = convenio_crear(actor=jefe, cuenta=segunda, obligaciones=ids, fecha_firma=HOY, prima=None,
                              numero_cuotas=6, primer_vencimiento=HOY + timedelta(days=30))
    convenio = convenio_legalizar(actor=jefe, convenio=convenio, fecha_legalizacion=HOY,
                                  copia_firmada=SimpleUploadedFile("convenio.pdf", b"%PDF-1.4 firmado"))
    if convenio.estado != Convenio.Estado.VIGENTE:  # with a prima: vigente once it is paid
        convenio = convenio_transicionar(actor=jefe, convenio=convenio, estado=Convenio.Estado.VIGENTE, fecha=HOY,
                                         motivo="Prima pagada.")
    return deudor, convenio, jefe


def test_convenio_vigente_es_solvente(tecnico, en_convenio):
    deudor, convenio, _ = en_convenio
    ev = evaluar(deudor=deudor)
    assert ev.solvente, [m.texto for m in ev.motivos]
    assert len(ev.en_convenio) >= 6  # 3 periods × 2 shares (and the surcharges posted on legalizing)
    solvencia = solvencia_emitir(actor=tecnico, deudor=deudor)
    assert solvencia.datos["obligaciones_en_convenio"] == ev.en_convenio
    # The parameter decides: with 0, an agreement does not make the employer solvent.
    Parametro.objects.create(clave="solvencia_convenio_solvente", valor=0, vigente_desde=HOY - timedelta(days=1),
                             fuente="Prueba")
    assert not evaluar(deudor=deudor).solvente


def test_convenio_incumplido_no_es_solvente(en_convenio):
    deudor, convenio, jefe = en_convenio
    convenio_transicionar(actor=jefe, convenio=convenio, estado=Convenio.Estado.INCUMPLIDO, fecha=HOY,
                          motivo="2 cuotas consecutivas sin pagar.")
    ev = evaluar(deudor=deudor)
    assert not ev.solvente and ev.en_convenio == []
    assert {m.numero for m in ev.motivos} == {"100000002"}
