from django.apps import AppConfig


class SolvenciasConfig(AppConfig):
    name = "solvencias"
    verbose_name = "Solvencias"
