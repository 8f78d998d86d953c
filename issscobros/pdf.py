"""HTML templates to PDF with WeasyPrint. Only the project's own static files may be loaded (fonts,
logo, print CSS): the institution's network is closed and a document must not depend on the web.

Every document gets the print CSS (css/documento.css) from here, not from a <link> in its template:
it is parsed once per thread with its fonts, and the letterhead image is decoded once, so a warm
worker only lays out and writes the document itself."""
import os
import threading
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from .recolector import sin_recolector

_BASE = "file:///"
HOJA = "css/documento.css"
AGENTE = "css/agente.css"


def _url_estatica(ruta: str) -> str:
    return f"{_BASE}{settings.STATIC_URL.lstrip('/')}{ruta}"  # what {% static %} gives, under _BASE


class FetcherLocal(URLFetcher):
    """Serves /static/… from the staticfiles finders; refuses anything else. A resource that fails
    stops the rendering: a certificate must not be issued without its fonts or letterhead."""

    def __init__(self):
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)

    def fetch(self, url, headers=None):
        prefijo = _url_estatica("")
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


# The user-agent sheet: ours (css/agente.css), WeasyPrint's HTML defaults for the elements our
# documents use. WeasyPrint's own sheet has some 190 rules (forms, footnotes, notes, bidi, a ::marker
# on every element) that the cascade tried on every table cell. Its counter styles (list markers)
# stay WeasyPrint's own: a fresh CounterStyle only keeps this sheet from redefining them.
@cache
def _agente() -> CSS:
    return CSS(filename=finders.find(AGENTE), counter_style=CounterStyle())


class _HTML(HTML):
    def _ua_stylesheets(self, forms=False):
        return [_agente()]


class _Recursos:
    """What the renders of one thread share. Pango and fontconfig objects are not thread-safe, hence
    one per thread; WeasyPrint documents reusing a FontConfiguration, a parsed CSS and the image
    cache across renders."""

    def __init__(self):
        self.pid = os.getpid()
        self.fetcher = FetcherLocal()
        self.fuentes = FontConfiguration()  # @font-face files fetched and registered once
        self.hoja = CSS(url=_url_estatica(HOJA), url_fetcher=self.fetcher, font_config=self.fuentes)
        self.imagenes = {}  # static images only: a QR code (data: URI) is new in every document


_hilo = threading.local()


def _recursos() -> _Recursos:
    recursos = getattr(_hilo, "recursos", None)
    if recursos is None or recursos.pid != os.getpid():
        if recursos is not None:
            # Inherited through fork (prefork workers): its temporary fonts folder is the parent's.
            recursos.fuentes._folder = None
        recursos = _hilo.recursos = _Recursos()
    return recursos


def pdf_renderizar(plantilla: str, contexto: dict) -> bytes:
    html = render_to_string(plantilla, contexto)
    recursos = _recursos()
    imagenes = dict(recursos.imagenes)
    # A long statement's boxes made full collections a fifth of its time.
    with sin_recolector():
        pdf = _HTML(string=html, base_url=_BASE, url_fetcher=recursos.fetcher).write_pdf(
            stylesheets=[recursos.hoja], font_config=recursos.fuentes, cache=imagenes)
    estaticas = _url_estatica("")
    recursos.imagenes.update((url, imagen) for url, imagen in imagenes.items()
                             if imagen is not None and isinstance(url, str) and url.startswith(estaticas))
    return pdf
