from ...importacion import pagos_importar
from ._importar import ComandoImportar


class Command(ComandoImportar):
    help = "Importa recibos de pago (CONTRACTS §5.2) y los aplica; todo o nada."
    importar = staticmethod(pagos_importar)
