import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_sin_sesion_responde_ok(client):
    respuesta = client.get(reverse("healthz"))
    assert respuesta.status_code == 200
    assert json.loads(respuesta.content) == {"db": "ok", "redis": "ok"}


def test_healthz_dice_que_fallo_redis(client, settings):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        puerto = s.getsockname()[1]
    settings.REDIS_URL = f"redis://127.0.0.1:{puerto}/0"
    respuesta = client.get(reverse("healthz"))
    assert respuesta.status_code == 503
    cuerpo = json.loads(respuesta.content)
    assert cuerpo["db"] == "ok" and cuerpo["redis"].startswith("error")
