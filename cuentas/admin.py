from django.contrib import admin

from .models import Cuenta, Deudor


class CuentaInline(admin.TabularInline):
    model = Cuenta
    extra = 0
    can_delete = False


@admin.register(Deudor)
class DeudorAdmin(admin.ModelAdmin):
    """Read-mostly: writes belong to the services (audited); this is for inspection."""

    list_display = ("razon_social", "nit", "dui", "tipo", "sucursal", "activo")
    search_fields = ("razon_social", "nit", "dui", "cuentas__numero")
    list_filter = ("tipo", "activo", "sucursal")
    inlines = [CuentaInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
