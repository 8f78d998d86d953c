from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cuentas import api as cuentas_api
from solvencias import api as solvencias_api
from solvencias import views as solvencias_views

from . import views

urlpatterns = [
    path("", views.inicio, name="inicio"),
    path("healthz/", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("administracion/usuarios/", views.UsuarioListaView.as_view(), name="usuario_lista"),
    path("administracion/usuarios/nuevo/", views.UsuarioFormularioView.as_view(), name="usuario_nuevo"),
    path("administracion/usuarios/<int:pk>/", views.UsuarioFormularioView.as_view(), name="usuario_editar"),
    path("administracion/sucursales/", views.SucursalListaView.as_view(), name="sucursal_lista"),
    path("administracion/sucursales/nueva/", views.SucursalFormularioView.as_view(), name="sucursal_nueva"),
    path("administracion/sucursales/<int:pk>/", views.SucursalFormularioView.as_view(), name="sucursal_editar"),
    path("auditoria/", views.AuditoriaListaView.as_view(), name="auditoria_lista"),
    path("documentos/", views.DocumentoListaView.as_view(), name="documento_lista"),
    path("documentos/<int:pk>/", views.DocumentoDetalleView.as_view(), name="documento_detalle"),
    path("documentos/<int:pk>/pdf/", views.DocumentoDetalleView.as_view(pdf=True), name="documento_pdf"),
    path("api/v1/cuentas/<str:numero_patronal>/estado/", cuentas_api.cuenta_estado_api, name="api_cuenta_estado"),
    path("api/v1/solvencias/", solvencias_api.solvencias_api, name="api_solvencias"),
    path("verificar/", solvencias_views.verificar, name="verificar"),
    path("verificar/<str:codigo>/", solvencias_views.verificar, name="verificar_codigo"),
    path("solvencias/", include("solvencias.urls")),
    path("mora/", include("mora.urls")),
    path("procesos/", include("issscobros.procesos.urls")),
    path("convenios/", include("convenios.urls")),
    path("", include("cuentas.urls")),
    path("contabilidad/", include("cuentas.urls_contabilidad")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "issscobros — administración técnica"
admin.site.site_title = "issscobros"
