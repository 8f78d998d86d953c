from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views import View
from django.views.decorators.cache import never_cache

from . import roles, selectors, services
from .filtros import AuditoriaFiltro
from .forms import SucursalForm, UsuarioForm
from .models import Documento, Sucursal, Usuario
from .roles import PermisoRequeridoMixin
from .vistas import error_a_formulario, paginar, querystring_sin_pagina


def inicio(request):
    """The home page of the user's role(s). A user with no role may not use the system."""
    mis_roles = roles.roles_de(request.user)
    if not mis_roles:
        raise PermissionDenied("Su usuario no tiene un rol asignado. Solicítelo al administrador.")
    return render(request, "inicio.html", {
        "roles": [(r, roles.NOMBRES[r]) for r in mis_roles],
        "rol_principal": mis_roles[0],
    })


@login_not_required
@never_cache
def healthz(request):
    """CONTRACTS §7: 200 {"db": "ok", "redis": "ok"}, or 503 naming what failed."""
    import redis
    from django.conf import settings

    estado = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        estado["db"] = "ok"
    except Exception as exc:  # any failure means "not healthy"; the message says which
        estado["db"] = f"error: {exc.__class__.__name__}"
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
        estado["redis"] = "ok"
    except Exception as exc:
        estado["redis"] = f"error: {exc.__class__.__name__}"
    ok = all(v == "ok" for v in estado.values())
    return JsonResponse(estado, status=200 if ok else 503)


class UsuarioListaView(PermisoRequeridoMixin, View):
    permission_required = "issscobros.view_usuario"

    def get(self, request):
        texto = request.GET.get("q", "").strip()
        pagina = paginar(request, selectors.usuarios_buscar(user=request.user, texto=texto))
        return render(request, "administracion/usuario_lista.html", {
            "pagina": pagina, "q": texto, "qs_sin_pagina": querystring_sin_pagina(request),
            "nombres_roles": roles.NOMBRES,
        })


class UsuarioFormularioView(PermisoRequeridoMixin, View):
    def get_permission_required(self):
        return ["issscobros.change_usuario" if "pk" in self.kwargs else "issscobros.add_usuario"]

    def _usuario(self, request, pk):
        if pk is None:
            return None
        try:
            return selectors.usuarios_buscar(user=request.user).get(pk=pk)
        except Usuario.DoesNotExist:
            raise Http404("Usuario no encontrado.")

    def get(self, request, pk=None):
        usuario = self._usuario(request, pk)
        return render(request, "administracion/usuario_formulario.html",
                      {"form": UsuarioForm(instance=usuario), "usuario": usuario})

    def post(self, request, pk=None):
        usuario = self._usuario(request, pk)
        form = UsuarioForm(request.POST, instance=usuario)
        if form.is_valid():
            try:
                services.usuario_guardar(
                    actor=request.user, usuario=usuario, datos=form.cleaned_data,
                    roles_asignados=form.cleaned_data["roles"], password=form.cleaned_data.get("password"),
                )
                messages.success(request, "Usuario guardado.")
                return redirect("usuario_lista")
            except ValidationError as exc:
                error_a_formulario(form, exc)
        return render(request, "administracion/usuario_formulario.html",
                      {"form": form, "usuario": usuario}, status=400)


class SucursalListaView(PermisoRequeridoMixin, View):
    permission_required = "issscobros.view_sucursal"

    def get(self, request):
        texto = request.GET.get("q", "").strip()
        qs = selectors.sucursales_para_usuario(user=request.user)
        if texto:
            qs = qs.filter(nombre__icontains=texto)
        return render(request, "administracion/sucursal_lista.html", {
            "pagina": paginar(request, qs), "q": texto, "qs_sin_pagina": querystring_sin_pagina(request),
        })


class SucursalFormularioView(PermisoRequeridoMixin, View):
    def get_permission_required(self):
        return ["issscobros.change_sucursal" if "pk" in self.kwargs else "issscobros.add_sucursal"]

    def _sucursal(self, request, pk):
        if pk is None:
            return None
        try:
            return selectors.sucursales_para_usuario(user=request.user).get(pk=pk)
        except Sucursal.DoesNotExist:
            raise Http404("Sucursal no encontrada.")

    def get(self, request, pk=None):
        sucursal = self._sucursal(request, pk)
        return render(request, "administracion/sucursal_formulario.html",
                      {"form": SucursalForm(instance=sucursal), "sucursal": sucursal})

    def post(self, request, pk=None):
        sucursal = self._sucursal(request, pk)
        form = SucursalForm(request.POST, instance=sucursal)
        if form.is_valid():
            try:
                services.sucursal_guardar(actor=request.user, sucursal=sucursal, datos=form.cleaned_data)
                messages.success(request, "Sucursal guardada.")
                return redirect("sucursal_lista")
            except ValidationError as exc:
                error_a_formulario(form, exc)
        return render(request, "administracion/sucursal_formulario.html",
                      {"form": form, "sucursal": sucursal}, status=400)


class AuditoriaListaView(PermisoRequeridoMixin, View):
    permission_required = "issscobros.view_registroauditoria"

    def get(self, request):
        filtro = AuditoriaFiltro(request.GET or None, queryset=selectors.auditoria_para_usuario(user=request.user))
        return render(request, "auditoria/lista.html", {
            "filtro": filtro, "pagina": paginar(request, filtro.qs),
            "qs_sin_pagina": querystring_sin_pagina(request),
        })


class DocumentoListaView(PermisoRequeridoMixin, View):
    permission_required = "issscobros.view_documento"

    def get(self, request):
        texto = request.GET.get("q", "").strip()
        tipo = request.GET.get("tipo", "")
        qs = selectors.documentos_buscar(user=request.user, texto=texto, tipo=tipo)
        return render(request, "documentos/lista.html", {
            "pagina": paginar(request, qs), "q": texto, "tipo": tipo, "tipos": Documento.Tipo.choices,
            "qs_sin_pagina": querystring_sin_pagina(request)})


class DocumentoDetalleView(PermisoRequeridoMixin, View):
    permission_required = "issscobros.view_documento"
    pdf = False

    def _documento(self, request, pk):
        try:
            return selectors.documentos_buscar(user=request.user).get(pk=pk)
        except Documento.DoesNotExist:
            raise Http404("Documento no encontrado.")

    def get(self, request, pk):
        documento = self._documento(request, pk)
        if self.pdf:
            # A reprint is the stored bytes: identical to the first print, whatever changed since.
            respuesta = HttpResponse(bytes(documento.pdf), content_type="application/pdf")
            respuesta["Content-Disposition"] = f'inline; filename="{documento.folio}.pdf"'
            return respuesta
        return render(request, "documentos/detalle.html", {"documento": documento})
