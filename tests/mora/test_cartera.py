"""Portfolio generation (idempotent, by load, by sucursal), actions and promises (kept / broken from
the ledger's payments), the SLA review, bulk reassignment."""
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from issscobros import roles
from issscobros.errores import ErrorDeNegocio
from mora import services
from mora.generacion import cartera_generar
from mora.models import AsignacionCaso, CasoCobro
from mora.selectors import cartera_buscar, gestiones_de_caso
from mora.sla import casos_revisar_sla

E = CasoCobro.Estado
pytestmark = pytest.mark.django_db
HOY = date(2025, 6, 30)


@pytest.fixture
def morosos(libro, sucursal, otra_sucursal):
    """Three deudores in mora in `sucursal`, one in the other, one up to date, one overdue < 30 days."""
    cuentas = [libro.cuenta(sucursal) for _ in range(3)] + [libro.cuenta(otra_sucursal)]
    for c in cuentas:
        libro.planilla(c, date(2025, 3, 1))  # due 14 Apr 2025: 77 days overdue on 30 June
    al_dia = libro.cuenta(sucursal)
    libro.planilla(al_dia, date(2025, 3, 1))
    libro.pago(al_dia, date(2025, 4, 10), "525.00", "AL-DIA")
    reciente = libro.cuenta(sucursal)
    libro.planilla(reciente, date(2025, 5, 1))  # due mid June: < 30 days on 30 June
    return cuentas


def test_generacion_por_carga_e_idempotente(usuarios, sucursal, crear_usuario, otro_gestor, morosos, abrir_caso):
    gestor = usuarios[roles.GESTOR]
    segundo = crear_usuario("gestor_2", roles.GESTOR)
    ocupado = abrir_caso(sucursal, gestor)  # gestor already carries one case
    r = cartera_generar(actor=usuarios[roles.JEFE_DEPARTAMENTO], fecha=HOY)
    assert (r.abiertos, r.sin_gestor, r.dias) == (4, 0, 30)
    nuevos = CasoCobro.objects.exclude(pk=ocupado.pk)
    assert {c.deudor.cuentas.get() for c in nuevos} == set(morosos)
    carga = {u: CasoCobro.objects.filter(gestor=u).count() for u in (gestor, segundo, otro_gestor)}
    assert carga == {gestor: 2, segundo: 2, otro_gestor: 1}  # least loaded first, within the sucursal
    assert all(c.sucursal_id == c.deudor.sucursal_id for c in nuevos)
    assert AsignacionCaso.objects.filter(caso__in=nuevos).count() == 4
    assert all(c.cambios_estado.get().estado_nuevo == E.ASIGNADO for c in nuevos)
    # Twice: nothing new.
    assert cartera_generar(actor=None, fecha=HOY).abiertos == 0
    assert CasoCobro.objects.count() == 5


def test_generacion_sin_gestor_en_la_sucursal(usuarios, morosos, otra_sucursal):
    r = cartera_generar(actor=None, fecha=HOY)
    assert r.abiertos == 4 and r.sin_gestor == 1  # otra_sucursal has no gestor in this test
    assert CasoCobro.objects.get(sucursal=otra_sucursal).gestor is None


def test_promesa_cumplida_e_incumplida_segun_pagos(usuarios, sucursal, libro):
    gestor = usuarios[roles.GESTOR]
    hoy = timezone.localdate()
    cuenta = libro.cuenta(sucursal)
    libro.planilla(cuenta, date(2025, 1, 1))
    caso = services.caso_abrir(actor=gestor, deudor=cuenta.deudor, gestor=gestor)
    CasoCobro.objects.filter(pk=caso.pk).update(abierto_en=hoy - timedelta(days=60))  # opened two months ago
    hace = hoy - timedelta(days=20)
    rota = services.gestion_registrar(actor=gestor, caso=caso, tipo="llamada", fecha=hace, resultado="promesa",
                                      contacto="Contadora", promesa_fecha=hace + timedelta(days=5), promesa_monto=D("300.00"))
    caso.refresh_from_db()
    assert caso.estado == E.COMPROMISO and caso.ultima_gestion == hace
    cumplida = services.gestion_registrar(actor=gestor, caso=caso, tipo="visita", fecha=hoy - timedelta(days=10),
                                          resultado="promesa", promesa_fecha=hoy - timedelta(days=2),
                                          promesa_monto=D("200.00"), proxima_accion=hoy)
    libro.pago(cuenta, hoy - timedelta(days=3), "200.00", "P-1")  # within the second promise only
    pendiente = services.gestion_registrar(actor=gestor, caso=caso, tipo="correo", fecha=hoy, resultado="promesa",
                                           promesa_fecha=hoy + timedelta(days=7), promesa_monto=D("100.00"))
    estados = {g.pk: (g.promesa_estado, g.pagado) for g in gestiones_de_caso(caso=caso)}
    assert estados == {rota.pk: ("incumplida", D("0.00")), cumplida.pk: ("cumplida", D("200.00")),
                       pendiente.pk: ("pendiente", D("0.00"))}
    fila = cartera_buscar(user=gestor).get(pk=caso.pk)
    assert (fila.promesa_estado, fila.promesa_monto, fila.promesas_rotas) == ("pendiente", D("100.00"), 1)
    # Read from the ledger: 525.00 − 200.00 paid + the surcharge that late payment posted.
    recargo = sum(o.saldo for o in cuenta.obligaciones.filter(concepto="recargo"))
    assert recargo > 0 and fila.saldo == D("325.00") + recargo


def test_gestion_valida_la_promesa(usuarios, sucursal, abrir_caso):
    gestor = usuarios[roles.GESTOR]
    caso = abrir_caso(sucursal, gestor)
    hoy = timezone.localdate()
    with pytest.raises(ErrorDeNegocio, match="fecha y monto"):
        services.gestion_registrar(actor=gestor, caso=caso, tipo="llamada", fecha=hoy, resultado="promesa",
                                   promesa_fecha=hoy)
    with pytest.raises(ErrorDeNegocio, match="anterior"):
        services.gestion_registrar(actor=gestor, caso=caso, tipo="llamada", fecha=hoy, resultado="promesa",
                                   promesa_fecha=hoy - timedelta(days=1), promesa_monto=D("5"))
    with pytest.raises(ErrorDeNegocio, match="no puede ser anterior"):
        services.gestion_registrar(actor=gestor, caso=caso, tipo="llamada", fecha=hoy - timedelta(days=1),
                                   resultado="contactado")
    with pytest.raises(ErrorDeNegocio, match="futura"):
        services.gestion_registrar(actor=gestor, caso=caso, tipo="llamada", fecha=hoy + timedelta(days=1),
                                   resultado="contactado")
    services.gestion_registrar(actor=gestor, caso=caso, tipo="llamada", fecha=hoy, resultado="contactado")
    caso.refresh_from_db()
    assert caso.estado == E.EN_GESTION


def test_sla_propone_juridico(usuarios, sucursal, libro):
    gestor = usuarios[roles.GESTOR]
    hoy = timezone.localdate()
    cuentas = [libro.cuenta(sucursal) for _ in range(3)]
    for c in cuentas:
        libro.planilla(c, date(2025, 1, 1))
    viejo, promesas, reciente = (services.caso_abrir(actor=gestor, deudor=c.deudor, gestor=gestor) for c in cuentas)
    CasoCobro.objects.filter(pk=viejo.pk).update(abierto_en=hoy - timedelta(days=91))
    CasoCobro.objects.filter(pk=promesas.pk).update(abierto_en=hoy - timedelta(days=40))
    for atras in (30, 20):
        services.gestion_registrar(actor=gestor, caso=promesas, tipo="llamada", fecha=hoy - timedelta(days=atras),
                                   resultado="promesa", promesa_fecha=hoy - timedelta(days=atras - 5),
                                   promesa_monto=D("50.00"))
    assert casos_revisar_sla(actor=None) == 2
    viejo.refresh_from_db(); promesas.refresh_from_db(); reciente.refresh_from_db()
    assert "90 días" in viejo.propuesto_juridico_motivo and "2 promesas" in promesas.propuesto_juridico_motivo
    assert reciente.propuesto_juridico_en is None
    assert casos_revisar_sla(actor=None) == 0  # idempotent
    assert set(cartera_buscar(user=gestor, alerta="juridico")) == {viejo, promesas}


def test_reasignacion_masiva(usuarios, sucursal, crear_usuario, otro_gestor, abrir_caso):
    jefe = usuarios[roles.JEFE_SUCURSAL]
    gestor = usuarios[roles.GESTOR]
    nuevo = crear_usuario("gestor_nuevo", roles.GESTOR)
    casos = [abrir_caso(sucursal, gestor) for _ in range(10)]
    assert services.casos_reasignar(actor=jefe, casos=casos, gestor=nuevo, motivo="Vacaciones") == 10
    assert CasoCobro.objects.filter(gestor=nuevo).count() == 10
    assert AsignacionCaso.objects.filter(gestor_anterior=gestor, gestor_nuevo=nuevo, motivo="Vacaciones").count() == 10
    with pytest.raises(ErrorDeNegocio, match="otra sucursal"):
        services.casos_reasignar(actor=jefe, casos=casos[:1], gestor=otro_gestor, motivo="x")
    assert CasoCobro.objects.filter(gestor=nuevo).count() == 10


def test_tarea_nocturna_genera_revisa_y_calcula(usuarios, morosos):
    """The nightly task runs the same services as the buttons, and a second run changes nothing."""
    from mora.models import SnapshotKPI
    from mora.tasks import mora_nocturno

    primera = mora_nocturno.apply().get()  # today: the "recent" employer is also 30+ days overdue by now
    assert (primera["casos_abiertos"], primera["sin_gestor"]) == (5, 1) and SnapshotKPI.objects.count() == 1
    segunda = mora_nocturno.apply().get()
    assert (segunda["casos_abiertos"], segunda["propuestos_juridico"]) == (0, 0)
    assert SnapshotKPI.objects.count() == 1
