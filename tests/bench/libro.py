"""Figures of the ledger: building it, importing planillas, the statement (API and page)."""
import csv
import io
import random
import time
from datetime import date
from functools import cache

from .contexto import Contexto
from .medicion import (Figura, alternar, carga_concurrente, figura_con_piso, mediana, p95, servidor)

LINEAS_IMPORTACION = 60_000
CLIENTES = 8
RONDAS = 5            # bursts of each kind, alternated so the figure and its floor share the machine
POR_RONDA = 48        # requests per burst (6 per client)


def figura_carga_libro(ctx: Contexto) -> list[Figura]:
    """Bulk history build speed, only when this run built it."""
    c = ctx.construccion_libro
    if c is None or c.segundos <= 0:
        return []
    return [Figura("carga_libro_segundos", c.segundos, "s"),
            Figura("carga_libro_planillas_por_segundo", c.planillas / c.segundos, "planillas/s")]


# --- planillas import --------------------------------------------------------------------------------

def csv_planillas(lineas: int = LINEAS_IMPORTACION, semilla: int = 3) -> tuple[bytes, int]:
    """A §5.1 file for the month in progress (no employer has filed it yet): ~15 workers per
    planilla, 90 % known employers, 10 % new ones (created by the import). Returns (bytes, rows)."""
    from cuentas.importacion import COLUMNAS_PLANILLAS
    from cuentas.models import Cuenta, Deudor
    from issscobros import demo

    rng = random.Random(semilla)
    hoy = date.today()
    periodo = date(hoy.year, hoy.month, 1)
    conocidas = list(Cuenta.objects.filter(tipo=Cuenta.Tipo.PATRONAL, deudor__nit__isnull=False)
                     .exclude(planillas__periodo=periodo).order_by("pk")
                     .values_list("numero", "deudor__nit", "deudor__razon_social"))
    rng.shuffle(conocidas)
    nits = set(Deudor.objects.exclude(nit=None).values_list("nit", flat=True))
    numeros = set(Cuenta.objects.values_list("numero", flat=True))
    salida = io.StringIO()
    escritor = csv.writer(salida, lineterminator="\n")
    escritor.writerow(COLUMNAS_PLANILLAS)
    filas = 0
    minimo = demo._salario_minimo(periodo)
    while filas < lineas:
        if rng.random() < 0.9 and conocidas:
            numero, nit, razon = conocidas.pop()
        else:
            while (numero := f"8{rng.randrange(10**7, 10**8)}") in numeros:
                pass
            numeros.add(numero)
            nit = demo.nit_generar(rng, rng.choice(demo.MUNICIPIOS)[0], nits)
            razon = demo._razon_social(rng)[0]
        plantilla = demo._Plantilla(rng, rng.randint(3, 27))
        tipo = rng.choices(demo.TIPOS_PLANILLA, weights=demo.PESOS_TIPOS)[0]
        for t in plantilla.trabajadores[:lineas - filas]:
            salario = demo._Plantilla.salario(t, minimo)
            escritor.writerow([numero, nit, razon, f"{periodo:%Y-%m}", tipo, hoy.isoformat(), t[0], t[1], t[2],
                               demo._d(salario), 30])
            filas += 1
    return salida.getvalue().encode("utf-8"), filas


TABLA_CSV = """CREATE TABLE bench_planillas_csv (
    numero_patronal varchar(30), nit varchar(20), razon_social varchar(200), periodo varchar(7),
    tipo_planilla varchar(20), fecha_presentacion date, numero_afiliado varchar(15), dui varchar(10),
    nombre varchar(150), salario numeric(12, 2), dias smallint)"""


def figura_importacion_planillas(ctx: Contexto) -> list[Figura]:
    """cuentas.importacion.planillas_importar on a 60,000-line file, rolled back after each run (the
    deferred guards are forced to run first), against a raw COPY of the same file into a scratch
    table with the same columns; and the part of it those commit-time checks take (foreign keys,
    balance), which no change to the import's own code can shorten."""
    from django.db import connection, transaction

    from cuentas.importacion import planillas_importar

    contenido, filas = csv_planillas()
    usuario = ctx.usuario()
    resumenes = []
    diferidos = []  # seconds of each run's commit-time checks, a part of its time

    def importar():
        with transaction.atomic():
            resultado = planillas_importar(actor=usuario, contenido=contenido, nombre_archivo="bench-planillas.csv")
            inicio = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # balance and foreign keys, as a commit would
            diferidos.append(time.perf_counter() - inicio)
            resumenes.append(resultado.resumen)
            transaction.set_rollback(True)

    def copiar():
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(TABLA_CSV)
                cursor.copy_expert("COPY bench_planillas_csv FROM STDIN WITH (FORMAT csv, HEADER true)",
                                   io.BytesIO(contenido))
            transaction.set_rollback(True)

    tiempos = alternar({"importar": importar, "copiar": copiar}, veces=3, calentamiento=1)
    assert resumenes and "planillas" in resumenes[-1], resumenes
    _limpiar_importaciones_revertidas()
    t_importar, t_copiar = mediana(tiempos["importar"]) / 1000, mediana(tiempos["copiar"]) / 1000
    piso = Figura("copy_planillas_lineas_por_segundo", filas / t_copiar, "lineas/s")
    return [
        piso,
        Figura("importacion_planillas_lineas_por_segundo", filas / t_importar, "lineas/s", ratio=t_importar / t_copiar),
        Figura("importacion_planillas_chequeos_al_confirmar", mediana(diferidos[-3:]) * 1000, "ms"),
    ]


def _limpiar_importaciones_revertidas() -> None:
    """The rolled-back imports leave dead rows at the high end of the ledger's indexes, below
    autovacuum's threshold on tables this size. The planner reads those index ends to estimate joins:
    until they were vacuumed, planning the statement's query took 7-15 ms instead of 0.5-0.7 ms in
    later runs. Vacuum them as production's autovacuum eventually would."""
    from django.db import connection

    with connection.cursor() as cursor:
        for tabla in ("cuentas_lineaasiento", "cuentas_asiento", "cuentas_obligacion", "cuentas_planilla",
                      "cuentas_lineaplanilla", "cuentas_deudor", "cuentas_cuenta", "issscobros_registroauditoria"):
            cursor.execute(f"VACUUM (INDEX_CLEANUP ON) {tabla}")  # ON: few dead rows would skip the indexes


# --- statement ---------------------------------------------------------------------------------------

@cache
def cuentas_estado() -> tuple[int, int]:
    """(deep, short): the cuenta with the most obligations among the 120-month employers, and one
    of an ordinary employer, for the query-count check."""
    from django.db.models import Count

    from cuentas.models import Cuenta, Deudor, Obligacion

    from .basedatos import EMPLEADORES_120_MESES

    primeros = list(Deudor.objects.filter(tipo=Deudor.Tipo.PATRONO).order_by("pk")
                    .values_list("pk", flat=True)[:EMPLEADORES_120_MESES])
    profunda = (Obligacion.objects.filter(cuenta__deudor_id__in=primeros).values("cuenta")
                .annotate(n=Count("id")).order_by("-n", "cuenta").values_list("cuenta", flat=True).first())
    corta = (Cuenta.objects.filter(tipo=Cuenta.Tipo.PATRONAL, planillas__isnull=False)
             .exclude(deudor_id__in=primeros).order_by("-pk").values_list("pk", flat=True).first())
    return profunda, corta or profunda


def _consultas_api(cliente, cuenta, token) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    with CaptureQueriesContext(connection) as capturadas:
        respuesta = cliente.get(reverse("api_cuenta_estado", args=[cuenta.numero]), HTTP_AUTHORIZATION=f"Token {token}")
    assert respuesta.status_code == 200, respuesta.content[:300]
    return len(capturadas)


def figura_estado_consultas(ctx: Contexto) -> list[Figura]:
    """SQL statements for one statement: the API view (token, permissions, statement) through the
    test client, the selector alone, and the page; the same count for an ordinary employer."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from cuentas.estado import cuenta_estado
    from cuentas.models import Cuenta, Obligacion
    from issscobros.api import token_crear

    from .basedatos import avisar

    profunda, corta = (Cuenta.objects.select_related("deudor").get(pk=pk) for pk in cuentas_estado())
    token = token_crear(usuario=ctx.usuario())
    cliente = Client()
    _consultas_api(cliente, profunda, token)  # warm caches (content types, permissions)
    n_api = _consultas_api(cliente, profunda, token)
    n_corta = _consultas_api(cliente, corta, token)
    if n_corta != n_api:
        avisar(f"aviso: estado_consultas depende de la cuenta: {n_api} (120 meses) y {n_corta} ({corta.numero})")
    with CaptureQueriesContext(connection) as capturadas:
        estado = cuenta_estado(cuenta=profunda, fecha=date.today())
    avisar(f"estado: cuenta {profunda.numero}, {len(estado.lineas)} obligaciones, {len(estado.pagos)} pagos, "
           f"{Obligacion.objects.filter(cuenta=profunda, saldo__gt=0).count()} con saldo")
    figuras = [
        Figura("estado_consultas", max(n_api, n_corta), "consultas"),
        Figura("estado_selector_consultas", len(capturadas), "consultas"),
    ]
    try:
        url = reverse("cuentas:cuenta_estado", args=[profunda.pk])
    except NoReverseMatch:
        avisar("la página del estado de cuenta aún no existe: solo se mide la API")
        return figuras
    pagina = ctx.cliente()
    pagina.get(url)
    with CaptureQueriesContext(connection) as capturadas:
        respuesta = pagina.get(url)
    assert respuesta.status_code == 200, respuesta.status_code
    figuras.append(Figura("estado_pagina_consultas", len(capturadas), "consultas"))
    return figuras


def _cookie_de_sesion(ctx: Contexto) -> str:
    """A signed-in session of the technician, stored where the server reads sessions."""
    from django.conf import settings
    from django.test import Client

    cliente = Client()
    cliente.force_login(ctx.usuario())
    return f"{settings.SESSION_COOKIE_NAME}={cliente.cookies[settings.SESSION_COOKIE_NAME].value}"


def figura_estado_concurrente(ctx: Contexto) -> list[Figura]:
    """The statement of the 120-month employer through a real server (gunicorn, 3 sync workers as
    the production image) with 8 concurrent clients: the JSON API (token) and the page (session),
    against /healthz/ under the same 8-client load. Bursts alternate so all three share the machine."""
    from django.urls import NoReverseMatch, reverse

    from cuentas.models import Cuenta
    from issscobros.api import token_crear

    from .basedatos import avisar

    cuenta = Cuenta.objects.get(pk=cuentas_estado()[0])
    token = token_crear(usuario=ctx.usuario())
    try:
        ruta_pagina = reverse("cuentas:cuenta_estado", args=[cuenta.pk])
    except NoReverseMatch:
        ruta_pagina = None
    tiempos: dict[str, list[float]] = {"api": [], "piso": [], "pagina": []}
    with servidor() as base:
        destinos = {
            "api": (f"{base}{reverse('api_cuenta_estado', args=[cuenta.numero])}", {"Authorization": f"Token {token}"}),
            "piso": (f"{base}{reverse('healthz')}", {}),
        }
        if ruta_pagina:
            destinos["pagina"] = (f"{base}{ruta_pagina}", {"Cookie": _cookie_de_sesion(ctx)})
        for url, cabeceras in destinos.values():  # warm-up: every worker connects, imports, caches
            carga_concurrente(url, cabeceras=cabeceras, clientes=CLIENTES, peticiones=CLIENTES * 2)
        for _ in range(RONDAS):
            for nombre, (url, cabeceras) in destinos.items():
                tiempos[nombre] += carga_concurrente(url, cabeceras=cabeceras, clientes=CLIENTES, peticiones=POR_RONDA)
    piso = Figura("piso_healthz_8_clientes_mediana", mediana(tiempos["piso"]), "ms")
    figuras = [
        piso,
        figura_con_piso("estado_api_mediana", mediana(tiempos["api"]), "ms", piso),
        figura_con_piso("estado_api_p95", p95(tiempos["api"]), "ms", piso),
    ]
    if tiempos["pagina"]:
        figuras += [figura_con_piso("estado_pagina_mediana", mediana(tiempos["pagina"]), "ms", piso),
                    figura_con_piso("estado_pagina_p95", p95(tiempos["pagina"]), "ms", piso)]
    else:
        avisar("la página del estado de cuenta aún no existe: solo se mide la API")
    return figuras


FIGURAS = [figura_carga_libro, figura_estado_consultas, figura_estado_concurrente, figura_importacion_planillas]
