from .libro import *  # noqa: F401,F403
from .registro import BusquedaDeudorForm, CuentaForm, DeudorForm  # noqa: F401
from .contabilidad import (  # noqa: F401
    ArchivoComprobanteForm, CertificacionPagoForm, ComprobanteFiltroForm, ConformacionForm, MesForm, mes_anterior,
)
