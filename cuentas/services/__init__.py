"""Writes of the cuentas app, one module per area. `libro` is the only code that creates asientos;
everything else (planillas, pagos, cargos, ajustes, and the other apps) posts through it."""
from .registro import (  # noqa: F401
    cuenta_actualizar,
    cuenta_crear,
    deudor_activar,
    deudor_actualizar,
    deudor_crear,
    deudor_desactivar,
)
