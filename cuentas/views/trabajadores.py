"""A worker's history by affiliate number or DUI, and the two documents issued from it."""
from django.shortcuts import redirect, render
from django.views import View

from issscobros.roles import PermisoRequeridoMixin

from .. import documentos
from ..forms import PeriodoField
from ..trabajadores import trabajador_historial


class _Filtro:
    campo = PeriodoField(required=False)

    @classmethod
    def periodo(cls, valor):
        try:
            return cls.campo.clean(valor)
        except Exception:  # an unreadable period is ignored: the page says which range it shows
            return None


class TrabajadorView(PermisoRequeridoMixin, View):
    permission_required = "cuentas.view_planilla"

    def get(self, request):
        texto = request.GET.get("q", "").strip()
        desde, hasta = _Filtro.periodo(request.GET.get("desde")), _Filtro.periodo(request.GET.get("hasta"))
        historial = trabajador_historial(texto=texto, desde=desde, hasta=hasta) if texto else None
        return render(request, "cuentas/trabajador.html", {
            "q": texto, "desde": desde, "hasta": hasta, "historial": historial, "buscado": bool(texto)})


class TrabajadorDocumentoView(PermisoRequeridoMixin, View):
    permission_required = "issscobros.emitir_documento"
    tipo = "cuenta_individual"

    def post(self, request):
        desde, hasta = _Filtro.periodo(request.POST.get("desde")), _Filtro.periodo(request.POST.get("hasta"))
        historial = trabajador_historial(texto=request.POST.get("q", ""), desde=desde, hasta=hasta)
        if historial is None:
            return redirect(f"{request.path}?q={request.POST.get('q', '')}")
        solicitud = request.POST.get("solicitud", "").strip()[:60]
        if self.tipo == "cuenta_individual":
            documento = documentos.cuenta_individual_emitir(actor=request.user, historial=historial, solicitud=solicitud)
        else:
            documento = documentos.dias_salarios_emitir(actor=request.user, historial=historial, desde=desde, hasta=hasta,
                                                        solicitud=solicitud)
        return redirect("documento_detalle", pk=documento.pk)
