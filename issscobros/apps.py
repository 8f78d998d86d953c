from django.apps import AppConfig


class IssscobrosConfig(AppConfig):
    name = "issscobros"
    verbose_name = "Administración"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import roles

        # Groups are created by a data migration; their permissions follow roles.PERMISOS on every
        # migrate, so a permission added by a later app reaches its roles without a new migration.
        post_migrate.connect(roles.sincronizar_permisos, dispatch_uid="issscobros.roles")
