from django.urls import path

from . import vistas

app_name = "procesos"
urlpatterns = [
    path("", vistas.ProcesoListaView.as_view(), name="lista"),
    path("nuevo/<str:tipo>/", vistas.ProcesoNuevoView.as_view(), name="nuevo"),
    path("<int:pk>/", vistas.ProcesoDetalleView.as_view(), name="detalle"),
    path("<int:pk>/reintentar/", vistas.ProcesoReintentarView.as_view(), name="reintentar"),
    path("<int:pk>/archivo/", vistas.ProcesoArchivoView.as_view(), name="archivo"),
    path("conciliacion/", vistas.ConciliacionView.as_view(), name="conciliacion"),
    path("conciliacion/diferencias/<int:pk>/", vistas.DiferenciaView.as_view(), name="diferencia"),
    path("conciliacion/cifras/", vistas.CifrasView.as_view(), name="cifras"),
    path("conciliacion/auxiliar.csv", vistas.AuxiliarCsvView.as_view(), name="auxiliar_csv"),
]
