"""GET /api/v1/solvencias/?nit= (CONTRACTS §7), for customs and procurement systems: is this NIT
solvent now, why not, the last period paid and, when one is valid, the certificate's code and
validity. Every query is logged with who asked and the answer given."""
from django.http import JsonResponse

from cuentas.identificadores import nit_formatear, solo_digitos
from issscobros.api import api_token_requerido

from . import selectors
from .elegibilidad import evaluar
from .services import consulta_api_registrar


def _responder(request, nit: str, datos: dict, status: int = 200) -> JsonResponse:
    consulta_api_registrar(usuario=request.user, nit=nit, estado_http=status, respuesta=datos)
    return JsonResponse(datos, status=status, json_dumps_params={"ensure_ascii": False})


@api_token_requerido
def solvencias_api(request):
    nit = solo_digitos(request.GET.get("nit", ""))
    if not request.user.has_perm("solvencias.view_solvencia"):
        return _responder(request, nit, {"detail": "Su usuario no puede consultar solvencias."}, 403)
    if not nit:
        return _responder(request, nit, {"detail": "Indique el NIT: ?nit=####-######-###-#."}, 400)
    ident = selectors.identificar(user=request.user, texto=nit)
    if ident.error and len(nit) == 14:
        return _responder(request, nit, {"detail": ident.error}, 400)
    ev = evaluar(deudor=ident.deudor, nit=ident.nit or nit)
    datos = {
        "nit": nit_formatear(ev.nit) or ev.nit,
        "solvente": ev.inscrito and ev.solvente,
        "inscrito": ev.inscrito,
        "motivos": [m.texto for m in ev.motivos] if ev.inscrito else
                   ["El NIT no está inscrito como patrono: corresponde constancia de no inscrito."],
        "detalle": [m.foto() for m in ev.motivos],
        "ultimo_periodo_pagado": f"{ev.ultimo_periodo_pagado:%Y-%m}" if ev.ultimo_periodo_pagado else None,
    }
    vigente = selectors.solvencia_vigente(nit=ev.nit) if datos["solvente"] else None
    if vigente is not None:
        datos.update(codigo=vigente.codigo, valida_hasta=vigente.valida_hasta.isoformat(), folio=vigente.folio)
    return _responder(request, ev.nit or nit, datos)
