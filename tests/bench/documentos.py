"""Documents and batch jobs (issue 8): a one-page certificate rendered in a warm process against
WeasyPrint's minimal document (ratio ≤ 2.5, ≤ 0.35 s; issue 4), the 120-month statement (≤ 2 s), the
worker certification before rendering (≤ 300 ms), and batches on a real Celery worker process (one
prefork child: one core): electronic solvencias of every Zona Franca / DPA employer (≥ 150 PDF per
minute; the worker's memory after them, ≤ 400 MB after 1,000 renders) and BENCH_LOTE_ESTADOS
statements (default 100).

Single documents are issued inside a rolled-back transaction (the register keeps nothing); batches
really issue their documents (the register is append-only): each bench run adds its statements to
the bench database, and the solvencias of one more month (the service is idempotent per month)."""
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from .basedatos import avisar
from .contexto import Contexto
from .medicion import Figura, alternar, figura_con_piso, mediana

VECES = 15
RAIZ = Path(__file__).resolve().parents[2]
COLA = "bench-procesos"  # its own queue: a `make run` worker on the same Redis never takes these


def _revertido(fn):
    """Run fn inside a transaction that is rolled back (the document register keeps nothing)."""
    from django.db import transaction

    def envuelta():
        with transaction.atomic():
            fn()
            transaction.set_rollback(True)
    return envuelta


def _capturar(emitir) -> tuple[str, dict]:
    """The template and context that issuing hands to pdf_renderizar (the issue is rolled back)."""
    from issscobros import documentos

    capturado = {}
    original = documentos.pdf_renderizar

    def capturar(plantilla, contexto):
        capturado.update(plantilla=plantilla, contexto=contexto)
        return original(plantilla, contexto)

    documentos.pdf_renderizar = capturar
    try:
        _revertido(emitir)()
    finally:
        documentos.pdf_renderizar = original
    return capturado["plantilla"], capturado["contexto"]


def figura_pdf_una_pagina(ctx: Contexto) -> list[Figura]:
    """Certificación de saldos of an ordinary employer (one page, solvency-sized) rendered in a warm
    process (template + WeasyPrint, issue 4), and issued end to end (selector, template, WeasyPrint,
    register), both against WeasyPrint rendering `<p>ISSS</p>`."""
    from datetime import date

    import weasyprint

    from cuentas.documentos import certificacion_saldos_emitir
    from cuentas.models import Cuenta
    from issscobros.pdf import pdf_renderizar

    from .libro import cuentas_estado

    cuenta = Cuenta.objects.select_related("deudor").get(pk=cuentas_estado()[1])
    usuario = ctx.usuario()
    emitir = _revertido(lambda: certificacion_saldos_emitir(actor=usuario, cuenta=cuenta, fecha=date.today()))
    plantilla, contexto = _capturar(emitir)
    tiempos = alternar({
        "render": lambda: pdf_renderizar(plantilla, contexto),
        "emision": emitir,
        "piso": lambda: weasyprint.HTML(string="<p>ISSS</p>").write_pdf(),
    }, veces=VECES, calentamiento=3)
    piso = Figura("piso_weasyprint_minimo", mediana(tiempos["piso"]), "ms")
    return [piso, figura_con_piso("pdf_una_pagina", mediana(tiempos["render"]), "ms", piso),
            figura_con_piso("pdf_una_pagina_emision", mediana(tiempos["emision"]), "ms", piso)]


def figura_estado_120_meses(ctx: Contexto) -> list[Figura]:
    """The statement of the cuenta with the most obligations, issued end to end, and its render alone."""
    from datetime import date

    from cuentas.documentos import estado_cuenta_emitir
    from cuentas.models import Cuenta
    from issscobros.pdf import pdf_renderizar

    from .libro import cuentas_estado

    cuenta = Cuenta.objects.select_related("deudor").get(pk=cuentas_estado()[0])
    usuario = ctx.usuario()
    emitir = _revertido(lambda: estado_cuenta_emitir(actor=usuario, deudor=cuenta.deudor, cuenta=cuenta, fecha=date.today()))
    plantilla, contexto = _capturar(emitir)
    tiempos = alternar({"estado": emitir, "render": lambda: pdf_renderizar(plantilla, contexto)}, veces=3, calentamiento=1)
    return [Figura("pdf_estado_120_meses", mediana(tiempos["estado"]), "ms"),
            Figura("pdf_estado_120_meses_render", mediana(tiempos["render"]), "ms"),
            Figura("pdf_estado_120_meses_obligaciones", cuenta.obligaciones.count(), "obligaciones")]


def figura_certificacion_trabajador(ctx: Contexto) -> list[Figura]:
    """cuentas.trabajadores.trabajador_historial (all of it: query and lines) for the affiliate with
    the most payroll lines, before any rendering."""
    from django.db.models import Count

    from cuentas.models import LineaPlanilla
    from cuentas.trabajadores import trabajador_historial

    afiliado = (LineaPlanilla.objects.values("numero_afiliado").annotate(n=Count("id")).order_by("-n")
                .values_list("numero_afiliado", flat=True).first())
    if afiliado is None:
        return []
    tiempos = alternar({"historial": lambda: trabajador_historial(texto=afiliado)}, veces=VECES, calentamiento=3)
    lineas = len(trabajador_historial(texto=afiliado).lineas)
    return [Figura("certificacion_trabajador", mediana(tiempos["historial"]), "ms"),
            Figura("certificacion_trabajador_lineas", lineas, "lineas")]


# --- a batch on a real worker ------------------------------------------------------------------------

def _rss_kib(pid: int) -> int:
    try:
        for linea in Path(f"/proc/{pid}/status").read_text().splitlines():
            if linea.startswith("VmRSS:"):
                return int(linea.split()[1])
    except OSError:
        pass
    return 0


def _rss_sesion(sid: int) -> tuple[int, int]:
    """(largest process, all processes) resident KiB of the worker's session (main + pool child)."""
    tamanos = []
    for entrada in Path("/proc").iterdir():
        if entrada.name.isdigit():
            try:
                if os.getsid(int(entrada.name)) == sid:
                    tamanos.append(_rss_kib(int(entrada.name)))
            except OSError:
                continue
    return (max(tamanos, default=0), sum(tamanos))


def _lote(ctx: Contexto, tipo: str, parametros: dict):
    """Run one batch of `tipo` on a fresh worker process (prefork, one child: one core) and return
    (the run, seconds, documents issued by it, largest and total RSS of the worker in KiB)."""
    from django.conf import settings
    from django.db import connection

    from issscobros.celery import app
    from issscobros.models import Documento, Proceso, ProcesoItem
    from issscobros.procesos.servicios import proceso_iniciar

    # Runs left active by an interrupted bench (this is the bench database): their chunks still on
    # the bench queue become no-ops instead of running ahead of this batch.
    Proceso.objects.filter(estado__in=Proceso.ACTIVOS).update(estado=Proceso.Estado.FALLIDO)
    d = connection.settings_dict
    entorno = {**os.environ, "DJANGO_SETTINGS_MODULE": "issscobros.settings.local", "DJANGO_DEBUG": "0",
               "DATABASE_URL": f"postgres://{d['USER']}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{d['NAME']}",
               "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT), "REDIS_URL": settings.REDIS_URL}
    registro = open(Path(settings.MEDIA_ROOT) / f"bench-worker-{tipo}.log", "w")
    app.conf.task_default_queue = COLA
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "issscobros", "worker", "--pool=prefork",
                               "--concurrency=1", "-Q", COLA, "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
                              cwd=RAIZ, env=entorno, stdout=registro, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        time.sleep(3)  # the worker's start is not part of the figure
        inicio = time.perf_counter()
        proceso = proceso_iniciar(actor=ctx.usuario(), tipo=tipo, parametros=parametros)
        while Proceso.objects.filter(pk=proceso.pk, estado__in=Proceso.ACTIVOS).exists():
            if worker.poll() is not None:
                raise RuntimeError(f"el worker terminó ({worker.returncode}); ver {registro.name}")
            time.sleep(0.5)
        segundos = time.perf_counter() - inicio
        mayor, total = _rss_sesion(worker.pid)
    finally:
        app.conf.task_default_queue = "celery"
        os.killpg(worker.pid, 9)  # the batch is over; nothing of it is lost
        worker.wait()
        registro.close()
    proceso.refresh_from_db()
    if proceso.estado != Proceso.Estado.TERMINADO:
        raise RuntimeError(f"el lote {tipo} terminó {proceso.estado}: {proceso.errores[:3]}")
    # Idempotent services return what an earlier run issued: count only what this run issued.
    nuevos = Documento.objects.filter(
        pk__in=ProcesoItem.objects.filter(proceso=proceso).values("documento_id"), emitido_en__gte=proceso.creado_en).count()
    avisar(f"lote {tipo}: {proceso.total} elementos, {nuevos} documentos nuevos en {segundos:.1f} s")
    return proceso, segundos, nuevos, mayor, total


def figura_lote_solvencias(ctx: Contexto) -> list[Figura]:
    """Electronic solvencias of every Zona Franca / DPA employer (1,500 at bench scale)."""
    from issscobros.procesos.tipos import tipos

    if "solvencias_electronicas" not in tipos():
        return []
    from solvencias.models import Solvencia
    from solvencias.services import mes_anterior

    # The service is idempotent per month: certify the latest closed month not yet certified, so a
    # second bench run renders as many PDFs as the first.
    mes = mes_anterior()
    for _ in range(36):
        if not Solvencia.objects.filter(tipo=Solvencia.Tipo.ELECTRONICA, mes_cubierto=mes).exists():
            break
        mes = (mes.replace(day=1) - timedelta(days=1)).replace(day=1)
    _, segundos, nuevos, mayor, total = _lote(ctx, "solvencias_electronicas", {"mes": f"{mes:%Y-%m}"})
    if not nuevos:
        avisar("lote de solvencias: ningún patrono de Zona Franca/DPA solvente; sin figura por minuto")
        return []
    return [Figura("lote_solvencias_pdf_por_minuto", nuevos * 60 / segundos, "pdf/min"),
            Figura("lote_solvencias_renders", nuevos, "pdf"),
            Figura("lote_solvencias_worker_rss", mayor / 1024, "MB"),
            Figura("lote_solvencias_worker_rss_total", total / 1024, "MB")]


def figura_lote_estados(ctx: Contexto) -> list[Figura]:
    """Statements (a few pages each) of BENCH_LOTE_ESTADOS employers (default 100), into one ZIP."""
    from cuentas.models import Cuenta

    n = int(os.environ.get("BENCH_LOTE_ESTADOS") or 100)
    numeros = list(Cuenta.objects.filter(tipo=Cuenta.Tipo.PATRONAL, planillas__isnull=False).distinct()
                   .order_by("-pk").values_list("numero", flat=True)[:n])
    _, segundos, nuevos, mayor, total = _lote(ctx, "estados_cuenta", {"seleccion": "numeros", "numeros": numeros})
    return [Figura("lote_estados_pdf_por_minuto", nuevos * 60 / segundos, "pdf/min"),
            Figura("lote_estados_renders", nuevos, "pdf"),
            Figura("lote_estados_worker_rss", mayor / 1024, "MB"),
            Figura("lote_estados_worker_rss_total", total / 1024, "MB")]


FIGURAS = [figura_pdf_una_pagina, figura_estado_120_meses, figura_certificacion_trabajador, figura_lote_solvencias,
           figura_lote_estados]
