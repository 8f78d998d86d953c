"""Reads of payment agreements, scoped by user, and the one read other apps use (solvencias, mora).

Scoping follows the collection cases: a gestor sees the agreements of the deudores of their cases,
a jefe de sucursal those of their branch's cases (mora.selectors.casos_para_usuario); every other
role holding the permission sees all. Outside the scope: DoesNotExist, hence 404."""
from datetime import date

from django.db.models import OuterRef, Q, QuerySet, Subquery

from issscobros import roles

from .models import Convenio, ConvenioObligacion, HistorialConvenio, Transaccion

# Roles whose view of agreements is their collection cases'.
POR_CASOS = {roles.GESTOR, roles.JEFE_SUCURSAL}


# While signed and not breached nor annulled, the included surcharges stay frozen at the signing date.
CONGELAN = (Convenio.Estado.LEGALIZADO, Convenio.Estado.VIGENTE, Convenio.Estado.CUMPLIDO)


def _inclusiones_en_estado(*, cuenta_ids=None, estados, al: date | None, inclusiones=None):
    """Inclusions of these cuentas whose agreement is in one of `estados` now (al=None) or, as of a
    past date, according to its history on that date."""
    if inclusiones is None:
        inclusiones = ConvenioObligacion.objects.filter(obligacion__cuenta_id__in=list(cuenta_ids))
    if al is None:
        return inclusiones.filter(convenio__estado__in=estados)
    estado_al = (HistorialConvenio.objects.filter(convenio=OuterRef("convenio_id"), fecha__lte=al)
                 .order_by("-fecha", "-id").values("estado_nuevo")[:1])
    return inclusiones.annotate(estado_al=Subquery(estado_al)).filter(estado_al__in=estados)


def obligaciones_en_convenio_vigente(*, cuenta_ids, al: date | None = None) -> set[int]:
    """Ids of the obligations of these cuentas covered by an agreement that is current (vigente) on `al`
    (default today). Solvencias treats them as not blocking; a breached agreement covers nothing.
    As of a past date the state is the one the history had on that date."""
    inclusiones = _inclusiones_en_estado(cuenta_ids=cuenta_ids, estados=[Convenio.Estado.VIGENTE], al=al)
    return set(inclusiones.values_list("obligacion_id", flat=True))


def recargos_congelados(*, cuenta_ids, al: date | None = None) -> dict[int, date]:
    """{obligation id: signing date} of the included obligations whose surcharges are frozen (the
    agreement says so and is legalizado, vigente or cumplido on `al`). cuentas.reglas.congelado
    counts delay up to that date only."""
    inclusiones = _inclusiones_en_estado(cuenta_ids=cuenta_ids, estados=CONGELAN, al=al).filter(
        convenio__recargos_congelados=True)
    return dict(inclusiones.values_list("obligacion_id", "convenio__fecha_firma"))


def recargos_congelados_al(*, al: date | None = None):
    """The same as `recargos_congelados`, as a subquery on an Obligacion queryset (OuterRef "pk"):
    the signing date, or NULL, in the statement's one query."""
    inclusiones = ConvenioObligacion.objects.filter(obligacion_id=OuterRef("pk"), convenio__recargos_congelados=True)
    inclusiones = _inclusiones_en_estado(estados=CONGELAN, al=al, inclusiones=inclusiones)
    return Subquery(inclusiones.order_by("convenio__fecha_firma").values("convenio__fecha_firma")[:1])


def _deudores_visibles(user):
    """None: all deudores; otherwise a queryset of deudor ids."""
    suyos = set(roles.roles_de(user))
    if suyos - POR_CASOS or user.is_superuser:
        return None
    from mora.selectors import casos_para_usuario

    return casos_para_usuario(user=user).values("deudor_id")


def convenios_para_usuario(*, user) -> QuerySet[Convenio]:
    if not user.is_authenticated or not user.has_perm("convenios.view_convenio"):
        return Convenio.objects.none()
    visibles = _deudores_visibles(user)
    qs = Convenio.objects.all()
    if visibles is not None:
        qs = qs.filter(deudor_id__in=visibles)
    return qs


def transacciones_para_usuario(*, user) -> QuerySet[Transaccion]:
    if not user.is_authenticated or not user.has_perm("convenios.view_transaccion"):
        return Transaccion.objects.none()
    visibles = _deudores_visibles(user)
    qs = Transaccion.objects.all()
    if visibles is not None:
        qs = qs.filter(deudor_id__in=visibles)
    return qs


# Signed agreements that still stand: their obligations cannot go into another one.
ACTIVOS = (Convenio.Estado.LEGALIZADO, Convenio.Estado.VIGENTE)


def en_convenio_activo(*, cuenta_ids) -> set[int]:
    return set(ConvenioObligacion.objects.filter(obligacion__cuenta_id__in=list(cuenta_ids),
                                                 convenio__estado__in=ACTIVOS).values_list("obligacion_id", flat=True))


def deudor_visible(*, user, pk: int):
    """A deudor the user may make agreements for (DoesNotExist → 404)."""
    from cuentas.models import Deudor

    visibles = _deudores_visibles(user)
    qs = Deudor.objects.all() if visibles is None else Deudor.objects.filter(pk__in=visibles)
    return qs.get(pk=pk)


def deudor_de_caso(*, user, pk: int):
    from mora.selectors import casos_para_usuario

    return casos_para_usuario(user=user).select_related("deudor").get(pk=pk).deudor


def convenios_buscar(*, user, texto: str = "", estado: str = "", tipo: str = "") -> QuerySet[Convenio]:
    qs = convenios_para_usuario(user=user).select_related("deudor", "cuenta", "creado_por")
    texto = texto.strip()
    if texto:
        qs = qs.filter(Q(deudor__razon_social__icontains=texto) | Q(cuenta__numero__startswith=texto)
                       | Q(cuotas__npe=texto) | Q(deudor__nit__startswith=texto)).distinct()
    if estado:
        qs = qs.filter(estado=estado)
    if tipo:
        qs = qs.filter(tipo=tipo)
    return qs.order_by("-fecha_firma", "-id")


def convenio_detalle(*, user, pk: int) -> Convenio:
    return (convenios_para_usuario(user=user).select_related("deudor", "cuenta", "creado_por", "documento")
            .prefetch_related("cuotas__aplicaciones__recibo", "inclusiones__obligacion", "historial__actor",
                              "transacciones").get(pk=pk))


def transacciones_buscar(*, user, texto: str = "", estado: str = "") -> QuerySet[Transaccion]:
    qs = transacciones_para_usuario(user=user).select_related("deudor", "cuenta", "creado_por")
    texto = texto.strip()
    if texto:
        qs = qs.filter(Q(deudor__razon_social__icontains=texto) | Q(cuenta__numero__startswith=texto)
                       | Q(acuerdo_numero__icontains=texto))
    if estado:
        qs = qs.filter(estado=estado)
    return qs.order_by("-creado_en", "-id")


def transaccion_detalle(*, user, pk: int) -> Transaccion:
    return (transacciones_para_usuario(user=user)
            .select_related("deudor", "cuenta", "convenio", "creado_por", "revisado_por", "anteproyecto")
            .prefetch_related("solicitudes").get(pk=pk))


def convenios_incumplidos(*, user, desde: date | None = None) -> QuerySet[Convenio]:
    """Breached agreements (for the call-centre report of mora): newest first."""
    qs = convenios_para_usuario(user=user).filter(estado=Convenio.Estado.INCUMPLIDO).select_related("deudor", "cuenta")
    if desde:
        qs = qs.filter(fecha_incumplimiento__gte=desde)
    return qs.order_by("-fecha_incumplimiento", "-id")
