"""The case page: its actions (gestiones), state changes, expediente, payment options, judicial
referral and steps. Every object is reached through the case, and the case through the user's scope."""
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from issscobros.errores import ErrorDeNegocio
from issscobros.roles import PermisoRequeridoMixin
from issscobros.vistas import error_a_formulario

from .. import selectors, services
from ..forms import (DepuracionForm, DepuracionRespuestaForm, ExpedienteForm, GestionForm, PasoJudicialForm,
                     ProponerPublicacionForm, ReasignarForm, RemitirForm, TransicionForm)
from ..models import TRANSICIONES, CasoCobro
from .comun import caso_o_404


def _contexto(request, caso, **formularios):
    puede_reasignar = request.user.has_perm("mora.reasignar_casocobro")
    contexto = {
        "caso": caso, "hoy": timezone.localdate(),
        "gestiones": selectors.gestiones_de_caso(caso=caso),
        "cambios": caso.cambios_estado.select_related("actor"),
        "asignaciones": caso.asignaciones.select_related("actor", "gestor_anterior", "gestor_nuevo"),
        "documentos": caso.documentos.select_related("agregado_por"),
        "pasos": caso.pasos_judiciales.select_related("registrado_por"),
        "cuentas": caso.deudor.cuentas.order_by("numero"),
        "puede_gestionar": request.user.has_perm("mora.add_gestion") and caso.estado not in (
            *CasoCobro.TERMINALES, CasoCobro.Estado.REMITIDO_JURIDICO),
        "puede_remitir": (request.user.has_perm("mora.remitir_casocobro")
                          and CasoCobro.Estado.REMITIDO_JURIDICO in TRANSICIONES[caso.estado]),
        "gestion_form": GestionForm(),
        "transicion_form": TransicionForm(caso=caso, user=request.user),
        "expediente_form": ExpedienteForm(),
        "paso_form": PasoJudicialForm(),
        "remitir_form": RemitirForm(),
        "reasignar_form": ReasignarForm(gestores=selectors.gestores_asignables(user=request.user, sucursal_id=caso.sucursal_id),
                                        casos=selectors.casos_para_usuario(user=request.user),
                                        initial={"casos": [caso.pk]}) if puede_reasignar and caso.abierto else None,
        "simulador_url": f"/convenios/simular/?caso={caso.pk}",
        "depuraciones": caso.depuraciones.select_related("solicitada_por", "registrada_por"),
        "depuracion_form": DepuracionForm(),
        "respuesta_form": DepuracionRespuestaForm(initial={"fecha": timezone.localdate()}),
        "publicacion": caso.propuestas_publicacion.select_related("propuesto_por").first(),
        "criterios": selectors.publicacion_criterios(caso=caso) if caso.abierto and request.user.has_perm(
            "mora.add_propuestapublicacion") else None,
        "publicacion_form": ProponerPublicacionForm(),
    }
    contexto.update(formularios)
    return contexto


class CasoDetalleView(PermisoRequeridoMixin, View):
    permission_required = "mora.view_casocobro"

    def get(self, request, pk):
        caso = caso_o_404(request, pk)
        return render(request, "mora/caso_detalle.html", _contexto(request, caso))


class _AccionCaso(PermisoRequeridoMixin, View):
    """POST one form of the case page to one service; on a refusal, the page again with the error."""

    form_class = None
    nombre_form = ""
    mensaje = ""

    def formulario(self, request, caso):
        return self.form_class(request.POST, request.FILES)

    def post(self, request, pk):
        caso = caso_o_404(request, pk)
        form = self.formulario(request, caso)
        if form.is_valid():
            try:
                self.ejecutar(request, caso, form.cleaned_data)
                messages.success(request, self.mensaje)
                return redirect("mora:caso_detalle", pk=caso.pk)
            except ErrorDeNegocio as exc:
                error_a_formulario(form, exc)
        return render(request, "mora/caso_detalle.html", _contexto(request, caso, **{self.nombre_form: form}), status=400)


class GestionNuevaView(_AccionCaso):
    permission_required = "mora.add_gestion"
    form_class, nombre_form, mensaje = GestionForm, "gestion_form", "Gestión registrada."

    def formulario(self, request, caso):
        return GestionForm(request.POST)

    def ejecutar(self, request, caso, d):
        services.gestion_registrar(actor=request.user, caso=caso, **d)


class TransicionView(_AccionCaso):
    permission_required = "mora.change_casocobro"
    nombre_form, mensaje = "transicion_form", "Estado del caso actualizado."

    def formulario(self, request, caso):
        return TransicionForm(request.POST, caso=caso, user=request.user)

    def ejecutar(self, request, caso, d):
        services.caso_transicionar(actor=request.user, caso=caso, estado=d["estado"], motivo=d["motivo"])


class ExpedienteAgregarView(_AccionCaso):
    permission_required = "mora.add_documentoexpediente"
    form_class, nombre_form, mensaje = ExpedienteForm, "expediente_form", "Documento agregado al expediente."

    def ejecutar(self, request, caso, d):
        services.expediente_agregar(actor=request.user, caso=caso, tipo=d["tipo"], descripcion=d["descripcion"],
                                    folios=d["folios"], archivo=d["archivo"])


class RemitirView(_AccionCaso):
    permission_required = "mora.remitir_casocobro"
    form_class, nombre_form = RemitirForm, "remitir_form"
    mensaje = "Caso remitido a la Unidad Jurídica; la certificación de saldos quedó en el expediente."

    def ejecutar(self, request, caso, d):
        services.caso_remitir_juridico(actor=request.user, caso=caso, motivo=d["motivo"])


class PasoJudicialView(_AccionCaso):
    permission_required = "mora.add_pasojudicial"
    nombre_form, mensaje = "paso_form", "Paso judicial registrado."

    def formulario(self, request, caso):
        return PasoJudicialForm(request.POST)

    def ejecutar(self, request, caso, d):
        services.paso_judicial_registrar(actor=request.user, caso=caso, **d)


class ExpedienteArchivoView(PermisoRequeridoMixin, View):
    """The bytes of a document of the file: inline (preview) or as a download."""

    permission_required = "mora.view_documentoexpediente"

    def get(self, request, pk, doc):
        caso = caso_o_404(request, pk)
        documento = caso.documentos.filter(pk=doc).first()
        if documento is None:
            raise Http404("Documento no encontrado.")
        inline = request.GET.get("ver") == "1" and documento.previsualizable
        return FileResponse(documento.archivo.open("rb"), as_attachment=not inline, filename=documento.nombre_original,
                            content_type=documento.tipo_contenido)
