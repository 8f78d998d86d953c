from django.apps import AppConfig


class MoraConfig(AppConfig):
    name = "mora"
    verbose_name = "Mora y cobro"
