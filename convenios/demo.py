"""Demo agreements in every state (called by issscobros.demo after the ledger and the collection
cases): borrador, legalizado, vigente, cumplido, incumplido, anulado, a payroll deduction for medical
services, and settlements at each step. Everything through the services, with payments as bank
receipts carrying the cuotas' NPE, so the demo shows what production would."""
import random
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction

from cuentas.models import COTIZACIONES, Cuenta, Obligacion
from cuentas.reglas import sumar_meses
from cuentas.services.pagos import recibo_registrar
from issscobros.errores import ErrorDeNegocio

from .calculo import obligaciones_convenibles
from .models import Convenio
from .services import transacciones as tr
from .services.convenios import convenio_anular, convenio_crear, convenio_legalizar
from .services.incumplimiento import convenio_revisar

# (state to reach, months since signing, cuotas, cuotas paid on time after the prima); the oldest
# signings first: fewer employers were already in mora then.
PLAN = [
    ("incumplido", 5, 6, 1), ("cumplido", 5, 3, 3), ("vigente", 3, 6, 2), ("vigente", 2, 12, 1),
    ("anulado", 1, 4, 0), ("legalizado", 0, 6, 0), ("borrador", 0, 6, 0),
]


def _copia(nombre: str) -> ContentFile:
    return ContentFile(b"%PDF-1.4\n% copia firmada (demo)\n", nombre)


def _candidatas(firma: date, usadas: set) -> list[Cuenta]:
    """Employers' cuentas with contributions overdue at `firma`, the demo gestor's cases first."""
    from mora.models import CasoCobro

    del_gestor = list(CasoCobro.objects.filter(gestor__username="gestor").values_list("deudor_id", flat=True))
    con_mora = (Obligacion.objects.filter(concepto__in=COTIZACIONES, saldo__gt=0, vencimiento__lt=firma)
                .values_list("cuenta_id", flat=True).distinct())
    cuentas = list(Cuenta.objects.filter(pk__in=con_mora, tipo=Cuenta.Tipo.PATRONAL).exclude(pk__in=usadas)
                   .select_related("deudor").order_by("pk")[:200])
    return sorted(cuentas, key=lambda c: (c.deudor_id not in del_gestor, c.pk))


def _pagar(*, actor, convenio: Convenio, hasta: int, rng) -> None:
    for cuota in convenio.cuotas.order_by("numero"):
        if cuota.numero > hasta:
            break
        recibo_registrar(actor=actor, canal=rng.choice(["AGRICOLA", "CUSCATLAN", "COLECTURIA"]),
                         referencia=f"CV{convenio.pk}-{cuota.numero}", fecha_pago=cuota.vencimiento - timedelta(days=rng.randint(0, 3)),
                         monto=cuota.monto, npe=cuota.npe)


def convenios_demo_cargar(*, semilla: int, hoy: date | None = None) -> dict:
    from issscobros.models import Usuario

    hoy = hoy or date.today()
    rng = random.Random(semilla * 104729 + 7)
    gestor = Usuario.objects.get(username="gestor")
    jefe = Usuario.objects.get(username="jefe")
    hechos: dict = {}
    usadas: set = set()
    creados = {}
    for estado, meses, cuotas, pagadas in PLAN:
        firma = sumar_meses(hoy, -meses) if meses else hoy - timedelta(days=2)
        for cuenta in _candidatas(firma, usadas):
            obligaciones = [o.pk for o in obligaciones_convenibles(cuenta_id=cuenta.pk, al=firma) if o.vencimiento < firma]
            try:
                with transaction.atomic():
                    convenio = convenio_crear(actor=gestor, cuenta=cuenta, obligaciones=obligaciones, fecha_firma=firma,
                                              prima=None, numero_cuotas=cuotas, primer_vencimiento=sumar_meses(firma, 1))
            except ErrorDeNegocio:
                continue
            usadas.add(cuenta.pk)
            break
        else:
            continue
        if estado == "anulado":
            convenio_anular(actor=jefe, convenio=convenio, motivo="El patrono decidió pagar de contado.", fecha=firma)
        elif estado != "borrador":
            convenio_legalizar(actor=gestor, convenio=convenio, copia_firmada=_copia(f"convenio-{convenio.pk}.pdf"),
                               fecha_legalizacion=firma)
            if estado != "legalizado":
                _pagar(actor=gestor, convenio=convenio, hasta=pagadas, rng=rng)
            if estado == "incumplido":
                convenio_revisar(actor=None, convenio=convenio, al=hoy)
        convenio.refresh_from_db()
        creados[convenio.pk] = convenio
        hechos[convenio.estado] = hechos.get(convenio.estado, 0) + 1
    hechos["descuento_planilla"] = _descuento_planilla(gestor=gestor, hoy=hoy, rng=rng)
    hechos["transacciones"] = _transacciones(gestor=gestor, jefe=jefe, convenios=list(creados.values()), hoy=hoy)
    return hechos


def _descuento_planilla(*, gestor, hoy: date, rng) -> int:
    """Payroll deduction for medical services billed to an employee's beneficiary."""
    firma = hoy - timedelta(days=40)
    # A charge already due at the signing date: one due since then has nothing to agree on yet.
    cuenta = (Cuenta.objects.filter(tipo=Cuenta.Tipo.SERVICIOS_MEDICOS, obligaciones__saldo__gt=0,
                                    obligaciones__vencimiento__lt=firma).order_by("pk").first())
    if cuenta is None:
        return 0
    obligaciones = [o.pk for o in obligaciones_convenibles(cuenta_id=cuenta.pk, al=firma) if o.vencimiento < firma]
    try:
        convenio = convenio_crear(actor=gestor, cuenta=cuenta, obligaciones=obligaciones, fecha_firma=firma, prima=None,
                                  numero_cuotas=4, primer_vencimiento=sumar_meses(firma, 1), tipo=Convenio.Tipo.DESCUENTO,
                                  empleado=cuenta.deudor.razon_social)
    except ErrorDeNegocio:
        return 0
    convenio_legalizar(actor=gestor, convenio=convenio, copia_firmada=_copia(f"descuento-{convenio.pk}.pdf"),
                       fecha_legalizacion=firma)
    _pagar(actor=gestor, convenio=convenio, hasta=1, rng=rng)
    return 1


def _transacciones(*, gestor, jefe, convenios: list[Convenio], hoy: date) -> int:
    """One settlement prepared, one reviewed, one with the Board's acuerdo waiting for the
    coordinator's approval of the exoneration."""
    sin_convenio_firme = {c.cuenta_id for c in convenios if c.estado not in (Convenio.Estado.BORRADOR, Convenio.Estado.ANULADO)}
    hechas = 0
    for cuenta in _candidatas(hoy, sin_convenio_firme):
        if hechas == 3:
            break
        try:  # an employer whose surcharges leave nothing to settle is passed over: the next one serves
            t = tr.transaccion_preparar(actor=gestor, cuenta=cuenta, fecha_corte=hoy - timedelta(days=1),
                                        justificacion="El patrono ofrece pagar de contado las cotizaciones adeudadas "
                                                      "si se le exoneran los recargos.")
        except ErrorDeNegocio:
            continue
        if hechas >= 1:
            t = tr.transaccion_revisar(actor=jefe, transaccion=t, aprobada=True, nota="Procede.")
        if hechas >= 2:
            tr.transaccion_registrar_acuerdo(
                actor=jefe, transaccion=t, numero=f"CD-{hoy.year}-{900 + hechas}", sesion=f"Ordinaria {hoy:%m}/{hoy.year}",
                fecha=hoy - timedelta(days=1), documento=_copia(f"acuerdo-{t.pk}.pdf"), porcentaje_recargos=100,
                incluye_multas=True)
        hechas += 1
    return hechas
