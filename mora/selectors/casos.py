"""Reads of the collection work, scoped by user. Every list, detail page, export and document of this
app starts from `casos_para_usuario`, so a gestor never sees another's case and a jefe de sucursal
never sees another branch (outside the scope: DoesNotExist, hence 404)."""
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (BooleanField, Case, CharField, Count, DecimalField, F, IntegerField, OuterRef, Q,
                              QuerySet, Subquery, Sum, Value, When)
from django.db.models.functions import Coalesce
from django.utils import timezone

from cuentas import busqueda
from cuentas.models import Deudor, Obligacion, Recibo
from cuentas.reglas import Reglas
from issscobros import roles

from ..models import CasoCobro, Gestion

# Roles that see every case of the department.
VEN_TODO = {roles.JEFE_DEPARTAMENTO, roles.TECNICO, roles.COORDINADOR, roles.AUDITOR}


def casos_para_usuario(*, user) -> QuerySet[CasoCobro]:
    """gestor: the cases assigned to them; jefe de sucursal: the cases of their sucursal;
    jefe de departamento, técnico, coordinador, auditor: all; anyone else: none.
    A user with several roles gets the widest scope among them."""
    if not user.is_authenticated:
        return CasoCobro.objects.none()
    suyos = set(roles.roles_de(user))
    if suyos & VEN_TODO:
        return CasoCobro.objects.all()
    if roles.JEFE_SUCURSAL in suyos and user.sucursal_id:
        return CasoCobro.objects.filter(sucursal_id=user.sucursal_id)
    if roles.GESTOR in suyos:
        return CasoCobro.objects.filter(gestor=user)
    return CasoCobro.objects.none()


# --- Mi cartera and case lists ------------------------------------------------------------------
# Amounts are read from the ledger (cuentas.Obligacion.saldo, kept by the posting triggers); this app
# stores none. A promise is kept when the deudor's receipts dated from the action to the promised
# date reach the promised amount; it is broken when that date has passed and they do not.

_DINERO = DecimalField(max_digits=14, decimal_places=2)


def _pagado_entre(deudor_ref: str, desde_ref: str, hasta_ref: str):
    return Subquery(
        Recibo.objects.filter(cuenta__deudor_id=OuterRef(deudor_ref), fecha_pago__gte=OuterRef(desde_ref),
                              fecha_pago__lte=OuterRef(hasta_ref))
        .order_by().values("cuenta__deudor_id").annotate(t=Sum("monto")).values("t"), output_field=_DINERO)


def gestiones_con_promesa(qs: QuerySet[Gestion], *, hoy: date) -> QuerySet[Gestion]:
    """Annotate `pagado` (receipts toward the promise) and `promesa_estado`: cumplida / incumplida /
    pendiente (None without a promise)."""
    return qs.annotate(pagado=Coalesce(_pagado_entre("caso__deudor_id", "fecha", "promesa_fecha"),
                                       Value(Decimal("0.00")), output_field=_DINERO)).annotate(
        promesa_estado=Case(
            When(promesa_fecha__isnull=True, then=Value(None)),
            When(pagado__gte=F("promesa_monto"), then=Value(PROMESA_CUMPLIDA)),
            When(promesa_fecha__lt=hoy, then=Value(PROMESA_INCUMPLIDA)),
            default=Value(PROMESA_PENDIENTE), output_field=CharField()))


PROMESA_CUMPLIDA, PROMESA_INCUMPLIDA, PROMESA_PENDIENTE = "cumplida", "incumplida", "pendiente"


def _saldo_deudor():
    return Subquery(
        Obligacion.objects.filter(cuenta__deudor_id=OuterRef("deudor_id"), saldo__gt=0)
        .order_by().values("cuenta__deudor_id").annotate(t=Sum("saldo")).values("t"), output_field=_DINERO)


def _vencida_mas_antigua(hoy: date):
    return Subquery(
        Obligacion.objects.filter(cuenta__deudor_id=OuterRef("deudor_id"), saldo__gt=0, vencimiento__lt=hoy)
        .order_by("vencimiento").values("vencimiento")[:1])


def casos_anotados(qs: QuerySet[CasoCobro], *, hoy: date, sla_dias_sin_gestion: int) -> QuerySet[CasoCobro]:
    """The columns of Mi cartera: balance, oldest overdue due date, the state of the latest promise,
    broken promises, breached agreements, and the R14 alert of no action in N days."""
    from convenios.models import Convenio

    cero = Value(Decimal("0.00"))
    rotas = (Gestion.objects.filter(caso_id=OuterRef("pk"), promesa_fecha__lt=hoy)
             .annotate(pagado=Coalesce(_pagado_entre("caso__deudor_id", "fecha", "promesa_fecha"), cero,
                                       output_field=_DINERO))
             .filter(pagado__lt=F("promesa_monto")).order_by().values("caso_id").annotate(n=Count("pk")).values("n"))
    limite_gestion = hoy - timedelta(days=sla_dias_sin_gestion)
    return qs.annotate(
        saldo=Coalesce(_saldo_deudor(), cero, output_field=_DINERO),
        vencida_desde=_vencida_mas_antigua(hoy),
        promesa_pagado=Coalesce(_pagado_entre("deudor_id", "promesa_desde", "promesa_fecha"), cero, output_field=_DINERO),
        promesa_estado=Case(
            When(promesa_fecha__isnull=True, then=Value(None)),
            When(promesa_pagado__gte=F("promesa_monto"), then=Value(PROMESA_CUMPLIDA)),
            When(promesa_fecha__lt=hoy, then=Value(PROMESA_INCUMPLIDA)),
            default=Value(PROMESA_PENDIENTE), output_field=CharField()),
        promesas_rotas=Coalesce(Subquery(rotas, output_field=IntegerField()), 0),
        convenios_incumplidos=Coalesce(Subquery(
            Convenio.objects.filter(deudor_id=OuterRef("deudor_id"), estado=Convenio.Estado.INCUMPLIDO)
            .order_by().values("deudor_id").annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0),
        alerta_sin_gestion=Case(
            When(~Q(estado__in=CasoCobro.TERMINALES + (CasoCobro.Estado.REMITIDO_JURIDICO,))
                 & Q(Q(ultima_gestion__lt=limite_gestion) | Q(ultima_gestion__isnull=True, abierto_en__lt=limite_gestion)),
                 then=Value(True)), default=Value(False), output_field=BooleanField()),
        seguimiento_hoy=Case(When(proxima_accion__lte=hoy, then=Value(0)), default=Value(1), output_field=IntegerField()),
    )


ORDENES = {
    "seguimiento": ("seguimiento_hoy", F("proxima_accion").asc(nulls_last=True), "-id"),
    "saldo": (F("saldo").desc(nulls_last=True), "id"),
    "antiguedad": (F("vencida_desde").asc(nulls_last=True), "id"),
    "ultima": (F("ultima_gestion").asc(nulls_first=True), "id"),
    "deudor": ("deudor__razon_social", "id"),
}


def cartera_buscar(*, user, texto: str = "", estado: str = "", orden: str = "seguimiento", gestor_id=None,
                   sucursal_id=None, alerta: str = "", tramo: str = "", solo_abiertos: bool = True,
                   hoy: date | None = None) -> QuerySet[CasoCobro]:
    """Cases of the user's scope with the Mi cartera columns; today's follow-ups first by default."""
    hoy = hoy or timezone.localdate()
    reglas = Reglas.cargar()
    qs = casos_para_usuario(user=user).select_related("deudor", "gestor", "sucursal")
    if solo_abiertos and not estado:
        qs = qs.exclude(estado__in=CasoCobro.TERMINALES)
    if estado:
        qs = qs.filter(estado=estado)
    if texto:
        qs = qs.filter(deudor_id__in=busqueda.filtrar(Deudor.objects.all(), texto).values("pk"))
    if gestor_id:
        qs = qs.filter(gestor_id=gestor_id)
    if sucursal_id:
        qs = qs.filter(sucursal_id=sucursal_id)
    if tramo:
        qs = qs.filter(deudor_id__in=deudores_en_tramo(tramo=tramo, hoy=hoy))
    qs = casos_anotados(qs, hoy=hoy, sla_dias_sin_gestion=int(reglas.valor("mora_sla_dias_sin_gestion", hoy)))
    if alerta == "sin_gestion":
        qs = qs.filter(alerta_sin_gestion=True)
    elif alerta == "juridico":
        qs = qs.filter(propuesto_juridico_en__isnull=False)
    elif alerta == "promesa_rota":
        qs = qs.filter(promesa_estado=PROMESA_INCUMPLIDA)
    elif alerta == "seguimiento":
        qs = qs.filter(proxima_accion__lte=hoy)
    return qs.order_by(*ORDENES.get(orden, ORDENES["seguimiento"]))


def deudores_en_tramo(*, tramo: str, hoy: date) -> QuerySet:
    """Ids of the deudores with an unpaid obligation whose days overdue today fall in the aging bucket
    `tramo` (key of mora.antiguedad.TRAMOS): the drill-down behind the aging chart."""
    from ..antiguedad import tramo_limites

    desde, hasta = tramo_limites(tramo)
    filtro = Q(saldo__gt=0, vencimiento__lte=hoy - timedelta(days=desde))
    if hasta is not None:
        filtro &= Q(vencimiento__gte=hoy - timedelta(days=hasta))
    return Obligacion.objects.filter(filtro).values("cuenta__deudor_id")


def caso_detalle(*, user, pk: int) -> CasoCobro:
    """Raises CasoCobro.DoesNotExist (-> 404) outside the user's scope."""
    hoy = timezone.localdate()
    reglas = Reglas.cargar()
    qs = casos_para_usuario(user=user).select_related("deudor__sucursal", "gestor", "sucursal")
    return casos_anotados(qs, hoy=hoy, sla_dias_sin_gestion=int(reglas.valor("mora_sla_dias_sin_gestion", hoy))).get(pk=pk)


def gestiones_de_caso(*, caso: CasoCobro, hoy: date | None = None) -> QuerySet[Gestion]:
    return gestiones_con_promesa(caso.gestiones.select_related("registrado_por"), hoy=hoy or timezone.localdate()).order_by("-fecha", "-id")


def gestores_asignables(*, user, sucursal_id=None):
    """Active gestores the user may assign cases to: their sucursal's for a jefe de sucursal."""
    from django.contrib.auth import get_user_model

    qs = get_user_model().objects.filter(is_active=True, groups__name=roles.GESTOR).select_related("sucursal")
    suyos = set(roles.roles_de(user))
    if not suyos & VEN_TODO:
        qs = qs.filter(sucursal_id=user.sucursal_id)
    if sucursal_id:
        qs = qs.filter(sucursal_id=sucursal_id)
    return qs.order_by("sucursal__nombre", "username")


def casos_cumplidos(*, user) -> QuerySet[CasoCobro]:
    """Cases whose employer complied: cumplido, or cerrado owing nothing today."""
    sin_saldo = ~Q(deudor__cuentas__obligaciones__saldo__gt=0)
    return (casos_para_usuario(user=user)
            .filter(Q(estado=CasoCobro.Estado.CUMPLIDO) | Q(estado=CasoCobro.Estado.CERRADO) & sin_saldo)
            .select_related("deudor", "sucursal").distinct().order_by("-cerrado_en", "-id"))
