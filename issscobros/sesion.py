"""Sessions end after SESSION_COOKIE_AGE without activity, renewed at most once a minute.

Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) cost each page an UPDATE and a
commit, and requests of one user waited on each other's row lock. Renewing when the last renewal is a
minute old or more keeps the idle expiry within a minute of 30 minutes for a fraction of the writes."""
import time

RENOVACION_SEGUNDOS = 60
CLAVE = "_renovada"


class RenovarSesionMiddleware:
    """After AuthenticationMiddleware: touches the session of a signed-in user whose last renewal
    is RENOVACION_SEGUNDOS old, so SessionMiddleware saves it with a new expiry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            ahora = int(time.time())
            if ahora - request.session.get(CLAVE, 0) >= RENOVACION_SEGUNDOS:
                request.session[CLAVE] = ahora
        return self.get_response(request)
