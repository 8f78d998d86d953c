from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import RegistroAuditoria, Sucursal, Usuario


@admin.register(Usuario)
class UsuarioAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (("ISSS", {"fields": ("sucursal", "cargo")}),)
    list_display = ("username", "first_name", "last_name", "sucursal", "is_active")
    list_filter = ("is_active", "groups", "sucursal")

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead


@admin.register(Sucursal)
class SucursalAdmin(admin.ModelAdmin):
    list_display = ("codigo", "nombre", "departamento", "activa")
    search_fields = ("codigo", "nombre")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RegistroAuditoria)
class RegistroAuditoriaAdmin(admin.ModelAdmin):
    list_display = ("momento", "actor", "accion", "objeto_repr")
    list_filter = ("accion",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
