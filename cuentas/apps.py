from django.apps import AppConfig


class CuentasConfig(AppConfig):
    name = "cuentas"
    verbose_name = "Cuentas por cobrar"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import datos_base

        post_migrate.connect(lambda sender, **kw: datos_base.cargar() if sender.name == "cuentas" else None,
                             dispatch_uid="cuentas.datos_base", weak=False)
