"""Small pieces every app's views share."""
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator

from .errores import ErrorDeNegocio

POR_PAGINA = 25


def paginar(request, qs, por_pagina: int = POR_PAGINA, parametro: str = "page"):
    """One page of `qs`; `parametro` names the page in the query string (a screen with two lists)."""
    return Paginator(qs, por_pagina).get_page(request.GET.get(parametro))


def error_a_formulario(form, exc: Exception) -> None:
    """Show a service's refusal on the form: on its field when it names one."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            for campo, errores in exc.error_dict.items():
                form.add_error(campo if campo in form.fields else None, errores)
        else:
            form.add_error(None, exc)
    elif isinstance(exc, ErrorDeNegocio):
        form.add_error(exc.campo if exc.campo in form.fields else None, exc.mensaje)
    else:
        raise exc


def querystring_sin_pagina(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
