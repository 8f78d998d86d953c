"""The logs are evidence: verifications and API queries are insert-only; a solvency is never deleted
(an annulment is an UPDATE of its annulment fields, made by solvencias.services.solvencia_anular)."""
from django.db import migrations

SQL = """
CREATE TRIGGER verificacion_solo_insercion BEFORE UPDATE OR DELETE ON solvencias_verificacion
    FOR EACH ROW EXECUTE FUNCTION issscobros_rechazar_cambio();
CREATE TRIGGER consultaapi_solo_insercion BEFORE UPDATE OR DELETE ON solvencias_consultaapi
    FOR EACH ROW EXECUTE FUNCTION issscobros_rechazar_cambio();
CREATE TRIGGER solvencia_sin_borrado BEFORE DELETE ON solvencias_solvencia
    FOR EACH ROW EXECUTE FUNCTION issscobros_rechazar_cambio();
"""
REVERSA = """
DROP TRIGGER IF EXISTS verificacion_solo_insercion ON solvencias_verificacion;
DROP TRIGGER IF EXISTS consultaapi_solo_insercion ON solvencias_consultaapi;
DROP TRIGGER IF EXISTS solvencia_sin_borrado ON solvencias_solvencia;
"""


class Migration(migrations.Migration):
    dependencies = [("solvencias", "0001_initial"), ("issscobros", "0002_roles_y_auditoria_inmutable")]

    operations = [migrations.RunSQL(SQL, REVERSA)]
