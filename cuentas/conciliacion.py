"""Reconciliation of the ledger with itself (CONTRACTS §4 `conciliar`; nightly in the jobs issue).
Each check is one set-based query over the whole ledger, returning the rows that differ.

(1) every asiento balances; (2) each obligation's cached saldo equals its legs; (3) each cuenta's
receivable legs equal its obligations' saldos; (4) each receipt entered the bank once for its amount,
and what the bank holds of it (nothing once reversed) is what was applied plus what waits; (5) the
subledger's movements by GL account and month equal the control figures of Contabilidad
Institucional; (6) the same against UPISSS.

Checks 5 and 6 compare only the months a source has sent, and within them only the GL accounts that
source reports (UPISSS reports a few); a month with no figures is not a difference. Figures are
loaded from a CSV (`cifras_cargar`, format in docs/procesos.md); the latest upload of a month wins.

`conciliacion_ejecutar` is the nightly job and the `conciliar` command: it runs the checks and keeps
the history (cuentas.models.conciliacion): a difference found again stays one row while open."""
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from issscobros.auditoria import auditar
from issscobros.consultas import filas_de_informe
from issscobros.errores import ErrorDeNegocio
from issscobros.procesos.candado import candado_sesion

from . import contabilidad
from .importacion import ErroresDeArchivo, _leer, _sha, _Validador
from .models import CargaCifras, CifraControl, DiferenciaConciliacion, EjecucionConciliacion, Fuente


@dataclass(frozen=True)
class Diferencia:
    control: str
    objeto: str
    esperado: str
    encontrado: str

    def __str__(self):
        return f"{self.control}: {self.objeto} esperado {self.esperado}, encontrado {self.encontrado}"

    @property
    def clave(self) -> str:
        return f"{self.control}|{self.objeto}"[:200]


# Every check is one statement that reads the legs once, through the covering index made for it
# (cuentas.models.LineaAsiento: each holds the leg's net in cents, so the totals add integers); checks
# 5 and 6 share one (legs totalled per GL account and month, compared with both sources). A check
# first finds what differs from those totals, then works out the amounts it shows for the few rows
# found. A run as of a date keeps the legs dated up to it (each leg carries its asiento's value
# date); a full run (todo = true) folds that condition away when the statement is planned.
_HASTA_EL_CORTE = "(%(todo)s OR l.fecha_valor <= %(corte)s)"
_ASIENTOS_DESCUADRADOS = f"""
    SELECT l.asiento_id, sum(l.debe), sum(l.haber) FROM cuentas_lineaasiento l
     WHERE l.asiento_id IN (SELECT l.asiento_id FROM cuentas_lineaasiento l WHERE {_HASTA_EL_CORTE}
                             GROUP BY l.asiento_id HAVING sum(l.neto_centavos) <> 0)
       AND {_HASTA_EL_CORTE}
     GROUP BY l.asiento_id ORDER BY 1"""
# Cents back to money: an integer times 0.01 is a numeric of scale 2, as the amounts are.
_SALDOS = """
    SELECT o.id, coalesce(l.neto, 0) * 0.01, o.saldo
      FROM cuentas_obligacion o
      LEFT JOIN (SELECT obligacion_id, sum(neto_centavos) AS neto FROM cuentas_lineaasiento
                  WHERE obligacion_id IS NOT NULL GROUP BY obligacion_id) l ON l.obligacion_id = o.id
     WHERE o.saldo <> coalesce(l.neto, 0) * 0.01 ORDER BY o.id"""
_CUENTAS = """
    SELECT c.numero, coalesce(r.neto, 0) * 0.01, coalesce(o.saldo, 0)
      FROM cuentas_cuenta c
      LEFT JOIN (SELECT cuenta_id, sum(neto_centavos) AS neto FROM cuentas_lineaasiento
                  WHERE obligacion_id IS NOT NULL GROUP BY cuenta_id) r ON r.cuenta_id = c.id
      LEFT JOIN (SELECT cuenta_id, sum(saldo) AS saldo FROM cuentas_obligacion GROUP BY cuenta_id) o ON o.cuenta_id = c.id
     WHERE coalesce(r.neto, 0) * 0.01 <> coalesce(o.saldo, 0) ORDER BY c.numero"""
# Each receipt's legs on the bank and "recibos por aplicar" accounts: it entered the bank once, for
# its amount (debits), and what the bank still holds of it (net: a reversed receipt holds nothing) is
# what was applied plus what waits to be applied. Applied is what application asientos debited from
# "por aplicar", net of their reversals (which credit it back): a hashed set of those asientos' ids,
# so the legs need no join with asientos. In cents, bank = waiting + applied is
#     Σ bank (debe − haber) = Σ por aplicar (haber − debe) + Σ por aplicar, applications (debe − haber)
# that is, the bank's legs and the legs on "por aplicar" outside applications net to zero: one total
# per receipt finds the receipts that differ; the four amounts are worked out for those alone.
_APLICACIONES = """
    SELECT id FROM cuentas_asiento WHERE tipo = 'aplicacion'
    UNION ALL
    SELECT r.id FROM cuentas_asiento r JOIN cuentas_asiento a ON a.id = r.reversa_de_id
     WHERE r.tipo = 'reversa' AND a.tipo = 'aplicacion'"""
_LINEAS_DE_RECIBOS = f"""
    FROM cuentas_lineaasiento l
   WHERE l.recibo_id IS NOT NULL AND l.cuenta_contable_codigo IN (%(bancos)s, %(por_aplicar)s) AND {_HASTA_EL_CORTE}"""
_RECIBOS = f"""
    WITH descuadrados AS (
        SELECT r.id FROM cuentas_recibo r
          LEFT JOIN (
            SELECT l.recibo_id,
                   sum(l.neto_centavos) FILTER (WHERE l.cuenta_contable_codigo = %(bancos)s AND l.neto_centavos > 0) AS ingresado,
                   sum(l.neto_centavos) FILTER (WHERE l.cuenta_contable_codigo = %(bancos)s
                                                   OR l.asiento_id NOT IN ({_APLICACIONES})) AS descuadre
              {_LINEAS_DE_RECIBOS}
             GROUP BY l.recibo_id) x ON x.recibo_id = r.id
         WHERE r.fecha_pago <= %(corte)s
           AND (coalesce(x.ingresado, 0) * 0.01 <> r.monto OR coalesce(x.descuadre, 0) <> 0))
    SELECT r.id, r.canal || ' ' || r.referencia, r.monto, coalesce(x.ingresado, 0), coalesce(x.banco, 0),
           coalesce(x.por_aplicar, 0), coalesce(x.aplicado, 0)
      FROM cuentas_recibo r
      LEFT JOIN (
        SELECT l.recibo_id,
               sum(l.debe) FILTER (WHERE l.cuenta_contable_codigo = %(bancos)s) AS ingresado,
               sum(l.debe - l.haber) FILTER (WHERE l.cuenta_contable_codigo = %(bancos)s) AS banco,
               sum(l.haber - l.debe) FILTER (WHERE l.cuenta_contable_codigo = %(por_aplicar)s) AS por_aplicar,
               sum(l.debe - l.haber) FILTER (WHERE l.cuenta_contable_codigo = %(por_aplicar)s
                                                AND l.asiento_id IN ({_APLICACIONES})) AS aplicado
          {_LINEAS_DE_RECIBOS} AND l.recibo_id IN (SELECT id FROM descuadrados)
         GROUP BY l.recibo_id) x ON x.recibo_id = r.id
     WHERE r.id IN (SELECT id FROM descuadrados)
     ORDER BY r.id"""
_MESES_CON_CIFRAS = """
    SELECT min(mes), (max(mes) + interval '1 month')::date FROM cuentas_cifracontrol
     WHERE mes + interval '1 month' <= %(corte)s::date + 1"""
# The subledger's movements by GL account and month, of the legs dated in [desde, hasta) (of the GL
# accounts `cuentas`, or all when NULL): what checks 5 and 6 compare, the CSV offered to Contabilidad
# and the conformación (totales_auxiliar). By day first, the index's order: the month of each day,
# not of each of millions of legs.
_AUXILIAR = """
        SELECT cuenta_contable, date_trunc('month', dia::timestamp)::date AS mes,
               coalesce(sum(debe), 0) * 0.01 AS debe, coalesce(sum(haber), 0) * 0.01 AS haber
          FROM (SELECT l.cuenta_contable_codigo AS cuenta_contable, l.fecha_valor AS dia,
                       sum(l.neto_centavos) FILTER (WHERE l.neto_centavos > 0) AS debe,
                       -sum(l.neto_centavos) FILTER (WHERE l.neto_centavos < 0) AS haber
                  FROM cuentas_lineaasiento l
                 WHERE l.fecha_valor >= %(desde)s AND l.fecha_valor < %(hasta)s
                   AND (%(cuentas)s::varchar[] IS NULL OR l.cuenta_contable_codigo = ANY(%(cuentas)s))
                 GROUP BY 1, 2) por_dia
         GROUP BY 1, 2"""
# The figures in force per source and month (the latest upload that covers the month, and only
# months over by the cut-off date), the GL accounts each source reports, and the subledger's
# movements of those accounts and months (one GROUP BY of the legs), fully outer-joined per source.
# The months' range comes as parameters (_MESES_CON_CIFRAS first) and every GL account is totalled
# (a few groups; the join with what the sources report picks them): the planner then reads the legs
# whole, by their own value date, instead of looking them up by account.
_CONTRA_CIFRAS = f"""
    WITH vigentes AS (
        SELECT c.fuente, f.mes, max(c.id) AS carga_id
          FROM cuentas_cifracontrol f JOIN cuentas_cargacifras c ON c.id = f.carga_id
         WHERE f.mes + interval '1 month' <= %(corte)s::date + 1
         GROUP BY c.fuente, f.mes),
    control AS (
        SELECT v.fuente, f.cuenta_contable, f.mes, f.debe, f.haber
          FROM cuentas_cifracontrol f JOIN vigentes v ON v.carga_id = f.carga_id AND v.mes = f.mes),
    reportadas AS (SELECT DISTINCT fuente, cuenta_contable FROM control),
    auxiliar AS ({_AUXILIAR}),
    esperado AS (  -- per source: every (account it reports, month it sent), with its figures or zero
        SELECT r.fuente, r.cuenta_contable, v.mes, coalesce(c.debe, 0) AS debe, coalesce(c.haber, 0) AS haber
          FROM reportadas r JOIN vigentes v ON v.fuente = r.fuente
          LEFT JOIN control c ON c.fuente = r.fuente AND c.cuenta_contable = r.cuenta_contable AND c.mes = v.mes)
    SELECT e.fuente, e.cuenta_contable, e.mes, e.debe, e.haber, coalesce(x.debe, 0), coalesce(x.haber, 0)
      FROM esperado e LEFT JOIN auxiliar x ON x.cuenta_contable = e.cuenta_contable AND x.mes = e.mes
     WHERE e.debe <> coalesce(x.debe, 0) OR e.haber <> coalesce(x.haber, 0)
     ORDER BY e.fuente, e.mes, e.cuenta_contable"""


# Planner settings per check, for its own transaction. The checks already run side by side (one
# connection each), so none starts parallel workers too, and their hash tables get room in memory.
# Checks 1 and 5-6 total what their index holds in its order (by asiento; by GL account and day) as it
# streams, instead of building a hash table of millions of asientos or hashing every leg's account
# and day (measured alone at bench scale: checks 5-6 in 2.3 s, hashing them took 3.9 s).
# Check 4's receipts come out of their index in receipt order: joined in that order with the
# receipts, not hashed (the planner, misjudging how many receipts have legs, hashed 7.4 M of them
# with BENCH_FULL=1: 23 s instead of 18 s alone).
_SOLO = {"max_parallel_workers_per_gather": "0", "work_mem": "1GB"}
_EN_ORDEN_DEL_INDICE = {**_SOLO, "enable_hashagg": "off", "enable_sort": "off", "enable_seqscan": "off"}
_EN_ORDEN_DE_RECIBO = {**_SOLO, "enable_hashjoin": "off"}


def _en_su_hilo(sql: str, params: dict, ajustes: dict) -> list[tuple]:
    try:
        return filas_de_informe(sql, params, ajustes)
    finally:
        connection.close()  # the thread's own connection


def conciliar(*, fecha: date | None = None) -> list[Diferencia]:
    """All differences in the ledger as of `fecha` (default: everything recorded).

    The checks are independent statements, each consistent in itself (its own snapshot): outside a
    transaction they run at the same time on their own connections, so the wall time is the
    slowest check's, not the sum. Inside one (tests, a caller's transaction) they run in it."""
    corte = min(fecha or date.max, date(9999, 1, 1))
    params = {"corte": corte, "bancos": contabilidad.BANCOS, "por_aplicar": contabilidad.RECIBOS_POR_APLICAR,
              "cuentas": None}
    with connection.cursor() as cursor:
        cursor.execute(_MESES_CON_CIFRAS, params)
        params["desde"], params["hasta"] = cursor.fetchone()
    # The cached saldo is today's: checks 2 and 3 only run against everything recorded.
    todo = params["todo"] = fecha is None
    consultas = [(_ASIENTOS_DESCUADRADOS, _EN_ORDEN_DEL_INDICE), (_SALDOS if todo else None, _SOLO),
                 (_CUENTAS if todo else None, _SOLO), (_RECIBOS, _EN_ORDEN_DE_RECIBO),
                 (_CONTRA_CIFRAS if params["desde"] else None, _EN_ORDEN_DEL_INDICE)]
    if connection.in_atomic_block:
        asientos, saldos, cuentas, recibos, cifras = (filas_de_informe(sql, params, ajustes) if sql else []
                                                      for sql, ajustes in consultas)
    else:
        with ThreadPoolExecutor(max_workers=len(consultas)) as hilos:
            futuros = [hilos.submit(_en_su_hilo, sql, params, ajustes) if sql else None for sql, ajustes in consultas]
            asientos, saldos, cuentas, recibos, cifras = (f.result() if f else [] for f in futuros)
    diferencias = [Diferencia("asiento descuadrado", f"asiento {asiento}", "debe = haber", f"debe {debe}, haber {haber}")
                   for asiento, debe, haber in asientos]
    diferencias += [Diferencia("saldo de obligación", f"obligación {pk}", f"{legs} (líneas)", f"{saldo} (saldo)")
                    for pk, legs, saldo in saldos]
    diferencias += [Diferencia("total de cuenta", f"cuenta {numero}", f"{legs} (libro)", f"{saldo} (obligaciones)")
                    for numero, legs, saldo in cuentas]
    for recibo, referencia, monto, ingresado, banco, por_aplicar, aplicado in recibos:
        diferencias.append(Diferencia("recibo", f"recibo {recibo} ({referencia})",
                                      f"ingresado {monto}; en banco = aplicado + por aplicar",
                                      f"ingresado {ingresado}, en banco {banco}, aplicado {aplicado}, por aplicar {por_aplicar}"))
    for fuente, cuenta, mes, c_debe, c_haber, x_debe, x_haber in cifras:
        nombre = Fuente(fuente).label
        diferencias.append(Diferencia(f"cifras de {nombre}", f"cuenta contable {cuenta} {mes:%Y-%m}",
                                      f"debe {c_debe:.2f}, haber {c_haber:.2f} ({nombre})",
                                      f"debe {x_debe:.2f}, haber {x_haber:.2f} (auxiliar)"))
    return diferencias


# --- the run and its history ------------------------------------------------------------------------

def conciliacion_ejecutar(*, actor=None, fecha: date | None = None) -> tuple[EjecucionConciliacion, list[Diferencia]]:
    """Run every check, record the run and its differences. A difference still open from an earlier
    run is updated, not repeated; a full run (no fecha) closes the open ones it no longer finds."""
    with candado_sesion("conciliacion", "Ya hay una conciliación en curso; espere a que termine."):
        return _ejecutar(actor=actor, fecha=fecha)


def _ejecutar(*, actor, fecha):
    inicio = time.perf_counter()
    ejecucion = EjecucionConciliacion.objects.create(fecha=fecha, actor=actor)
    diferencias = conciliar(fecha=fecha)
    with transaction.atomic():
        abiertas = {d.clave: d for d in DiferenciaConciliacion.objects.select_for_update()
                    .filter(estado=DiferenciaConciliacion.Estado.ABIERTA)}
        nuevas, vistas = [], []
        for d in diferencias:
            fila = abiertas.pop(d.clave, None)
            if fila is None:
                nuevas.append(DiferenciaConciliacion(clave=d.clave, control=d.control, objeto=d.objeto[:200],
                                                     esperado=d.esperado[:200], encontrado=d.encontrado[:200],
                                                     primera_ejecucion=ejecucion, ultima_ejecucion=ejecucion))
            else:
                fila.esperado, fila.encontrado, fila.ultima_ejecucion = d.esperado[:200], d.encontrado[:200], ejecucion
                vistas.append(fila)
        DiferenciaConciliacion.objects.bulk_create(nuevas)
        DiferenciaConciliacion.objects.bulk_update(vistas, ["esperado", "encontrado", "ultima_ejecucion"])
        if fecha is None and abiertas:
            DiferenciaConciliacion.objects.filter(pk__in=[d.pk for d in abiertas.values()]).update(
                estado=DiferenciaConciliacion.Estado.CORREGIDA, ultima_ejecucion=ejecucion)
        ejecucion.diferencias = len(diferencias)
        ejecucion.terminada_en = timezone.now()
        ejecucion.segundos = time.perf_counter() - inicio
        ejecucion.save(update_fields=["diferencias", "terminada_en", "segundos"])
    return ejecucion, diferencias


@transaction.atomic
def diferencia_asignar(*, actor, diferencia: DiferenciaConciliacion, usuario) -> DiferenciaConciliacion:
    diferencia = DiferenciaConciliacion.objects.select_for_update().get(pk=diferencia.pk)
    if diferencia.estado != DiferenciaConciliacion.Estado.ABIERTA:
        raise ErrorDeNegocio("Solo se asignan diferencias abiertas.")
    antes = {"asignada_a": str(diferencia.asignada_a or "")}
    diferencia.asignada_a = usuario
    diferencia.save(update_fields=["asignada_a"])
    auditar(actor=actor, accion="conciliacion.diferencia.asignar", objeto=diferencia, antes=antes,
            despues={"asignada_a": str(usuario)})
    return diferencia


@transaction.atomic
def diferencia_resolver(*, actor, diferencia: DiferenciaConciliacion, nota: str) -> DiferenciaConciliacion:
    diferencia = DiferenciaConciliacion.objects.select_for_update().get(pk=diferencia.pk)
    if diferencia.estado != DiferenciaConciliacion.Estado.ABIERTA:
        raise ErrorDeNegocio("Esta diferencia ya no está abierta.")
    if not nota.strip():
        raise ErrorDeNegocio("Escriba en la nota cómo se explicó o corrigió la diferencia.", campo="nota")
    diferencia.estado = DiferenciaConciliacion.Estado.RESUELTA
    diferencia.nota = nota.strip()
    diferencia.resuelta_por = actor
    diferencia.resuelta_en = timezone.now()
    diferencia.save(update_fields=["estado", "nota", "resuelta_por", "resuelta_en"])
    auditar(actor=actor, accion="conciliacion.diferencia.resolver", objeto=diferencia,
            despues={"nota": diferencia.nota})
    return diferencia


# --- control figures ---------------------------------------------------------------------------------

COLUMNAS_CIFRAS = ["cuenta_contable", "mes", "debe", "haber"]


@transaction.atomic
def cifras_cargar(*, actor, fuente: str, contenido: bytes, nombre_archivo: str) -> CargaCifras:
    """Load a control-figures CSV (all or nothing; errors as `línea N, columna C: mensaje`)."""
    if fuente not in Fuente.values:
        raise ErrorDeNegocio("Fuente desconocida.", campo="fuente")
    v = _Validador()
    cifras, vistas = [], set()
    for linea, fila in _leer(contenido, COLUMNAS_CIFRAS):
        cuenta = fila["cuenta_contable"]
        if not cuenta:
            v.error(linea, "cuenta_contable", "falta la cuenta contable")
        mes = v.periodo(linea, "mes", fila["mes"])
        debe = v.monto(linea, "debe", fila["debe"] or "0")
        haber = v.monto(linea, "haber", fila["haber"] or "0")
        if cuenta and mes:
            if (cuenta, mes) in vistas:
                v.error(linea, "mes", f"la cuenta {cuenta} ya tiene cifras de {mes:%Y-%m} en este archivo")
            vistas.add((cuenta, mes))
        cifras.append(CifraControl(cuenta_contable=cuenta, mes=mes, debe=debe, haber=haber))
    if v.errores:
        raise ErroresDeArchivo(v.errores)
    carga = CargaCifras.objects.create(fuente=fuente, archivo=nombre_archivo[:200], sha256=_sha(contenido),
                                       filas=len(cifras), cargado_por=actor)
    for cifra in cifras:
        cifra.carga = carga
    CifraControl.objects.bulk_create(cifras)
    auditar(actor=actor, accion="conciliacion.cifras.cargar", objeto=carga,
            despues={"fuente": fuente, "archivo": carga.archivo, "filas": carga.filas, "sha256": carga.sha256})
    return carga


def totales_auxiliar(*, desde: date, hasta: date,
                     cuentas: list[str] | None = None) -> list[tuple[str, date, Decimal, Decimal]]:
    """The subledger's movements by GL account and month of the legs dated from `desde` to `hasta`
    (both included), of the GL accounts `cuentas` (default all): the figures checks 5 and 6 compare,
    in the CSV's shape, for Contabilidad."""
    return filas_de_informe(f"{_AUXILIAR} ORDER BY 2, 1",
                            {"desde": desde, "hasta": hasta + timedelta(days=1), "cuentas": cuentas},
                            _EN_ORDEN_DEL_INDICE)
