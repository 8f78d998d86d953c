from django.db.models import Q, QuerySet

from .models import RegistroAuditoria, Sucursal, Usuario


def usuarios_buscar(*, user, texto: str = "") -> QuerySet[Usuario]:
    if not user.has_perm("issscobros.view_usuario"):
        return Usuario.objects.none()
    qs = Usuario.objects.select_related("sucursal").prefetch_related("groups")
    if texto:
        qs = qs.filter(Q(username__icontains=texto) | Q(first_name__icontains=texto) | Q(last_name__icontains=texto))
    return qs.order_by("username")


def sucursales_para_usuario(*, user) -> QuerySet[Sucursal]:
    if not user.has_perm("issscobros.view_sucursal"):
        return Sucursal.objects.none()
    return Sucursal.objects.all()


def auditoria_para_usuario(*, user) -> QuerySet[RegistroAuditoria]:
    if not user.has_perm("issscobros.view_registroauditoria"):
        return RegistroAuditoria.objects.none()
    return RegistroAuditoria.objects.select_related("actor", "tipo_objeto")
