"""Portfolio generation: every deudor with an obligation overdue more than `mora_dias_apertura` days
(parameter, R14) gets an open case if it has none, assigned within its sucursal to the active gestor
with the fewest open cases.

Idempotent: deudores that have an open case are skipped, and the partial UNIQUE index
`caso_un_abierto_por_deudor` backs that up; runs are serialised by a transaction-level advisory lock,
so the nightly task and the on-demand button never open a case twice. Set-based: one query finds the
deudores, one INSERT ... SELECT per history table writes the rest (50,000 employers in seconds)."""
import heapq
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from cuentas.reglas import Reglas
from issscobros import roles
from issscobros.auditoria import auditar

from .models import CasoCobro

BLOQUEO = 640_001  # pg advisory lock key of this job
MOTIVO = "Generación de cartera: obligación vencida hace más de {dias} días."


@dataclass
class ResultadoGeneracion:
    fecha: date
    dias: int
    abiertos: int
    sin_gestor: int


def _gestores_por_sucursal(sucursal_ids) -> dict[int, list[tuple[int, int]]]:
    """{sucursal: [(open cases, gestor id), ...]} of the active gestores of those sucursales."""
    Usuario = get_user_model()
    abiertos = ~Q(casos__estado__in=CasoCobro.TERMINALES)
    filas = (Usuario.objects.filter(is_active=True, groups__name=roles.GESTOR, sucursal_id__in=sucursal_ids)
             .annotate(carga=Count("casos", filter=abiertos)).values_list("sucursal_id", "carga", "pk"))
    resultado: dict[int, list[tuple[int, int]]] = {}
    for sucursal_id, carga, pk in filas:
        resultado.setdefault(sucursal_id, []).append((carga, pk))
    return resultado


def _repartir(deudores: list[tuple[int, int]]) -> list[tuple[int, int, int | None]]:
    """[(deudor, sucursal)] -> [(deudor, sucursal, gestor)]: each new case to the least-loaded gestor
    of its sucursal (ties: lowest id, so a run is deterministic)."""
    cargas = _gestores_por_sucursal({s for _, s in deudores})
    for monticulo in cargas.values():
        heapq.heapify(monticulo)
    repartidos = []
    for deudor_id, sucursal_id in deudores:
        monticulo = cargas.get(sucursal_id)
        if not monticulo:
            repartidos.append((deudor_id, sucursal_id, None))
            continue
        carga, gestor_id = heapq.heappop(monticulo)
        heapq.heappush(monticulo, (carga + 1, gestor_id))
        repartidos.append((deudor_id, sucursal_id, gestor_id))
    return repartidos


@transaction.atomic
def cartera_generar(*, actor=None, fecha: date | None = None) -> ResultadoGeneracion:
    """Open the missing cases as of `fecha` (default today). `actor` None: the nightly schedule."""
    fecha = fecha or timezone.localdate()
    dias = int(Reglas.cargar().valor("mora_dias_apertura", fecha))
    corte = fecha - timedelta(days=dias)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [BLOQUEO])
        cursor.execute("""
            SELECT d.id, d.sucursal_id FROM cuentas_deudor d
            WHERE d.activo AND EXISTS (
                SELECT 1 FROM cuentas_cuenta c JOIN cuentas_obligacion o ON o.cuenta_id = c.id
                WHERE c.deudor_id = d.id AND o.saldo > 0 AND o.vencimiento < %s)
              AND NOT EXISTS (
                SELECT 1 FROM mora_casocobro k WHERE k.deudor_id = d.id AND k.estado <> ALL(%s))
            ORDER BY d.sucursal_id, d.id""", [corte, list(CasoCobro.TERMINALES)])
        deudores = cursor.fetchall()
    repartidos = _repartir(deudores)
    if repartidos:
        _insertar(repartidos, fecha=fecha, actor=actor, motivo=MOTIVO.format(dias=dias))
    resultado = ResultadoGeneracion(fecha=fecha, dias=dias, abiertos=len(repartidos),
                                    sin_gestor=sum(1 for r in repartidos if r[2] is None))
    auditar(actor=actor, accion="cartera.generar", despues={
        "fecha": fecha.isoformat(), "dias": dias, "abiertos": resultado.abiertos, "sin_gestor": resultado.sin_gestor})
    return resultado


def _insertar(repartidos, *, fecha: date, actor, motivo: str) -> None:
    """One INSERT of the cases from arrays, and the first line of each history from its RETURNING."""
    actor_id = actor.pk if actor is not None else None
    deudor_ids, sucursal_ids, gestor_ids = (list(c) for c in zip(*repartidos))
    with connection.cursor() as cursor:
        cursor.execute("""
            WITH nuevos AS (
                INSERT INTO mora_casocobro (deudor_id, sucursal_id, gestor_id, estado, abierto_en,
                                            propuesto_juridico_motivo, creado_por_id, creado_en,
                                            actualizado_por_id, actualizado_en)
                SELECT x.deudor_id, x.sucursal_id, x.gestor_id, 'asignado', %(fecha)s, '', %(actor)s, now(),
                       %(actor)s, now()
                FROM unnest(%(deudores)s::bigint[], %(sucursales)s::bigint[], %(gestores)s::bigint[])
                     AS x(deudor_id, sucursal_id, gestor_id)
                RETURNING id, gestor_id
            ), estados AS (
                INSERT INTO mora_cambioestadocaso (caso_id, estado_anterior, estado_nuevo, motivo, actor_id, momento)
                SELECT id, '', 'asignado', %(motivo)s, %(actor)s, now() FROM nuevos
            )
            INSERT INTO mora_asignacioncaso (caso_id, gestor_nuevo_id, motivo, actor_id, momento)
            SELECT id, gestor_id, %(motivo)s, %(actor)s, now() FROM nuevos WHERE gestor_id IS NOT NULL
        """, {"fecha": fecha, "actor": actor_id, "motivo": motivo, "deudores": deudor_ids,
              "sucursales": sucursal_ids, "gestores": gestor_ids})
