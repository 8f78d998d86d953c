"""Mi cartera (the gestor's home) and the case lists of the jefes, with bulk reassignment and the
on-demand portfolio generation."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from issscobros.errores import ErrorDeNegocio
from issscobros.roles import PermisoRequeridoMixin
from issscobros.vistas import paginar, querystring_sin_pagina

from .. import selectors, services
from ..forms import CarteraFiltroForm, ReasignarForm
from ..generacion import cartera_generar
from .comun import respuesta_csv


def _cartera(request):
    form = CarteraFiltroForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    qs = selectors.cartera_buscar(
        user=request.user, texto=f.get("q", ""), estado=f.get("estado", ""), orden=f.get("orden") or "seguimiento",
        alerta=f.get("alerta", ""), tramo=f.get("tramo", ""), gestor_id=f.get("gestor"), sucursal_id=f.get("sucursal"))
    return form, qs


class CarteraView(PermisoRequeridoMixin, View):
    permission_required = "mora.view_casocobro"

    def get(self, request):
        form, qs = _cartera(request)
        if request.GET.get("formato") == "csv":
            return respuesta_csv("casos", [
                "caso", "deudor", "nit", "sucursal", "gestor", "estado", "saldo", "vencida_desde", "ultima_gestion",
                "proxima_accion", "promesa_fecha", "promesa_monto", "promesa_estado", "promesas_rotas",
                "convenios_incumplidos", "alerta_sin_gestion", "propuesto_juridico"],
                ([c.pk, c.deudor.razon_social, c.deudor.identificacion, c.sucursal.nombre, c.gestor or "",
                  c.get_estado_display(), f"{c.saldo:.2f}", c.vencida_desde or "", c.ultima_gestion or "",
                  c.proxima_accion or "", c.promesa_fecha or "", c.promesa_monto or "", c.promesa_estado or "",
                  c.promesas_rotas, c.convenios_incumplidos, "sí" if c.alerta_sin_gestion else "",
                  "sí" if c.propuesto_juridico_en else ""] for c in qs.iterator(chunk_size=500)))
        pagina = paginar(request, qs)
        puede_reasignar = request.user.has_perm("mora.reasignar_casocobro")
        return render(request, "mora/cartera.html", {
            "form": form, "pagina": pagina, "qs_sin_pagina": querystring_sin_pagina(request), "hoy": timezone.localdate(),
            "puede_reasignar": puede_reasignar,
            "reasignar_form": ReasignarForm(gestores=selectors.gestores_asignables(user=request.user),
                                            casos=selectors.casos_para_usuario(user=request.user)) if puede_reasignar else None,
            "titulo": "Mi cartera" if not puede_reasignar else "Casos de cobro",
        })


class ReasignarView(PermisoRequeridoMixin, View):
    """Bulk (or single) reassignment by a jefe; each case keeps its history line."""

    permission_required = "mora.reasignar_casocobro"

    def post(self, request):
        form = ReasignarForm(request.POST, gestores=selectors.gestores_asignables(user=request.user),
                             casos=selectors.casos_para_usuario(user=request.user))
        volver = request.POST.get("volver", "")
        if not volver.startswith("/mora/") or "//" in volver:  # only back to a page of this app
            volver = "mora:cartera"
        if not form.is_valid():
            errores = "; ".join(f"{form.fields[c].label if c in form.fields else ''}: {' '.join(e)}".strip(": ")
                                for c, e in form.errors.items())
            messages.error(request, f"No se reasignó: {errores}")
            return redirect(volver)
        try:
            n = services.casos_reasignar(actor=request.user, casos=list(form.cleaned_data["casos"]),
                                         gestor=form.cleaned_data["gestor"], motivo=form.cleaned_data["motivo"])
        except ErrorDeNegocio as exc:
            messages.error(request, f"No se reasignó: {exc.mensaje}")
            return redirect(volver)
        messages.success(request, f"{n} caso{'s' if n != 1 else ''} reasignado{'s' if n != 1 else ''} a {form.cleaned_data['gestor']}.")
        return redirect(volver)


class GenerarView(PermisoRequeridoMixin, View):
    permission_required = "mora.generar_cartera"

    def post(self, request):
        r = cartera_generar(actor=request.user)
        texto = f"Generación de cartera: {r.abiertos} caso{'s' if r.abiertos != 1 else ''} nuevo{'s' if r.abiertos != 1 else ''} (obligaciones vencidas hace más de {r.dias} días)."
        if r.sin_gestor:
            texto += f" {r.sin_gestor} quedaron sin gestor porque su sucursal no tiene gestores activos."
        messages.success(request, texto)
        return redirect("mora:cartera")
