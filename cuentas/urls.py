from django.urls import path

from . import views

app_name = "cuentas"

urlpatterns = [
    path("deudores/", views.DeudorListaView.as_view(), name="deudor_lista"),
    path("deudores/nuevo/", views.DeudorFormularioView.as_view(), name="deudor_nuevo"),
    path("deudores/<int:pk>/", views.DeudorDetalleView.as_view(), name="deudor_detalle"),
    path("deudores/<int:pk>/editar/", views.DeudorFormularioView.as_view(), name="deudor_editar"),
    path("deudores/<int:pk>/estado/", views.DeudorEstadoView.as_view(), name="deudor_estado"),
    path("deudores/<int:deudor_pk>/cuentas/nueva/", views.CuentaFormularioView.as_view(), name="cuenta_nueva"),
    path("cuentas/<int:pk>/editar/", views.CuentaFormularioView.as_view(), name="cuenta_editar"),
]
