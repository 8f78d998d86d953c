"""ErrorDeNegocio: a rule of the domain said no. Views turn it into a form error or a message."""


class ErrorDeNegocio(Exception):
    def __init__(self, mensaje: str, campo: str | None = None):
        super().__init__(mensaje)
        self.mensaje = mensaje
        self.campo = campo
