"""Plan Anual de Recuperación (targets editable by the jefe, actuals from the ledger) and the
correspondence register."""
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from issscobros import roles
from issscobros.errores import ErrorDeNegocio
from issscobros.models import Usuario
from issscobros.roles import PermisoRequeridoMixin
from issscobros.vistas import error_a_formulario, paginar, querystring_sin_pagina

from .. import selectors, services
from ..forms import CorrespondenciaForm, RespuestaForm


class PlanView(PermisoRequeridoMixin, View):
    permission_required = "mora.view_metaplan"

    def _anio(self, request) -> int:
        try:
            return int(request.GET.get("anio") or request.POST.get("anio") or timezone.localdate().year)
        except ValueError:
            raise Http404("Año inválido.")

    def get(self, request):
        anio = self._anio(request)
        return render(request, "mora/plan.html", {
            "anio": anio, "filas": selectors.plan_anual(user=request.user, anio=anio),
            "puede_editar": request.user.has_perm("mora.change_metaplan"),
            "editar": request.GET.get("editar") == "1" and request.user.has_perm("mora.change_metaplan"),
        })

    def post(self, request):
        if not request.user.has_perm("mora.change_metaplan"):
            raise Http404
        anio = self._anio(request)
        metas, errores = {}, []
        for s, celdas in selectors.plan_anual(user=request.user, anio=anio):
            for c in celdas:
                clave = f"{s.pk}_{c.mes.month}"
                try:
                    monto = Decimal(request.POST.get(f"monto_{clave}", "0").replace(",", "") or "0").quantize(Decimal("0.01"))
                    casos = int(request.POST.get(f"casos_{clave}", "0") or 0)
                except (InvalidOperation, ValueError):
                    errores.append(f"{s.nombre}, {c.mes:%m/%Y}: escriba un número.")
                    continue
                metas[(s.pk, c.mes.month)] = (monto, casos)
        if errores:
            for e in errores:
                messages.error(request, e)
            return redirect(f"{request.path}?anio={anio}&editar=1")
        try:
            n = services.plan_guardar(actor=request.user, anio=anio, metas=metas)
            messages.success(request, f"Plan {anio} guardado ({n} meta{'s' if n != 1 else ''} modificada{'s' if n != 1 else ''}).")
        except ErrorDeNegocio as exc:
            messages.error(request, exc.mensaje)
        return redirect(f"{request.path}?anio={anio}")


def _asignables(user):
    qs = Usuario.objects.filter(is_active=True, groups__name__in=[roles.GESTOR, roles.JEFE_SUCURSAL,
                                                                   roles.JEFE_DEPARTAMENTO]).distinct()
    alcance = selectors.sucursales_en_alcance(user=user)
    return qs if alcance is None else qs.filter(sucursal_id__in=alcance)


class CorrespondenciaListaView(PermisoRequeridoMixin, View):
    permission_required = "mora.view_casocobro"

    def get(self, request):
        qs = selectors.correspondencia_para_usuario(user=request.user)
        estado = request.GET.get("estado", "abiertas")
        if estado == "abiertas":
            qs = qs.exclude(estado="respondida")
        elif estado:
            qs = qs.filter(estado=estado)
        texto = request.GET.get("q", "").strip()
        if texto:
            qs = qs.filter(asunto__icontains=texto) | qs.filter(referencia__icontains=texto)
        return render(request, "mora/correspondencia_lista.html", {
            "pagina": paginar(request, qs.order_by("vence_el", "id")), "qs_sin_pagina": querystring_sin_pagina(request),
            "hoy": timezone.localdate(), "estado": estado, "q": texto,
        })


class CorrespondenciaNuevaView(PermisoRequeridoMixin, View):
    permission_required = "mora.add_correspondencia"

    def _form(self, request, data=None):
        return CorrespondenciaForm(data, asignables=_asignables(request.user), sucursales=selectors.sucursales_para_usuario(user=request.user),
                                   initial={"recibida_el": timezone.localdate(), "sucursal": request.user.sucursal_id})

    def get(self, request):
        return render(request, "mora/correspondencia_form.html", {"form": self._form(request)})

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                c = services.correspondencia_registrar(actor=request.user, datos=form.cleaned_data)
                messages.success(request, "Solicitud registrada.")
                return redirect("mora:correspondencia_detalle", pk=c.pk)
            except ErrorDeNegocio as exc:
                error_a_formulario(form, exc)
        return render(request, "mora/correspondencia_form.html", {"form": form}, status=400)


class CorrespondenciaDetalleView(PermisoRequeridoMixin, View):
    permission_required = "mora.view_casocobro"

    def _obj(self, request, pk):
        c = selectors.correspondencia_para_usuario(user=request.user).filter(pk=pk).first()
        if c is None:
            raise Http404("Solicitud no encontrada.")
        return c

    def get(self, request, pk):
        c = self._obj(request, pk)
        return render(request, "mora/correspondencia_detalle.html", {
            "c": c, "form": RespuestaForm(initial={"estado": c.estado}), "hoy": timezone.localdate()})

    def post(self, request, pk):
        c = self._obj(request, pk)
        form = RespuestaForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.correspondencia_responder(actor=request.user, correspondencia=c, estado=form.cleaned_data["estado"],
                                                   respuesta=form.cleaned_data["respuesta"],
                                                   documento=form.cleaned_data["documento_respuesta"])
                messages.success(request, "Solicitud actualizada.")
                return redirect("mora:correspondencia_detalle", pk=c.pk)
            except ErrorDeNegocio as exc:
                error_a_formulario(form, exc)
        return render(request, "mora/correspondencia_detalle.html", {"c": c, "form": form, "hoy": timezone.localdate()},
                      status=400)
