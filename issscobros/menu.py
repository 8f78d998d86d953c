"""The navigation menu: each entry shows only to users holding its permission."""
from django.urls import reverse

from . import roles

ENTRADAS = [
    # (label, url name, permission)
    ("Deudores", "cuentas:deudor_lista", "cuentas.view_deudor"),
    ("Planillas", "cuentas:planillas_importar", "cuentas.add_importacion"),
    ("Pagos", "cuentas:recibo_lista", "cuentas.view_recibo"),
    ("Ajustes", "cuentas:ajuste_lista", "cuentas.view_solicitudajuste"),
    ("Documentos", "documento_lista", "issscobros.view_documento"),
    ("Contabilidad", "contabilidad:inicio", "cuentas.view_comprobante"),
    ("Parámetros", "cuentas:parametro_lista", "cuentas.view_parametro"),
    ("Auditoría", "auditoria_lista", "issscobros.view_registroauditoria"),
    ("Usuarios", "usuario_lista", "issscobros.view_usuario"),
    ("Sucursales", "sucursal_lista", "issscobros.view_sucursal"),
]


def menu(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    entradas = [
        {"etiqueta": etiqueta, "url": reverse(nombre)}
        for etiqueta, nombre, permiso in ENTRADAS
        if user.has_perm(permiso)
    ]
    return {
        "menu_entradas": entradas,
        "menu_roles": [roles.NOMBRES[r] for r in roles.roles_de(user)],
    }
