"""{% url_verificacion base codigo as url %} and {{ url|qr }}: the QR printed on every certificate."""
from django import template

from ..models import codigo_agrupar
from ..documentos import qr_data_uri, url_verificacion as _url_verificacion

register = template.Library()


@register.simple_tag
def url_verificacion(base, codigo):
    return _url_verificacion(base, codigo)


@register.filter
def qr(texto):
    return qr_data_uri(texto)


@register.filter
def agrupado(codigo):
    return codigo_agrupar(codigo)
