"""The bench database: a separate `<name>_bench` database, built once and reused."""
import os
import sys
import time
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit, urlunsplit

# Same default as issscobros.settings.base.
URL_POR_DEFECTO = "postgres://postgres@127.0.0.1:5432/issscobros"
SUFIJO = "_bench"


def avisar(texto: str) -> None:
    print(f"· {texto}", file=sys.stderr, flush=True)


def url_de_bench(url: str) -> str:
    """The same server, database `<name>_bench` unless the name already ends in `_bench`."""
    partes = urlsplit(url)
    nombre = unquote(partes.path.lstrip("/"))
    if not nombre:
        raise SystemExit("DATABASE_URL no indica la base de datos.")
    if nombre.endswith(SUFIJO):
        return url
    return urlunsplit(partes._replace(path="/" + quote(nombre + SUFIJO)))


def base_asegurar(url: str) -> str:
    """Create the database of `url` if missing (through the `postgres` maintenance database)."""
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    conf = dj_database_url.parse(url)
    conexion = {"dbname": "postgres", "user": conf.get("USER") or None, "password": conf.get("PASSWORD") or None,
                "host": conf.get("HOST") or None, "port": conf.get("PORT") or None}
    conexion.update(conf.get("OPTIONS") or {})  # e.g. sslmode
    conn = psycopg2.connect(**{k: v for k, v in conexion.items() if v is not None})
    try:
        conn.autocommit = True  # CREATE DATABASE cannot run in a transaction
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [conf["NAME"]])
            if cur.fetchone() is None:
                avisar(f"creando la base de datos {conf['NAME']}")
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(conf["NAME"])))
    finally:
        conn.close()
    return conf["NAME"]


def preparar_entorno() -> str:
    """Before django.setup(): point DATABASE_URL at the bench database. Returns its name."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "issscobros.settings.test")
    os.environ["DATABASE_URL"] = url_de_bench(os.environ.get("DATABASE_URL") or URL_POR_DEFECTO)
    return base_asegurar(os.environ["DATABASE_URL"])


@dataclass
class Construccion:
    """What this run loaded (None when the data was already there)."""
    segundos: float
    deudores: int
    cuentas: int


def construir(deudores: int) -> Construccion | None:
    """Migrate; load the registry if it holds fewer than `deudores` patronos; ANALYZE."""
    from django.core.management import call_command
    from django.db import connection

    from cuentas.models import Deudor
    from issscobros import demo

    call_command("migrate", interactive=False, verbosity=0)
    construccion = None
    existentes = Deudor.objects.filter(tipo=Deudor.Tipo.PATRONO).count()
    if existentes < deudores:
        faltan = deudores - existentes
        avisar(f"cargando {faltan} patronos (hay {existentes}) en {connection.settings_dict['NAME']}")
        inicio = time.perf_counter()
        sucursales = demo.sucursales_cargar()
        demo.usuarios_demo_cargar(sucursales[0])
        # A fresh build uses seed 1; topping up a smaller build uses another stream, still deterministic.
        total_d, total_c = demo.deudores_cargar(n=faltan, semilla=1 + existentes, sucursales=sucursales)
        segundos = time.perf_counter() - inicio
        construccion = Construccion(segundos=segundos, deudores=total_d, cuentas=total_c)
        avisar(f"base construida en {segundos:.1f} s ({total_d} deudores, {total_c} cuentas)")
    else:
        # Demo users are cheap to (re)create and the figures sign in as one of them.
        demo.usuarios_demo_cargar(demo.sucursales_cargar()[0])
    inicio = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    avisar(f"ANALYZE en {time.perf_counter() - inicio:.1f} s")
    return construccion


# --- the ledger part (planillas, worker lines, receipts, mora) --------------------------------------

EMPLEADORES_120_MESES = 500   # CONTRACTS §6: "500 employers with 120 months of history"
EMPLEADORES_CON_LINEAS = 5000  # "... and worker lines for 5,000 employers"
MARCA = "bench.libro"


@dataclass
class ConstruccionLibro:
    segundos: float
    cuentas: int
    planillas: int
    lineas: int
    recibos: int


def construir_libro(*, meses: int, completo: bool) -> ConstruccionLibro | None:
    """Give every patronal cuenta that has no planilla yet its history (issscobros.demo, bulk COPY with
    the database guards on): `meses` months, 120 for the first 500 employers (all with BENCH_FULL),
    worker lines for the first 5,000. Cuentas with history are left alone, so a second run reuses
    everything; the services-made extras (fines, adjustments, unidentified receipts) are added once."""
    from django.db import connection
    from django.db.models import Exists, OuterRef

    from cuentas.models import Cuenta, Planilla, SolicitudAjuste
    from issscobros import demo
    from issscobros.auditoria import auditar
    from issscobros.models import RegistroAuditoria

    marca = RegistroAuditoria.objects.filter(accion=MARCA).order_by("-id").first()
    if marca and marca.despues and (marca.despues.get("meses"), marca.despues.get("completo")) != (meses, completo):
        avisar(f"aviso: el libro se construyó con meses={marca.despues.get('meses')} completo={marca.despues.get('completo')}; "
               f"solo las cuentas nuevas reciben meses={meses} (borre la base de bench para reconstruirla)")
    sin_historia = Cuenta.objects.filter(tipo=Cuenta.Tipo.PATRONAL).exclude(
        Exists(Planilla.objects.filter(cuenta=OuterRef("pk"))))
    faltan = sin_historia.count()
    if not faltan:
        avisar("libro: ya construido, se reutiliza")
        return None
    avisar(f"libro: historia para {faltan} cuentas patronales ({meses} meses; 120 para los primeros "
           f"{EMPLEADORES_120_MESES} patronos{' y para todos' if completo else ''})")
    inicio = time.perf_counter()
    resumen = demo.historia_cargar(
        semilla=1, meses=meses, cuentas=sin_historia, lineas_hasta=EMPLEADORES_CON_LINEAS, hilos=2, avisar=avisar,
        meses_de=lambda i: 120 if completo or i < EMPLEADORES_120_MESES else meses)
    avisar(f"libro: historia copiada en {time.perf_counter() - inicio:.1f} s")
    if not SolicitudAjuste.objects.exists():
        demo.operaciones_cargar(semilla=1, perfiles=resumen.perfiles)
    segundos = time.perf_counter() - inicio
    auditar(actor=None, accion=MARCA, despues={"meses": meses, "completo": completo, "cuentas": faltan,
                                               "planillas": resumen.planillas, "segundos": round(segundos, 1)})
    avisar(f"libro: {resumen.planillas} planillas, {resumen.lineas} líneas, {resumen.recibos} recibos en {segundos:.1f} s")
    inicio = time.perf_counter()
    with connection.cursor() as cursor:
        # The saldo trigger rewrites each obligation twice (charge, payment): clear the dead rows
        # so the statement reads what production would after autovacuum.
        for tabla in ("cuentas_obligacion", "cuentas_lineaasiento", "cuentas_asiento", "cuentas_planilla",
                      "cuentas_lineaplanilla", "cuentas_recibo"):
            cursor.execute(f"VACUUM (ANALYZE) {tabla}")
    avisar(f"libro: VACUUM ANALYZE en {time.perf_counter() - inicio:.1f} s")
    return ConstruccionLibro(segundos=segundos, cuentas=faltan, planillas=resumen.planillas, lineas=resumen.lineas,
                             recibos=resumen.recibos)
