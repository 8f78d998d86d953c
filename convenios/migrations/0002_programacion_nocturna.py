"""The nightly schedule of convenios, after the collection portfolio of 03:30 (issscobros.programacion)."""
from django.db import migrations

from issscobros.programacion import Programacion, operaciones

NOCTURNA = Programacion(
    nombre="Convenios: incumplimientos y acuerdos condicionales", tarea="convenios.nocturno", minuto="0", hora="3",
    descripcion="Declara incumplidos los convenios con cuotas consecutivas sin pagar y revierte las exoneraciones "
                "condicionales cuya condición no se cumplió.")


class Migration(migrations.Migration):
    dependencies = [
        ("convenios", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(*operaciones(NOCTURNA))]
