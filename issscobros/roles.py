"""The seven roles of ARCHITECTURE.md, as Django groups, and the permissions each one holds.

This is the one place that says who may do what. Views check a permission (never a group name),
selectors scope rows by role (`for_user`)."""
from django.contrib.auth.mixins import PermissionRequiredMixin

TECNICO = "tecnico_financiero"
COORDINADOR = "coordinador_financiero"
GESTOR = "gestor_cobros"
JEFE_SUCURSAL = "jefe_sucursal"
JEFE_DEPARTAMENTO = "jefe_departamento"
AUDITOR = "auditor"
ADMINISTRADOR = "administrador"

NOMBRES = {
    TECNICO: "Técnico financiero",
    COORDINADOR: "Coordinador financiero",
    GESTOR: "Gestor de cobros",
    JEFE_SUCURSAL: "Jefe de sucursal",
    JEFE_DEPARTAMENTO: "Jefe de departamento",
    AUDITOR: "Auditor",
    ADMINISTRADOR: "Administrador",
}
ROLES = list(NOMBRES)

VER_REGISTRO = {"cuentas.view_deudor", "cuentas.view_cuenta"}
EDITAR_REGISTRO = {
    "cuentas.add_deudor",
    "cuentas.change_deudor",
    "cuentas.add_cuenta",
    "cuentas.change_cuenta",
}
VER_AUDITORIA = {"issscobros.view_registroauditoria"}
VER_LIBRO = {
    "cuentas.view_obligacion", "cuentas.view_asiento", "cuentas.view_planilla", "cuentas.view_recibo",
    "cuentas.view_solicitudajuste", "cuentas.view_parametro", "cuentas.view_feriado",
}
OPERAR_LIBRO = {
    "cuentas.add_planilla", "cuentas.add_recibo", "cuentas.change_recibo", "cuentas.add_obligacion",
    "cuentas.add_solicitudajuste", "cuentas.add_importacion",
}
APROBAR_AJUSTES = {"cuentas.aprobar_solicitudajuste"}
VER_DOCUMENTOS = {"issscobros.view_documento"}
EMITIR_DOCUMENTOS = {"issscobros.emitir_documento"}
VER_CONTABILIDAD = {"cuentas.view_certificacionpago", "cuentas.view_comprobante"}
OPERAR_CONTABILIDAD = {"cuentas.add_certificacionpago", "cuentas.add_comprobante", "cuentas.change_comprobante"}
# Sección Control de Ingresos signs payment certifications; a coordinator reviews vouchers.
FIRMAR_CONTABILIDAD = {"cuentas.firmar_certificacionpago", "cuentas.revisar_comprobante"}
PARAMETRIZAR = {"cuentas.add_parametro", "cuentas.add_feriado", "cuentas.change_feriado"}
ADMINISTRAR = {
    "issscobros.view_usuario",
    "issscobros.add_usuario",
    "issscobros.change_usuario",
    "issscobros.view_sucursal",
    "issscobros.add_sucursal",
    "issscobros.change_sucursal",
}

PERMISOS: dict[str, set[str]] = {
    TECNICO: (VER_REGISTRO | EDITAR_REGISTRO | VER_LIBRO | OPERAR_LIBRO | VER_DOCUMENTOS | EMITIR_DOCUMENTOS
              | VER_CONTABILIDAD | OPERAR_CONTABILIDAD),
    COORDINADOR: (VER_REGISTRO | EDITAR_REGISTRO | VER_AUDITORIA | VER_LIBRO | OPERAR_LIBRO | APROBAR_AJUSTES
                  | VER_DOCUMENTOS | EMITIR_DOCUMENTOS | VER_CONTABILIDAD | OPERAR_CONTABILIDAD | FIRMAR_CONTABILIDAD),
    GESTOR: VER_REGISTRO | VER_LIBRO,
    JEFE_SUCURSAL: VER_REGISTRO | VER_LIBRO | VER_DOCUMENTOS,
    JEFE_DEPARTAMENTO: VER_REGISTRO | VER_AUDITORIA | VER_LIBRO | VER_DOCUMENTOS | VER_CONTABILIDAD,
    AUDITOR: (VER_REGISTRO | VER_AUDITORIA | VER_LIBRO | VER_DOCUMENTOS | VER_CONTABILIDAD
              | {"issscobros.view_usuario", "issscobros.view_sucursal"}),
    ADMINISTRADOR: VER_REGISTRO | EDITAR_REGISTRO | VER_AUDITORIA | ADMINISTRAR | VER_LIBRO | PARAMETRIZAR,
}


def sincronizar_permisos(sender=None, **kwargs):
    """Give each role group exactly the permissions PERMISOS names (post_migrate)."""
    from django.contrib.auth.models import Group, Permission

    for rol, codigos in PERMISOS.items():
        grupo, _ = Group.objects.get_or_create(name=rol)
        permisos = []
        for codigo in codigos:
            app_label, codename = codigo.split(".")
            permiso = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permiso is None:  # its app has not been migrated yet; the next post_migrate adds it
                continue
            permisos.append(permiso)
        grupo.permissions.set(permisos)


def roles_de(user) -> list[str]:
    if not user.is_authenticated:
        return []
    return [g.name for g in user.groups.all() if g.name in NOMBRES]


class PermisoRequeridoMixin(PermissionRequiredMixin):
    """A signed-in user without the permission gets the Spanish 403, not the login page."""

    raise_exception = True
