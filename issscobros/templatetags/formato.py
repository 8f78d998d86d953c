"""Salvadoran display of money, dates and identifiers in templates: {{ monto|dinero }},
{{ dia|fecha }} (dd/mm/aaaa), {{ periodo|periodo }} (aaaa-mm), {{ nit|nit }}.

`fecha` and `periodo` give what `|date:"d/m/Y"` and `|date:"Y-m"` give, without the localisation
machinery of `date` (a tenth of the time: statements and certifications print hundreds of them)."""
from functools import cache

from django import template
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from cuentas.identificadores import dui_formatear, nit_formatear
from issscobros.money import formato_dinero

register = template.Library()


@register.filter
def dinero(valor):
    return formato_dinero(valor)


@register.filter
def fecha(valor):
    return valor.strftime("%d/%m/%Y") if valor else ""


@register.filter
def periodo(valor):
    return valor.strftime("%Y-%m") if valor else ""


@register.filter
def nit(valor):
    return nit_formatear(valor)


@register.filter
def dui(valor):
    return dui_formatear(valor)


@register.filter
def nombre_rol(grupo):
    from issscobros.roles import NOMBRES

    return NOMBRES.get(grupo, grupo)


@register.filter
def concepto(codigo):
    from cuentas.models import Concepto

    try:
        return Concepto(codigo).label
    except ValueError:
        return codigo


@register.simple_tag(takes_context=True)
def url_pagina(context, numero, parametro=""):
    """Link to page `numero` keeping the current filters. With `parametro` (a screen with two lists),
    that list's page changes and the other's stays."""
    if parametro and "request" in context:
        params = context["request"].GET.copy()
        params[parametro] = numero
        return f"?{params.urlencode()}"
    base = context.get("qs_sin_pagina", "")
    return f"?{base}&page={numero}" if base else f"?page={numero}"


@register.simple_tag
def url_de_id(nombre: str, pk) -> str:
    """{% url nombre pk %} for a route that ends in the object's id: reversed once per route, not
    once per row (a 120-month statement links dozens of planillas on each page)."""
    return f"{_prefijo(nombre)}{pk}/"


@cache
def _prefijo(nombre: str) -> str:
    ruta = reverse(nombre, args=[0])
    if not ruta.endswith("/0/"):
        raise ImproperlyConfigured(f"La ruta {nombre} no termina en el id: use {{% url %}}.")
    return ruta[:-2]
