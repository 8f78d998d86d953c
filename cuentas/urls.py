from django.urls import path

from .views import ajustes, documentos, libro, parametros, registro, trabajadores

app_name = "cuentas"

urlpatterns = [
    path("deudores/", registro.DeudorListaView.as_view(), name="deudor_lista"),
    path("deudores/nuevo/", registro.DeudorFormularioView.as_view(), name="deudor_nuevo"),
    path("deudores/<int:pk>/", registro.DeudorDetalleView.as_view(), name="deudor_detalle"),
    path("deudores/<int:pk>/editar/", registro.DeudorFormularioView.as_view(), name="deudor_editar"),
    path("deudores/<int:pk>/estado/", registro.DeudorEstadoView.as_view(), name="deudor_estado"),
    path("deudores/<int:deudor_pk>/cuentas/nueva/", registro.CuentaFormularioView.as_view(), name="cuenta_nueva"),
    path("cuentas/<int:pk>/editar/", registro.CuentaFormularioView.as_view(), name="cuenta_editar"),
    path("cuentas/<int:pk>/estado/", libro.CuentaEstadoView.as_view(), name="cuenta_estado"),
    path("cuentas/<int:pk>/estado/pdf/", documentos.EstadoCuentaPdfView.as_view(), name="estado_pdf"),
    path("deudores/<int:pk>/estado/pdf/", documentos.EstadoCuentaPdfView.as_view(todas=True), name="deudor_estado_pdf"),
    path("cuentas/<int:pk>/certificacion-saldos/", documentos.CertificacionSaldosView.as_view(), name="certificacion_saldos"),
    path("cuentas/<int:pk>/planillas/nueva/", libro.PlanillaNuevaView.as_view(), name="planilla_nueva"),
    path("cuentas/<int:pk>/cargos/nuevo/", libro.CargoNuevoView.as_view(), name="cargo_nuevo"),
    path("cuentas/<int:pk>/aplicar/", libro.CuentaAplicarView.as_view(), name="cuenta_aplicar"),
    path("cuentas/<int:pk>/ajustes/nuevo/", ajustes.AjusteNuevoView.as_view(), name="ajuste_nuevo"),
    path("planillas/importar/", libro.ImportarView.as_view(tipo="planillas"), name="planillas_importar"),
    path("planillas/<int:pk>/", libro.PlanillaDetalleView.as_view(), name="planilla_detalle"),
    path("pagos/", libro.RecibosView.as_view(), name="recibo_lista"),
    path("pagos/nuevo/", libro.ReciboNuevoView.as_view(), name="recibo_nuevo"),
    path("pagos/importar/", libro.ImportarView.as_view(tipo="pagos"), name="pagos_importar"),
    path("pagos/por-identificar/", libro.RecibosView.as_view(por_identificar=True), name="recibos_por_identificar"),
    path("pagos/<int:pk>/identificar/", libro.ReciboIdentificarView.as_view(), name="recibo_identificar"),
    path("trabajadores/", trabajadores.TrabajadorView.as_view(), name="trabajador"),
    path("trabajadores/cuenta-individual/", trabajadores.TrabajadorDocumentoView.as_view(tipo="cuenta_individual"),
         name="trabajador_cuenta_individual"),
    path("trabajadores/dias-salarios/", trabajadores.TrabajadorDocumentoView.as_view(tipo="dias_salarios"),
         name="trabajador_dias_salarios"),
    path("ajustes/", ajustes.AjusteListaView.as_view(), name="ajuste_lista"),
    path("ajustes/<int:pk>/", ajustes.AjusteDetalleView.as_view(), name="ajuste_detalle"),
    path("parametros/", parametros.ParametroListaView.as_view(), name="parametro_lista"),
    path("feriados/", parametros.FeriadoListaView.as_view(), name="feriado_lista"),
]
