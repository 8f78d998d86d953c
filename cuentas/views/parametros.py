"""Parameters (with vigencias and legal source) and the holiday calendar: each a list with a form
that adds one row (rows are never edited: a new vigencia replaces a value from its date on)."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views import View

from issscobros.errores import ErrorDeNegocio
from issscobros.roles import PermisoRequeridoMixin
from issscobros.vistas import error_a_formulario, paginar, querystring_sin_pagina

from ..forms import FeriadoForm, ParametroForm
from ..models import Feriado, Parametro
from ..services import parametros


class _ListaConAltaView(PermisoRequeridoMixin, View):
    """GET: the list and an empty form. POST (with `permiso_alta`): the service adds the row."""

    form_class = None
    permiso_alta = ""
    plantilla = ""
    destino = ""
    mensaje = ""

    def agregar(self, *, actor, datos):
        raise NotImplementedError

    def contexto(self, request) -> dict:
        raise NotImplementedError

    def get(self, request):
        return self._render(request, self.form_class())

    def post(self, request):
        if not request.user.has_perm(self.permiso_alta):
            raise PermissionDenied("Su rol no puede agregar registros aquí.")
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.agregar(actor=request.user, datos=form.cleaned_data)
                messages.success(request, self.mensaje)
                return redirect(self.destino)
            except ErrorDeNegocio as exc:
                error_a_formulario(form, exc)
        return self._render(request, form, status=400)

    def _render(self, request, form, status=200):
        return render(request, self.plantilla, {**self.contexto(request), "form": form}, status=status)


class ParametroListaView(_ListaConAltaView):
    permission_required = "cuentas.view_parametro"
    permiso_alta = "cuentas.add_parametro"
    form_class = ParametroForm
    plantilla = "cuentas/parametro_lista.html"
    destino = "cuentas:parametro_lista"
    mensaje = "Nueva vigencia registrada. Los periodos anteriores conservan su valor."

    def agregar(self, *, actor, datos):
        parametros.parametro_agregar(actor=actor, datos=datos)

    def contexto(self, request):
        return {"parametros": Parametro.objects.select_related("creado_por").order_by("clave", "-vigente_desde")}


class FeriadoListaView(_ListaConAltaView):
    permission_required = "cuentas.view_feriado"
    permiso_alta = "cuentas.add_feriado"
    form_class = FeriadoForm
    plantilla = "cuentas/feriado_lista.html"
    destino = "cuentas:feriado_lista"
    mensaje = "Feriado agregado."

    def agregar(self, *, actor, datos):
        parametros.feriado_agregar(actor=actor, datos=datos)

    def contexto(self, request):
        anio = request.GET.get("anio", "")
        qs = Feriado.objects.all()
        if anio.isdigit():
            qs = qs.filter(fecha__year=int(anio))
        return {"pagina": paginar(request, qs.order_by("-fecha"), 50), "anio": anio,
                "qs_sin_pagina": querystring_sin_pagina(request)}
