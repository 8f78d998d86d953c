"""Screens of Procesos (runs, their progress, retry, the batch ZIP) and of Conciliación (differences,
their assignment and resolution, control-figure uploads). Thin: one selector or one service each."""
import csv
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.module_loading import import_string
from django.views import View

from cuentas.conciliacion import (COLUMNAS_CIFRAS, cifras_cargar, diferencia_asignar, diferencia_resolver,
                                  totales_auxiliar)
from cuentas.importacion import ErroresDeArchivo
from cuentas.models import DiferenciaConciliacion
from cuentas.reglas import periodo_de
from issscobros.errores import ErrorDeNegocio
from issscobros.models import Proceso
from issscobros.roles import PermisoRequeridoMixin
from issscobros.vistas import error_a_formulario, paginar, querystring_sin_pagina

from . import formularios, selectores, zip as zip_procesos
from .servicios import proceso_iniciar, proceso_reintentar, puede_reintentarse
from .tipos import tipos


def _proceso(request, pk) -> Proceso:
    try:
        return selectores.procesos_buscar(user=request.user).get(pk=pk)
    except Proceso.DoesNotExist:
        raise Http404("Proceso no encontrado.")


class ProcesoListaView(PermisoRequeridoMixin, View):
    permission_required = "issscobros.view_proceso"

    def get(self, request):
        tipo, estado = request.GET.get("tipo", ""), request.GET.get("estado", "")
        pagina = paginar(request, selectores.procesos_buscar(user=request.user, tipo=tipo, estado=estado))
        catalogo = tipos()
        for p in pagina:
            p.nombre_tipo = catalogo[p.tipo].nombre if p.tipo in catalogo else p.tipo
        iniciables = [t for t in catalogo.values() if request.user.has_perm("issscobros.iniciar_proceso")
                      and request.user.has_perm(t.permiso)]
        contexto = {"pagina": pagina, "tipo": tipo, "estado": estado, "tipos": catalogo, "iniciables": iniciables,
                    "estados": Proceso.Estado.choices,
                    "qs_sin_pagina": querystring_sin_pagina(request),
                    "refrescar": any(p.activo for p in pagina)}
        # The table refreshes itself (htmx polling) while a run on the page is active.
        plantilla = "procesos/_tabla.html" if request.htmx else "procesos/lista.html"
        return render(request, plantilla, contexto)


class ProcesoNuevoView(PermisoRequeridoMixin, View):
    permission_required = "issscobros.iniciar_proceso"

    def _tipo(self, codigo):
        t = tipos().get(codigo)
        if t is None or not self.request.user.has_perm(t.permiso):
            raise Http404("Tipo de proceso no disponible.")
        return t

    def _form(self, t, datos=None):
        clase = import_string(t.formulario) if t.formulario else (
            formularios.ConciliacionForm if t.codigo == "conciliacion" else None)
        return clase(datos) if clase else None

    def get(self, request, tipo):
        t = self._tipo(tipo)
        return render(request, "procesos/nuevo.html", {"t": t, "form": self._form(t)})

    def post(self, request, tipo):
        t = self._tipo(tipo)
        form = self._form(t, request.POST)
        if form is None or form.is_valid():
            try:
                proceso = proceso_iniciar(actor=request.user, tipo=t.codigo,
                                          parametros=form.parametros() if form else {})
            except ErrorDeNegocio as exc:
                if form is None:
                    messages.error(request, exc.mensaje)
                    return redirect("procesos:lista")
                error_a_formulario(form, exc)
            else:
                messages.success(request, f"Proceso n.º {proceso.pk} iniciado: {proceso.total} elemento(s).")
                return redirect("procesos:detalle", proceso.pk)
        return render(request, "procesos/nuevo.html", {"t": t, "form": form})


class ProcesoDetalleView(PermisoRequeridoMixin, View):
    permission_required = "issscobros.view_proceso"

    def get(self, request, pk):
        proceso = _proceso(request, pk)
        # Long lists (números, items) are summarised; the template iterates pairs, not dict.items
        # (a parameter named "items" would shadow it).
        parametros = [(clave, f"{len(valor)} elementos" if isinstance(valor, list) and len(valor) > 10 else valor)
                      for clave, valor in proceso.parametros.items()]
        contexto = {"p": proceso, "t": tipos().get(proceso.tipo), "reintentable": puede_reintentarse(proceso),
                    "parametros": parametros, "resultado": list(proceso.resultado.items())}
        plantilla = "procesos/_avance.html" if request.htmx else "procesos/detalle.html"
        return render(request, plantilla, contexto)


class ProcesoReintentarView(PermisoRequeridoMixin, View):
    permission_required = "issscobros.iniciar_proceso"

    def post(self, request, pk):
        proceso = _proceso(request, pk)
        try:
            proceso_reintentar(actor=request.user, proceso=proceso)
        except ErrorDeNegocio as exc:
            messages.error(request, exc.mensaje)
        else:
            messages.success(request, "Reintento en marcha: continúa con lo que faltaba.")
        return redirect("procesos:detalle", proceso.pk)


class ProcesoArchivoView(PermisoRequeridoMixin, View):
    permission_required = ("issscobros.view_proceso", "issscobros.view_documento")

    def get(self, request, pk):
        proceso = _proceso(request, pk)
        if not proceso.archivo or not zip_procesos.ruta(proceso.archivo).exists():
            raise Http404("Este proceso no tiene archivo de resultado.")
        return FileResponse(zip_procesos.ruta(proceso.archivo).open("rb"), as_attachment=True,
                            filename=f"proceso-{proceso.pk}-{proceso.tipo}.zip", content_type="application/zip")


# --- Conciliación ------------------------------------------------------------------------------------

class ConciliacionView(PermisoRequeridoMixin, View):
    permission_required = "cuentas.view_diferenciaconciliacion"

    def get(self, request):
        estado = request.GET.get("estado", DiferenciaConciliacion.Estado.ABIERTA)
        texto = request.GET.get("q", "").strip()
        return render(request, "procesos/conciliacion.html", {
            "pagina": paginar(request, selectores.diferencias_buscar(user=request.user, estado=estado, texto=texto)),
            "estado": estado, "q": texto, "estados": formularios.ESTADOS_DIFERENCIA,
            "ejecuciones": selectores.ejecuciones_recientes(user=request.user),
            "qs_sin_pagina": querystring_sin_pagina(request)})


class DiferenciaView(PermisoRequeridoMixin, View):
    permission_required = "cuentas.view_diferenciaconciliacion"

    def _diferencia(self, request, pk):
        try:
            return selectores.diferencias_buscar(user=request.user).get(pk=pk)
        except DiferenciaConciliacion.DoesNotExist:
            raise Http404("Diferencia no encontrada.")

    def _render(self, request, d, asignar=None, resolver=None):
        return render(request, "procesos/diferencia.html", {
            "d": d, "asignar": asignar or formularios.AsignarForm(initial={"usuario": d.asignada_a_id}),
            "resolver": resolver or formularios.ResolverForm()})

    def get(self, request, pk):
        return self._render(request, self._diferencia(request, pk))

    def post(self, request, pk):
        if not request.user.has_perm("cuentas.resolver_diferenciaconciliacion"):
            raise PermissionDenied
        d = self._diferencia(request, pk)
        accion = request.POST.get("accion")
        form = (formularios.AsignarForm if accion == "asignar" else formularios.ResolverForm)(request.POST)
        if form.is_valid():
            try:
                if accion == "asignar":
                    diferencia_asignar(actor=request.user, diferencia=d, usuario=form.cleaned_data["usuario"])
                    messages.success(request, f"Diferencia asignada a {form.cleaned_data['usuario']}.")
                else:
                    diferencia_resolver(actor=request.user, diferencia=d, nota=form.cleaned_data["nota"])
                    messages.success(request, "Diferencia resuelta.")
                return redirect("procesos:diferencia", d.pk)
            except ErrorDeNegocio as exc:
                error_a_formulario(form, exc)
        return self._render(request, d, **({"asignar": form} if accion == "asignar" else {"resolver": form}))


class CifrasView(PermisoRequeridoMixin, View):
    permission_required = "cuentas.view_cargacifras"

    def _render(self, request, form):
        return render(request, "procesos/cifras.html", {
            "form": form, "cargas": selectores.cargas_recientes(user=request.user), "columnas": COLUMNAS_CIFRAS})

    def get(self, request):
        return self._render(request, formularios.CifrasForm())

    def post(self, request):
        if not request.user.has_perm("cuentas.add_cargacifras"):
            raise PermissionDenied
        form = formularios.CifrasForm(request.POST, request.FILES)
        if form.is_valid():
            archivo = form.cleaned_data["archivo"]
            try:
                carga = cifras_cargar(actor=request.user, fuente=form.cleaned_data["fuente"], contenido=archivo.read(),
                                      nombre_archivo=archivo.name)
            except ErroresDeArchivo as exc:
                for error in exc.errores[:50]:
                    form.add_error("archivo", error)
            except ErrorDeNegocio as exc:
                error_a_formulario(form, exc)
            else:
                messages.success(request, f"{carga.filas} cifra(s) de {carga.get_fuente_display()} cargadas; "
                                          "la próxima conciliación las compara.")
                return redirect("procesos:cifras")
        return self._render(request, form)


class AuxiliarCsvView(PermisoRequeridoMixin, View):
    """The subledger's movements by GL account and month, in the control-figures CSV format."""
    permission_required = "cuentas.view_cargacifras"

    def get(self, request):
        try:
            desde = periodo_de(request.GET.get("desde", ""))
            hasta = periodo_de(request.GET.get("hasta", ""))
        except ValueError:
            return HttpResponse("Indique desde y hasta como AAAA-MM.", status=400, content_type="text/plain; charset=utf-8")
        fin = date(hasta.year + hasta.month // 12, hasta.month % 12 + 1, 1)
        respuesta = HttpResponse(content_type="text/csv; charset=utf-8")
        respuesta["Content-Disposition"] = f'attachment; filename="auxiliar-{desde:%Y-%m}-{hasta:%Y-%m}.csv"'
        escritor = csv.writer(respuesta, lineterminator="\n")
        escritor.writerow(COLUMNAS_CIFRAS)
        for cuenta, mes, debe, haber in totales_auxiliar(desde=desde, hasta=date.fromordinal(fin.toordinal() - 1)):
            escritor.writerow([cuenta, f"{mes:%Y-%m}", debe, haber])
        return respuesta
