"""Shared body of importar_planillas / importar_pagos (CONTRACTS §4)."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from issscobros.models import Usuario

from ...importacion import ErroresDeArchivo


class ComandoImportar(BaseCommand):
    importar = None  # the importacion function

    def add_arguments(self, parser):
        parser.add_argument("archivo", help="Archivo CSV (UTF-8, separado por comas, con encabezado).")
        parser.add_argument("--usuario", required=True, help="Usuario que registra la importación.")

    def handle(self, *args, archivo, usuario, **options):
        try:
            actor = Usuario.objects.get(username=usuario, is_active=True)
        except Usuario.DoesNotExist:
            raise CommandError(f"No existe un usuario activo '{usuario}'.")
        ruta = Path(archivo)
        if not ruta.is_file():
            raise CommandError(f"No se encuentra el archivo {archivo}.")
        try:
            resultado = type(self).importar(actor=actor, contenido=ruta.read_bytes(), nombre_archivo=ruta.name)
        except ErroresDeArchivo as exc:
            for error in exc.errores:
                self.stderr.write(error)
            raise CommandError(f"{len(exc.errores)} error(es): no se guardó nada.", returncode=1)
        self.stdout.write(resultado.resumen)
