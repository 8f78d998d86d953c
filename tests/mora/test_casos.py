"""Cases: scope by role, the state machine, and the door the convenios app moves them through."""
import pytest
from django.db import IntegrityError, connection, transaction

from issscobros import roles
from issscobros.errores import ErrorDeNegocio
from mora import services
from mora.models import CambioEstadoCaso, CasoCobro
from mora.selectors import casos_para_usuario

E = CasoCobro.Estado
pytestmark = pytest.mark.django_db


def test_cada_rol_ve_su_alcance(usuarios, sucursal, otra_sucursal, otro_gestor, abrir_caso):
    gestor = usuarios[roles.GESTOR]
    mio = abrir_caso(sucursal, gestor)
    sin_gestor = abrir_caso(sucursal)
    ajeno = abrir_caso(otra_sucursal, otro_gestor)
    assert set(casos_para_usuario(user=gestor)) == {mio}
    assert set(casos_para_usuario(user=otro_gestor)) == {ajeno}
    assert set(casos_para_usuario(user=usuarios[roles.JEFE_SUCURSAL])) == {mio, sin_gestor}
    for rol in (roles.JEFE_DEPARTAMENTO, roles.TECNICO, roles.COORDINADOR, roles.AUDITOR):
        assert set(casos_para_usuario(user=usuarios[rol])) == {mio, sin_gestor, ajeno}
    assert not casos_para_usuario(user=usuarios[roles.ADMINISTRADOR]).exists()


def test_un_solo_caso_abierto_por_deudor(usuarios, sucursal, abrir_caso):
    caso = abrir_caso(sucursal)
    assert services.caso_abrir(actor=usuarios[roles.JEFE_DEPARTAMENTO], deudor=caso.deudor) == caso
    with pytest.raises(IntegrityError), transaction.atomic():
        CasoCobro.objects.create(deudor=caso.deudor, sucursal=sucursal, abierto_en=caso.abierto_en)


def test_solo_transiciones_permitidas_con_motivo(usuarios, sucursal, abrir_caso):
    jefe = usuarios[roles.JEFE_DEPARTAMENTO]
    caso = abrir_caso(sucursal)
    with pytest.raises(ErrorDeNegocio, match="motivo"):
        services.caso_transicionar(actor=jefe, caso=caso, estado=E.EN_GESTION, motivo=" ")
    with pytest.raises(ErrorDeNegocio, match="no puede pasar a cumplido"):
        services.caso_transicionar(actor=jefe, caso=caso, estado=E.CUMPLIDO, motivo="x")
    services.caso_transicionar(actor=jefe, caso=caso, estado=E.EN_GESTION, motivo="Primera llamada")
    caso = services.caso_transicionar(actor=jefe, caso=caso, estado=E.CERRADO, motivo="Pagó todo")
    assert caso.estado == E.CERRADO and caso.cerrado_en is not None
    pasos = list(CambioEstadoCaso.objects.filter(caso=caso).order_by("id").values_list("estado_nuevo", "motivo", "actor"))
    assert pasos == [(E.ASIGNADO, "Apertura manual.", jefe.pk), (E.EN_GESTION, "Primera llamada", jefe.pk),
                     (E.CERRADO, "Pagó todo", jefe.pk)]
    with pytest.raises(ErrorDeNegocio):
        services.caso_transicionar(actor=jefe, caso=caso, estado=E.EN_GESTION, motivo="reabrir")


def test_eventos_de_convenio(usuarios, sucursal, abrir_caso):
    jefe = usuarios[roles.JEFE_DEPARTAMENTO]
    caso = abrir_caso(sucursal)
    services.caso_convenio_evento(actor=jefe, deudor_id=caso.deudor_id, evento="formalizado")
    caso.refresh_from_db()
    assert caso.estado == E.EN_CONVENIO
    services.caso_convenio_evento(actor=jefe, deudor_id=caso.deudor_id, evento="incumplido", motivo="2 cuotas impagas")
    caso.refresh_from_db()
    assert caso.estado == E.EN_GESTION and caso.propuesto_juridico_en is not None
    assert caso.cambios_estado.first().motivo == "2 cuotas impagas"
    services.caso_convenio_evento(actor=jefe, deudor_id=caso.deudor_id, evento="formalizado")
    services.caso_convenio_evento(actor=jefe, deudor_id=caso.deudor_id, evento="cumplido")
    caso.refresh_from_db()
    assert caso.estado == E.CUMPLIDO and caso.propuesto_juridico_en is None
    # No open case any more: nothing to do.
    services.caso_convenio_evento(actor=jefe, deudor_id=caso.deudor_id, evento="incumplido")
    caso.refresh_from_db()
    assert caso.estado == E.CUMPLIDO


def test_historial_es_de_solo_insercion(usuarios, sucursal, abrir_caso):
    caso = abrir_caso(sucursal, usuarios[roles.GESTOR])
    for tabla in ("mora_cambioestadocaso", "mora_asignacioncaso"):
        with pytest.raises(Exception, match="solo inserción"), transaction.atomic(), connection.cursor() as c:
            c.execute(f"DELETE FROM {tabla}")
    with pytest.raises(Exception, match="solo inserción"), transaction.atomic(), connection.cursor() as c:
        c.execute("DELETE FROM mora_casocobro")
