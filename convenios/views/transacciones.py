"""Screens of settlements before the Consejo Directivo: list, preparation (dossier), detail with the
anteproyecto PDF, the jefe's review, the Board's acuerdo, the condition check and the archive. The
exoneration the acuerdo orders is approved by a coordinator on the four-eyes screen of cuentas."""
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from cuentas.selectors import cuenta_detalle
from issscobros.errores import ErrorDeNegocio
from issscobros.roles import PermisoRequeridoMixin
from issscobros.vistas import error_a_formulario

from .. import documentos, selectors
from ..forms import AcuerdoForm, RevisionForm, TransaccionForm
from ..models import Transaccion
from ..services import transacciones as servicios
from .convenios import ListaPorEstadoView, documento_respuesta


def _transaccion_o_404(request, pk) -> Transaccion:
    try:
        return selectors.transaccion_detalle(user=request.user, pk=pk)
    except Transaccion.DoesNotExist:
        raise Http404("Transacción no encontrada.")


class TransaccionListaView(ListaPorEstadoView):
    estados = Transaccion.Estado
    plantilla = "convenios/transaccion_lista.html"
    permission_required = "convenios.view_transaccion"

    def buscar(self, *, user, texto, estado):
        return selectors.transacciones_buscar(user=user, texto=texto, estado=estado)


class TransaccionNuevaView(PermisoRequeridoMixin, View):
    """?convenio=<pk> (an agreement fully paid) or ?cuenta=<pk> (an employer who asks to settle)."""

    permission_required = "convenios.add_transaccion"

    def _origen(self, request):
        datos = request.GET  # the form posts back to the same address, query string included
        try:
            if datos.get("convenio"):
                convenio = selectors.convenio_detalle(user=request.user, pk=int(datos["convenio"]))
                return convenio.cuenta, convenio
            cuenta = cuenta_detalle(user=request.user, pk=int(datos.get("cuenta") or 0))
            selectors.deudor_visible(user=request.user, pk=cuenta.deudor_id)
            return cuenta, None
        except (ValueError, ObjectDoesNotExist):
            raise Http404("Cuenta o convenio no encontrado.")

    def _render(self, request, form, cuenta, convenio, status=200):
        fecha = form.cleaned_data.get("fecha_corte") if form.is_bound and form.is_valid() else None
        expediente = servicios.expediente(cuenta=cuenta, fecha=fecha or timezone.localdate())
        return render(request, "convenios/transaccion_formulario.html", {
            "form": form, "cuenta": cuenta, "convenio": convenio, "x": expediente}, status=status)

    def get(self, request):
        cuenta, convenio = self._origen(request)
        return self._render(request, TransaccionForm(initial={"fecha_corte": timezone.localdate()}), cuenta, convenio)

    def post(self, request):
        cuenta, convenio = self._origen(request)
        form = TransaccionForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                t = servicios.transaccion_preparar(
                    actor=request.user, cuenta=cuenta, convenio=convenio, fecha_corte=d["fecha_corte"],
                    justificacion=d["justificacion"], porcentaje_recargos=d["porcentaje_recargos"],
                    incluye_multas=d["incluye_multas"])
                messages.success(request, "Solicitud preparada. Emita el anteproyecto de acuerdo y envíela a revisión de la jefatura.")
                return redirect("convenios:transaccion_detalle", pk=t.pk)
            except ErrorDeNegocio as exc:
                error_a_formulario(form, exc)
        return self._render(request, form, cuenta, convenio, status=400)


def _contexto(request, t, **formularios):
    return {
        "t": t, "x": servicios.expediente(cuenta=t.cuenta, fecha=t.fecha_corte),
        "solicitudes": list(t.solicitudes.all()),
        "form_revision": formularios.get("form_revision") or RevisionForm(),
        "form_acuerdo": formularios.get("form_acuerdo") or AcuerdoForm(initial={
            "porcentaje_recargos": t.porcentaje_recargos, "incluye_multas": t.incluye_multas,
            "fecha": timezone.localdate()}),
        "puede_revisar": request.user.has_perm("convenios.revisar_transaccion"),
        "puede_operar": request.user.has_perm("convenios.add_transaccion"),
    }


class TransaccionDetalleView(PermisoRequeridoMixin, View):
    permission_required = "convenios.view_transaccion"

    def get(self, request, pk):
        return render(request, "convenios/transaccion_detalle.html", _contexto(request, _transaccion_o_404(request, pk)))


class AnteproyectoView(PermisoRequeridoMixin, View):
    """POST (agent): issue the anteproyecto once; GET: its stored bytes, to whoever sees the file."""

    permission_required = "convenios.view_transaccion"

    def get(self, request, pk):
        t = _transaccion_o_404(request, pk)
        if t.anteproyecto is None:
            raise Http404("El anteproyecto aún no se ha emitido.")
        return documento_respuesta(t.anteproyecto)

    def post(self, request, pk):
        if not request.user.has_perm("convenios.add_transaccion"):
            raise PermissionDenied("Su rol no puede emitir el anteproyecto.")
        t = _transaccion_o_404(request, pk)
        documentos.anteproyecto_emitir(actor=request.user, transaccion=t,
                                       expediente=servicios.expediente(cuenta=t.cuenta, fecha=t.fecha_corte))
        return redirect("convenios:transaccion_anteproyecto", pk=pk)


class RevisarView(PermisoRequeridoMixin, View):
    permission_required = "convenios.revisar_transaccion"

    def post(self, request, pk):
        t = _transaccion_o_404(request, pk)
        form = RevisionForm(request.POST)
        if form.is_valid():
            try:
                aprobada = form.cleaned_data["decision"] == "aprobar"
                servicios.transaccion_revisar(actor=request.user, transaccion=t, aprobada=aprobada,
                                              nota=form.cleaned_data["nota"])
                messages.success(request, "Solicitud enviada al Consejo Directivo." if aprobada else "Solicitud devuelta con observaciones.")
                return redirect("convenios:transaccion_detalle", pk=pk)
            except ErrorDeNegocio as exc:
                error_a_formulario(form, exc)
        return render(request, "convenios/transaccion_detalle.html", _contexto(request, t, form_revision=form), status=400)


class AcuerdoView(PermisoRequeridoMixin, View):
    permission_required = "convenios.revisar_transaccion"

    def post(self, request, pk):
        t = _transaccion_o_404(request, pk)
        form = AcuerdoForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                if d["decision"] == "denegado":
                    servicios.transaccion_denegar(actor=request.user, transaccion=t, numero=d["numero"], sesion=d["sesion"],
                                                  fecha=d["fecha"])
                    messages.info(request, "Acuerdo registrado: el Consejo Directivo denegó la transacción.")
                else:
                    servicios.transaccion_registrar_acuerdo(
                        actor=request.user, transaccion=t, numero=d["numero"], sesion=d["sesion"], fecha=d["fecha"],
                        documento=d["documento"], porcentaje_recargos=d["porcentaje_recargos"],
                        incluye_multas=d["incluye_multas"], condicion_fecha=d["condicion_fecha"])
                    messages.success(request, "Acuerdo registrado. La exoneración espera la aprobación de un coordinador.")
                return redirect("convenios:transaccion_detalle", pk=pk)
            except ErrorDeNegocio as exc:
                error_a_formulario(form, exc)
        return render(request, "convenios/transaccion_detalle.html", _contexto(request, t, form_acuerdo=form), status=400)


class CondicionView(PermisoRequeridoMixin, View):
    permission_required = "convenios.revisar_transaccion"

    def post(self, request, pk):
        t = servicios.transaccion_verificar_condicion(actor=request.user, transaccion=_transaccion_o_404(request, pk),
                                                      al=timezone.localdate())
        if t.estado == Transaccion.Estado.REVERTIDA:
            messages.warning(request, "La condición no se cumplió: la exoneración fue revertida.")
        elif t.condicion_cumplida:
            messages.success(request, "La condición se cumplió: la exoneración queda firme.")
        else:
            messages.info(request, "La condición aún no puede verificarse.")
        return redirect("convenios:transaccion_detalle", pk=pk)


class ArchivarView(PermisoRequeridoMixin, View):
    permission_required = "convenios.revisar_transaccion"

    def post(self, request, pk):
        try:
            servicios.transaccion_archivar(actor=request.user, transaccion=_transaccion_o_404(request, pk))
            messages.success(request, "Expediente archivado.")
        except ErrorDeNegocio as exc:
            messages.error(request, exc.mensaje)
        return redirect("convenios:transaccion_detalle", pk=pk)
