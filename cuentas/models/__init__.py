"""cuentas models: the registry (registro), the rules (parametros), payrolls (planillas), the ledger
(libro), receipts (pagos) and four-eyes adjustments (ajustes). Each module's docstring states its
invariants and where they are enforced."""
from .ajustes import SolicitudAjuste  # noqa: F401
from .libro import COTIZACIONES, Asiento, Concepto, CuentaContable, LineaAsiento, Obligacion  # noqa: F401
from .pagos import Canal, Recibo  # noqa: F401
from .parametros import Feriado, Parametro  # noqa: F401
from .planillas import Importacion, LineaPlanilla, Planilla  # noqa: F401
from .registro import Cuenta, Deudor  # noqa: F401
from .contabilidad import CertificacionPago, Comprobante, ComprobanteAsiento  # noqa: F401
from .conciliacion import CargaCifras, CifraControl, DiferenciaConciliacion, EjecucionConciliacion, Fuente  # noqa: F401
