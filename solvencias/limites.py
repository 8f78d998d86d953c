"""Rate limit of the public verification page, per IP, on the shared Redis cache (`limites`), so it holds
across every web process and server.

Only wrong codes count (a customs office behind one NAT address verifies many good certificates): after
FALLOS_MAXIMOS misses within VENTANA seconds of the first, the IP is refused (429) until the window
ends. Codes carry 130 random bits, so this is a second wall, not the first: if Redis does not answer,
the page keeps working (and says so in the log) rather than failing every honest check."""
import logging

from django.conf import settings
from django.core.cache import caches

FALLOS_MAXIMOS = getattr(settings, "VERIFICACION_FALLOS_MAXIMOS", 20)
VENTANA = getattr(settings, "VERIFICACION_VENTANA_SEGUNDOS", 600)
ALIAS = "limites" if "limites" in settings.CACHES else "default"

log = logging.getLogger(__name__)


def _clave(ip: str) -> str:
    return f"solvencias:verificar:fallos:{ip}"


def bloqueada(ip: str) -> bool:
    try:
        return (caches[ALIAS].get(_clave(ip)) or 0) >= FALLOS_MAXIMOS
    except Exception:  # noqa: BLE001 - the cache is down: see the module docstring
        log.warning("límite de verificaciones sin caché: se omite para %s", ip, exc_info=True)
        return False


def fallo_registrar(ip: str) -> int:
    """Count a miss; returns how many this IP has in its window (the window starts at the first)."""
    cache = caches[ALIAS]
    try:
        cache.add(_clave(ip), 0, VENTANA)
        return cache.incr(_clave(ip))
    except ValueError:  # expired between add and incr
        cache.set(_clave(ip), 1, VENTANA)
        return 1
    except Exception:  # noqa: BLE001
        log.warning("límite de verificaciones sin caché: no se contó el fallo de %s", ip, exc_info=True)
        return 0


def reiniciar(ip: str) -> None:
    caches[ALIAS].delete(_clave(ip))
