from django.urls import path

from . import views

app_name = "solvencias"

urlpatterns = [
    path("", views.ConsultaView.as_view(), name="consulta"),
    path("emitidas/", views.ListaView.as_view(), name="lista"),
    path("emitir/<int:deudor_pk>/", views.EmitirView.as_view(), name="emitir"),
    path("emitir/<int:deudor_pk>/electronica/", views.EmitirView.as_view(electronica=True), name="emitir_electronica"),
    path("no-inscrito/", views.NoInscritoView.as_view(), name="no_inscrito"),
    path("motivos/<int:deudor_pk>/pdf/", views.MotivosPdfView.as_view(), name="motivos_pdf"),
    path("<int:pk>/", views.DetalleView.as_view(), name="detalle"),
    path("<int:pk>/pdf/", views.PdfView.as_view(), name="pdf"),
    path("<int:pk>/anular/", views.AnularView.as_view(), name="anular"),
    path("verificaciones/", views.VerificacionesView.as_view(), name="verificaciones"),
    path("consultas-api/", views.ConsultasApiView.as_view(), name="consultas_api"),
]
