"""Reads of the debtor registry. Scoping by role lives here (`for_user`), so lists, detail pages,
documents and the API show the same rows to the same user."""
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from . import busqueda
from .models import Cuenta, Deudor


def deudores_para_usuario(*, user) -> QuerySet[Deudor]:
    """The registry is institution-wide: every role that may view debtors sees all of them (a
    technician at any window serves any employer). Case-level scoping (gestor, jefe de sucursal)
    is applied by the mora selectors."""
    if not user.has_perm("cuentas.view_deudor"):
        return Deudor.objects.none()
    return Deudor.objects.all()


def deudores_buscar(*, user, texto: str = "", tipo: str = "", sucursal_id=None, activo=None) -> QuerySet[Deudor]:
    qs = busqueda.filtrar(deudores_para_usuario(user=user), texto)
    if tipo:
        qs = qs.filter(tipo=tipo)
    if sucursal_id:
        qs = qs.filter(sucursal_id=sucursal_id)
    if activo is not None:
        qs = qs.filter(activo=activo)
    return (
        qs.select_related("sucursal")
        # A correlated count, computed for the page's rows only (PostgreSQL evaluates it after
        # ORDER BY ... LIMIT) and dropped by .count(); a JOIN + GROUP BY would count every match.
        .annotate(num_cuentas=Coalesce(Subquery(
            Cuenta.objects.filter(deudor=OuterRef("pk")).order_by().values("deudor")
            .annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0))
        .defer("busqueda", "nombre_normalizado")
        .order_by("razon_social", "id")
    )


def deudor_detalle(*, user, pk: int) -> Deudor:
    """Raises Deudor.DoesNotExist (-> 404) for a deudor outside the user's scope."""
    return (
        deudores_para_usuario(user=user)
        .select_related("sucursal")
        .prefetch_related(Prefetch("cuentas", queryset=Cuenta.objects.order_by("numero")))
        .defer("busqueda")
        .get(pk=pk)
    )


def cuenta_detalle(*, user, pk: int) -> Cuenta:
    return Cuenta.objects.select_related("deudor").get(
        pk=pk, deudor__in=deudores_para_usuario(user=user)
    )


def cuentas_para_usuario(*, user) -> QuerySet[Cuenta]:
    return Cuenta.objects.filter(deudor__in=deudores_para_usuario(user=user))


def cuenta_por_numero(*, numero: str) -> Cuenta | None:
    return Cuenta.objects.select_related("deudor").filter(numero=numero).first()


# --- ledger reads --------------------------------------------------------------------------------

def planillas_de_cuenta(*, cuenta: Cuenta) -> QuerySet:
    from .models import Planilla

    return Planilla.objects.filter(cuenta=cuenta).order_by("-periodo", "-id")


def planilla_detalle(*, user, pk: int):
    from .models import Planilla

    return (Planilla.objects.select_related("cuenta__deudor", "creado_por", "importacion")
            .prefetch_related("lineas").get(pk=pk, cuenta__in=cuentas_para_usuario(user=user)))


def recibos_buscar(*, user, texto: str = "", por_identificar: bool = False) -> QuerySet:
    from .models import Recibo

    if not user.has_perm("cuentas.view_recibo"):
        return Recibo.objects.none()
    qs = Recibo.objects.select_related("cuenta__deudor")
    if por_identificar:
        qs = qs.filter(cuenta__isnull=True)
    if texto:
        qs = qs.filter(Q(referencia__startswith=texto) | Q(numero_patronal__startswith=texto) | Q(npe__startswith=texto))
    return qs.order_by("-fecha_pago", "-id")


def solicitudes_para_usuario(*, user, estado: str = "") -> QuerySet:
    from .models import SolicitudAjuste

    if not user.has_perm("cuentas.view_solicitudajuste"):
        return SolicitudAjuste.objects.none()
    qs = SolicitudAjuste.objects.select_related("cuenta__deudor", "propuesto_por", "resuelto_por")
    if estado:
        qs = qs.filter(estado=estado)
    return qs.order_by("-propuesto_en")


def solicitud_detalle(*, user, pk: int):
    return solicitudes_para_usuario(user=user).prefetch_related("obligaciones", "asientos__lineas").get(pk=pk)
