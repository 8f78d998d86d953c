from celery import shared_task
from django.db import connection


@shared_task(name="issscobros.ping")
def ping() -> dict:
    """Proves the worker is alive and reaches the database (used by tests and by operators)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        ahora = cursor.fetchone()[0]
    return {"pong": True, "db_now": ahora.isoformat()}
