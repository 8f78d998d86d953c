"""The nightly task breaches agreements and checks conditional acuerdos, like the buttons do; the
breach reaches the case (back to collection, proposed for judicial referral) and the call-centre
report. Payroll deduction for medical services uses the same cuota machinery."""
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from convenios import tasks
from convenios.models import Convenio
from convenios.services.convenios import convenio_crear, convenio_legalizar
from cuentas.models import Concepto, Cuenta, Deudor, Obligacion
from cuentas.services.cargos import cargo_registrar
from issscobros import roles
from issscobros.errores import ErrorDeNegocio
from mora import services as mora
from mora.models import CasoCobro

from .test_ejemplos import firmado

pytestmark = pytest.mark.django_db


def test_tarea_nocturna_incumplimiento_caso_y_centro_de_llamadas(ejemplo_3, usuarios, pagar, cliente_de):
    cuenta = ejemplo_3()
    caso = mora.caso_abrir(actor=usuarios[roles.JEFE_DEPARTAMENTO], deudor=cuenta.deudor, gestor=usuarios[roles.GESTOR])
    convenio = firmado(cuenta, usuarios[roles.GESTOR])
    assert CasoCobro.objects.get(pk=caso.pk).estado == CasoCobro.Estado.EN_CONVENIO
    prima = convenio.cuotas.get(numero=0)
    pagar([("P0", "2025-06-30", "327.60", "", prima.npe)])
    assert tasks.nocturno.apply(kwargs={"fecha": "2025-08-31"}).get()["incumplidos"] == []
    assert tasks.nocturno.apply(kwargs={"fecha": "2025-10-02"}).get()["incumplidos"] == [convenio.pk]
    convenio.refresh_from_db()
    # cuotas 1 (31/07) and 2 (31/08) unpaid: it fell on 01/09/2025, whatever day the task ran
    assert convenio.estado == Convenio.Estado.INCUMPLIDO and convenio.fecha_incumplimiento == date(2025, 9, 1)
    assert convenio.historial.last().actor is None
    caso.refresh_from_db()
    assert caso.estado == CasoCobro.Estado.EN_GESTION and caso.propuesto_juridico_en is not None
    assert tasks.nocturno.apply(kwargs={"fecha": "2025-10-03"}).get()["incumplidos"] == []
    csv = cliente_de(roles.GESTOR).get(reverse("mora:convenios_incumplidos")).content.decode()
    assert convenio.numero in csv and "2025-09-01" in csv


def test_descuento_por_planilla_de_servicios_medicos(usuarios, sucursal, pagar):
    tecnico = usuarios[roles.TECNICO]
    deudor = Deudor.objects.create(tipo=Deudor.Tipo.EMPLEADO, dui="000162975", razon_social="Ana López", sucursal=sucursal)
    cuenta = Cuenta.objects.create(deudor=deudor, tipo=Cuenta.Tipo.SERVICIOS_MEDICOS, numero="SM-000123",
                                   fecha_apertura=date(2025, 1, 1))
    cargo_registrar(actor=tecnico, cuenta=cuenta, concepto=Concepto.SERVICIOS_MEDICOS, monto=D("600.00"), periodo=None,
                    fecha_origen=date(2025, 3, 1), vencimiento=date(2025, 3, 31), documento_numero="FAC-SM-2025-00001",
                    documento_fecha=date(2025, 3, 1), descripcion="Hospitalización de beneficiario no inscrito")
    obligaciones = list(Obligacion.objects.filter(cuenta=cuenta).values_list("pk", flat=True))
    datos = dict(actor=usuarios[roles.GESTOR], cuenta=cuenta, obligaciones=obligaciones, fecha_firma=date(2025, 6, 30),
                 prima=None, numero_cuotas=4, primer_vencimiento=date(2025, 7, 31), tipo=Convenio.Tipo.DESCUENTO)
    with pytest.raises(ErrorDeNegocio, match="empleado que autoriza"):
        convenio_crear(**datos)
    convenio = convenio_crear(**datos, empleado="Ana López, planilla ISSS 2025")
    # no surcharge on medical services: the debt is the balance; 120.00 + 4 × 120.00
    assert [q.monto for q in convenio.cuotas.order_by("numero")] == [D("120.00")] * 5
    convenio = convenio_legalizar(actor=usuarios[roles.GESTOR], convenio=convenio,
                                  copia_firmada=ContentFile(b"%PDF", "autorizacion.pdf"), fecha_legalizacion=date(2025, 6, 30))
    pagar([(f"D{q.numero}", q.vencimiento.isoformat(), q.monto, "", q.npe) for q in convenio.cuotas.order_by("numero")],
          canal="COLECTURIA")
    convenio.refresh_from_db()
    assert convenio.estado == Convenio.Estado.CUMPLIDO
    assert Obligacion.objects.get(cuenta=cuenta).saldo == D("0.00")
