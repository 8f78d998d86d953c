"""Parameters (with vigencias and legal source) and the holiday calendar."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views import View

from issscobros.errores import ErrorDeNegocio
from issscobros.roles import PermisoRequeridoMixin
from issscobros.vistas import error_a_formulario, paginar, querystring_sin_pagina

from ..forms import FeriadoForm, ParametroForm
from ..models import Feriado, Parametro
from ..services import parametros


class ParametroListaView(PermisoRequeridoMixin, View):
    permission_required = "cuentas.view_parametro"

    def get(self, request):
        return self._render(request, ParametroForm())

    def post(self, request):
        if not request.user.has_perm("cuentas.add_parametro"):
            return render(request, "403.html", status=403)
        form = ParametroForm(request.POST)
        if form.is_valid():
            try:
                parametros.parametro_agregar(actor=request.user, datos=form.cleaned_data)
                messages.success(request, "Nueva vigencia registrada. Los periodos anteriores conservan su valor.")
                return redirect("cuentas:parametro_lista")
            except ErrorDeNegocio as exc:
                error_a_formulario(form, exc)
        return self._render(request, form, status=400)

    def _render(self, request, form, status=200):
        return render(request, "cuentas/parametro_lista.html", {
            "parametros": Parametro.objects.select_related("creado_por").order_by("clave", "-vigente_desde"),
            "form": form}, status=status)


class FeriadoListaView(PermisoRequeridoMixin, View):
    permission_required = "cuentas.view_feriado"

    def get(self, request):
        return self._render(request, FeriadoForm())

    def post(self, request):
        if not request.user.has_perm("cuentas.add_feriado"):
            return render(request, "403.html", status=403)
        form = FeriadoForm(request.POST)
        if form.is_valid():
            try:
                parametros.feriado_agregar(actor=request.user, datos=form.cleaned_data)
                messages.success(request, "Feriado agregado.")
                return redirect("cuentas:feriado_lista")
            except ErrorDeNegocio as exc:
                error_a_formulario(form, exc)
        return self._render(request, form, status=400)

    def _render(self, request, form, status=200):
        anio = request.GET.get("anio", "")
        qs = Feriado.objects.all()
        if anio.isdigit():
            qs = qs.filter(fecha__year=int(anio))
        return render(request, "cuentas/feriado_lista.html", {
            "pagina": paginar(request, qs.order_by("-fecha"), 50), "form": form, "anio": anio,
            "qs_sin_pagina": querystring_sin_pagina(request)}, status=status)
