from django.urls import path

from .views import cartera, casos, departamento, informes, publicacion, tablero

app_name = "mora"

urlpatterns = [
    path("", cartera.CarteraView.as_view(), name="cartera"),
    path("reasignar/", cartera.ReasignarView.as_view(), name="reasignar"),
    path("generar/", cartera.GenerarView.as_view(), name="generar"),
    path("casos/<int:pk>/", casos.CasoDetalleView.as_view(), name="caso_detalle"),
    path("casos/<int:pk>/gestiones/", casos.GestionNuevaView.as_view(), name="gestion_nueva"),
    path("casos/<int:pk>/estado/", casos.TransicionView.as_view(), name="caso_estado"),
    path("casos/<int:pk>/expediente/", casos.ExpedienteAgregarView.as_view(), name="expediente_agregar"),
    path("casos/<int:pk>/expediente/<int:doc>/", casos.ExpedienteArchivoView.as_view(), name="expediente_archivo"),
    path("casos/<int:pk>/remitir/", casos.RemitirView.as_view(), name="caso_remitir"),
    path("casos/<int:pk>/judicial/", casos.PasoJudicialView.as_view(), name="paso_judicial"),
    path("casos/<int:pk>/depuracion/", publicacion.DepuracionView.as_view(), name="depuracion"),
    path("casos/<int:pk>/depuracion/<int:dep>/", publicacion.DepuracionView.as_view(), name="depuracion_responder"),
    path("casos/<int:pk>/publicacion/", publicacion.PublicacionProponerView.as_view(), name="publicacion_proponer"),
    path("publicacion/", publicacion.PublicacionView.as_view(), name="publicacion"),
    path("publicacion/<int:pk>/resolver/", publicacion.PublicacionResolverView.as_view(), name="publicacion_resolver"),
    path("lotes/", publicacion.LotesView.as_view(), name="lotes"),
    path("lotes/<int:pk>/", publicacion.LoteDetalleView.as_view(), name="lote_detalle"),
    path("antiguedad/", informes.AntiguedadView.as_view(), name="antiguedad"),
    path("reportes/convenios-incumplidos.csv", informes.ConveniosIncumplidosView.as_view(), name="convenios_incumplidos"),
    path("reportes/cumplidos/", informes.CumplidosView.as_view(), name="cumplidos"),
    path("tablero/", tablero.TableroView.as_view(), name="tablero"),
    path("tablero/actualizar/", tablero.TableroActualizarView.as_view(), name="tablero_actualizar"),
    path("plan/", departamento.PlanView.as_view(), name="plan"),
    path("correspondencia/", departamento.CorrespondenciaListaView.as_view(), name="correspondencia"),
    path("correspondencia/nueva/", departamento.CorrespondenciaNuevaView.as_view(), name="correspondencia_nueva"),
    path("correspondencia/<int:pk>/", departamento.CorrespondenciaDetalleView.as_view(), name="correspondencia_detalle"),
]
