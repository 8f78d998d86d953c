"""Reads of the Procesos and Conciliación screens. Runs and differences are institution-wide: any
user with the view permission sees them all (the documents a batch issued keep their own scoping:
downloading a batch's ZIP needs issscobros.view_documento)."""
from django.db.models import Q, QuerySet

from cuentas.models import CargaCifras, DiferenciaConciliacion, EjecucionConciliacion
from issscobros.models import Proceso


def procesos_buscar(*, user, tipo: str = "", estado: str = "") -> QuerySet[Proceso]:
    if not user.has_perm("issscobros.view_proceso"):
        return Proceso.objects.none()
    qs = Proceso.objects.select_related("iniciado_por").defer("items")
    if tipo:
        qs = qs.filter(tipo=tipo)
    if estado:
        qs = qs.filter(estado=estado)
    return qs.order_by("-creado_en", "-id")


def diferencias_buscar(*, user, estado: str = "", texto: str = "") -> QuerySet[DiferenciaConciliacion]:
    if not user.has_perm("cuentas.view_diferenciaconciliacion"):
        return DiferenciaConciliacion.objects.none()
    qs = DiferenciaConciliacion.objects.select_related("asignada_a", "resuelta_por", "primera_ejecucion", "ultima_ejecucion")
    if estado:
        qs = qs.filter(estado=estado)
    if texto:
        qs = qs.filter(Q(control__icontains=texto) | Q(objeto__icontains=texto))
    return qs.order_by("estado", "-ultima_ejecucion_id", "id")


def conciliacion_resumen(*, user) -> dict | None:
    """For the dashboard: the latest run and the differences still open (None without permission)."""
    if not user.has_perm("cuentas.view_diferenciaconciliacion"):
        return None
    return {"ultima": EjecucionConciliacion.objects.order_by("-id").first(),
            "abiertas": DiferenciaConciliacion.objects.filter(estado=DiferenciaConciliacion.Estado.ABIERTA).count()}


def ejecuciones_recientes(*, user, n: int = 10):
    if not user.has_perm("cuentas.view_ejecucionconciliacion"):
        return EjecucionConciliacion.objects.none()
    return EjecucionConciliacion.objects.select_related("actor")[:n]


def cargas_recientes(*, user, n: int = 10):
    if not user.has_perm("cuentas.view_cargacifras"):
        return CargaCifras.objects.none()
    return CargaCifras.objects.select_related("cargado_por")[:n]
