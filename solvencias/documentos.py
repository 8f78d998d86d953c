"""The printed certificate: its verification URL, the QR code that carries it, and the PDF of what is
owed when a NIT is not solvent.

The URL printed and encoded in the QR is absolute: `settings.URL_PUBLICA` (the address the public
reaches, e.g. https://cobros.isss.gob.sv) when set; otherwise the address of the request that issued
it; otherwise http://127.0.0.1:8000 (a batch run by Celery has no request)."""
import segno
from django.conf import settings
from django.urls import reverse

from issscobros.pdf import pdf_renderizar

URL_POR_DEFECTO = "http://127.0.0.1:8000"


def url_base(request=None) -> str:
    configurada = getattr(settings, "URL_PUBLICA", "")
    if configurada:
        return configurada.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return URL_POR_DEFECTO


def url_verificacion(base: str, codigo: str) -> str:
    return f"{(base or URL_POR_DEFECTO).rstrip('/')}{reverse('verificar_codigo', args=[codigo])}"


def qr_data_uri(texto: str) -> str:
    # Error correction M and the standard 4-module quiet zone: readable from a photocopy.
    return segno.make(texto, error="m").svg_data_uri(scale=4, border=4)


def motivos_pdf(*, evaluacion, actor) -> bytes:
    """What the employer owes, to take away and pay. Informative: it certifies nothing, so it is not
    numbered in the document register."""
    return pdf_renderizar("impresos/solvencia_motivos.html", {"ev": evaluacion, "emitido_por": actor})
