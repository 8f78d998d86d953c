"""PostgreSQL advisory locks named by text (hashtext -> a 32-bit key in the 'issscobros' space).

`candado_transaccion` serialises short check-then-write sections (released at commit);
`candado_sesion` is held while one long piece of work runs outside a single transaction and is
refused at once, with a Spanish message, when someone else holds it."""
from contextlib import contextmanager

from django.db import connection

from issscobros.errores import ErrorDeNegocio

_ESPACIO = 7305  # first key of the pair: keeps our locks apart from any other user of advisory locks


def candado_transaccion(nombre: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [_ESPACIO, nombre])


@contextmanager
def candado_sesion(nombre: str, mensaje: str):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))", [_ESPACIO, nombre])
        if not cursor.fetchone()[0]:
            raise ErrorDeNegocio(mensaje)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", [_ESPACIO, nombre])
