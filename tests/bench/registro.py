"""Figures of the debtor registry: loading and searching."""
import random

from .contexto import Contexto
from .medicion import Figura, alternar, figura_con_piso, mediana, p95

PETICIONES = 200
POR_PAGINA = 25


def consultas_realistas(muestras: int = 10, semilla: int = 7) -> list[str]:
    """What a technician types, drawn from the data: NIT prefix, formatted NIT, número patronal
    (prefix and full), a name word prefix, two name word prefixes. Kinds alternate."""
    from cuentas.identificadores import nit_formatear
    from cuentas.models import Cuenta, Deudor

    rng = random.Random(semilla)
    ids = list(Deudor.objects.filter(tipo=Deudor.Tipo.PATRONO, nit__isnull=False).order_by("pk").values_list("pk", flat=True))
    elegidos = Deudor.objects.filter(pk__in=rng.sample(ids, min(muestras, len(ids)))).order_by("pk")
    numeros = dict(Cuenta.objects.filter(deudor__in=elegidos, tipo=Cuenta.Tipo.PATRONAL)
                   .order_by("deudor_id", "numero").values_list("deudor_id", "numero"))
    consultas = []
    for deudor in elegidos:
        numero = numeros[deudor.pk]
        consultas += [deudor.nit[:8], nit_formatear(deudor.nit), numero[:6], numero]
        palabras = [p for p in deudor.nombre_normalizado.split() if len(p) >= 4] or deudor.nombre_normalizado.split()
        if palabras:
            dos = rng.sample(palabras, 2) if len(palabras) >= 2 else palabras * 2
            consultas += [rng.choice(palabras)[:4], " ".join(p[:4] for p in dos)]
    return consultas


def figura_carga(ctx: Contexto) -> list[Figura]:
    """Bulk load speed, only when this run built the data."""
    if ctx.construccion is None or ctx.construccion.segundos <= 0:
        return []
    return [Figura("carga_deudores_por_segundo", ctx.construccion.deudores / ctx.construccion.segundos, "deudores/s")]


def figura_busqueda_pagina(ctx: Contexto) -> list[Figura]:
    """The registry list page with a search, against a page that does one tiny query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    cliente = ctx.cliente()
    url_lista, url_piso = reverse("cuentas:deudor_lista"), reverse("healthz")
    consultas = ctx.consultas
    turno = iter(range(10**9))

    def lista():
        q = consultas[next(turno) % len(consultas)]
        respuesta = cliente.get(url_lista, {"q": q})
        assert respuesta.status_code == 200, (q, respuesta.status_code)

    def piso():
        respuesta = cliente.get(url_piso)
        assert respuesta.status_code == 200, respuesta.content

    tiempos = alternar({"lista": lista, "piso": piso}, veces=PETICIONES)
    piso_fig = Figura("piso_peticion_minima", mediana(tiempos["piso"]), "ms")
    # SQL statements per page: the most any query of the mix needs.
    n_sql = 0
    for q in consultas:
        with CaptureQueriesContext(connection) as capturadas:
            cliente.get(url_lista, {"q": q})
        n_sql = max(n_sql, len(capturadas))
    return [
        piso_fig,
        figura_con_piso("busqueda_registro_mediana", mediana(tiempos["lista"]), "ms", piso_fig),
        figura_con_piso("busqueda_registro_p95", p95(tiempos["lista"]), "ms", piso_fig),
        Figura("busqueda_registro_consultas", n_sql, "consultas"),
    ]


def figura_busqueda_selector(ctx: Contexto) -> list[Figura]:
    """The search selector alone (first page + count), against `SELECT 1`."""
    from django.db import connection

    from cuentas.selectors import deudores_buscar

    usuario = ctx.usuario()
    consultas = ctx.consultas
    turno = iter(range(10**9))

    def selector():
        qs = deudores_buscar(user=usuario, texto=consultas[next(turno) % len(consultas)])
        list(qs[:POR_PAGINA])
        qs.count()

    def select_1():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    tiempos = alternar({"selector": selector, "piso": select_1}, veces=PETICIONES)
    piso_fig = Figura("piso_select_1", mediana(tiempos["piso"]), "ms")
    return [piso_fig, figura_con_piso("busqueda_registro_selector_mediana", mediana(tiempos["selector"]), "ms", piso_fig)]


FIGURAS = [figura_carga, figura_busqueda_pagina, figura_busqueda_selector]
