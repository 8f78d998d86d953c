"""Transacciones: DOMAIN.md example 4 through a Board acuerdo; partial and conditional acuerdos;
an exoneration never reduces contribution principal (service and database)."""
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from convenios.models import Transaccion
from convenios.services import transacciones as tr
from cuentas.estado import cuenta_estado
from cuentas.models import COTIZACIONES, Concepto, LineaAsiento, Obligacion, SolicitudAjuste
from cuentas.services.ajustes import solicitud_aprobar
from cuentas.services.libro import Pierna, asiento_registrar
from cuentas import contabilidad
from issscobros import roles
from issscobros.errores import ErrorDeNegocio

from .conftest import FIRMA

pytestmark = pytest.mark.django_db


def acuerdo_pdf():
    return ContentFile(b"%PDF-1.4 acuerdo firmado", "acuerdo.pdf")


def hasta_acuerdo(cuenta, usuarios, **acuerdo):
    t = tr.transaccion_preparar(actor=usuarios[roles.GESTOR], cuenta=cuenta, fecha_corte=FIRMA,
                                justificacion="El patrono pagará las cotizaciones de contado.")
    assert (t.monto_recargos, t.monto_multas) == (D("63.00"), D("0.00"))
    t = tr.transaccion_revisar(actor=usuarios[roles.JEFE_DEPARTAMENTO], transaccion=t, aprobada=True)
    datos = dict(numero="CD-2025-123", sesion="Sesión ordinaria 25/2025", fecha=FIRMA, documento=acuerdo_pdf(),
                 porcentaje_recargos=D(100), incluye_multas=True)
    datos.update(acuerdo)
    return tr.transaccion_registrar_acuerdo(actor=usuarios[roles.JEFE_DEPARTAMENTO], transaccion=t, **datos)


def test_ejemplo_4_por_acuerdo_del_consejo(ejemplo_3, usuarios, pagar):
    cuenta = ejemplo_3()
    t = hasta_acuerdo(cuenta, usuarios)
    assert t.estado == Transaccion.Estado.ACUERDO
    (solicitud,) = t.solicitudes.all()
    with pytest.raises(ErrorDeNegocio, match="no puede aprobar"):
        solicitud_aprobar(actor=usuarios[roles.JEFE_DEPARTAMENTO], solicitud=solicitud)  # the proposer, not a coordinator
    asiento = solicitud_aprobar(actor=usuarios[roles.COORDINADOR], solicitud=solicitud)
    assert sum(l.haber for l in asiento.lineas.all()) == D("63.00")
    assert cuenta_estado(cuenta=cuenta, fecha=FIRMA).saldo_total == D("1575.00")
    pagar([("T1", "2025-06-30", "1575.00", cuenta.numero, "")])
    e = cuenta_estado(cuenta=cuenta, fecha=date(2025, 12, 31))
    assert e.saldo_total == D("0.00") and e.saldo_a_favor == D("0.00")
    assert sum(p.recibo.monto for p in e.pagos) == D("1575.00")
    assert sum(o.monto for o in Obligacion.objects.filter(cuenta=cuenta, concepto__in=COTIZACIONES)) == D("1575.00")
    t = tr.transaccion_archivar(actor=usuarios[roles.JEFE_DEPARTAMENTO], transaccion=t)
    assert t.estado == Transaccion.Estado.ARCHIVADA


def test_acuerdo_parcial_solo_la_mitad_de_los_recargos(ejemplo_3, usuarios):
    cuenta = ejemplo_3()
    t = hasta_acuerdo(cuenta, usuarios, porcentaje_recargos=D(50))
    asiento = solicitud_aprobar(actor=usuarios[roles.COORDINADOR], solicitud=t.solicitudes.get())
    # half of each surcharge, rounded per obligation: 3.75 + 9.38 + 3.00 + 7.50 + 2.25 + 5.63
    assert sum(l.haber for l in asiento.lineas.all()) == D("31.51")
    assert cuenta_estado(cuenta=cuenta, fecha=FIRMA).saldo_total == D("1606.49")


def test_acuerdo_condicional_incumplido_se_revierte(ejemplo_3, usuarios):
    cuenta = ejemplo_3()
    t = hasta_acuerdo(cuenta, usuarios, condicion_fecha=date(2025, 7, 31))
    solicitud_aprobar(actor=usuarios[roles.COORDINADOR], solicitud=t.solicitudes.get())
    jefe = usuarios[roles.JEFE_DEPARTAMENTO]
    with pytest.raises(ErrorDeNegocio, match="condicional"):
        tr.transaccion_archivar(actor=jefe, transaccion=t)
    assert tr.transaccion_verificar_condicion(actor=jefe, transaccion=t, al=date(2025, 7, 31)).estado == Transaccion.Estado.ACUERDO
    t = tr.transaccion_verificar_condicion(actor=jefe, transaccion=t, al=date(2025, 8, 1))
    assert (t.estado, t.condicion_cumplida) == (Transaccion.Estado.REVERTIDA, False)
    # the 63.00 are owed again, and what accrued since on the unpaid contributions
    e = cuenta_estado(cuenta=cuenta, fecha=date(2025, 8, 1))
    recargos = sum((l.saldo for l in e.lineas if l.obligacion.concepto == Concepto.RECARGO), D(0))
    assert recargos == D("63.00") and e.recargos_a_la_fecha == D("15.75")
    assert tr.transaccion_verificar_condicion(actor=jefe, transaccion=t, al=date(2025, 8, 2)).estado == Transaccion.Estado.REVERTIDA


def test_la_exoneracion_nunca_reduce_cotizaciones(ejemplo_3, usuarios):
    cuenta = ejemplo_3()
    t = hasta_acuerdo(cuenta, usuarios)
    cotizacion = Obligacion.objects.filter(cuenta=cuenta, concepto=Concepto.COTIZACION_PATRONAL).first()
    # service level: a solicitud of this transacción naming a contribution is refused
    from cuentas.services.ajustes import solicitud_proponer
    with pytest.raises(ErrorDeNegocio, match="nunca reduce cotizaciones"):
        solicitud_proponer(actor=usuarios[roles.JEFE_DEPARTAMENTO], tipo=SolicitudAjuste.Tipo.EXONERACION, cuenta=cuenta,
                           obligaciones=[cotizacion], fecha_corte=FIRMA, motivo="x", acuerdo_numero=t.acuerdo_numero,
                           acuerdo_fecha=FIRMA)
    asiento = solicitud_aprobar(actor=usuarios[roles.COORDINADOR], solicitud=t.solicitudes.get())
    assert not LineaAsiento.objects.filter(asiento=asiento, obligacion__concepto__in=COTIZACIONES).exists()
    # database level: an exoneration asiento that credits a contribution is refused by the trigger
    with pytest.raises(IntegrityError, match="no puede reducir cotizaciones"):
        with transaction.atomic():
            asiento_registrar(actor=usuarios[roles.COORDINADOR], clave="exoneracion-ilegal", tipo="exoneracion",
                              fecha_valor=FIRMA, piernas=[
                                  Pierna(contabilidad.cuenta_por_cobrar(cotizacion.concepto), haber=D("10.00"),
                                         cuenta_id=cuenta.pk, obligacion_id=cotizacion.pk),
                                  Pierna(contabilidad.EXONERACIONES, debe=D("10.00"), cuenta_id=cuenta.pk)])
    assert Obligacion.objects.get(pk=cotizacion.pk).saldo == cotizacion.saldo
