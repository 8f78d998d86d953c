"""The electronic solvencias batch (Zona Franca / DPA, R12) as a job type: the solvencias app's
selector and idempotent service (solvencias.services.solvencia_electronica_emitir), one deudor per
item. An employer that is not solvent is an outcome, not an error: the item is done without a
document (a later run, once they pay, issues it)."""
from datetime import date


def _mes(parametros) -> date:
    from solvencias.services import mes_anterior

    return date.fromisoformat(parametros["mes"] + "-01") if parametros.get("mes") else mes_anterior()


def seleccionar(*, actor, parametros) -> list[int]:
    from solvencias.selectors import deudores_para_lote_electronico

    return deudores_para_lote_electronico()


def por_item(*, actor, item, parametros) -> dict:
    from solvencias.services import NoSolvente, solvencia_electronica_emitir

    try:
        solvencia = solvencia_electronica_emitir(actor=actor, deudor_id=item, mes=_mes(parametros))
    except NoSolvente:
        return {"no_solvente": True}
    return {"documento_id": solvencia.documento_id, "folio": solvencia.documento.folio}
