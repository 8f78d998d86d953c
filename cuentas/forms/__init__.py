from .libro import *  # noqa: F401,F403
from .registro import BusquedaDeudorForm, CuentaForm, DeudorForm  # noqa: F401
