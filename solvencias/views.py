"""Screens of the solvencias app (thin: parse, check permission, call one service or selector, render)
and the public verification page (no login)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views import View

from cuentas.models import Deudor
from cuentas.selectors import deudor_detalle
from issscobros.errores import ErrorDeNegocio
from issscobros.roles import PermisoRequeridoMixin
from issscobros.vistas import error_a_formulario, paginar, querystring_sin_pagina

from . import limites, selectors, services
from .documentos import motivos_pdf, url_base
from .elegibilidad import evaluar
from .forms import AnularForm, ConsultaForm, FiltroForm, NoInscritoForm, VerificacionFiltroForm, VerificarForm
from .models import Solvencia, Verificacion


def _deudor_o_404(request, pk) -> Deudor:
    try:
        return deudor_detalle(user=request.user, pk=pk)
    except Deudor.DoesNotExist:
        raise Http404("Deudor no encontrado.")


def _volver(q: str):
    return redirect(f"{reverse('solvencias:consulta')}?{urlencode({'q': q})}")


class ConsultaView(PermisoRequeridoMixin, View):
    """The window: a NIT (or DUI, or número patronal) and, at once, whether it is solvent and why not."""

    permission_required = "solvencias.view_solvencia"

    def get(self, request):
        form = ConsultaForm(request.GET or None)
        contexto = {"form": form}
        if form.is_valid():
            ident = selectors.identificar(user=request.user, texto=form.cleaned_data["q"])
            if ident.error:
                form.add_error("q", ident.error)
            else:
                ev = evaluar(deudor=ident.deudor, nit=ident.nit)
                contexto.update(ident=ident, ev=ev, mes_anterior=services.mes_anterior(),
                                no_inscrito_form=NoInscritoForm(initial={"nit": ident.nit}))
        return render(request, "solvencias/consulta.html", contexto)


class EmitirView(PermisoRequeridoMixin, View):
    permission_required = "solvencias.add_solvencia"
    electronica = False

    def post(self, request, deudor_pk):
        deudor = _deudor_o_404(request, deudor_pk)
        try:
            if self.electronica:
                solvencia = services.solvencia_electronica_emitir(actor=request.user, deudor_id=deudor.pk,
                                                                  mes=services.mes_anterior(), url_base=url_base(request))
            else:
                solvencia = services.solvencia_emitir(actor=request.user, deudor=deudor, url_base=url_base(request))
        except ErrorDeNegocio as exc:  # e.g. a charge posted since the screen was shown
            messages.error(request, exc.mensaje)
            return _volver(deudor.nit or deudor.dui)
        messages.success(request, f"{solvencia.get_tipo_display()} {solvencia.folio} emitida.")
        return redirect("solvencias:detalle", pk=solvencia.pk)


class NoInscritoView(PermisoRequeridoMixin, View):
    permission_required = "solvencias.add_solvencia"

    def post(self, request):
        form = NoInscritoForm(request.POST)
        if form.is_valid():
            try:
                solvencia = services.constancia_no_inscrito_emitir(
                    actor=request.user, nit=form.cleaned_data["nit"], nombre=form.cleaned_data["nombre"],
                    url_base=url_base(request))
                messages.success(request, f"Constancia de no inscrito {solvencia.folio} emitida.")
                return redirect("solvencias:detalle", pk=solvencia.pk)
            except ErrorDeNegocio as exc:
                error_a_formulario(form, exc)
        return render(request, "solvencias/no_inscrito.html", {"form": form}, status=400)


class MotivosPdfView(PermisoRequeridoMixin, View):
    """The printable list of what is owed, for the employer to take away."""

    permission_required = "solvencias.view_solvencia"

    def get(self, request, deudor_pk):
        deudor = _deudor_o_404(request, deudor_pk)
        respuesta = HttpResponse(motivos_pdf(evaluacion=evaluar(deudor=deudor), actor=request.user),
                                 content_type="application/pdf")
        respuesta["Content-Disposition"] = f'inline; filename="obligaciones-vencidas-{deudor.nit or deudor.dui}.pdf"'
        return respuesta


class ListaView(PermisoRequeridoMixin, View):
    permission_required = "solvencias.view_solvencia"

    def get(self, request):
        form = FiltroForm(request.GET or None)
        datos = form.cleaned_data if form.is_valid() else {}
        usuario = datos.get("usuario")
        qs = selectors.solvencias_buscar(user=request.user, texto=datos.get("q", ""), tipo=datos.get("tipo", ""),
                                         dia=datos.get("dia"), emitida_por_id=usuario.pk if usuario else None,
                                         estado=datos.get("estado", ""))
        tipos = dict(Solvencia.Tipo.choices)
        resumen = [{**r, "tipo_nombre": tipos[r["tipo"]]} for r in selectors.solvencias_resumen(qs)]
        return render(request, "solvencias/lista.html", {
            "form": form, "pagina": paginar(request, qs), "resumen": resumen,
            "qs_sin_pagina": querystring_sin_pagina(request)})


def _solvencia_o_404(request, pk) -> Solvencia:
    try:
        return selectors.solvencia_detalle(user=request.user, pk=pk)
    except Solvencia.DoesNotExist:
        raise Http404("Solvencia no encontrada.")


class DetalleView(PermisoRequeridoMixin, View):
    permission_required = "solvencias.view_solvencia"

    def get(self, request, pk, form=None, status=200):
        solvencia = _solvencia_o_404(request, pk)
        return render(request, "solvencias/detalle.html", {
            "s": solvencia, "form": form or AnularForm(),
            "url_verificacion": request.build_absolute_uri(reverse("verificar_codigo", args=[solvencia.codigo])),
            "verificaciones": solvencia.verificaciones.order_by("-momento")[:10]}, status=status)


class PdfView(PermisoRequeridoMixin, View):
    permission_required = "solvencias.view_solvencia"

    def get(self, request, pk):
        solvencia = _solvencia_o_404(request, pk)
        # A reprint is the stored bytes of the register: identical to the first print.
        respuesta = HttpResponse(bytes(solvencia.documento.pdf), content_type="application/pdf")
        respuesta["Content-Disposition"] = f'inline; filename="{solvencia.folio}.pdf"'
        return respuesta


class AnularView(PermisoRequeridoMixin, View):
    permission_required = "solvencias.anular_solvencia"

    def post(self, request, pk):
        solvencia = _solvencia_o_404(request, pk)
        form = AnularForm(request.POST)
        if form.is_valid():
            try:
                services.solvencia_anular(actor=request.user, solvencia=solvencia, motivo=form.cleaned_data["motivo"])
                messages.success(request, f"Solvencia {solvencia.folio} anulada: ya no verifica como válida.")
                return redirect("solvencias:detalle", pk=solvencia.pk)
            except ErrorDeNegocio as exc:
                error_a_formulario(form, exc)
        return DetalleView().get(request, pk, form=form, status=400)


class VerificacionesView(PermisoRequeridoMixin, View):
    permission_required = "solvencias.view_verificacion"

    def get(self, request):
        form = VerificacionFiltroForm(request.GET or None)
        datos = form.cleaned_data if form.is_valid() else {}
        qs = selectors.verificaciones_para_usuario(user=request.user, texto=datos.get("q", "").strip(),
                                                   resultado=datos.get("resultado", ""))
        return render(request, "solvencias/verificaciones.html", {
            "form": form, "pagina": paginar(request, qs), "qs_sin_pagina": querystring_sin_pagina(request)})


class ConsultasApiView(PermisoRequeridoMixin, View):
    permission_required = "solvencias.view_consultaapi"

    def get(self, request):
        nit = request.GET.get("nit", "").strip()
        qs = selectors.consultas_api_para_usuario(user=request.user, nit=nit)
        return render(request, "solvencias/consultas_api.html", {
            "nit": nit, "pagina": paginar(request, qs), "qs_sin_pagina": querystring_sin_pagina(request)})


# --- public ------------------------------------------------------------------------------------------------

@login_not_required
def verificar(request, codigo: str = ""):
    """CONTRACTS §7: /verificar/ and /verificar/<codigo>/ (?nit= also checks the NIT). Never amounts."""
    form = VerificarForm(request.GET or None, initial={"codigo": codigo})
    codigo = codigo or (form.data.get("codigo", "") if form.is_bound else "")
    nit = request.GET.get("nit", "").strip()
    if not codigo:
        return render(request, "solvencias/verificar.html", {"form": VerificarForm()})
    ip = request.META.get("REMOTE_ADDR")
    if limites.bloqueada(ip):
        if limites.fallo_registrar(ip) == limites.FALLOS_MAXIMOS + 1:  # log the first refusal, not the flood
            services.verificacion_registrar(ip=ip, codigo=codigo, nit=nit, resultado=Verificacion.Resultado.LIMITADA,
                                            solvencia=None)
        respuesta = render(request, "solvencias/verificar_limitada.html", {"minutos": limites.VENTANA // 60}, status=429)
        respuesta["Retry-After"] = str(limites.VENTANA)
        return respuesta
    resultado, solvencia = selectors.verificar(codigo=codigo, nit=nit)
    services.verificacion_registrar(ip=ip, codigo=codigo, nit=nit, resultado=resultado, solvencia=solvencia)
    if solvencia is None:
        limites.fallo_registrar(ip)
    return render(request, "solvencias/verificar.html", {
        "form": VerificarForm(initial={"codigo": codigo, "nit": nit}), "consultado": True, "resultado": resultado,
        "resultado_nombre": Verificacion.Resultado(resultado).label, "s": solvencia})
