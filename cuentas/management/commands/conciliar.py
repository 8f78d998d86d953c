from datetime import date

from django.core.management.base import BaseCommand, CommandError

from ...conciliacion import conciliacion_ejecutar


class Command(BaseCommand):
    help = ("Concilia el libro y las cifras de control (CONTRACTS §4), lo mismo que la tarea nocturna, y guarda "
            "la ejecución: sale con 0 sin diferencias, con 3 si las hay (listadas).")

    def add_arguments(self, parser):
        parser.add_argument("--fecha", help="AAAA-MM-DD: concilia a esa fecha valor.")

    def handle(self, *args, fecha=None, **options):
        try:
            corte = date.fromisoformat(fecha) if fecha else None
        except ValueError:
            raise CommandError("--fecha debe ser AAAA-MM-DD.")
        _, diferencias = conciliacion_ejecutar(fecha=corte)
        if not diferencias:
            self.stdout.write("Conciliación sin diferencias.")
            return
        for d in diferencias:
            self.stdout.write(str(d))
        raise CommandError(f"{len(diferencias)} diferencia(s) encontradas.", returncode=3)
