"""The chart of accounts the ledger posts to, and which accounts each concept uses.

The ISSS's own chart codes were not available; these codes follow the usual structure of the
Salvadoran government chart (1 assets, 2 liabilities, 5 income) and are data (CuentaContable rows),
so Contabilidad can rename them. This module is the one place that maps a concept to its accounts."""
from .models.libro import Concepto

BANCOS = "1110101"
RECIBOS_POR_APLICAR = "2130101"     # receipts not yet applied: per cuenta = saldo a favor; no cuenta = unidentified
EXONERACIONES = "5990101"            # income given up by exoneration (Consejo Directivo)

# concept: (receivable account, income account)
CUENTAS_POR_CONCEPTO = {
    Concepto.COTIZACION_LABORAL: ("1130101", "5110101"),
    Concepto.COTIZACION_PATRONAL: ("1130102", "5110102"),
    Concepto.INSAFORP: ("1130103", "2140101"),  # collected for INSAFORP: a liability, not income
    Concepto.RECARGO: ("1130201", "5120101"),
    Concepto.MULTA: ("1130301", "5120201"),
    Concepto.MULTA_CONTRACTUAL: ("1130401", "5120301"),
    Concepto.SIMULACION_LABORAL: ("1130402", "5120302"),
    Concepto.ARRENDAMIENTO: ("1130403", "5130101"),
    Concepto.RECUPERACION_SEGURO: ("1130404", "5130201"),
    Concepto.SERVICIOS_MEDICOS: ("1130405", "5130301"),
    Concepto.APORTE_ESTADO: ("1130501", "5140101"),
    Concepto.OTROS: ("1130901", "5190101"),
}

PLAN = [
    (BANCOS, "Bancos — cuentas recaudadoras"),
    (RECIBOS_POR_APLICAR, "Recibos de pago por aplicar"),
    (EXONERACIONES, "Exoneraciones de recargos y multas"),
    ("1130101", "Cotizaciones laborales por cobrar"),
    ("1130102", "Cotizaciones patronales por cobrar"),
    ("1130103", "INSAFORP por cobrar"),
    ("1130201", "Recargos por mora por cobrar"),
    ("1130301", "Multas por cobrar"),
    ("1130401", "Multas contractuales a proveedores por cobrar"),
    ("1130402", "Simulación laboral por cobrar"),
    ("1130403", "Arrendamientos por cobrar"),
    ("1130404", "Recuperación de seguros por cobrar"),
    ("1130405", "Servicios médicos a beneficiarios por cobrar"),
    ("1130501", "Aporte del Estado por cobrar"),
    ("1130901", "Otras cuentas por cobrar"),
    ("2140101", "INSAFORP — recaudación por trasladar"),
    ("5110101", "Ingresos por cotizaciones laborales"),
    ("5110102", "Ingresos por cotizaciones patronales"),
    ("5120101", "Ingresos por recargos"),
    ("5120201", "Ingresos por multas"),
    ("5120301", "Ingresos por multas contractuales"),
    ("5120302", "Ingresos por simulación laboral"),
    ("5130101", "Ingresos por arrendamientos"),
    ("5130201", "Ingresos por recuperación de seguros"),
    ("5130301", "Ingresos por servicios médicos"),
    ("5140101", "Aporte del Estado"),
    ("5190101", "Otros ingresos"),
]


# Which manual charges each kind of cuenta takes (contributions and surcharges come from payrolls
# and payments, never from this list).
CARGOS_POR_TIPO_DE_CUENTA = {
    "patronal": (Concepto.MULTA, Concepto.SIMULACION_LABORAL, Concepto.OTROS),
    "contrato_proveedor": (Concepto.MULTA_CONTRACTUAL, Concepto.OTROS),
    "arrendamiento": (Concepto.ARRENDAMIENTO, Concepto.OTROS),
    "seguro": (Concepto.RECUPERACION_SEGURO, Concepto.OTROS),
    "servicios_medicos": (Concepto.SERVICIOS_MEDICOS, Concepto.OTROS),
    "aporte_estado": (Concepto.APORTE_ESTADO,),
    "otros": (Concepto.OTROS, Concepto.SIMULACION_LABORAL),
}


def cuenta_por_cobrar(concepto: str) -> str:
    return CUENTAS_POR_CONCEPTO[concepto][0]


def cuenta_de_ingreso(concepto: str) -> str:
    return CUENTAS_POR_CONCEPTO[concepto][1]
