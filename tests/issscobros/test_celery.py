"""A real task through the real broker (Redis) and a real worker thread: no eager mode."""
import pytest
from celery.contrib.testing.worker import start_worker

from issscobros.celery import app
from issscobros.tasks import ping


@pytest.mark.django_db(transaction=True)
def test_tarea_ida_y_vuelta_por_redis():
    assert not app.conf.task_always_eager
    assert app.conf.broker_url.startswith("redis://")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        resultado = ping.delay().get(timeout=30)
    assert resultado["pong"] is True and resultado["db_now"]
