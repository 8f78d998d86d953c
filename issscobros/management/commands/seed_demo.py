import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from issscobros import demo


class Command(BaseCommand):
    help = "Carga datos sintéticos deterministas de demostración (CONTRACTS §4)."

    def add_arguments(self, parser):
        parser.add_argument("--deudores", type=int, default=300, help="Número de patronos (300).")
        parser.add_argument("--meses", type=int, default=36, help="Meses de historia (36).")
        parser.add_argument("--semilla", type=int, default=1, help="Semilla del generador (1).")

    def handle(self, *args, deudores, meses, semilla, **options):
        if not settings.DEMO_PERMITIDO:
            raise CommandError("seed_demo no está permitido con la configuración de producción.")
        if deudores < 1 or meses < 1:
            raise CommandError("--deudores y --meses deben ser al menos 1.")
        inicio = time.monotonic()
        avisar = (lambda texto: self.stderr.write(f"· {texto}")) if options.get("verbosity", 1) > 1 else None
        resumen = demo.cargar(deudores=deudores, meses=meses, semilla=semilla, avisar=avisar)
        if resumen.deudores:
            self.stdout.write(
                f"Datos de demostración: {resumen.deudores} deudores, {resumen.cuentas} cuentas, "
                f"{resumen.sucursales} sucursales; {resumen.planillas} planillas con {resumen.lineas} líneas de "
                f"trabajadores y {resumen.recibos} recibos ({meses} meses) en {time.monotonic() - inicio:.1f} s."
            )
        else:
            self.stdout.write("El registro ya tenía deudores: no se cargaron datos nuevos.")
        self.stdout.write(f"Usuarios de demostración (contraseña: {settings.DEMO_PASSWORD}):")
        for username, rol, *_ in demo.USUARIOS_DEMO:
            self.stdout.write(f"  {username:<14} {rol}")
