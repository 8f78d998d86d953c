"""The Técnico Financiero's accounting paperwork (included under /contabilidad/)."""
from django.urls import path

from .views import contabilidad as v

app_name = "contabilidad"

urlpatterns = [
    path("", v.InicioView.as_view(), name="inicio"),
    path("certificaciones-pago/", v.CertificacionListaView.as_view(), name="certificacion_lista"),
    path("certificaciones-pago/nueva/", v.CertificacionNuevaView.as_view(), name="certificacion_nueva"),
    path("certificaciones-pago/<int:pk>/", v.CertificacionDetalleView.as_view(), name="certificacion_detalle"),
    path("certificaciones-pago/<int:pk>/enviar/", v.CertificacionAccionView.as_view(accion="enviar"), name="certificacion_enviar"),
    path("certificaciones-pago/<int:pk>/firmar/", v.CertificacionAccionView.as_view(accion="firmar"), name="certificacion_firmar"),
    path("certificaciones-pago/<int:pk>/imprimir/", v.CertificacionAccionView.as_view(accion="imprimir"),
         name="certificacion_imprimir"),
    path("partidas/", v.ComprobanteListaView.as_view(), name="comprobante_lista"),
    path("partidas/generar/", v.ComprobantesGenerarView.as_view(), name="comprobantes_generar"),
    path("partidas/control/", v.ControlPartidasView.as_view(), name="control_partidas"),
    path("partidas/<int:pk>/", v.ComprobanteDetalleView.as_view(), name="comprobante_detalle"),
    path("partidas/<int:pk>/imprimir/", v.ComprobanteAccionView.as_view(accion="imprimir"), name="comprobante_imprimir"),
    path("partidas/<int:pk>/revisar/", v.ComprobanteAccionView.as_view(accion="revisar"), name="comprobante_revisar"),
    path("partidas/<int:pk>/enviar/", v.ComprobanteAccionView.as_view(accion="enviar"), name="comprobante_enviar"),
    path("partidas/<int:pk>/archivar/", v.ComprobanteAccionView.as_view(accion="archivar"), name="comprobante_archivar"),
    path("partidas/<int:pk>/archivo/", v.ComprobanteAccionView.as_view(accion="archivo"), name="comprobante_archivo"),
    path("conformacion/", v.ConformacionView.as_view(), name="conformacion"),
    path("indicadores/", v.IndicadoresView.as_view(), name="indicadores"),
]
