"""Publication list (proposed by agents, approved by a jefe, exported for the media), account
clean-up requests from the case page, and the batches of planillas en mora."""
from decimal import Decimal

from django.contrib import messages
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from cuentas.models import Obligacion
from issscobros.errores import ErrorDeNegocio
from issscobros.roles import PermisoRequeridoMixin
from issscobros.vistas import error_a_formulario, paginar, querystring_sin_pagina

from .. import selectors, services
from ..forms import (DepuracionForm, DepuracionRespuestaForm, LoteForm, ProponerPublicacionForm,
                     ResolverPublicacionForm)
from ..models import PropuestaPublicacion
from .comun import caso_o_404, respuesta_csv


class PublicacionView(PermisoRequeridoMixin, View):
    permission_required = "mora.view_propuestapublicacion"

    def get(self, request):
        estado = request.GET.get("estado", "")
        propuestas = selectors.propuestas_publicacion(user=request.user, estado=estado)
        if request.GET.get("formato") == "csv":
            aprobadas = list(selectors.propuestas_publicacion(user=request.user, estado="aprobada"))
            saldos = dict(Obligacion.objects.filter(cuenta__deudor_id__in=[p.caso.deudor_id for p in aprobadas], saldo__gt=0)
                          .values("cuenta__deudor_id").annotate(s=Sum("saldo")).values_list("cuenta__deudor_id", "s"))
            return respuesta_csv("lista_publicacion", ["razon_social", "nit", "sucursal", "monto_adeudado", "aprobado_el"], (
                [p.caso.deudor.razon_social, p.caso.deudor.identificacion, p.caso.sucursal.nombre,
                 f"{saldos.get(p.caso.deudor_id, Decimal('0')):.2f}", f"{timezone.localtime(p.resuelto_en):%d/%m/%Y}"]
                for p in aprobadas))
        return render(request, "mora/publicacion.html", {
            "candidatos": selectors.publicacion_candidatos(user=request.user)[:50] if request.user.has_perm(
                "mora.add_propuestapublicacion") else [],
            "pagina": paginar(request, propuestas), "qs_sin_pagina": querystring_sin_pagina(request), "estado": estado,
            "estados": PropuestaPublicacion.Estado.choices, "resolver_form": ResolverPublicacionForm(),
        })


class PublicacionProponerView(PermisoRequeridoMixin, View):
    permission_required = "mora.add_propuestapublicacion"

    def post(self, request, pk):
        caso = caso_o_404(request, pk)
        form = ProponerPublicacionForm(request.POST)
        try:
            if not form.is_valid():
                raise ErrorDeNegocio("Indique por qué se propone su publicación.")
            services.publicacion_proponer(actor=request.user, caso=caso, motivo=form.cleaned_data["motivo"])
            messages.success(request, f"{caso.deudor.razon_social} quedó propuesto para publicación.")
        except ErrorDeNegocio as exc:
            messages.error(request, exc.mensaje)
        return redirect("mora:publicacion")


class PublicacionResolverView(PermisoRequeridoMixin, View):
    permission_required = "mora.aprobar_propuestapublicacion"

    def post(self, request, pk):
        propuesta = selectors.propuestas_publicacion(user=request.user).filter(pk=pk).first()
        if propuesta is None:
            raise Http404("Propuesta no encontrada.")
        form = ResolverPublicacionForm(request.POST)
        try:
            if not form.is_valid():
                raise ErrorDeNegocio("Elija aprobar o rechazar.")
            services.publicacion_resolver(actor=request.user, propuesta=propuesta,
                                          aprobar=form.cleaned_data["decision"] == "aprobar", nota=form.cleaned_data["nota"])
            messages.success(request, "Propuesta resuelta.")
        except ErrorDeNegocio as exc:
            messages.error(request, exc.mensaje)
        return redirect("mora:publicacion")


class DepuracionView(PermisoRequeridoMixin, View):
    """Request a clean-up from the case page (no `dep`) or record the answer (`dep`)."""

    permission_required = "mora.add_solicituddepuracion"

    def post(self, request, pk, dep=None):
        caso = caso_o_404(request, pk)
        try:
            if dep is None:
                form = DepuracionForm(request.POST)
                if not form.is_valid():
                    raise ErrorDeNegocio("Elija el área y describa qué se pide depurar.")
                services.depuracion_solicitar(actor=request.user, caso=caso, **form.cleaned_data)
                messages.success(request, "Solicitud de depuración registrada.")
            else:
                solicitud = caso.depuraciones.filter(pk=dep).first()
                if solicitud is None:
                    raise Http404("Solicitud no encontrada.")
                form = DepuracionRespuestaForm(request.POST)
                if not form.is_valid():
                    raise ErrorDeNegocio("Escriba la respuesta y su fecha.")
                services.depuracion_responder(actor=request.user, solicitud=solicitud, **form.cleaned_data)
                messages.success(request, "Respuesta registrada.")
        except ErrorDeNegocio as exc:
            messages.error(request, exc.mensaje)
        return redirect("mora:caso_detalle", pk=caso.pk)


class LotesView(PermisoRequeridoMixin, View):
    permission_required = "mora.view_loteplanillas"

    def _render(self, request, form, status=200):
        return render(request, "mora/lotes.html", {
            "form": form, "pagina": paginar(request, selectors.lotes_para_usuario(user=request.user)),
            "qs_sin_pagina": querystring_sin_pagina(request)}, status=status)

    def get(self, request):
        return self._render(request, LoteForm(sucursales=selectors.sucursales_para_usuario(user=request.user),
                                              initial={"recibido_el": timezone.localdate()}))

    def post(self, request):
        if not request.user.has_perm("mora.add_loteplanillas"):
            raise Http404
        form = LoteForm(request.POST, request.FILES, sucursales=selectors.sucursales_para_usuario(user=request.user))
        if form.is_valid():
            try:
                lote = services.lote_registrar(actor=request.user, **form.cleaned_data)
                messages.success(request, f"Lote registrado con {lote.lineas.count()} líneas.")
                return redirect("mora:lote_detalle", pk=lote.pk)
            except ErrorDeNegocio as exc:
                error_a_formulario(form, exc)
        return self._render(request, form, status=400)


class LoteDetalleView(PermisoRequeridoMixin, View):
    permission_required = "mora.view_loteplanillas"

    def get(self, request, pk):
        lote = selectors.lotes_para_usuario(user=request.user).filter(pk=pk).first()
        if lote is None:
            raise Http404("Lote no encontrado.")
        lineas = lote.lineas.all()
        if request.GET.get("formato") == "csv":
            return respuesta_csv(f"lote_{lote.pk}", ["linea", "numero_patronal", "periodo", "monto_informado",
                                                     "monto_sistema", "resultado"],
                                 ([x.linea, x.numero_patronal, f"{x.periodo:%Y-%m}", x.monto_informado,
                                   x.monto_sistema if x.monto_sistema is not None else "", x.get_resultado_display()]
                                  for x in lineas))
        return render(request, "mora/lote_detalle.html", {"lote": lote, "lineas": lineas,
                                                          "diferencias": sum(1 for x in lineas if x.resultado != "coincide")})
