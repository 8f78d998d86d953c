"""The jefe's dashboard: reads the latest KPI snapshot (mora.kpi) for the sucursales in the user's
scope, plus the month's targets of the plan; every figure links to the list behind it."""
from decimal import Decimal

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from issscobros.procesos.selectores import conciliacion_resumen
from issscobros.roles import PermisoRequeridoMixin

from .. import graficos, selectors
from ..antiguedad import TRAMOS
from ..kpi import kpi_instantanea

CERO = Decimal("0.00")
COLORES_CONVENIO = {"vigente": "#2e7d32", "incumplido": "#c62828", "cumplido": "#1b5e9e", "legalizado": "#6a1b9a",
                    "borrador": "#9e9e9e", "anulado": "#616161"}


class TableroView(PermisoRequeridoMixin, View):
    permission_required = "mora.view_snapshotkpi"

    def get(self, request):
        snapshot = selectors.snapshot_vigente()
        if snapshot is None:  # first visit before the first night: compute it now
            snapshot = kpi_instantanea()
        t = selectors.tablero(user=request.user, snapshot=snapshot)
        cartera = reverse("mora:cartera")
        antiguedad = reverse("mora:antiguedad")
        contexto = {
            "t": t, "snapshot": snapshot, "conciliacion": conciliacion_resumen(user=request.user),
            "grafico_tramos": graficos.barras(
                id_="grafico-antiguedad", titulo="Mora por antigüedad",
                puntos=[(n, v, f"{cartera}?tramo={k}") for (k, n, _, _), v in zip(TRAMOS, t.tramos)]),
            "grafico_tendencia": graficos.barras(
                id_="grafico-tendencia", titulo="Mora al cierre de cada mes (24 meses)", color="#5c6bc0", ancho=1100,
                puntos=[(f"{p['fecha'][5:7]}/{p['fecha'][2:4]}", p["total"], f"{antiguedad}?fecha={p['fecha']}")
                        for p in t.tendencia]),
            "grafico_convenios": graficos.horizontales(
                id_="grafico-convenios", titulo="Convenios por estado",
                puntos=[(estado.capitalize(), n, f"{reverse('convenios:lista')}?estado={estado}",
                         COLORES_CONVENIO.get(estado, "#777")) for estado, n in t.convenios]),
        }
        return render(request, "mora/tablero.html", contexto)


class TableroActualizarView(PermisoRequeridoMixin, View):
    permission_required = "mora.view_snapshotkpi"

    def post(self, request):
        s = kpi_instantanea()
        messages.success(request, f"Indicadores recalculados en {s.duracion_ms / 1000:.1f} s.")
        return redirect("mora:tablero")
