"""Token authentication of the JSON API: unknown tokens are refused; the last use is kept to the minute."""
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from issscobros import roles
from issscobros.api import USO_RESOLUCION, token_crear
from issscobros.models import TokenApi


def _pedir(client, token):
    return client.get(reverse("api_cuenta_estado", args=["999999999"]), HTTP_AUTHORIZATION=f"Token {token}")


def test_token_desconocido_401(client, db):
    respuesta = _pedir(client, "no-existe")
    assert respuesta.status_code == 401
    assert respuesta["WWW-Authenticate"] == "Token"


def test_ultimo_uso_se_registra_sin_escribir_en_cada_peticion(client, usuarios):
    token = token_crear(usuario=usuarios[roles.TECNICO])
    fila = TokenApi.objects.get()
    assert fila.ultimo_uso is None
    assert _pedir(client, token).status_code == 404  # authenticated: the número does not exist
    primero = TokenApi.objects.get().ultimo_uso
    assert primero is not None
    _pedir(client, token)
    assert TokenApi.objects.get().ultimo_uso == primero  # within the minute: no write
    TokenApi.objects.filter(pk=fila.pk).update(ultimo_uso=primero - USO_RESOLUCION - timedelta(seconds=1))
    _pedir(client, token)
    assert TokenApi.objects.get().ultimo_uso > primero - timedelta(seconds=1)
    assert TokenApi.objects.get().ultimo_uso <= timezone.now()
