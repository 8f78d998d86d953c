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

# Convenios de pago and transacciones: the agent simulates, formalizes and legalizes; a jefe annuls,
# reviews the request to the Consejo Directivo and records its acuerdo; a coordinator approves the
# exoneration that follows (APROBAR_AJUSTES, four eyes).
VER_CONVENIOS = {"convenios.view_convenio", "convenios.view_transaccion"}
OPERAR_CONVENIOS = {"convenios.add_convenio", "convenios.change_convenio", "convenios.add_transaccion"}
ANULAR_CONVENIOS = {"convenios.anular_convenio"}
REVISAR_TRANSACCIONES = {"convenios.revisar_transaccion"}
for _rol, _permisos in {
    TECNICO: VER_CONVENIOS, COORDINADOR: VER_CONVENIOS, AUDITOR: VER_CONVENIOS,
    GESTOR: VER_CONVENIOS | OPERAR_CONVENIOS,
    JEFE_SUCURSAL: VER_CONVENIOS | OPERAR_CONVENIOS | ANULAR_CONVENIOS,
    JEFE_DEPARTAMENTO: VER_CONVENIOS | OPERAR_CONVENIOS | ANULAR_CONVENIOS | REVISAR_TRANSACCIONES,
}.items():
    PERMISOS[_rol] = PERMISOS[_rol] | _permisos

# Mora: which cases a user sees is mora.selectors.casos_para_usuario; these say what they may do.
VER_CASOS = {"mora.view_casocobro", "mora.view_gestion", "mora.view_documentoexpediente",
             "mora.view_propuestapublicacion", "mora.view_solicituddepuracion"}
GESTIONAR_CASOS = {"mora.add_gestion", "mora.change_casocobro", "mora.add_documentoexpediente",
                   "mora.remitir_casocobro", "mora.add_pasojudicial", "mora.add_propuestapublicacion",
                   "mora.add_solicituddepuracion", "mora.change_solicituddepuracion"}
DIRIGIR_CARTERA = {"mora.reasignar_casocobro", "mora.generar_cartera", "mora.view_snapshotkpi",
                   "mora.view_metaplan", "mora.view_correspondencia", "mora.add_correspondencia",
                   "mora.change_correspondencia", "mora.aprobar_propuestapublicacion", "mora.view_loteplanillas",
                   "mora.add_loteplanillas", "mora.cerrar_casocobro"}
for _rol, _permisos in {
    TECNICO: VER_CASOS, COORDINADOR: VER_CASOS,
    AUDITOR: VER_CASOS | {"mora.view_snapshotkpi", "mora.view_metaplan", "mora.view_correspondencia",
                          "mora.view_loteplanillas"},
    GESTOR: VER_CASOS | GESTIONAR_CASOS,
    JEFE_SUCURSAL: VER_CASOS | GESTIONAR_CASOS | DIRIGIR_CARTERA,
    JEFE_DEPARTAMENTO: VER_CASOS | GESTIONAR_CASOS | DIRIGIR_CARTERA | {"mora.change_metaplan"},
}.items():
    PERMISOS[_rol] = PERMISOS[_rol] | _permisos

# Solvencias: technicians and coordinators issue at the window; only a coordinator annuls; every role
# may see whether an employer is solvent (the public can verify a certificate anyway); the
# verification and API logs are for those who control (coordinator, jefe de departamento, auditor).
VER_SOLVENCIAS = {"solvencias.view_solvencia"}
EMITIR_SOLVENCIAS = {"solvencias.add_solvencia"}
CONTROLAR_SOLVENCIAS = {"solvencias.view_verificacion", "solvencias.view_consultaapi"}
for _rol, _permisos in {
    TECNICO: VER_SOLVENCIAS | EMITIR_SOLVENCIAS,
    COORDINADOR: VER_SOLVENCIAS | EMITIR_SOLVENCIAS | CONTROLAR_SOLVENCIAS | {"solvencias.anular_solvencia"},
    GESTOR: VER_SOLVENCIAS, JEFE_SUCURSAL: VER_SOLVENCIAS, ADMINISTRADOR: VER_SOLVENCIAS,
    JEFE_DEPARTAMENTO: VER_SOLVENCIAS | CONTROLAR_SOLVENCIAS, AUDITOR: VER_SOLVENCIAS | CONTROLAR_SOLVENCIAS,
}.items():
    PERMISOS[_rol] = PERMISOS[_rol] | _permisos

# Procesos (background jobs) and reconciliation: technicians and coordinators start batches (each job
# type also asks its own permission, e.g. emitir_documento) and resolve differences; the
# administrator edits the schedules (django-celery-beat, through the admin site).
VER_PROCESOS = {"issscobros.view_proceso"}
INICIAR_PROCESOS = {"issscobros.iniciar_proceso"}
VER_CONCILIACION = {"cuentas.view_diferenciaconciliacion", "cuentas.view_ejecucionconciliacion", "cuentas.view_cargacifras"}
RESOLVER_CONCILIACION = {"cuentas.resolver_diferenciaconciliacion", "cuentas.add_cargacifras"}
PROGRAMAR = {"django_celery_beat.view_periodictask", "django_celery_beat.change_periodictask",
             "django_celery_beat.add_periodictask", "django_celery_beat.view_crontabschedule",
             "django_celery_beat.add_crontabschedule", "django_celery_beat.change_crontabschedule"}
for _rol, _permisos in {
    TECNICO: VER_PROCESOS | INICIAR_PROCESOS | VER_CONCILIACION | RESOLVER_CONCILIACION,
    COORDINADOR: VER_PROCESOS | INICIAR_PROCESOS | VER_CONCILIACION | RESOLVER_CONCILIACION,
    JEFE_DEPARTAMENTO: VER_PROCESOS | VER_CONCILIACION, AUDITOR: VER_PROCESOS | VER_CONCILIACION,
    ADMINISTRADOR: VER_PROCESOS | PROGRAMAR,
}.items():
    PERMISOS[_rol] = PERMISOS[_rol] | _permisos


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
