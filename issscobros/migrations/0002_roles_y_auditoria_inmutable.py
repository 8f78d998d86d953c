"""The seven role groups (their permissions follow issscobros.roles on every migrate), and the
append-only guard of the audit log: an audit record is never changed nor removed.
TRUNCATE stays possible for the table owner only (test flushes), as in django-hordak."""
from django.db import migrations

ROLES = [
    "tecnico_financiero", "coordinador_financiero", "gestor_cobros", "jefe_sucursal",
    "jefe_departamento", "auditor", "administrador",
]


def crear_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for nombre in ROLES:
        Group.objects.get_or_create(name=nombre)


def quitar_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


AUDITORIA_INMUTABLE = """
CREATE FUNCTION issscobros_rechazar_cambio() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'La tabla % es de solo inserción: % no está permitido', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER auditoria_solo_insercion
    BEFORE UPDATE OR DELETE ON issscobros_registroauditoria
    FOR EACH ROW EXECUTE FUNCTION issscobros_rechazar_cambio();
"""

AUDITORIA_INMUTABLE_REVERSA = """
DROP TRIGGER IF EXISTS auditoria_solo_insercion ON issscobros_registroauditoria;
DROP FUNCTION IF EXISTS issscobros_rechazar_cambio();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("issscobros", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(crear_roles, quitar_roles),
        migrations.RunSQL(AUDITORIA_INMUTABLE, AUDITORIA_INMUTABLE_REVERSA),
    ]
