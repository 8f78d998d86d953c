"""Nightly schedules as rows of django-celery-beat, so the administrator edits them from the menu
(Programación). Used by the apps' data migrations: a schedule is created only if none has its name,
so an edited one is never overwritten by a later migrate."""
import json
from dataclasses import dataclass, field

ZONA = "America/El_Salvador"


@dataclass(frozen=True)
class Programacion:
    nombre: str
    tarea: str
    minuto: str
    hora: str
    descripcion: str
    kwargs: dict = field(default_factory=dict)
    dia_del_mes: str = "*"


def operaciones(*programaciones: Programacion):
    """(create, remove) functions for migrations.RunPython."""
    def crear(apps, schema_editor):
        Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
        Tarea = apps.get_model("django_celery_beat", "PeriodicTask")
        for p in programaciones:
            if Tarea.objects.filter(name=p.nombre).exists():
                continue
            horario, _ = Crontab.objects.get_or_create(minute=p.minuto, hour=p.hora, day_of_month=p.dia_del_mes,
                                                       month_of_year="*", day_of_week="*", timezone=ZONA)
            Tarea.objects.create(name=p.nombre, task=p.tarea, kwargs=json.dumps(p.kwargs), crontab=horario,
                                 description=p.descripcion, enabled=True)

    def quitar(apps, schema_editor):
        apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
            name__in=[p.nombre for p in programaciones]).delete()

    return crear, quitar
