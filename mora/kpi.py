"""The dashboard's figures, computed by sucursal into one SnapshotKPI row (nightly task, or the
"actualizar" button), so the page reads one row however many employers there are.

Definitions (all amounts from the ledger, never stored elsewhere):
- mora: overdue balance on the date (mora.antiguedad, by aging bucket);
- índice de morosidad: mora ÷ amounts billed (obligations arisen) over the last 12 months;
- recuperado: credits of payment applications (asientos "aplicacion") this month on obligations
  already past due on the value date — money recovered from mora;
- productivity per gestor this month: actions logged, promises due this month and kept, and the
  amount recovered on the deudores of their open cases."""
import time
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from issscobros import roles
from issscobros.consultas import filas_de_informe

from .antiguedad import TRAMOS, VENCIDAS_AL, columnas_tramos
from .models import CasoCobro, SnapshotKPI

MESES_TENDENCIA = 24


def _mora_por_sucursal(fecha: date) -> dict[int, list[Decimal]]:
    filas = filas_de_informe(f"""{VENCIDAS_AL}
        SELECT d.sucursal_id, {columnas_tramos()}
        FROM s JOIN cuentas_cuenta c ON c.id = s.cuenta_id JOIN cuentas_deudor d ON d.id = c.deudor_id
        WHERE s.saldo > 0 GROUP BY 1""", {"fecha": fecha})
    return {f[0]: list(f[1:]) for f in filas}


def _por_sucursal(sql: str, params) -> dict[int, Decimal]:
    return {s: v for s, v in filas_de_informe(sql, params)}


def _recuperado(desde: date, hasta: date) -> dict[int, Decimal]:
    return _por_sucursal("""
        SELECT d.sucursal_id, SUM(l.haber) FROM cuentas_lineaasiento l
        JOIN cuentas_asiento a ON a.id = l.asiento_id JOIN cuentas_obligacion o ON o.id = l.obligacion_id
        JOIN cuentas_cuenta c ON c.id = l.cuenta_id JOIN cuentas_deudor d ON d.id = c.deudor_id
        WHERE a.tipo = 'aplicacion' AND a.fecha_valor BETWEEN %s AND %s AND a.fecha_valor > o.vencimiento
          AND l.haber > 0 GROUP BY 1""", [desde, hasta])


def kpi_calcular(*, fecha: date) -> dict:
    mes = fecha.replace(day=1)
    mora = _mora_por_sucursal(fecha)
    facturado = _por_sucursal("""
        SELECT d.sucursal_id, SUM(o.monto) FROM cuentas_obligacion o JOIN cuentas_cuenta c ON c.id = o.cuenta_id
        JOIN cuentas_deudor d ON d.id = c.deudor_id
        WHERE o.fecha_origen > %s AND o.fecha_origen <= %s GROUP BY 1""", [fecha - relativedelta(months=12), fecha])
    recuperado = _recuperado(mes, fecha)
    casos = {s: (n, a, j) for s, n, a, j in filas_de_informe("""
        SELECT sucursal_id, COUNT(*), COUNT(*) FILTER (WHERE estado <> 'remitido_juridico'
                   AND COALESCE(ultima_gestion, abierto_en) < %s),
               COUNT(*) FILTER (WHERE propuesto_juridico_en IS NOT NULL)
        FROM mora_casocobro WHERE estado <> ALL(%s) GROUP BY 1""",
        [fecha - timedelta(days=_parametro("mora_sla_dias_sin_gestion", fecha)), list(CasoCobro.TERMINALES)])}
    convenios: dict[int, dict[str, int]] = {}
    for s, estado, n in filas_de_informe("""
            SELECT d.sucursal_id, v.estado, COUNT(*) FROM convenios_convenio v JOIN cuentas_deudor d ON d.id = v.deudor_id
            GROUP BY 1, 2""", []):
        convenios.setdefault(s, {})[estado] = n
    solvencias = _por_sucursal("""
        SELECT d.sucursal_id, COUNT(*) FROM issscobros_documento x JOIN cuentas_deudor d ON d.nit = x.referencia
        WHERE x.tipo = 'solvencia' AND x.emitido_en >= %s GROUP BY 1""", [mes])
    sucursales = {s: n for s, n in filas_de_informe("SELECT id, nombre FROM issscobros_sucursal", [])}
    datos_sucursal = {}
    for s, nombre in sucursales.items():
        datos_sucursal[str(s)] = {
            "nombre": nombre, "tramos": [str(v) for v in mora.get(s, [Decimal(0)] * len(TRAMOS))],
            "facturado_12m": str(facturado.get(s, 0)), "recuperado_mes": str(recuperado.get(s, 0)),
            "casos_abiertos": casos.get(s, (0, 0, 0))[0], "alertas_sin_gestion": casos.get(s, (0, 0, 0))[1],
            "propuestos_juridico": casos.get(s, (0, 0, 0))[2], "convenios": convenios.get(s, {}),
            "solvencias_mes": solvencias.get(s, 0),
        }
    return {"fecha": fecha.isoformat(), "sucursales": datos_sucursal, "gestores": _productividad(mes, fecha),
            "tendencia": _tendencia(fecha)}


def _parametro(clave: str, fecha: date) -> int:
    from cuentas.reglas import Reglas

    return int(Reglas.cargar().valor(clave, fecha))


def _productividad(mes: date, fecha: date) -> list[dict]:
    filas = filas_de_informe("""
        WITH g AS (
            SELECT u.id, u.sucursal_id, COALESCE(NULLIF(TRIM(u.first_name || ' ' || u.last_name), ''), u.username) AS nombre
            FROM issscobros_usuario u JOIN issscobros_usuario_groups ug ON ug.usuario_id = u.id
            JOIN auth_group gr ON gr.id = ug.group_id WHERE gr.name = %(rol)s AND u.is_active
        ), acciones AS (
            SELECT k.gestor_id, COUNT(*) AS n FROM mora_gestion x JOIN mora_casocobro k ON k.id = x.caso_id
            WHERE x.fecha BETWEEN %(mes)s AND %(fecha)s GROUP BY 1
        ), promesas AS (
            SELECT k.gestor_id, COUNT(*) AS n,
                   COUNT(*) FILTER (WHERE (SELECT COALESCE(SUM(r.monto), 0) FROM cuentas_recibo r
                                           JOIN cuentas_cuenta c ON c.id = r.cuenta_id
                                           WHERE c.deudor_id = k.deudor_id AND r.fecha_pago BETWEEN x.fecha AND x.promesa_fecha)
                                          >= x.promesa_monto) AS cumplidas
            FROM mora_gestion x JOIN mora_casocobro k ON k.id = x.caso_id
            WHERE x.promesa_fecha BETWEEN %(mes)s AND %(fecha)s GROUP BY 1
        ), recuperado AS (
            SELECT k.gestor_id, SUM(l.haber) AS monto FROM mora_casocobro k
            JOIN cuentas_cuenta c ON c.deudor_id = k.deudor_id JOIN cuentas_lineaasiento l ON l.cuenta_id = c.id
            JOIN cuentas_asiento a ON a.id = l.asiento_id JOIN cuentas_obligacion o ON o.id = l.obligacion_id
            WHERE k.estado <> ALL(%(terminales)s) AND a.tipo = 'aplicacion' AND l.haber > 0
              AND a.fecha_valor BETWEEN %(mes)s AND %(fecha)s AND a.fecha_valor > o.vencimiento GROUP BY 1
        )
        SELECT g.id, g.nombre, g.sucursal_id, COALESCE(acciones.n, 0), COALESCE(promesas.n, 0),
               COALESCE(promesas.cumplidas, 0), COALESCE(recuperado.monto, 0)
        FROM g LEFT JOIN acciones ON acciones.gestor_id = g.id LEFT JOIN promesas ON promesas.gestor_id = g.id
        LEFT JOIN recuperado ON recuperado.gestor_id = g.id ORDER BY g.nombre""",
        {"rol": roles.GESTOR, "mes": mes, "fecha": fecha, "terminales": list(CasoCobro.TERMINALES)})
    return [{"id": i, "nombre": n, "sucursal": s, "gestiones": a, "promesas": p, "promesas_cumplidas": c,
             "recuperado": str(r)} for i, n, s, a, p, c, r in filas]


def _tendencia(fecha: date) -> list[dict]:
    """Overdue balance at each of the last 24 month ends (the current month: on `fecha`), by sucursal,
    in one pass over the legs: a leg counts at every cut-off X on or after its value date, the day
    after its obligation's due date and the obligation's origin; so each leg is put in the bucket of
    the first cut-off it counts at (width_bucket) and the buckets are summed cumulatively. Equal to
    24 as-of aging reports (an obligation's balance as of any date is never negative)."""
    cortes = [(fecha.replace(day=1) - relativedelta(months=atras - 1)) - timedelta(days=1)
              for atras in range(MESES_TENDENCIA - 1, 0, -1)] + [fecha]
    filas = filas_de_informe("""
        SELECT d.sucursal_id, width_bucket(GREATEST(a.fecha_valor, o.vencimiento + 1, o.fecha_origen) - 1, %s::date[]),
               SUM(l.debe - l.haber)
        FROM cuentas_lineaasiento l JOIN cuentas_asiento a ON a.id = l.asiento_id
        JOIN cuentas_obligacion o ON o.id = l.obligacion_id JOIN cuentas_cuenta c ON c.id = o.cuenta_id
        JOIN cuentas_deudor d ON d.id = c.deudor_id
        WHERE a.fecha_valor <= %s AND o.fecha_origen <= %s AND o.vencimiento < %s
        GROUP BY 1, 2""", [cortes, fecha, fecha, fecha])
    por_cubeta: dict[int, dict[int, Decimal]] = {}
    for sucursal, cubeta, monto in filas:
        por_cubeta.setdefault(cubeta, {})[sucursal] = monto
    acumulado: dict[int, Decimal] = {}
    puntos = []
    for k, corte in enumerate(cortes):
        for sucursal, monto in por_cubeta.get(k, {}).items():
            acumulado[sucursal] = acumulado.get(sucursal, Decimal(0)) + monto
        puntos.append({"fecha": corte.isoformat(), "sucursales": {str(s): str(v) for s, v in acumulado.items() if v}})
    return puntos


@transaction.atomic
def kpi_instantanea(*, fecha: date | None = None) -> SnapshotKPI:
    """Compute and keep (replace) the snapshot of `fecha` (default today). Safe to run twice."""
    fecha = fecha or timezone.localdate()
    inicio = time.monotonic()
    datos = kpi_calcular(fecha=fecha)
    duracion = int((time.monotonic() - inicio) * 1000)
    snapshot, _ = SnapshotKPI.objects.update_or_create(fecha=fecha, defaults={
        "datos": datos, "duracion_ms": duracion, "calculado_en": timezone.now()})
    return snapshot
