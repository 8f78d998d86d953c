"""The nightly reconciliation, as a schedule the administrator edits (issscobros.programacion)."""
from django.db import migrations

from issscobros.programacion import Programacion, operaciones

CONCILIACION = Programacion(
    nombre="Conciliación nocturna", tarea="issscobros.proceso_programado", minuto="0", hora="2",
    kwargs={"tipo": "conciliacion", "programacion": "Conciliación nocturna"},
    descripcion="Concilia el libro y las cifras de control cada noche; las diferencias quedan en Conciliación.")


class Migration(migrations.Migration):
    dependencies = [
        ("issscobros", "0006_proceso_procesoitem_procesotrozo_and_more"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(*operaciones(CONCILIACION))]
