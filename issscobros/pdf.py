"""HTML templates to PDF with WeasyPrint. Only the project's own static files may be loaded (fonts,
logo, print CSS): the institution's network is closed and a document must not depend on the web."""
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

_BASE = "file:///"


class FetcherLocal(URLFetcher):
    """Serves /static/… from the staticfiles finders; refuses anything else. A resource that fails
    stops the rendering: a certificate must not be issued without its fonts or letterhead."""

    def __init__(self):
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)

    def fetch(self, url, headers=None):
        prefijo = f"{_BASE}{settings.STATIC_URL.lstrip('/')}"  # {% static %} gives /static/…
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if not url.startswith(prefijo):
            raise ValueError(f"Recurso externo no permitido en un documento: {url}")
        ruta = finders.find(url[len(prefijo):])
        if not ruta:
            raise ValueError(f"Archivo estático inexistente: {url}")
        respuesta = super().fetch(Path(ruta).as_uri(), headers)
        respuesta.url = url  # relative references (fonts in the CSS) stay under /static/
        return respuesta


def pdf_renderizar(plantilla: str, contexto: dict) -> bytes:
    html = render_to_string(plantilla, contexto)
    return HTML(string=html, base_url=_BASE, url_fetcher=FetcherLocal()).write_pdf()
