"""Screens of the ledger: statement, payrolls, receipts, charges."""
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from issscobros.errores import ErrorDeNegocio
from issscobros.roles import PermisoRequeridoMixin
from issscobros.vistas import error_a_formulario, paginar, querystring_sin_pagina

from .. import selectors
from ..estado import cuenta_estado, pagos_estado, recibos_al
from ..forms import (AplicarForm, ArchivoForm, CargoForm, EstadoFiltroForm, IdentificarReciboForm, LineasFormSet,
                     PlanillaForm, ReciboForm)
from ..importacion import ErroresDeArchivo, pagos_importar, planillas_importar
from ..models import Planilla, Recibo
from ..services import cargos, pagos, planillas
from ..services.pagos import saldo_a_favor
from .registro import _cuenta_o_404


OBLIGACIONES_POR_PAGINA = 60
PAGOS_POR_PAGINA = 25


class CuentaEstadoView(PermisoRequeridoMixin, View):
    """Estado de cuenta: obligations, payments and how each was applied, surcharges accrued to a date."""

    permission_required = "cuentas.view_obligacion"

    def get(self, request, pk):
        cuenta = _cuenta_o_404(request, pk)
        filtro = EstadoFiltroForm(request.GET or None)
        datos = filtro.cleaned_data if filtro.is_valid() else {}
        fecha = datos.get("fecha") or date.today()
        estado = cuenta_estado(cuenta=cuenta, fecha=fecha, desde=datos.get("desde"), hasta=datos.get("hasta"),
                               con_pagos=False)
        # Totals cover the whole selection; the two tables are paged (a 10-year history has hundreds of
        # rows: the issued PDF prints them all), and only the shown receipts' applications are read.
        pagina_pagos = paginar(request, recibos_al(cuenta, fecha), PAGOS_POR_PAGINA, parametro="pagos")
        pagina_pagos.object_list = pagos_estado(pagina_pagos.object_list, fecha)
        return render(request, "cuentas/cuenta_estado.html", {
            "cuenta": cuenta, "deudor": cuenta.deudor, "estado": estado, "filtro": filtro,
            "saldo_a_favor": saldo_a_favor(cuenta_id=cuenta.pk, al=fecha),
            "lineas": paginar(request, estado.lineas, OBLIGACIONES_POR_PAGINA), "pagos": pagina_pagos,
            "planillas": selectors.planillas_de_cuenta(cuenta=cuenta)[:24],
        })


class ImportarView(PermisoRequeridoMixin, View):
    """Upload of a planillas or pagos CSV: all or nothing, every error listed."""

    permission_required = "cuentas.add_importacion"
    tipo = None  # "planillas" | "pagos"

    def get(self, request):
        return self._render(request, ArchivoForm())

    def post(self, request):
        form = ArchivoForm(request.POST, request.FILES)
        errores = []
        if form.is_valid():
            archivo = form.cleaned_data["archivo"]
            importar = planillas_importar if self.tipo == "planillas" else pagos_importar
            try:
                resultado = importar(actor=request.user, contenido=archivo.read(), nombre_archivo=archivo.name)
            except ErroresDeArchivo as exc:
                errores = exc.errores
            else:
                (messages.warning if resultado.ya_importado else messages.success)(request, resultado.resumen)
                return redirect(request.path)
        return self._render(request, form, errores, status=400)

    def _render(self, request, form, errores=(), status=200):
        return render(request, "cuentas/importar.html", {"form": form, "errores": errores, "tipo": self.tipo}, status=status)


class PlanillaNuevaView(PermisoRequeridoMixin, View):
    """A payroll typed by hand (mecanizada, facturación directa, mora parcial from Inspection)."""

    permission_required = "cuentas.add_planilla"

    def get(self, request, pk):
        cuenta = _cuenta_o_404(request, pk)
        return self._render(request, cuenta, PlanillaForm(), LineasFormSet(prefix="lineas"))

    def post(self, request, pk):
        cuenta = _cuenta_o_404(request, pk)
        form, lineas = PlanillaForm(request.POST), LineasFormSet(request.POST, prefix="lineas")
        if form.is_valid() and lineas.is_valid():
            trabajadores = [planillas.LineaTrabajador(**f.cleaned_data) for f in lineas if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            try:
                planilla = planillas.planilla_registrar(
                    actor=request.user, cuenta=cuenta, periodo=form.cleaned_data["periodo"], tipo=form.cleaned_data["tipo"],
                    fecha_presentacion=form.cleaned_data["fecha_presentacion"], lineas=trabajadores)
                messages.success(request, f"Planilla registrada: cotización patronal ${planilla.total_patronal:,.2f}, "
                                          f"laboral ${planilla.total_laboral:,.2f}, vence el {planilla.vencimiento:%d/%m/%Y}.")
                return redirect("cuentas:planilla_detalle", pk=planilla.pk)
            except ErrorDeNegocio as exc:
                error_a_formulario(form, exc)
        return self._render(request, cuenta, form, lineas, status=400)

    def _render(self, request, cuenta, form, lineas, status=200):
        return render(request, "cuentas/planilla_formulario.html",
                      {"cuenta": cuenta, "form": form, "lineas": lineas}, status=status)


class PlanillaDetalleView(PermisoRequeridoMixin, View):
    permission_required = "cuentas.view_planilla"

    def get(self, request, pk):
        try:
            planilla = selectors.planilla_detalle(user=request.user, pk=pk)
        except Planilla.DoesNotExist:
            raise Http404("Planilla no encontrada.")
        return render(request, "cuentas/planilla_detalle.html", {
            "planilla": planilla, "lineas": paginar(request, planilla.lineas.all().order_by("id"), 100),
            "qs_sin_pagina": querystring_sin_pagina(request),
        })


class ReciboNuevoView(PermisoRequeridoMixin, View):
    permission_required = "cuentas.add_recibo"

    def get(self, request):
        return render(request, "cuentas/recibo_formulario.html", {"form": ReciboForm(initial=request.GET.dict())})

    def post(self, request):
        form = ReciboForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                registro = pagos.recibo_registrar(
                    actor=request.user, canal=d["canal"].codigo, referencia=d["referencia"], fecha_pago=d["fecha_pago"],
                    monto=d["monto"], numero_patronal=d["numero_patronal"], periodo=d["periodo"], npe=d["npe"])
            except ErrorDeNegocio as exc:
                error_a_formulario(form, exc)
            else:
                if not registro.creado:
                    form.add_error("referencia", "Ese recibo ya fue registrado para ese canal.")
                elif registro.recibo.cuenta_id:
                    messages.success(request, "Pago registrado y aplicado.")
                    return redirect("cuentas:cuenta_estado", pk=registro.recibo.cuenta_id)
                else:
                    messages.warning(request, "Pago registrado sin identificar: quedó en la cola de pagos por identificar.")
                    return redirect("cuentas:recibos_por_identificar")
        return render(request, "cuentas/recibo_formulario.html", {"form": form}, status=400)


class RecibosView(PermisoRequeridoMixin, View):
    permission_required = "cuentas.view_recibo"
    por_identificar = False

    def get(self, request):
        texto = request.GET.get("q", "").strip()
        qs = selectors.recibos_buscar(user=request.user, texto=texto, por_identificar=self.por_identificar)
        return render(request, "cuentas/recibo_lista.html", {
            "pagina": paginar(request, qs), "q": texto, "por_identificar": self.por_identificar,
            "qs_sin_pagina": querystring_sin_pagina(request),
        })


class ReciboIdentificarView(PermisoRequeridoMixin, View):
    permission_required = "cuentas.change_recibo"

    def _recibo(self, request, pk):
        try:
            return selectors.recibos_buscar(user=request.user, por_identificar=True).get(pk=pk)
        except Recibo.DoesNotExist:
            raise Http404("Recibo no encontrado o ya identificado.")

    def get(self, request, pk):
        recibo = self._recibo(request, pk)
        form = IdentificarReciboForm(initial={"numero_patronal": recibo.numero_patronal})
        return render(request, "cuentas/recibo_identificar.html", {"recibo": recibo, "form": form})

    def post(self, request, pk):
        recibo = self._recibo(request, pk)
        form = IdentificarReciboForm(request.POST)
        if form.is_valid():
            cuenta = selectors.cuenta_por_numero(numero=form.cleaned_data["numero_patronal"].strip())
            if cuenta is None:
                form.add_error("numero_patronal", "No existe una cuenta con ese número.")
            else:
                try:
                    pagos.recibo_identificar(actor=request.user, recibo=recibo, cuenta=cuenta)
                    messages.success(request, f"Recibo {recibo.referencia} identificado y aplicado a {cuenta.numero}.")
                    return redirect("cuentas:cuenta_estado", pk=cuenta.pk)
                except ErrorDeNegocio as exc:
                    error_a_formulario(form, exc)
        return render(request, "cuentas/recibo_identificar.html", {"recibo": recibo, "form": form}, status=400)


class CuentaAplicarView(PermisoRequeridoMixin, View):
    """A technician applies the cuenta's credit (saldo a favor) to obligations they choose."""

    permission_required = "cuentas.change_recibo"

    def get(self, request, pk):
        cuenta = _cuenta_o_404(request, pk)
        return self._render(request, cuenta, AplicarForm(cuenta=cuenta))

    def post(self, request, pk):
        cuenta = _cuenta_o_404(request, pk)
        form = AplicarForm(request.POST, cuenta=cuenta)
        if form.is_valid():
            asientos = pagos.cuenta_compensar(actor=request.user, cuenta=cuenta,
                                              obligaciones=[o.pk for o in form.cleaned_data["obligaciones"]])
            if asientos:
                messages.success(request, "Saldo a favor aplicado.")
                return redirect("cuentas:cuenta_estado", pk=cuenta.pk)
            form.add_error(None, "No hay saldo a favor que aplicar a esas obligaciones.")
        return self._render(request, cuenta, form, status=400)

    def _render(self, request, cuenta, form, status=200):
        return render(request, "cuentas/cuenta_aplicar.html", {
            "cuenta": cuenta, "form": form, "saldo_a_favor": pagos.saldo_a_favor(cuenta_id=cuenta.pk)}, status=status)


class CargoNuevoView(PermisoRequeridoMixin, View):
    """A fine from an Inspection resolution, or another receivable (supplier fine, rental, …)."""

    permission_required = "cuentas.add_obligacion"

    def get(self, request, pk):
        cuenta = _cuenta_o_404(request, pk)
        return render(request, "cuentas/cargo_formulario.html", {"cuenta": cuenta, "form": CargoForm(cuenta=cuenta)})

    def post(self, request, pk):
        cuenta = _cuenta_o_404(request, pk)
        form = CargoForm(request.POST, request.FILES, cuenta=cuenta)
        if form.is_valid():
            d = form.cleaned_data
            try:
                cargos.cargo_registrar(
                    actor=request.user, cuenta=cuenta, concepto=d["concepto"], monto=d["monto"], periodo=d["periodo"],
                    vencimiento=d["vencimiento"], fecha_origen=d["documento_fecha"], documento_numero=d["documento_numero"],
                    documento_fecha=d["documento_fecha"], descripcion=d["descripcion"], soporte=d["soporte"])
                messages.success(request, "Cargo registrado.")
                return redirect("cuentas:cuenta_estado", pk=cuenta.pk)
            except (ErrorDeNegocio, ValidationError) as exc:
                error_a_formulario(form, exc)
        return render(request, "cuentas/cargo_formulario.html", {"cuenta": cuenta, "form": form}, status=400)


