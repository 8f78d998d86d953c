"""How the registry is searched: one function so the list page, the bench and later lookups agree."""
import re
import unicodedata

from django.contrib.postgres.search import SearchQuery
from django.db.models import QuerySet

from .identificadores import solo_digitos

_NO_PALABRA = re.compile(r"[^\w]+")


def normalizar(texto: str) -> str:
    """Lower case without accents: 'Peña Hernández' -> 'pena hernandez'."""
    sin_acentos = unicodedata.normalize("NFKD", texto or "").encode("ascii", "ignore").decode("ascii")
    return " ".join(_NO_PALABRA.sub(" ", sin_acentos.lower()).split())


def filtrar(qs: QuerySet, texto: str) -> QuerySet:
    """Digits: prefix of NIT, DUI or número patronal. Words: every word as a prefix of a word of the
    name or trade name (full-text index), so 'tex san' finds 'Textiles San Miguel'."""
    texto = (texto or "").strip()
    if not texto:
        return qs
    from .models import Cuenta, Deudor

    digitos = solo_digitos(texto)
    if digitos.isdigit():
        # A UNION of three prefix-index scans: an OR with EXISTS forces a scan of every deudor.
        ids = (
            Deudor.objects.filter(nit__startswith=digitos).order_by().values("pk")
            .union(Deudor.objects.filter(dui__startswith=digitos).order_by().values("pk"),
                   Cuenta.objects.filter(numero__startswith=digitos).order_by().values("deudor_id"), all=True)
        )
        return qs.filter(pk__in=ids)
    palabras = normalizar(texto).split()
    if not palabras:
        return qs.none()
    consulta = " & ".join(f"{p}:*" for p in palabras)
    return qs.filter(busqueda=SearchQuery(consulta, search_type="raw", config="simple"))
