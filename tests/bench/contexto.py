"""What every figure function receives: the run's parameters and shared, lazily built pieces."""
from dataclasses import dataclass, field
from functools import cached_property

from .basedatos import Construccion, ConstruccionLibro


@dataclass
class Parametros:
    deudores: int
    meses: int
    completo: bool
    base_datos: str


@dataclass
class Contexto:
    parametros: Parametros
    construccion: Construccion | None
    construccion_libro: ConstruccionLibro | None = None
    _cliente: object = field(default=None, repr=False)

    def usuario(self):
        """The demo technician (CONTRACTS §3)."""
        from issscobros.models import Usuario

        return Usuario.objects.get(username="tecnico")

    def cliente(self):
        """A Django test client signed in as the technician (one session for the whole run)."""
        if self._cliente is None:
            from django.test import Client

            self._cliente = Client()
            self._cliente.force_login(self.usuario())
        return self._cliente

    @cached_property
    def consultas(self) -> list[str]:
        from .registro import consultas_realistas

        return consultas_realistas()
