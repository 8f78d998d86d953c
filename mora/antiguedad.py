"""Aging of overdue balances (antigüedad de saldos) as of any date, by sucursal, gestor or concept.

The balance of an obligation on date X is the sum of its legs whose asiento has fecha_valor ≤ X
(cuentas.estado does the same for one cuenta). Computed as the cached saldo minus the legs dated
after X — equal by the ledger's invariant saldo = Σ legs — so a recent date reads few legs. An
obligation counts from its fecha_origen; it is overdue on X when its due date is before X, and
`X − vencimiento` days overdue puts it in a bucket. One set-based query for every employer."""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cuentas.estado import SALDOS_AL
from issscobros import roles
from issscobros.consultas import filas_de_informe

from .models import CasoCobro
from .selectors import VEN_TODO

CERO = Decimal("0.00")
# (key, label, first day, last day or None)
TRAMOS = [
    ("0-30", "0–30 días", 1, 30),
    ("31-60", "31–60 días", 31, 60),
    ("61-90", "61–90 días", 61, 90),
    ("91-180", "91–180 días", 91, 180),
    ("181-365", "181–365 días", 181, 365),
    ("365+", "Más de 365 días", 366, None),
]
DIMENSIONES = {"sucursal": "Sucursal", "gestor": "Gestor", "concepto": "Concepto", "total": "Total"}


# `s`: every obligation overdue on %(fecha)s with its balance on that date (cuenta_id, concepto,
# vencimiento, saldo; saldo may be 0), from the ledger's balances as of a date (cuentas.estado).
# Shared by this report and the dashboard (mora.kpi).
VENCIDAS_AL = f"""WITH {SALDOS_AL}, s AS (
            SELECT cuenta_id, concepto, vencimiento, saldo FROM saldos_al WHERE vencimiento < %(fecha)s
        )"""


def columnas_tramos() -> str:
    """One SQL column per aging bucket over `s` (days overdue = %(fecha)s − vencimiento), 0 when empty."""
    return ", ".join(f"COALESCE(SUM(s.saldo) FILTER (WHERE %(fecha)s - s.vencimiento BETWEEN {a} AND {b or 1000000}), 0)"
                     for _, _, a, b in TRAMOS)


def tramo_limites(clave: str) -> tuple[int, int | None]:
    for k, _, desde, hasta in TRAMOS:
        if k == clave:
            return desde, hasta
    raise ValueError(f"Tramo desconocido: {clave}")


@dataclass
class FilaAntiguedad:
    clave: object
    nombre: str
    tramos: list[Decimal]
    deudores: int

    @property
    def total(self) -> Decimal:
        return sum(self.tramos, CERO)


@dataclass
class Antiguedad:
    fecha: date
    dimension: str
    filas: list[FilaAntiguedad] = field(default_factory=list)

    @property
    def totales(self) -> list[Decimal]:
        return [sum((f.tramos[i] for f in self.filas), CERO) for i in range(len(TRAMOS))]

    @property
    def total(self) -> Decimal:
        return sum(self.totales, CERO)


def _alcance(user) -> tuple[str, dict]:
    """SQL condition on deudor `d` / case `k` for the user's scope (as casos_para_usuario)."""
    suyos = set(roles.roles_de(user))
    if suyos & VEN_TODO:
        return "TRUE", {}
    if roles.JEFE_SUCURSAL in suyos and user.sucursal_id:
        return "d.sucursal_id = %(alcance)s", {"alcance": user.sucursal_id}
    if roles.GESTOR in suyos:
        return "k.gestor_id = %(alcance)s", {"alcance": user.pk}
    return "FALSE", {}


_DIM_SQL = {
    "sucursal": ("d.sucursal_id", "(SELECT nombre FROM issscobros_sucursal WHERE id = d.sucursal_id)"),
    "gestor": ("k.gestor_id", "COALESCE((SELECT COALESCE(NULLIF(TRIM(first_name || ' ' || last_name), ''), username) "
                              "FROM issscobros_usuario WHERE id = k.gestor_id), 'Sin gestor')"),
    "concepto": ("s.concepto", "s.concepto"),
    "total": ("0", "'Total'"),
}


def antiguedad_saldos(*, user, fecha: date, dimension: str = "sucursal", sucursal_id=None) -> Antiguedad:
    if dimension not in _DIM_SQL:
        raise ValueError(f"Dimensión desconocida: {dimension}")
    alcance, params = _alcance(user)
    clave_sql, nombre_sql = _DIM_SQL[dimension]
    casos = columnas_tramos()
    filtro_sucursal = "AND d.sucursal_id = %(sucursal)s" if sucursal_id else ""
    sql = f"""
        {VENCIDAS_AL}
        SELECT {clave_sql} AS clave, {nombre_sql} AS nombre, {casos}, COUNT(DISTINCT d.id)
        FROM s JOIN cuentas_cuenta c ON c.id = s.cuenta_id JOIN cuentas_deudor d ON d.id = c.deudor_id
        LEFT JOIN mora_casocobro k ON k.deudor_id = d.id AND k.estado <> ALL(%(terminales)s)
        WHERE s.saldo > 0 AND ({alcance}) {filtro_sucursal}
        GROUP BY 1, 2 ORDER BY 2"""
    params |= {"fecha": fecha, "terminales": list(CasoCobro.TERMINALES), "sucursal": sucursal_id}
    filas = filas_de_informe(sql, params)
    resultado = Antiguedad(fecha=fecha, dimension=dimension)
    for clave, nombre, *resto in filas:
        *tramos, deudores = resto
        if dimension == "concepto":
            from cuentas.models import Concepto
            nombre = Concepto(nombre).label
        resultado.filas.append(FilaAntiguedad(clave=clave, nombre=nombre, tramos=[t or CERO for t in tramos],
                                              deudores=deudores))
    return resultado
