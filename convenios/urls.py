from django.urls import path

from .views import convenios as c
from .views import transacciones as t

app_name = "convenios"
urlpatterns = [
    path("", c.ConvenioListaView.as_view(), name="lista"),
    path("simular/", c.SimuladorView.as_view(), name="simular"),
    path("reporte/", c.ReporteView.as_view(), name="reporte"),
    path("<int:pk>/", c.ConvenioDetalleView.as_view(), name="detalle"),
    path("<int:pk>/pdf/", c.ConvenioPdfView.as_view(), name="pdf"),
    path("<int:pk>/impreso/", c.ConvenioImpresoView.as_view(), name="impreso"),
    path("<int:pk>/legalizar/", c.ConvenioLegalizarView.as_view(), name="legalizar"),
    path("<int:pk>/anular/", c.ConvenioAnularView.as_view(), name="anular"),
    path("<int:pk>/revisar/", c.ConvenioRevisarView.as_view(), name="revisar"),
    path("transacciones/", t.TransaccionListaView.as_view(), name="transaccion_lista"),
    path("transacciones/nueva/", t.TransaccionNuevaView.as_view(), name="transaccion_nueva"),
    path("transacciones/<int:pk>/", t.TransaccionDetalleView.as_view(), name="transaccion_detalle"),
    path("transacciones/<int:pk>/anteproyecto/", t.AnteproyectoView.as_view(), name="transaccion_anteproyecto"),
    path("transacciones/<int:pk>/revisar/", t.RevisarView.as_view(), name="transaccion_revisar"),
    path("transacciones/<int:pk>/acuerdo/", t.AcuerdoView.as_view(), name="transaccion_acuerdo"),
    path("transacciones/<int:pk>/condicion/", t.CondicionView.as_view(), name="transaccion_condicion"),
    path("transacciones/<int:pk>/archivar/", t.ArchivarView.as_view(), name="transaccion_archivar"),
]
