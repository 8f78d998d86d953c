"""Celery: the monthly electronic solvencies of Zona Franca / DPA employers (R12). Takes ids, calls the
same service the window's button calls; safe to run twice (the service is idempotent per deudor and
month). The generic job runner (issscobros.procesos) drives the same service with progress."""
from datetime import date

from celery import shared_task

from issscobros.errores import ErrorDeNegocio


@shared_task(name="solvencias.electronicas_emitir")
def solvencias_electronicas_emitir(*, mes: str, actor_id: int, deudor_ids: list[int] | None = None,
                                   url_base: str | None = None) -> dict:
    """mes: 'AAAA-MM' (the month certified). Returns {emitidas, no_solventes, errores: [(id, mensaje)]}."""
    from issscobros.models import Usuario

    from .selectors import deudores_para_lote_electronico
    from .services import NoSolvente, solvencia_electronica_emitir

    anio, numero = (int(p) for p in mes.split("-"))
    actor = Usuario.objects.get(pk=actor_id)
    resultado = {"emitidas": 0, "no_solventes": 0, "errores": []}
    for deudor_id in deudor_ids if deudor_ids is not None else deudores_para_lote_electronico():
        try:
            solvencia_electronica_emitir(actor=actor, deudor_id=deudor_id, mes=date(anio, numero, 1), url_base=url_base)
            resultado["emitidas"] += 1
        except NoSolvente:
            resultado["no_solventes"] += 1
        except ErrorDeNegocio as exc:
            resultado["errores"].append((deudor_id, exc.mensaje))
    return resultado
