"""Four-eyes screens: propose an annulment or exoneration; a coordinator approves or rejects it."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from issscobros.errores import ErrorDeNegocio
from issscobros.roles import PermisoRequeridoMixin
from issscobros.vistas import error_a_formulario, paginar, querystring_sin_pagina

from .. import selectors
from ..forms import ResolverAjusteForm, SolicitudAjusteForm
from ..models import SolicitudAjuste
from ..services import ajustes
from .registro import _cuenta_o_404


class AjusteNuevoView(PermisoRequeridoMixin, View):
    permission_required = "cuentas.add_solicitudajuste"

    def get(self, request, pk):
        cuenta = _cuenta_o_404(request, pk)
        return render(request, "cuentas/ajuste_formulario.html", {"cuenta": cuenta, "form": SolicitudAjusteForm(cuenta=cuenta)})

    def post(self, request, pk):
        cuenta = _cuenta_o_404(request, pk)
        form = SolicitudAjusteForm(request.POST, request.FILES, cuenta=cuenta)
        if form.is_valid():
            d = form.cleaned_data
            try:
                solicitud = ajustes.solicitud_proponer(
                    actor=request.user, tipo=d["tipo"], cuenta=cuenta, obligaciones=list(d["obligaciones"]),
                    fecha_corte=d["fecha_corte"], motivo=d["motivo"], porcentaje=d["porcentaje"],
                    incluye_recargos_devengados=d["incluye_recargos_devengados"], acuerdo_numero=d["acuerdo_numero"],
                    acuerdo_fecha=d["acuerdo_fecha"], soporte=d["soporte"])
                messages.success(request, f"{solicitud.get_tipo_display()} propuesta: espera la aprobación de un coordinador.")
                return redirect("cuentas:ajuste_detalle", pk=solicitud.pk)
            except ErrorDeNegocio as exc:
                error_a_formulario(form, exc)
        return render(request, "cuentas/ajuste_formulario.html", {"cuenta": cuenta, "form": form}, status=400)


class AjusteListaView(PermisoRequeridoMixin, View):
    permission_required = "cuentas.view_solicitudajuste"

    def get(self, request):
        estado = request.GET.get("estado", SolicitudAjuste.Estado.PROPUESTA)
        if estado not in SolicitudAjuste.Estado.values and estado != "todas":
            estado = SolicitudAjuste.Estado.PROPUESTA
        qs = selectors.solicitudes_para_usuario(user=request.user, estado="" if estado == "todas" else estado)
        return render(request, "cuentas/ajuste_lista.html", {
            "pagina": paginar(request, qs), "estado": estado, "estados": SolicitudAjuste.Estado.choices,
            "qs_sin_pagina": querystring_sin_pagina(request)})


class AjusteDetalleView(PermisoRequeridoMixin, View):
    permission_required = "cuentas.view_solicitudajuste"

    def _solicitud(self, request, pk):
        try:
            return selectors.solicitud_detalle(user=request.user, pk=pk)
        except SolicitudAjuste.DoesNotExist:
            raise Http404("Solicitud no encontrada.")

    def get(self, request, pk):
        return self._render(request, self._solicitud(request, pk), ResolverAjusteForm())

    def post(self, request, pk):
        solicitud = self._solicitud(request, pk)
        form = ResolverAjusteForm(request.POST)
        if form.is_valid():
            try:
                if "aprobar" in request.POST:
                    ajustes.solicitud_aprobar(actor=request.user, solicitud=solicitud, nota=form.cleaned_data["nota"])
                    messages.success(request, f"{solicitud.get_tipo_display()} aprobada y registrada en el libro.")
                else:
                    ajustes.solicitud_rechazar(actor=request.user, solicitud=solicitud, nota=form.cleaned_data["nota"])
                    messages.info(request, "Solicitud rechazada.")
                return redirect("cuentas:ajuste_detalle", pk=pk)
            except ErrorDeNegocio as exc:
                error_a_formulario(form, exc)
        return self._render(request, solicitud, form, status=400)

    def _render(self, request, solicitud, form, status=200):
        puede_resolver = (request.user.has_perm("cuentas.aprobar_solicitudajuste")
                          and solicitud.propuesto_por_id != request.user.pk
                          and solicitud.estado == SolicitudAjuste.Estado.PROPUESTA)
        return render(request, "cuentas/ajuste_detalle.html", {
            "solicitud": solicitud, "form": form, "puede_resolver": puede_resolver}, status=status)
