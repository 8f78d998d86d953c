"""Annulments and exonerations of fines and surcharges, four eyes: one user proposes, another with
the approver role approves, and only then is the asiento posted. An exoneration (R8) never reduces
contribution principal: refused here and, again, by the database trigger on the ledger."""
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from issscobros.auditoria import auditar
from issscobros.errores import ErrorDeNegocio
from issscobros.money import q

from .. import contabilidad
from ..models import COTIZACIONES, Asiento, Concepto, Cuenta, LineaAsiento, Obligacion, SolicitudAjuste
from ..reglas import Reglas, recargo_devengado
from .cargos import NuevaObligacion, obligaciones_crear
from .libro import Pierna, asiento_registrar, cuentas_bloquear

AJUSTABLES = (Concepto.RECARGO, Concepto.MULTA)


@transaction.atomic
def solicitud_proponer(*, actor, tipo: str, cuenta: Cuenta, obligaciones: list[Obligacion], fecha_corte: date,
                       motivo: str, porcentaje: Decimal = Decimal(100), incluye_recargos_devengados: bool = False,
                       acuerdo_numero: str = "", acuerdo_fecha: date | None = None, soporte=None) -> SolicitudAjuste:
    if any(o.concepto in COTIZACIONES for o in obligaciones):
        raise ErrorDeNegocio("Una anulación o exoneración nunca reduce cotizaciones; solo multas y recargos.", campo="obligaciones")
    if any(o.concepto not in AJUSTABLES for o in obligaciones):
        raise ErrorDeNegocio("Solo se anulan o exoneran multas y recargos.", campo="obligaciones")
    if any(o.cuenta_id != cuenta.pk for o in obligaciones):
        raise ErrorDeNegocio("Todas las obligaciones deben ser de la misma cuenta.", campo="obligaciones")
    if not obligaciones and not incluye_recargos_devengados:
        raise ErrorDeNegocio("Seleccione al menos una multa o recargo.", campo="obligaciones")
    if tipo == SolicitudAjuste.Tipo.EXONERACION and not (acuerdo_numero and acuerdo_fecha):
        raise ErrorDeNegocio("Una exoneración requiere el número y la fecha del acuerdo que la aprueba.", campo="acuerdo_numero")
    if tipo == SolicitudAjuste.Tipo.ANULACION and incluye_recargos_devengados:
        raise ErrorDeNegocio("Solo se anula lo ya registrado.", campo="incluye_recargos_devengados")
    if not motivo.strip():
        raise ErrorDeNegocio("Indique el motivo.", campo="motivo")
    solicitud = SolicitudAjuste.objects.create(
        tipo=tipo, cuenta=cuenta, porcentaje=porcentaje, fecha_corte=fecha_corte, motivo=motivo,
        incluye_recargos_devengados=incluye_recargos_devengados, acuerdo_numero=acuerdo_numero,
        acuerdo_fecha=acuerdo_fecha, soporte=soporte or "", propuesto_por=actor)
    solicitud.obligaciones.set(obligaciones)
    auditar(actor=actor, accion=f"{tipo}.proponer", objeto=solicitud, despues={
        "cuenta": cuenta.numero, "obligaciones": [o.pk for o in obligaciones], "porcentaje": str(porcentaje),
        "acuerdo": acuerdo_numero})
    return solicitud


def recargos_causados(*, al: date | None = None):
    """Surcharges posted by accrual (`causado_hasta`) whose causation asiento was not reversed (by
    `al`, for as-of reads). A reversed accrual never happened: what accrues is counted from the due
    date again, by the next accrual, payment or statement."""
    revertida = LineaAsiento.objects.filter(obligacion=OuterRef("pk"), asiento__tipo=Asiento.Tipo.CAUSACION,
                                            asiento__reversion__isnull=False)
    if al is not None:
        revertida = revertida.filter(asiento__reversion__fecha_valor__lte=al)
    return Obligacion.objects.filter(causado_hasta__isnull=False).filter(~Exists(revertida))


def causado_hasta_por_base(*, bases, hasta: date | None = None) -> dict[int, date]:
    """{contribution id: the latest date its surcharges were posted by accrual to} (not reversed),
    for the contributions `bases`; `hasta`: only accruals up to that date."""
    causados = recargos_causados().filter(base__in=bases)
    if hasta is not None:
        causados = causados.filter(causado_hasta__lte=hasta)
    return dict(causados.values("base").annotate(ultimo=Max("causado_hasta")).values_list("base", "ultimo"))


def recargos_causar(*, actor, cuenta: Cuenta, fecha: date, clave: str, reglas: Reglas,
                    solo: list[int] | None = None) -> list[Obligacion]:
    """Post, as recargo obligations, the surcharges accrued to `fecha` on the unpaid contributions
    (`solo`: of these obligations only — a convenio's, at its signing)."""
    from convenios.selectors import recargos_congelados

    abiertas = Obligacion.objects.filter(cuenta=cuenta, concepto__in=COTIZACIONES, saldo__gt=0, vencimiento__lt=fecha)
    if solo is not None:
        abiertas = abiertas.filter(pk__in=solo)
    congelados = recargos_congelados(cuenta_ids=[cuenta.pk])
    ultimo = causado_hasta_por_base(bases=abiertas)
    nuevas = []
    for o in abiertas:
        monto = recargo_devengado(reglas, vencimiento=o.vencimiento, saldo=o.saldo, fecha=fecha, causado_hasta=ultimo.get(o.pk),
                                  congelado_al=congelados.get(o.pk))
        if monto > 0:
            nuevas.append(NuevaObligacion(concepto=Concepto.RECARGO, monto=monto, periodo=o.periodo, base_id=o.pk,
                                          fecha_origen=fecha, vencimiento=fecha, causado_hasta=fecha,
                                          descripcion=f"Recargos causados al {fecha:%d/%m/%Y}"))
    creadas, piernas = obligaciones_crear(actor=actor, cuenta_id=cuenta.pk, nuevas=nuevas)
    if piernas:
        asiento_registrar(actor=actor, clave=clave, tipo=Asiento.Tipo.CAUSACION, fecha_valor=fecha, piernas=piernas,
                          descripcion=f"Causación de recargos al {fecha:%d/%m/%Y}")
    return creadas


@transaction.atomic
def solicitud_aprobar(*, actor, solicitud: SolicitudAjuste, nota: str = "") -> Asiento:
    if not actor.has_perm("cuentas.aprobar_solicitudajuste"):
        raise ErrorDeNegocio("Su rol no puede aprobar anulaciones ni exoneraciones.")
    cuentas_bloquear([solicitud.cuenta_id])
    solicitud = SolicitudAjuste.objects.select_for_update().get(pk=solicitud.pk)
    if solicitud.propuesto_por_id == actor.pk:
        raise ErrorDeNegocio("Quien propone no puede aprobar su propia solicitud (cuatro ojos).")
    if solicitud.estado != SolicitudAjuste.Estado.PROPUESTA:
        raise ErrorDeNegocio(f"La solicitud ya está {solicitud.get_estado_display().lower()}.")
    objetivo = list(solicitud.obligaciones.all())
    if solicitud.incluye_recargos_devengados:
        objetivo += recargos_causar(actor=actor, cuenta=solicitud.cuenta, fecha=solicitud.fecha_corte,
                                    clave=f"causacion:ajuste:{solicitud.pk}", reglas=Reglas.cargar())
    exoneracion = solicitud.tipo == SolicitudAjuste.Tipo.EXONERACION
    piernas = []
    for o in Obligacion.objects.filter(pk__in=[o.pk for o in objetivo]).order_by("pk"):
        monto = q(o.saldo * solicitud.porcentaje / 100)
        if monto <= 0:
            continue
        piernas.append(Pierna(contabilidad.cuenta_por_cobrar(o.concepto), haber=monto, cuenta_id=o.cuenta_id, obligacion_id=o.pk))
        # An exoneration is income given up; an annulment undoes income that should not have been booked.
        contra = contabilidad.EXONERACIONES if exoneracion else contabilidad.cuenta_de_ingreso(o.concepto)
        piernas.append(Pierna(contra, debe=monto, cuenta_id=o.cuenta_id))
    if not piernas:
        raise ErrorDeNegocio("Las obligaciones seleccionadas ya no tienen saldo.")
    asiento = asiento_registrar(
        actor=actor, clave=f"ajuste:{solicitud.pk}", tipo=Asiento.Tipo.EXONERACION if exoneracion else Asiento.Tipo.ANULACION,
        fecha_valor=solicitud.fecha_corte, piernas=piernas, solicitud=solicitud,
        descripcion=f"{solicitud.get_tipo_display()} {solicitud.acuerdo_numero or solicitud.pk}".strip(),
    ).asiento
    SolicitudAjuste.objects.filter(pk=solicitud.pk).update(
        estado=SolicitudAjuste.Estado.APROBADA, resuelto_por=actor, resuelto_en=timezone.now(), nota_resolucion=nota)
    auditar(actor=actor, accion=f"{solicitud.tipo}.aprobar", objeto=solicitud, despues={"asiento": asiento.pk})
    return asiento


@transaction.atomic
def solicitud_rechazar(*, actor, solicitud: SolicitudAjuste, nota: str) -> SolicitudAjuste:
    if not actor.has_perm("cuentas.aprobar_solicitudajuste"):
        raise ErrorDeNegocio("Su rol no puede resolver anulaciones ni exoneraciones.")
    if not nota.strip():
        raise ErrorDeNegocio("Indique por qué se rechaza.", campo="nota")
    solicitud = SolicitudAjuste.objects.select_for_update().get(pk=solicitud.pk)
    if solicitud.estado != SolicitudAjuste.Estado.PROPUESTA:
        raise ErrorDeNegocio(f"La solicitud ya está {solicitud.get_estado_display().lower()}.")
    if solicitud.propuesto_por_id == actor.pk:
        raise ErrorDeNegocio("Quien propone no puede resolver su propia solicitud (cuatro ojos).")
    SolicitudAjuste.objects.filter(pk=solicitud.pk).update(
        estado=SolicitudAjuste.Estado.RECHAZADA, resuelto_por=actor, resuelto_en=timezone.now(), nota_resolucion=nota)
    auditar(actor=actor, accion=f"{solicitud.tipo}.rechazar", objeto=solicitud, despues={"nota": nota})
    solicitud.refresh_from_db()
    return solicitud
