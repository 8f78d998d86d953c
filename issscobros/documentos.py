"""Issuing a document: take the next number of its series, render it with that number and a
verification code, store its bytes and hash, audit. The builders of each document (which data, which
template) live with their app (cuentas.documentos, solvencias…); this is the one way to issue."""
import hashlib
import secrets
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from .auditoria import auditar
from .models import Documento, SerieDocumento
from .pdf import pdf_renderizar

_BASE32 = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by hand


def codigo_verificacion() -> str:
    """26 characters of a 32-letter alphabet: 130 bits of randomness, not enumerable."""
    return "".join(secrets.choice(_BASE32) for _ in range(26))


def _siguiente_numero(tipo: str, anio: int) -> int:
    # Create the series row if needed without racing, then lock it: concurrent issuers queue here,
    # and a rolled-back issue gives its number back (no gaps).
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO issscobros_seriedocumento (tipo, anio, ultimo) VALUES (%s, %s, 0) "
            "ON CONFLICT (tipo, anio) DO NOTHING", [tipo, anio])
    serie = SerieDocumento.objects.select_for_update().get(tipo=tipo, anio=anio)
    serie.ultimo += 1
    serie.save(update_fields=["ultimo"])
    return serie.ultimo


@transaction.atomic
def documento_emitir(*, actor, tipo: str, plantilla: str, contexto: dict, datos: dict, referencia: str = "",
                     anio: int | None = None) -> Documento:
    ahora = timezone.now()
    anio = anio or timezone.localdate(ahora).year
    documento = Documento(tipo=tipo, anio=anio, numero=_siguiente_numero(tipo, anio), codigo=codigo_verificacion(),
                          referencia=referencia[:60], emitido_por=actor, emitido_en=ahora, datos=datos)
    pdf = pdf_renderizar(plantilla, {**contexto, "documento": documento, "emitido_por": actor})
    documento.pdf = pdf
    documento.sha256 = hashlib.sha256(pdf).hexdigest()
    documento.save()
    auditar(actor=actor, accion=f"documento.emitir.{tipo}", objeto=documento,
            despues={"folio": documento.folio, "referencia": referencia, "sha256": documento.sha256})
    return documento


def hoy() -> date:
    return timezone.localdate()
