"""An issued document is never changed nor deleted (the register is evidence)."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("issscobros", "0004_documentos")]

    operations = [
        migrations.RunSQL(
            """CREATE TRIGGER documento_solo_insercion BEFORE UPDATE OR DELETE ON issscobros_documento
                   FOR EACH ROW EXECUTE FUNCTION issscobros_rechazar_cambio();""",
            "DROP TRIGGER IF EXISTS documento_solo_insercion ON issscobros_documento;",
        ),
    ]
