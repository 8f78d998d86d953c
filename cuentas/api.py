"""JSON API of the ledger (CONTRACTS §7)."""
from datetime import date

from django.http import JsonResponse

from issscobros.api import api_token_requerido, error

from . import selectors
from .estado import cuenta_estado


def _dinero(valor) -> str:
    return f"{valor:.2f}"


@api_token_requerido
def cuenta_estado_api(request, numero_patronal: str):
    try:
        fecha = date.fromisoformat(request.GET["fecha"]) if request.GET.get("fecha") else date.today()
    except ValueError:
        return error("fecha debe ser AAAA-MM-DD.", 400)
    if not request.user.has_perm("cuentas.view_cuenta"):
        return error("Su usuario no puede consultar estados de cuenta.", 403)
    cuenta = selectors.cuenta_por_numero(numero=numero_patronal)
    if cuenta is None:
        return error("Número patronal no encontrado.", 404)
    if not selectors.cuentas_para_usuario(user=request.user).filter(pk=cuenta.pk).exists():
        return error("No tiene acceso a esta cuenta.", 403)
    estado = cuenta_estado(cuenta=cuenta, fecha=fecha, con_pagos=False)
    return JsonResponse({
        "numero_patronal": cuenta.numero,
        "nit": cuenta.deudor.nit_formateado or cuenta.deudor.dui_formateado,
        "fecha": fecha.isoformat(),
        "obligaciones": [{
            "concepto": l.obligacion.concepto,
            "periodo": f"{l.obligacion.periodo:%Y-%m}" if l.obligacion.periodo else None,
            "vencimiento": l.obligacion.vencimiento.isoformat(),
            "monto": _dinero(l.obligacion.monto),
            "saldo": _dinero(l.saldo),
        } for l in estado.lineas],
        "recargos_a_la_fecha": _dinero(estado.recargos_a_la_fecha),
        "saldo_total": _dinero(estado.saldo_total),
    }, json_dumps_params={"ensure_ascii": False})
