from django.db.models import Q, QuerySet

from .models import Documento, RegistroAuditoria, Sucursal, Usuario


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


def documentos_buscar(*, user, texto: str = "", tipo: str = "") -> QuerySet[Documento]:
    if not user.has_perm("issscobros.view_documento"):
        return Documento.objects.none()
    qs = Documento.objects.select_related("emitido_por").defer("pdf", "datos")
    if tipo:
        qs = qs.filter(tipo=tipo)
    if texto:
        partes = texto.upper().split("-")
        filtro = Q(referencia__startswith=texto) | Q(codigo=texto.upper())
        if len(partes) == 3 and partes[1].isdigit() and partes[2].isdigit():  # a folio: EC-2025-000123
            filtro |= Q(anio=int(partes[1]), numero=int(partes[2]))
        qs = qs.filter(filtro)
    return qs.order_by("-emitido_en", "-id")
