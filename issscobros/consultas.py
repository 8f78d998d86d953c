"""Set-based reports over the whole ledger (reconciliation, aging, dashboard): one statement that
groups millions of legs into 10^5-10^6 groups."""
from django.db import connection, transaction

# Room for those hash tables in memory instead of spilling them to disk (measured on the aging report
# as of a past date: 9.2 s with the default 4 MB, 6.8 s with this), for this transaction only.
MEMORIA = "128MB"


def filas_de_informe(sql: str, params, ajustes: dict[str, str] | None = None) -> list[tuple]:
    """`ajustes`: more planner settings, for this statement only (name -> value)."""
    ajustes = {"work_mem": MEMORIA, **(ajustes or {})}
    dentro = connection.in_atomic_block  # then SET LOCAL would last until the caller's commit: undo it
    with transaction.atomic(), connection.cursor() as cursor:
        antes = _fijar(cursor, ajustes)
        cursor.execute(sql, params)
        filas = cursor.fetchall()
        if dentro:
            _fijar(cursor, antes)
        return filas


def _fijar(cursor, ajustes: dict[str, str]) -> dict[str, str]:
    """Set `ajustes` for the transaction; returns the values they replace."""
    nombres = list(ajustes)
    cursor.execute("SELECT " + ", ".join(["current_setting(%s), set_config(%s, %s, true)"] * len(nombres)),
                   [x for n in nombres for x in (n, n, ajustes[n])])
    fila = cursor.fetchone()
    return {n: fila[2 * i] for i, n in enumerate(nombres)}
