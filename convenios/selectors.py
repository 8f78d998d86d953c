"""Reads of payment agreements for the other apps (solvencias, mora).

PLACEHOLDER until the convenios work lands: the convenios helper replaces the body of each function
(keeping the signatures) with queries on its models."""
from datetime import date


def obligaciones_en_convenio_vigente(*, cuenta_ids, al: date | None = None) -> set[int]:
    """Ids of the obligations of these cuentas covered by an agreement that is current (vigente) on `al`
    (default today). Solvencias treats them as not blocking; a breached agreement covers nothing."""
    return set()
