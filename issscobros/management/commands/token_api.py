from django.core.management.base import BaseCommand, CommandError

from issscobros.api import token_crear
from issscobros.models import Usuario


class Command(BaseCommand):
    help = "Imprime un token nuevo de API para el usuario (CONTRACTS §4)."

    def add_arguments(self, parser):
        parser.add_argument("--usuario", required=True)

    def handle(self, *args, usuario, **options):
        try:
            user = Usuario.objects.get(username=usuario, is_active=True)
        except Usuario.DoesNotExist:
            raise CommandError(f"No existe un usuario activo '{usuario}'.")
        self.stdout.write(token_crear(usuario=user))
