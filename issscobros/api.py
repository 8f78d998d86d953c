"""Token authentication for the JSON API (CONTRACTS §7): header `Authorization: Token <t>`.
No session, no CSRF: the callers are customs and procurement systems, not browsers."""
import functools
import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from .models import TokenApi

USO_RESOLUCION = timedelta(minutes=1)


def token_crear(*, usuario) -> str:
    """A new token for the user (older ones stay valid until deactivated); returns the token once."""
    token = secrets.token_urlsafe(32)
    TokenApi.objects.create(usuario=usuario, clave_sha256=hashlib.sha256(token.encode()).hexdigest(), prefijo=token[:8])
    return token


def _usuario_del_token(request):
    cabecera = request.headers.get("Authorization", "")
    tipo, _, token = cabecera.partition(" ")
    if tipo != "Token" or not token.strip():
        return None
    fila = (TokenApi.objects.select_related("usuario")
            .filter(clave_sha256=hashlib.sha256(token.strip().encode()).hexdigest(), activo=True, usuario__is_active=True)
            .first())
    if fila is None:
        return None
    ahora = timezone.now()
    # Last use to the minute is enough to spot idle tokens; writing it on every call would turn each
    # read of the API into a write (a row version and a WAL flush per request).
    if fila.ultimo_uso is None or ahora - fila.ultimo_uso >= USO_RESOLUCION:
        TokenApi.objects.filter(pk=fila.pk).update(ultimo_uso=ahora)
    return fila.usuario


def error(mensaje: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": mensaje}, status=status, json_dumps_params={"ensure_ascii": False})


def api_token_requerido(vista):
    @login_not_required
    @csrf_exempt
    @functools.wraps(vista)
    def envoltura(request, *args, **kwargs):
        if request.method != "GET":
            return error("Método no permitido.", 405)
        usuario = _usuario_del_token(request)
        if usuario is None:
            respuesta = error("Token ausente o no válido.", 401)
            respuesta["WWW-Authenticate"] = "Token"
            return respuesta
        request.user = usuario
        return vista(request, *args, **kwargs)
    return envoltura
