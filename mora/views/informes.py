"""Reports: aging of balances (screen, print, CSV, XLSX), breached agreements for the call centre,
employers who complied."""
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from issscobros.roles import PermisoRequeridoMixin
from issscobros.vistas import paginar, querystring_sin_pagina

from .. import selectors
from ..antiguedad import DIMENSIONES, TRAMOS, antiguedad_saldos
from ..forms import AntiguedadForm
from .comun import respuesta_csv, respuesta_xlsx


class AntiguedadView(PermisoRequeridoMixin, View):
    permission_required = "mora.view_casocobro"

    def get(self, request):
        form = AntiguedadForm(request.GET or None)
        f = form.cleaned_data if form.is_valid() else {}
        fecha = f.get("fecha") or timezone.localdate()
        por = f.get("por") or "sucursal"
        reporte = antiguedad_saldos(user=request.user, fecha=fecha, dimension=por)
        formato = request.GET.get("formato")
        if formato in ("csv", "xlsx"):
            encabezado = [DIMENSIONES[por]] + [n for _, n, _, _ in TRAMOS] + ["Total", "Deudores"]
            filas = [[fila.nombre, *fila.tramos, fila.total, fila.deudores] for fila in reporte.filas]
            filas.append(["Total", *reporte.totales, reporte.total, ""])
            nombre = f"antiguedad_{por}_{fecha:%Y%m%d}"
            if formato == "csv":
                return respuesta_csv(nombre, encabezado, ([f"{v:.2f}" if hasattr(v, "quantize") else v for v in fila]
                                                          for fila in filas))
            return respuesta_xlsx(nombre, "Antigüedad de saldos", encabezado, filas)
        return render(request, "mora/antiguedad.html", {
            "form": form, "reporte": reporte, "tramos": TRAMOS, "por": por, "nombre_dimension": DIMENSIONES[por],
            "es_hoy": fecha == timezone.localdate(), "qs": querystring_sin_pagina(request),
        })


class ConveniosIncumplidosView(PermisoRequeridoMixin, View):
    """Breached agreements of the user's cases, as CSV for the call centre."""

    permission_required = "mora.view_casocobro"

    def get(self, request):
        from convenios.models import Convenio

        casos = selectors.casos_para_usuario(user=request.user)
        qs = (Convenio.objects.filter(estado=Convenio.Estado.INCUMPLIDO, deudor_id__in=casos.values("deudor_id"))
              .select_related("deudor").order_by("-fecha_incumplimiento", "-id"))
        return respuesta_csv("convenios_incumplidos", [
            "convenio", "deudor", "nit", "telefono", "correo", "representante_legal", "fecha_incumplimiento", "total"],
            ([c.numero, c.deudor.razon_social, c.deudor.identificacion, c.deudor.telefono, c.deudor.correo,
              c.deudor.representante_legal, c.fecha_incumplimiento or "", f"{c.total:.2f}"] for c in qs.iterator()))


class CumplidosView(PermisoRequeridoMixin, View):
    """Employers who complied: cases ended cumplido, or closed with nothing left to pay."""

    permission_required = "mora.view_casocobro"

    def get(self, request):
        qs = selectors.casos_cumplidos(user=request.user)
        if request.GET.get("formato") == "csv":
            return respuesta_csv("patronos_cumplidos", ["caso", "deudor", "nit", "sucursal", "estado", "cerrado_en"],
                                 ([c.pk, c.deudor.razon_social, c.deudor.identificacion, c.sucursal.nombre,
                                   c.get_estado_display(), c.cerrado_en or ""] for c in qs.iterator()))
        return render(request, "mora/cumplidos.html", {"pagina": paginar(request, qs),
                                                       "qs_sin_pagina": querystring_sin_pagina(request)})
