"""The nightly schedule of mora, after the reconciliation of 02:00 (issscobros.programacion)."""
from django.db import migrations

from issscobros.programacion import Programacion, operaciones

NOCTURNA = Programacion(
    nombre="Cartera de mora nocturna", tarea="mora.nocturno", minuto="30", hora="3",
    descripcion="Abre los casos de los deudores en mora, revisa los plazos (R14) y calcula los indicadores del "
                "tablero.")


class Migration(migrations.Migration):
    dependencies = [
        ("mora", "0002_expediente_plan_correspondencia"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(*operaciones(NOCTURNA))]
