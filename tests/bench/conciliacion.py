"""Reconciliation (issue 8): the six checks of cuentas.conciliacion over the whole bench ledger, against
its floor, one GROUP BY pass over the legs, timed alternately in the same run (target ratio ≤ 5); and the
conformación de cuentas auxiliares of last month (issue 4), which reads the same subledger totals."""
from .basedatos import avisar
from .contexto import Contexto
from .medicion import Figura, alternar, figura_con_piso, mediana

VECES = 3
ARCHIVO = "bench-cifras.csv"


def _cifras_de_control(ctx: Contexto) -> None:
    """Control figures for every month, as Contabilidad (every GL account) and UPISSS (the employer
    contributions) would send them when they agree, so checks 5 and 6 compare real rows. Once."""
    from datetime import date

    from cuentas.conciliacion import cifras_cargar, totales_auxiliar
    from cuentas.models import CargaCifras

    if CargaCifras.objects.filter(archivo=ARCHIVO).exists():
        return
    filas = totales_auxiliar(desde=date(1900, 1, 1), hasta=date.today())
    for fuente, cuentas in (("contabilidad", None), ("upisss", {"1130102"})):
        lineas = ["cuenta_contable,mes,debe,haber"] + [
            f"{cuenta},{mes:%Y-%m},{debe},{haber}" for cuenta, mes, debe, haber in filas
            if cuentas is None or cuenta in cuentas]
        cifras_cargar(actor=ctx.usuario(), fuente=fuente, contenido=("\n".join(lineas) + "\n").encode(),
                      nombre_archivo=ARCHIVO)
    avisar(f"conciliación: cifras de control cargadas ({len(filas)} cuenta-mes)")


def figura_conciliacion(ctx: Contexto) -> list[Figura]:
    from datetime import date, timedelta

    from django.db import connection

    from cuentas.conciliacion import conciliar
    from cuentas.selectors_contabilidad import conformacion

    _cifras_de_control(ctx)
    diferencias = []

    def conciliacion():
        diferencias[:] = conciliar()

    def piso():
        with connection.cursor() as cursor:
            cursor.execute("SELECT cuenta_contable_codigo, sum(debe), sum(haber) FROM cuentas_lineaasiento GROUP BY 1")
            cursor.fetchall()

    mes_anterior = (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)
    tiempos = alternar({"conciliacion": conciliacion, "piso": piso, "conformacion": lambda: conformacion(mes=mes_anterior)},
                       veces=VECES, calentamiento=1)
    if diferencias:
        avisar(f"aviso: la conciliación del bench encontró {len(diferencias)} diferencia(s), p. ej. {diferencias[0]}")
    piso_fig = Figura("piso_group_by_lineas", mediana(tiempos["piso"]), "ms")
    return [piso_fig, figura_con_piso("conciliacion", mediana(tiempos["conciliacion"]), "ms", piso_fig),
            Figura("conciliacion_diferencias", len(diferencias), "diferencias"),
            figura_con_piso("conformacion_mes_anterior", mediana(tiempos["conformacion"]), "ms", piso_fig)]


FIGURAS = [figura_conciliacion]
