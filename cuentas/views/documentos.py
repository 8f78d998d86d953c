"""Issue the ledger's documents from their pages (POST: each issue takes a number)."""
from datetime import date

from django.shortcuts import redirect
from django.views import View

from issscobros.roles import PermisoRequeridoMixin

from .. import documentos
from ..forms import EstadoFiltroForm
from .registro import _cuenta_o_404, _deudor_o_404


def _filtro(request):
    form = EstadoFiltroForm(request.POST)
    datos = form.cleaned_data if form.is_valid() else {}
    return datos.get("fecha") or date.today(), datos.get("desde"), datos.get("hasta")


class EstadoCuentaPdfView(PermisoRequeridoMixin, View):
    """The statement PDF of one número patronal (cuenta pk) or of every one of the deudor (deudor pk)."""

    permission_required = "issscobros.emitir_documento"
    todas = False

    def post(self, request, pk):
        fecha, desde, hasta = _filtro(request)
        if self.todas:
            deudor, cuenta = _deudor_o_404(request, pk), None
        else:
            cuenta = _cuenta_o_404(request, pk)
            deudor = cuenta.deudor
        documento = documentos.estado_cuenta_emitir(actor=request.user, deudor=deudor, cuenta=cuenta, fecha=fecha,
                                                     desde=desde, hasta=hasta)
        return redirect("documento_detalle", pk=documento.pk)


class CertificacionSaldosView(PermisoRequeridoMixin, View):
    permission_required = "issscobros.emitir_documento"

    def post(self, request, pk):
        fecha, _, _ = _filtro(request)
        documento = documentos.certificacion_saldos_emitir(actor=request.user, cuenta=_cuenta_o_404(request, pk), fecha=fecha)
        return redirect("documento_detalle", pk=documento.pk)
