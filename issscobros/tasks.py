import logging

from celery import shared_task
from django.db import connection

logger = logging.getLogger(__name__)


@shared_task(name="issscobros.ping")
def ping() -> dict:
    """Proves the worker is alive and reaches the database (used by tests and by operators)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        ahora = cursor.fetchone()[0]
    return {"pong": True, "db_now": ahora.isoformat()}


# Limits of one chunk (20 statements take ~5 s; a reconciliation at full scale, minutes). The soft
# limit raises inside the task so it re-queues its chunk cleanly; the hard limit kills a stuck child.
TROZO_LIMITE_SUAVE = 25 * 60
TROZO_LIMITE_DURO = 30 * 60


@shared_task(name="issscobros.proceso_trozo", bind=True, max_retries=5,
             soft_time_limit=TROZO_LIMITE_SUAVE, time_limit=TROZO_LIMITE_DURO)
def proceso_trozo(self, proceso_id: int, intento: int, indice: int) -> None:
    """One chunk of a Proceso (issscobros.procesos.servicios.trozo_ejecutar): idempotent."""
    from celery.exceptions import SoftTimeLimitExceeded

    from .procesos.servicios import trozo_ejecutar

    try:
        trozo_ejecutar(proceso_id=proceso_id, intento=intento, indice=indice)
    except SoftTimeLimitExceeded:
        raise self.retry(countdown=5)  # what was done is kept; the rest of the chunk goes on


@shared_task(name="issscobros.proceso_programado")
def proceso_programado(tipo: str, programacion: str = "", parametros: dict | None = None) -> dict:
    """What a schedule (django-celery-beat) runs: start a Proceso of `tipo` as the schedule."""
    from .errores import ErrorDeNegocio
    from .procesos.servicios import proceso_iniciar

    try:
        proceso = proceso_iniciar(actor=None, tipo=tipo, parametros=parametros or {}, programacion=programacion or tipo)
    except ErrorDeNegocio as exc:  # e.g. last night's run is still going: this one is skipped, and said so
        logger.warning("programación %s no inició %s: %s", programacion, tipo, exc.mensaje)
        return {"iniciado": False, "motivo": exc.mensaje}
    return {"iniciado": True, "proceso": proceso.pk}
