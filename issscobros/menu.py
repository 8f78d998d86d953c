"""The navigation menu: each entry shows only to users holding its permission."""
from django.urls import reverse

from . import roles

# (group, label, url name, permission). A group with one entry the user may open shows as a plain
# link; with more, as a drop-down, so the bar fits a 1280 px screen for every role.
ENTRADAS = [
    ("Cobro", "Cartera", "mora:cartera", "mora.view_casocobro"),
    ("Cobro", "Convenios", "convenios:lista", "convenios.view_convenio"),
    ("Cobro", "Solvencias", "solvencias:consulta", "solvencias.view_solvencia"),
    ("Cuentas", "Deudores", "cuentas:deudor_lista", "cuentas.view_deudor"),
    ("Cuentas", "Planillas", "cuentas:planillas_importar", "cuentas.add_importacion"),
    ("Cuentas", "Pagos", "cuentas:recibo_lista", "cuentas.view_recibo"),
    ("Cuentas", "Ajustes", "cuentas:ajuste_lista", "cuentas.view_solicitudajuste"),
    ("Cuentas", "Documentos", "documento_lista", "issscobros.view_documento"),
    ("Contabilidad", "Contabilidad", "contabilidad:inicio", "cuentas.view_comprobante"),
    ("Administración", "Parámetros", "cuentas:parametro_lista", "cuentas.view_parametro"),
    ("Administración", "Procesos", "procesos:lista", "issscobros.view_proceso"),
    ("Administración", "Programación", "admin:django_celery_beat_periodictask_changelist",
     "django_celery_beat.change_periodictask"),
    ("Administración", "Auditoría", "auditoria_lista", "issscobros.view_registroauditoria"),
    ("Administración", "Usuarios", "usuario_lista", "issscobros.view_usuario"),
    ("Administración", "Sucursales", "sucursal_lista", "issscobros.view_sucursal"),
]


def menu(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    entradas = [
        {"grupo": grupo, "etiqueta": etiqueta, "url": reverse(nombre)}
        for grupo, etiqueta, nombre, permiso in ENTRADAS
        if user.has_perm(permiso)
    ]
    grupos: dict[str, list[dict]] = {}
    for entrada in entradas:
        grupos.setdefault(entrada["grupo"], []).append(entrada)
    return {
        "menu_entradas": entradas,
        "menu_grupos": [{"etiqueta": grupo, "entradas": lista} for grupo, lista in grupos.items()],
        "menu_roles": [roles.NOMBRES[r] for r in roles.roles_de(user)],
    }
