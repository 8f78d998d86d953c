from ...importacion import planillas_importar
from ._importar import ComandoImportar


class Command(ComandoImportar):
    help = "Importa planillas (CONTRACTS §5.1): todo o nada, errores como 'línea N, columna C: mensaje'."
    importar = staticmethod(planillas_importar)
