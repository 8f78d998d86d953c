"""Accounting screens of the Técnico Financiero: payment certifications, journal vouchers and the
monthly reports. Each action is a POST that calls one service; a refusal (ErrorDeNegocio) becomes a
message or a form error."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from issscobros.errores import ErrorDeNegocio
from issscobros.models import Documento
from issscobros.roles import PermisoRequeridoMixin
from issscobros.selectors import documentos_buscar
from issscobros.vistas import error_a_formulario, paginar, querystring_sin_pagina

from .. import selectors_contabilidad as lecturas
from ..forms import (ArchivoComprobanteForm, CertificacionPagoForm, ComprobanteFiltroForm, ConformacionForm, MesForm,
                     mes_anterior)
from ..models import CertificacionPago, Comprobante
from ..services import contabilidad as servicios


class InicioView(PermisoRequeridoMixin, View):
    permission_required = "cuentas.view_comprobante"

    def get(self, request):
        return render(request, "contabilidad/inicio.html", {
            "por_firmar": lecturas.certificaciones_buscar(user=request.user, estado=CertificacionPago.Estado.ENVIADA_FIRMA).count(),
            "por_revisar": lecturas.comprobantes_buscar(user=request.user, estado=Comprobante.Estado.ELABORADA).count(),
            "mes_anterior": mes_anterior(timezone.localdate())})


# --- certificación de pago -----------------------------------------------------------------------

class CertificacionListaView(PermisoRequeridoMixin, View):
    permission_required = "cuentas.view_certificacionpago"

    def get(self, request):
        texto = request.GET.get("q", "").strip()
        estado = request.GET.get("estado", "")
        if estado not in CertificacionPago.Estado.values:
            estado = ""
        qs = lecturas.certificaciones_buscar(user=request.user, texto=texto, estado=estado)
        return render(request, "contabilidad/certificacion_lista.html", {
            "pagina": paginar(request, qs), "q": texto, "estado": estado, "estados": CertificacionPago.Estado.choices,
            "qs_sin_pagina": querystring_sin_pagina(request)})


class CertificacionNuevaView(PermisoRequeridoMixin, View):
    permission_required = "cuentas.add_certificacionpago"

    def get(self, request):
        form = CertificacionPagoForm(initial={"numero_patronal": request.GET.get("numero_patronal", "")}, user=request.user)
        return render(request, "contabilidad/certificacion_formulario.html", {"form": form})

    def post(self, request):
        form = CertificacionPagoForm(request.POST, user=request.user)
        if form.is_valid():
            d = form.cleaned_data
            try:
                certificacion = servicios.certificacion_pago_elaborar(
                    actor=request.user, cuenta=d["cuenta"], desde=d["desde"], hasta=d["hasta"],
                    cotizaciones=d["cotizaciones"], multas=d["multas"], recargos=d["recargos"], solicitud=d["solicitud"])
                messages.success(request, "Certificación elaborada. Revísela y envíela a firma.")
                return redirect("contabilidad:certificacion_detalle", pk=certificacion.pk)
            except ErrorDeNegocio as exc:
                error_a_formulario(form, exc)
        return render(request, "contabilidad/certificacion_formulario.html", {"form": form}, status=400)


def _certificacion_o_404(request, pk) -> CertificacionPago:
    try:
        return lecturas.certificacion_detalle(user=request.user, pk=pk)
    except CertificacionPago.DoesNotExist:
        raise Http404("Certificación no encontrada.")


class CertificacionDetalleView(PermisoRequeridoMixin, View):
    permission_required = "cuentas.view_certificacionpago"

    def get(self, request, pk):
        c = _certificacion_o_404(request, pk)
        user = request.user
        return render(request, "contabilidad/certificacion_detalle.html", {
            "c": c, "filas": lecturas.filas_de_datos(c.datos), "totales": c.datos.get("totales", {}),
            "puede_enviar": c.estado == c.Estado.ELABORADA and user.has_perm("cuentas.add_certificacionpago"),
            "puede_firmar": (c.estado == c.Estado.ENVIADA_FIRMA and user.has_perm("cuentas.firmar_certificacionpago")
                             and c.elaborada_por_id != user.pk),
            "puede_imprimir": (c.estado == c.Estado.FIRMADA and not c.documento_id
                               and user.has_perm("issscobros.emitir_documento"))})


class CertificacionAccionView(PermisoRequeridoMixin, View):
    """enviar (a firma), firmar, imprimir: one POST each."""

    accion = ""
    PERMISOS = {"enviar": "cuentas.add_certificacionpago", "firmar": "cuentas.firmar_certificacionpago",
                "imprimir": "issscobros.emitir_documento"}

    def get_permission_required(self):
        return ["cuentas.view_certificacionpago", self.PERMISOS[self.accion]]

    def post(self, request, pk):
        c = _certificacion_o_404(request, pk)
        try:
            if self.accion == "enviar":
                servicios.certificacion_pago_enviar(actor=request.user, certificacion=c)
                messages.success(request, "Certificación enviada a firma de la Sección Control de Ingresos.")
            elif self.accion == "firmar":
                servicios.certificacion_pago_firmar(actor=request.user, certificacion=c)
                messages.success(request, "Certificación firmada: ya puede imprimirse.")
            else:
                documento = servicios.certificacion_pago_imprimir(actor=request.user, certificacion=c)
                return redirect("documento_detalle", pk=documento.pk)
        except ErrorDeNegocio as exc:
            messages.error(request, exc.mensaje)
        return redirect("contabilidad:certificacion_detalle", pk=pk)


# --- comprobantes contables ----------------------------------------------------------------------

class ComprobanteListaView(PermisoRequeridoMixin, View):
    permission_required = "cuentas.view_comprobante"

    def get(self, request):
        form = ComprobanteFiltroForm(request.GET or None)
        filtros = form.cleaned_data if form.is_valid() else {}
        mes = filtros.get("mes") or timezone.localdate().replace(day=1)
        if not form.is_bound:
            form = ComprobanteFiltroForm(initial={"mes": mes})
        qs = lecturas.comprobantes_buscar(user=request.user, mes=mes, texto=filtros.get("q", "").strip(),
                                          estado=filtros.get("estado", ""))
        controles = documentos_buscar(user=request.user, tipo=Documento.Tipo.CONTROL_PARTIDAS, texto=f"{mes:%Y-%m}")[:5]
        return render(request, "contabilidad/comprobante_lista.html", {
            "form": form, "mes": mes, "pagina": paginar(request, qs), "controles": controles,
            "qs_sin_pagina": querystring_sin_pagina(request)})


class _PorMesView(PermisoRequeridoMixin, View):
    """A POST carrying a month (AAAA-MM) to act on."""

    def _mes(self, request):
        form = MesForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors.get("mes", ["Indique el mes."])))
            return None
        return form.cleaned_data["mes"]


class ComprobantesGenerarView(_PorMesView):
    permission_required = "cuentas.add_comprobante"

    def post(self, request):
        mes = self._mes(request)
        if mes is not None:
            try:
                creados = servicios.comprobantes_generar(actor=request.user, mes=mes)
                if creados:
                    messages.success(request, f"Se elaboraron {len(creados)} partidas: de la {creados[0].folio} "
                                              f"a la {creados[-1].folio}.")
                else:
                    messages.info(request, f"Todos los asientos de {mes:%m/%Y} ya están en una partida.")
            except ErrorDeNegocio as exc:
                messages.error(request, exc.mensaje)
        return redirect(f"{_url_lista()}?mes={mes:%Y-%m}" if mes else _url_lista())


def _url_lista():
    return reverse("contabilidad:comprobante_lista")


class ControlPartidasView(_PorMesView):
    permission_required = ("cuentas.view_comprobante", "issscobros.emitir_documento")

    def post(self, request):
        mes = self._mes(request)
        if mes is not None:
            try:
                documento = servicios.control_partidas_emitir(actor=request.user, mes=mes)
                return redirect("documento_detalle", pk=documento.pk)
            except ErrorDeNegocio as exc:
                messages.error(request, exc.mensaje)
        return redirect(f"{_url_lista()}?mes={mes:%Y-%m}" if mes else _url_lista())


def _comprobante_o_404(request, pk) -> Comprobante:
    try:
        return lecturas.comprobante_detalle(user=request.user, pk=pk)
    except Comprobante.DoesNotExist:
        raise Http404("Partida no encontrada.")


class ComprobanteDetalleView(PermisoRequeridoMixin, View):
    permission_required = "cuentas.view_comprobante"

    def get(self, request, pk):
        p = _comprobante_o_404(request, pk)
        return self._render(request, p, ArchivoComprobanteForm(initial={
            "original_archivado": p.original_archivado, "copia_archivada": p.copia_archivada}))

    def _render(self, request, p, form_archivo, status=200):
        user = request.user
        cuentas = lecturas.comprobante_cuentas(comprobante=p)
        tramitar = user.has_perm("cuentas.change_comprobante")
        return render(request, "contabilidad/comprobante_detalle.html", {
            "p": p, "cuentas": cuentas, "debe": sum(l.debe for l in cuentas), "haber": sum(l.haber for l in cuentas),
            "pagina": paginar(request, lecturas.comprobante_asientos(comprobante=p), por_pagina=50),
            "qs_sin_pagina": querystring_sin_pagina(request), "form_archivo": form_archivo,
            "puede_imprimir": not p.documento_id and user.has_perm("issscobros.emitir_documento"),
            "puede_revisar": (p.estado == p.Estado.ELABORADA and user.has_perm("cuentas.revisar_comprobante")
                              and p.elaborado_por_id != user.pk),
            "puede_enviar": p.estado == p.Estado.REVISADA and tramitar,
            "puede_archivar": p.estado == p.Estado.ENVIADA and tramitar,
            "puede_marcar": p.estado != p.Estado.ARCHIVADA and bool(p.documento_id) and tramitar}, status=status)


class ComprobanteAccionView(PermisoRequeridoMixin, View):
    """imprimir, revisar, enviar (a Contabilidad), archivar, archivo (original / copia filed)."""

    accion = ""
    PERMISOS = {"imprimir": "issscobros.emitir_documento", "revisar": "cuentas.revisar_comprobante",
                "enviar": "cuentas.change_comprobante", "archivar": "cuentas.change_comprobante",
                "archivo": "cuentas.change_comprobante"}
    MENSAJES = {"revisar": "Partida revisada.", "enviar": "Partida enviada a Contabilidad.",
                "archivar": "Partida archivada.", "archivo": "Archivo de la partida actualizado."}

    def get_permission_required(self):
        return ["cuentas.view_comprobante", self.PERMISOS[self.accion]]

    def post(self, request, pk):
        p = _comprobante_o_404(request, pk)
        try:
            if self.accion == "imprimir":
                documento = servicios.comprobante_imprimir(actor=request.user, comprobante=p)
                return redirect("documento_detalle", pk=documento.pk)
            if self.accion == "archivo":
                form = ArchivoComprobanteForm(request.POST)
                form.is_valid()  # two optional checkboxes: always valid
                servicios.comprobante_marcar_archivo(actor=request.user, comprobante=p,
                                                     original=form.cleaned_data["original_archivado"],
                                                     copia=form.cleaned_data["copia_archivada"])
            else:
                getattr(servicios, f"comprobante_{self.accion}")(actor=request.user, comprobante=p)
            messages.success(request, self.MENSAJES[self.accion])
        except ErrorDeNegocio as exc:
            messages.error(request, exc.mensaje)
        return redirect("contabilidad:comprobante_detalle", pk=pk)


# --- conformación e indicadores ------------------------------------------------------------------

def _mes_consultado(request):
    form = MesForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["mes"]
    mes = mes_anterior(timezone.localdate())
    return (form if form.is_bound else MesForm(initial={"mes": mes})), mes


class ConformacionView(PermisoRequeridoMixin, View):
    permission_required = ("cuentas.view_comprobante", "cuentas.view_asiento")

    def get(self, request):
        form_mes, mes = _mes_consultado(request)
        return self._render(request, form_mes, mes, ConformacionForm(initial={"mes": mes}))

    def post(self, request):
        if not request.user.has_perm("issscobros.emitir_documento"):
            raise PermissionDenied("Su rol no puede emitir documentos.")
        form = ConformacionForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                documento = servicios.conformacion_emitir(actor=request.user, mes=d["mes"], saldo_control=d["saldo_control"],
                                                          nota=d["nota"])
                return redirect("documento_detalle", pk=documento.pk)
            except ErrorDeNegocio as exc:
                error_a_formulario(form, exc)
        mes = form.cleaned_data.get("mes") or mes_anterior(timezone.localdate())
        return self._render(request, MesForm(initial={"mes": mes}), mes, form, status=400)

    def _render(self, request, form_mes, mes, form, status=200):
        filas = lecturas.conformacion(mes=mes)
        return render(request, "contabilidad/conformacion.html", {
            "form_mes": form_mes, "form": form, "mes": mes, "corte": lecturas.mes_fin(mes), "filas": filas,
            "total": sum(f.saldo for f in filas), "cargos": sum(f.cargos for f in filas),
            "abonos": sum(f.abonos for f in filas), "inicial": sum(f.saldo_inicial for f in filas)}, status=status)


class IndicadoresView(PermisoRequeridoMixin, View):
    permission_required = "cuentas.view_comprobante"

    def get(self, request):
        form_mes, mes = _mes_consultado(request)
        return render(request, "contabilidad/indicadores.html", {
            "form_mes": form_mes, "mes": mes, "ind": lecturas.indicadores_gestion(mes=mes)})

    def post(self, request):
        if not request.user.has_perm("issscobros.emitir_documento"):
            raise PermissionDenied("Su rol no puede emitir documentos.")
        form = MesForm(request.POST)
        if form.is_valid():
            try:
                documento = servicios.indicadores_emitir(actor=request.user, mes=form.cleaned_data["mes"])
                return redirect("documento_detalle", pk=documento.pk)
            except ErrorDeNegocio as exc:
                messages.error(request, exc.mensaje)
        else:
            messages.error(request, " ".join(form.errors.get("mes", [])))
        return redirect("contabilidad:indicadores")
