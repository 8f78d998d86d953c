"""Screens of payment agreements: list, simulator (and its printed options), detail with the
schedule, and the actions of its life (PDF, legalize, annul, check for breach). Thin: parse, check
the permission, call one service, turn its ErrorDeNegocio into a form error or a message."""
from datetime import date

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from cuentas.reglas import Reglas
from cuentas.selectors import cuenta_por_numero
from issscobros.errores import ErrorDeNegocio
from issscobros.roles import PermisoRequeridoMixin
from issscobros.vistas import error_a_formulario, paginar, querystring_sin_pagina

from .. import calculo, documentos, reportes, selectors
from ..forms import LegalizarForm, MotivoForm, SimuladorForm
from ..models import Convenio
from ..services import convenios as servicios
from ..services.incumplimiento import convenio_revisar


def _convenio_o_404(request, pk) -> Convenio:
    try:
        return selectors.convenio_detalle(user=request.user, pk=pk)
    except Convenio.DoesNotExist:
        raise Http404("Convenio no encontrado.")


class ListaPorEstadoView(PermisoRequeridoMixin, View):
    """A searchable, paginated list filtered by state (agreements, settlements)."""

    estados = Convenio.Estado
    plantilla = "convenios/lista.html"
    permission_required = "convenios.view_convenio"

    def buscar(self, *, user, texto, estado):
        return selectors.convenios_buscar(user=user, texto=texto, estado=estado)

    def get(self, request):
        texto, estado = request.GET.get("q", ""), request.GET.get("estado", "")
        estado = estado if estado in self.estados.values else ""
        qs = self.buscar(user=request.user, texto=texto, estado=estado)
        return render(request, self.plantilla, {
            "pagina": paginar(request, qs), "q": texto, "estado": estado, "estados": self.estados.choices,
            "qs_sin_pagina": querystring_sin_pagina(request)})


ConvenioListaView = ListaPorEstadoView


class SimuladorView(PermisoRequeridoMixin, View):
    """GET: the form, and with its data the schedule and the parameter checks (imprimir=1: the PDF
    of the options). POST: formalize the simulated agreement (a borrador)."""

    permission_required = "convenios.add_convenio"

    def _deudor(self, request):
        datos = request.GET if request.method == "GET" else request.POST
        try:
            if datos.get("caso"):
                return selectors.deudor_de_caso(user=request.user, pk=int(datos["caso"]))
            if datos.get("deudor"):
                return selectors.deudor_visible(user=request.user, pk=int(datos["deudor"]))
            if datos.get("numero"):  # a número patronal typed on the list page
                cuenta = cuenta_por_numero(numero=datos["numero"].strip())
                if cuenta is not None:
                    return selectors.deudor_visible(user=request.user, pk=cuenta.deudor_id)
        except (ValueError, ObjectDoesNotExist):
            raise Http404("Deudor no encontrado.")
        raise Http404("Indique el caso, el deudor o un número patronal existente.")

    def _form(self, request, deudor, datos):
        hoy = timezone.localdate()
        cuentas = deudor.cuentas.order_by("numero")
        cuenta = cuentas.filter(pk=datos.get("cuenta") or 0).first() or cuentas.first()
        if cuenta is None:
            raise Http404("El deudor no tiene cuentas.")
        fecha = _fecha(datos.get("fecha_firma")) or hoy
        obligaciones = calculo.obligaciones_convenibles(cuenta_id=cuenta.pk, al=fecha)
        enlazado = "fecha_firma" in datos
        form = SimuladorForm(datos if enlazado else None, cuentas=cuentas, obligaciones=obligaciones,
                             initial={**SimuladorForm.iniciales(hoy), "cuenta": cuenta,
                                      "obligaciones": [o.pk for o in obligaciones if o.vencimiento < hoy]})
        return form, cuenta, obligaciones

    def _simular(self, form, obligaciones, reglas, numero_cuotas=None):
        d = form.cleaned_data
        elegidas = list(d["obligaciones"]) or [o for o in obligaciones if o.vencimiento < d["fecha_firma"]]
        return calculo.simular(obligaciones=elegidas, fecha_firma=d["fecha_firma"], prima=d["prima"],
                               numero_cuotas=numero_cuotas or d["numero_cuotas"],
                               primer_vencimiento=d["primer_vencimiento"], reglas=reglas)

    def get(self, request):
        deudor = self._deudor(request)
        form, cuenta, obligaciones = self._form(request, deudor, request.GET)
        simulacion = None
        if form.is_bound and form.is_valid():
            reglas = Reglas.cargar()
            simulacion = self._simular(form, obligaciones, reglas)
            if request.GET.get("imprimir"):
                opciones = [simulacion] + [self._simular(form, obligaciones, reglas, n) for n in form.cleaned_data["opciones"]
                                           if n != form.cleaned_data["numero_cuotas"]]
                pdf = documentos.opciones_pdf(cuenta=cuenta, opciones=opciones)
                respuesta = HttpResponse(pdf, content_type="application/pdf")
                respuesta["Content-Disposition"] = f'inline; filename="opciones-convenio-{cuenta.numero}.pdf"'
                return respuesta
        return render(request, "convenios/simulador.html", {
            "deudor": deudor, "cuenta": cuenta, "form": form, "simulacion": simulacion,
            "caso": request.GET.get("caso", ""), "consulta": request.GET.urlencode()})

    def post(self, request):
        deudor = self._deudor(request)
        form, cuenta, obligaciones = self._form(request, deudor, request.POST)
        if form.is_valid():
            d = form.cleaned_data
            elegidas = [o.pk for o in d["obligaciones"]] or [o.pk for o in obligaciones if o.vencimiento < d["fecha_firma"]]
            try:
                convenio = servicios.convenio_crear(
                    actor=request.user, cuenta=cuenta, obligaciones=elegidas, fecha_firma=d["fecha_firma"],
                    prima=d["prima"], numero_cuotas=d["numero_cuotas"], primer_vencimiento=d["primer_vencimiento"],
                    tipo=d["tipo"], empleado=d["empleado"])
                messages.success(request, f"{convenio} elaborado. Imprímalo para la firma del deudor y legalícelo con la copia firmada.")
                return redirect("convenios:detalle", pk=convenio.pk)
            except ErrorDeNegocio as exc:
                error_a_formulario(form, exc)
        return render(request, "convenios/simulador.html", {
            "deudor": deudor, "cuenta": cuenta, "form": form, "simulacion": None, "caso": request.POST.get("caso", "")},
            status=400)


def _fecha(texto) -> date | None:
    try:
        return date.fromisoformat(texto) if texto else None
    except ValueError:
        return None


class ConvenioDetalleView(PermisoRequeridoMixin, View):
    permission_required = "convenios.view_convenio"

    def get(self, request, pk):
        convenio = _convenio_o_404(request, pk)
        return render(request, "convenios/detalle.html", _contexto_detalle(request, convenio))


def _contexto_detalle(request, convenio, **formularios):
    hoy = timezone.localdate()
    return {
        "c": convenio, "cuotas": list(convenio.cuotas.all()), "inclusiones": list(convenio.inclusiones.all()),
        "historial": list(convenio.historial.all()), "hoy": hoy,
        "form_legalizar": formularios.get("form_legalizar") or LegalizarForm(initial={"fecha_legalizacion": hoy}),
        "form_anular": formularios.get("form_anular") or MotivoForm(),
        "puede_operar": request.user.has_perm("convenios.change_convenio"),
        "puede_anular": request.user.has_perm("convenios.anular_convenio"),
    }


class _AccionView(PermisoRequeridoMixin, View):
    permission_required = "convenios.change_convenio"


class ConvenioPdfView(_AccionView):
    """POST: issue the agreement's document (once); then its stored bytes, to whoever sees the agreement."""

    def post(self, request, pk):
        documentos.convenio_emitir(actor=request.user, convenio=_convenio_o_404(request, pk))
        return redirect("convenios:impreso", pk=pk)


class ConvenioImpresoView(PermisoRequeridoMixin, View):
    permission_required = "convenios.view_convenio"

    def get(self, request, pk):
        convenio = _convenio_o_404(request, pk)
        if convenio.documento is None:
            raise Http404("El convenio aún no se ha impreso.")
        return documento_respuesta(convenio.documento)


def documento_respuesta(documento) -> HttpResponse:
    """The stored bytes of an issued document (a reprint is the same file)."""
    respuesta = HttpResponse(bytes(documento.pdf), content_type="application/pdf")
    respuesta["Content-Disposition"] = f'inline; filename="{documento.folio}.pdf"'
    return respuesta


class ConvenioLegalizarView(_AccionView):
    def post(self, request, pk):
        convenio = _convenio_o_404(request, pk)
        form = LegalizarForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                servicios.convenio_legalizar(actor=request.user, convenio=convenio,
                                             copia_firmada=form.cleaned_data["copia_firmada"],
                                             fecha_legalizacion=form.cleaned_data["fecha_legalizacion"])
                messages.success(request, "Convenio legalizado. Entra en vigencia al pagarse la prima.")
                return redirect("convenios:detalle", pk=pk)
            except ErrorDeNegocio as exc:
                error_a_formulario(form, exc)
        return render(request, "convenios/detalle.html", _contexto_detalle(request, convenio, form_legalizar=form), status=400)


class ConvenioAnularView(_AccionView):
    permission_required = "convenios.anular_convenio"

    def post(self, request, pk):
        convenio = _convenio_o_404(request, pk)
        form = MotivoForm(request.POST)
        if form.is_valid():
            try:
                servicios.convenio_anular(actor=request.user, convenio=convenio, motivo=form.cleaned_data["motivo"])
                messages.success(request, "Convenio anulado.")
                return redirect("convenios:detalle", pk=pk)
            except ErrorDeNegocio as exc:
                error_a_formulario(form, exc)
        return render(request, "convenios/detalle.html", _contexto_detalle(request, convenio, form_anular=form), status=400)


class ConvenioRevisarView(_AccionView):
    """On demand, the same check the nightly task runs."""

    def post(self, request, pk):
        convenio = convenio_revisar(actor=request.user, convenio=_convenio_o_404(request, pk), al=timezone.localdate())
        if convenio.estado == Convenio.Estado.INCUMPLIDO:
            messages.warning(request, f"Convenio incumplido desde el {convenio.fecha_incumplimiento:%d/%m/%Y}: el saldo completo es exigible.")
        else:
            messages.info(request, "El convenio no registra incumplimiento.")
        return redirect("convenios:detalle", pk=convenio.pk)


class ReporteView(PermisoRequeridoMixin, View):
    permission_required = "convenios.view_convenio"

    def get(self, request):
        hoy = timezone.localdate()
        try:
            anio = int(request.GET.get("anio") or hoy.year)
        except ValueError:
            anio = hoy.year
        return render(request, "convenios/reporte.html", {
            "anio": anio, "filas": reportes.por_agente_y_sucursal(user=request.user),
            "meses": reportes.esperado_y_cobrado(user=request.user, anio=anio),
            "incumplidos": selectors.convenios_incumplidos(user=request.user)[:50]})
