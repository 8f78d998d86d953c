"""Reconciliation of the ledger with itself (CONTRACTS §4 `conciliar`; nightly in the jobs issue).
Each check is one set-based query over the whole ledger, returning the rows that differ.

(1) every asiento balances; (2) each obligation's cached saldo equals its legs; (3) each cuenta's
receivable legs equal its obligations' saldos; (4) each receipt's bank entry equals its amount, and
what was applied plus what waits to be applied equals it."""
from dataclasses import dataclass
from datetime import date

from django.db import connection

from . import contabilidad


@dataclass(frozen=True)
class Diferencia:
    control: str
    objeto: str
    esperado: str
    encontrado: str

    def __str__(self):
        return f"{self.control}: {self.objeto} esperado {self.esperado}, encontrado {self.encontrado}"


def _filas(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def conciliar(*, fecha: date | None = None) -> list[Diferencia]:
    """All differences in the ledger as of `fecha` (default: everything recorded)."""
    corte = fecha or date.max
    diferencias = []
    for asiento, debe, haber in _filas("""
        SELECT l.asiento_id, sum(l.debe), sum(l.haber)
          FROM cuentas_lineaasiento l JOIN cuentas_asiento a ON a.id = l.asiento_id
         WHERE a.fecha_valor <= %s
         GROUP BY l.asiento_id HAVING sum(l.debe) <> sum(l.haber)""", [corte]):
        diferencias.append(Diferencia("asiento descuadrado", f"asiento {asiento}", f"debe = haber", f"debe {debe}, haber {haber}"))
    if fecha is None:  # the cached saldo is today's: compare it only with everything recorded
        for obligacion, saldo, legs in _filas("""
            SELECT o.id, o.saldo, coalesce(l.neto, 0)
              FROM cuentas_obligacion o
              LEFT JOIN (SELECT obligacion_id, sum(debe - haber) AS neto FROM cuentas_lineaasiento
                          WHERE obligacion_id IS NOT NULL GROUP BY obligacion_id) l ON l.obligacion_id = o.id
             WHERE o.saldo <> coalesce(l.neto, 0)""", []):
            diferencias.append(Diferencia("saldo de obligación", f"obligación {obligacion}", f"{legs} (líneas)", f"{saldo} (saldo)"))
        for cuenta, numero, receivable, saldos in _filas("""
            SELECT c.id, c.numero, coalesce(r.neto, 0), coalesce(o.saldo, 0)
              FROM cuentas_cuenta c
              LEFT JOIN (SELECT cuenta_id, sum(debe - haber) AS neto FROM cuentas_lineaasiento
                          WHERE obligacion_id IS NOT NULL GROUP BY cuenta_id) r ON r.cuenta_id = c.id
              LEFT JOIN (SELECT cuenta_id, sum(saldo) AS saldo FROM cuentas_obligacion GROUP BY cuenta_id) o ON o.cuenta_id = c.id
             WHERE coalesce(r.neto, 0) <> coalesce(o.saldo, 0)""", []):
            diferencias.append(Diferencia("total de cuenta", f"cuenta {numero}", f"{receivable} (libro)", f"{saldos} (obligaciones)"))
    for recibo, referencia, monto, banco, por_aplicar, aplicado in _filas("""
        SELECT r.id, r.canal || ' ' || r.referencia, r.monto,
               coalesce(sum(l.debe) FILTER (WHERE l.cuenta_contable_codigo = %s), 0),
               coalesce(sum(l.haber - l.debe) FILTER (WHERE l.cuenta_contable_codigo = %s), 0),
               coalesce(sum(l.debe) FILTER (WHERE l.cuenta_contable_codigo = %s AND a.tipo = 'aplicacion'), 0)
          FROM cuentas_recibo r
          LEFT JOIN cuentas_lineaasiento l ON l.recibo_id = r.id
          LEFT JOIN cuentas_asiento a ON a.id = l.asiento_id AND a.fecha_valor <= %s
         WHERE r.fecha_pago <= %s AND (a.id IS NOT NULL OR l.id IS NULL)
         GROUP BY r.id
        HAVING coalesce(sum(l.debe) FILTER (WHERE l.cuenta_contable_codigo = %s), 0) <> r.monto
            OR coalesce(sum(l.haber - l.debe) FILTER (WHERE l.cuenta_contable_codigo = %s), 0)
               + coalesce(sum(l.debe) FILTER (WHERE l.cuenta_contable_codigo = %s AND a.tipo = 'aplicacion'), 0) <> r.monto""",
            [contabilidad.BANCOS, contabilidad.RECIBOS_POR_APLICAR, contabilidad.RECIBOS_POR_APLICAR, corte, corte,
             contabilidad.BANCOS, contabilidad.RECIBOS_POR_APLICAR, contabilidad.RECIBOS_POR_APLICAR]):
        diferencias.append(Diferencia("recibo", f"recibo {recibo} ({referencia})", f"{monto}",
                                      f"banco {banco}, aplicado {aplicado}, por aplicar {por_aplicar}"))
    return diferencias
