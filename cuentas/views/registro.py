from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from issscobros.errores import ErrorDeNegocio
from issscobros.roles import PermisoRequeridoMixin
from issscobros.vistas import error_a_formulario, paginar, querystring_sin_pagina

from .. import selectors, services
from ..forms import BusquedaDeudorForm, CuentaForm, DeudorForm
from ..models import Cuenta, Deudor


def _deudor_o_404(request, pk) -> Deudor:
    try:
        return selectors.deudor_detalle(user=request.user, pk=pk)
    except Deudor.DoesNotExist:
        raise Http404("Deudor no encontrado.")


def _cuenta_o_404(request, pk) -> Cuenta:
    try:
        return selectors.cuenta_detalle(user=request.user, pk=pk)
    except Cuenta.DoesNotExist:
        raise Http404("Cuenta no encontrada.")


class DeudorListaView(PermisoRequeridoMixin, View):
    permission_required = "cuentas.view_deudor"

    def get(self, request):
        form = BusquedaDeudorForm(request.GET or None)
        filtros = form.cleaned_data if form.is_valid() else {}
        activo = {"1": True, "0": False}.get(filtros.get("activo") or "")
        qs = selectors.deudores_buscar(
            user=request.user,
            texto=filtros.get("q", ""),
            tipo=filtros.get("tipo", ""),
            sucursal_id=filtros["sucursal"].pk if filtros.get("sucursal") else None,
            activo=activo,
        )
        pagina = paginar(request, qs)
        if filtros.get("q") and pagina.paginator.count == 1 and request.GET.get("ir") == "1":
            return redirect("cuentas:deudor_detalle", pk=pagina.object_list[0].pk)
        return render(request, "cuentas/deudor_lista.html", {
            "form": form, "pagina": pagina, "qs_sin_pagina": querystring_sin_pagina(request),
        })


class DeudorDetalleView(PermisoRequeridoMixin, View):
    permission_required = "cuentas.view_deudor"

    def get(self, request, pk):
        return render(request, "cuentas/deudor_detalle.html", {"deudor": _deudor_o_404(request, pk)})


class DeudorFormularioView(PermisoRequeridoMixin, View):
    """Create (no pk) or edit (pk) a deudor."""

    def get_permission_required(self):
        return ["cuentas.change_deudor" if "pk" in self.kwargs else "cuentas.add_deudor"]

    def _deudor(self, request, pk):
        return _deudor_o_404(request, pk) if pk else None

    def get(self, request, pk=None):
        deudor = self._deudor(request, pk)
        return self._render(request, DeudorForm(instance=deudor), deudor)

    def post(self, request, pk=None):
        deudor = self._deudor(request, pk)
        form = DeudorForm(request.POST, instance=deudor)
        if form.is_valid():
            try:
                if deudor:
                    deudor = services.deudor_actualizar(actor=request.user, deudor=deudor, datos=form.cleaned_data)
                    messages.success(request, "Deudor actualizado.")
                else:
                    deudor = services.deudor_crear(actor=request.user, datos=form.cleaned_data)
                    messages.success(request, "Deudor registrado.")
                return redirect("cuentas:deudor_detalle", pk=deudor.pk)
            except (ValidationError, ErrorDeNegocio) as exc:
                error_a_formulario(form, exc)
        return self._render(request, form, deudor, status=400)

    def _render(self, request, form, deudor, status=200):
        return render(request, "cuentas/deudor_formulario.html", {"form": form, "deudor": deudor}, status=status)


class DeudorEstadoView(PermisoRequeridoMixin, View):
    """Deactivate / reactivate, after a confirmation page (nothing is ever deleted)."""

    permission_required = "cuentas.change_deudor"

    def get(self, request, pk):
        return render(request, "cuentas/deudor_estado_confirmar.html", {"deudor": _deudor_o_404(request, pk)})

    def post(self, request, pk):
        deudor = _deudor_o_404(request, pk)
        if deudor.activo:
            services.deudor_desactivar(actor=request.user, deudor=deudor)
            messages.success(request, "Deudor desactivado. Su historial se conserva.")
        else:
            services.deudor_activar(actor=request.user, deudor=deudor)
            messages.success(request, "Deudor reactivado.")
        return redirect("cuentas:deudor_detalle", pk=pk)


class CuentaFormularioView(PermisoRequeridoMixin, View):
    """Add a cuenta to a deudor (deudor_pk) or edit one (pk)."""

    def get_permission_required(self):
        return ["cuentas.change_cuenta" if "pk" in self.kwargs else "cuentas.add_cuenta"]

    def _contexto(self, request, deudor_pk, pk):
        if pk:
            cuenta = _cuenta_o_404(request, pk)
            return cuenta.deudor, cuenta
        return _deudor_o_404(request, deudor_pk), None

    def get(self, request, deudor_pk=None, pk=None):
        deudor, cuenta = self._contexto(request, deudor_pk, pk)
        return self._render(request, CuentaForm(instance=cuenta), deudor, cuenta)

    def post(self, request, deudor_pk=None, pk=None):
        deudor, cuenta = self._contexto(request, deudor_pk, pk)
        form = CuentaForm(request.POST, instance=cuenta)
        if form.is_valid():
            try:
                if cuenta:
                    services.cuenta_actualizar(actor=request.user, cuenta=cuenta, datos=form.cleaned_data)
                    messages.success(request, "Cuenta actualizada.")
                else:
                    services.cuenta_crear(actor=request.user, deudor=deudor, datos=form.cleaned_data)
                    messages.success(request, "Cuenta agregada.")
                return redirect(reverse("cuentas:deudor_detalle", args=[deudor.pk]))
            except (ValidationError, ErrorDeNegocio) as exc:
                error_a_formulario(form, exc)
        return self._render(request, form, deudor, cuenta, status=400)

    def _render(self, request, form, deudor, cuenta, status=200):
        return render(request, "cuentas/cuenta_formulario.html",
                      {"form": form, "deudor": deudor, "cuenta": cuenta}, status=status)
