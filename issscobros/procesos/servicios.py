"""Starting, running and retrying a Proceso (the invariants are in the package docstring)."""
import logging
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from issscobros.auditoria import auditar
from issscobros.errores import ErrorDeNegocio
from issscobros.models import Proceso, ProcesoItem, ProcesoTrozo

from .candado import candado_transaccion
from .tipos import TipoProceso, tipo as tipo_de

logger = logging.getLogger(__name__)


def _puede(actor, t: TipoProceso) -> bool:
    return actor is None or (actor.has_perm("issscobros.iniciar_proceso") and actor.has_perm(t.permiso))


def _trozos(proceso: Proceso) -> int:
    return -(-len(proceso.items) // proceso.tamano_trozo)


def _encolar(proceso: Proceso) -> None:
    from issscobros.tasks import proceso_trozo

    for indice in range(_trozos(proceso)):
        proceso_trozo.delay(proceso.pk, proceso.intento, indice)


def proceso_iniciar(*, actor, tipo: str, parametros: dict | None = None, programacion: str = "") -> Proceso:
    """Create the run and queue its chunks; refused while another run of the same type is active.
    `actor` is None when a schedule starts it (`programacion` names the schedule)."""
    t = tipo_de(tipo)
    if not _puede(actor, t):
        raise ErrorDeNegocio(f"No tiene permiso para iniciar «{t.nombre}».")
    parametros = parametros or {}
    items = [int(i) for i in t.funcion_seleccionar(actor=actor, parametros=parametros)]
    if not items:
        raise ErrorDeNegocio("La selección no tiene ningún elemento que procesar.")
    with transaction.atomic():
        # Check-then-insert under the type's lock: two clicks or a click and the schedule cannot
        # both pass the check (the partial unique index would refuse the second one anyway).
        candado_transaccion(f"proceso:{tipo}")
        activo = Proceso.objects.filter(tipo=tipo, estado__in=Proceso.ACTIVOS).first()
        if activo is not None:
            raise ErrorDeNegocio(f"Ya hay un proceso «{t.nombre}» en curso (n.º {activo.pk}, "
                                 f"{activo.hechos} de {activo.total}); espere a que termine.")
        proceso = Proceso.objects.create(tipo=tipo, parametros=parametros, items=items, tamano_trozo=t.tamano_trozo,
                                         iniciado_por=actor, programacion=programacion[:200], total=len(items))
        auditar(actor=actor, accion="proceso.iniciar", objeto=proceso,
                despues={"tipo": tipo, "parametros": parametros, "total": len(items), "programacion": programacion})
        transaction.on_commit(lambda: _encolar(proceso))
    return proceso


def _estancado(proceso: Proceso) -> bool:
    """An active run with no progress for longer than a lost chunk takes to come back (the broker's
    visibility timeout): its chunks are gone, a retry is the way on."""
    limite = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    return proceso.activo and proceso.actualizado_en < timezone.now() - timedelta(seconds=limite)


def puede_reintentarse(proceso: Proceso) -> bool:
    return proceso.estado == Proceso.Estado.FALLIDO or _estancado(proceso)


def proceso_reintentar(*, actor, proceso: Proceso) -> Proceso:
    """A new attempt over the same items: what is done is skipped, so it resumes where it stopped."""
    t = tipo_de(proceso.tipo)
    if not _puede(actor, t):
        raise ErrorDeNegocio(f"No tiene permiso para reintentar «{t.nombre}».")
    with transaction.atomic():
        candado_transaccion(f"proceso:{proceso.tipo}")
        proceso = Proceso.objects.select_for_update().get(pk=proceso.pk)
        if not puede_reintentarse(proceso):
            raise ErrorDeNegocio("Solo se reintenta un proceso fallido o detenido sin avanzar.")
        otro = Proceso.objects.filter(tipo=proceso.tipo, estado__in=Proceso.ACTIVOS).exclude(pk=proceso.pk).first()
        if otro is not None:
            raise ErrorDeNegocio(f"Ya hay un proceso «{t.nombre}» en curso (n.º {otro.pk}); espere a que termine.")
        antes = {"estado": proceso.estado, "intento": proceso.intento, "hechos": proceso.hechos}
        proceso.intento += 1
        proceso.estado = Proceso.Estado.PENDIENTE
        proceso.errores = []
        proceso.terminado_en = None
        proceso.save(update_fields=["intento", "estado", "errores", "terminado_en", "actualizado_en"])
        auditar(actor=actor, accion="proceso.reintentar", objeto=proceso, antes=antes,
                despues={"intento": proceso.intento})
        transaction.on_commit(lambda: _encolar(proceso))
    return proceso


def _reclamar(proceso_id: int, item: int) -> int | None:
    """Insert the item's row; None if it is already done (or being done: then this waits for that
    transaction on the unique index and sees it committed)."""
    with connection.cursor() as cursor:
        cursor.execute("""INSERT INTO issscobros_procesoitem (proceso_id, item, resultado, hecho_en)
                          VALUES (%s, %s, '{}', now()) ON CONFLICT (proceso_id, item) DO NOTHING RETURNING id""",
                       [proceso_id, item])
        fila = cursor.fetchone()
    return fila[0] if fila else None


def trozo_ejecutar(*, proceso_id: int, intento: int, indice: int) -> None:
    """Do the items of one chunk that are not done yet, record the chunk, finish the run if it was
    the last one. Safe to run twice (redelivery) and alongside a duplicate of itself."""
    proceso = Proceso.objects.select_related("iniciado_por").filter(pk=proceso_id).first()
    if proceso is None or proceso.intento != intento or not proceso.activo:
        return  # a chunk of an earlier attempt, or of a finished run
    if ProcesoTrozo.objects.filter(proceso_id=proceso_id, intento=intento, indice=indice).exists():
        return _quiza_terminar(proceso_id)
    ahora = timezone.now()
    Proceso.objects.filter(pk=proceso_id, estado=Proceso.Estado.PENDIENTE).update(estado=Proceso.Estado.EN_CURSO, actualizado_en=ahora)
    Proceso.objects.filter(pk=proceso_id, iniciado_en__isnull=True).update(iniciado_en=ahora)
    t = tipo_de(proceso.tipo)
    items = proceso.items[indice * proceso.tamano_trozo:(indice + 1) * proceso.tamano_trozo]
    hechos = set(ProcesoItem.objects.filter(proceso_id=proceso_id, item__in=items).values_list("item", flat=True))
    errores = []
    for item in items:
        if item in hechos:
            continue
        try:
            if t.en_transaccion:
                with transaction.atomic():
                    fila = _reclamar(proceso_id, item)
                    if fila is None:
                        continue
                    resultado = t.funcion_por_item(actor=proceso.iniciado_por, item=item, parametros=proceso.parametros) or {}
                    ProcesoItem.objects.filter(pk=fila).update(resultado=resultado, documento_id=resultado.get("documento_id"))
            else:
                resultado = t.funcion_por_item(actor=proceso.iniciado_por, item=item, parametros=proceso.parametros) or {}
                ProcesoItem.objects.get_or_create(proceso_id=proceso_id, item=item, defaults={
                    "resultado": resultado, "documento_id": resultado.get("documento_id")})
        except ErrorDeNegocio as exc:
            errores.append({"item": item, "error": exc.mensaje})
        except SoftTimeLimitExceeded:
            raise  # the task re-queues this chunk: done items are skipped
        except Exception as exc:  # noqa: BLE001 - one bad item must not stop the batch; logged and shown
            logger.exception("proceso %s: falló el elemento %s", proceso_id, item)
            errores.append({"item": item, "error": f"{type(exc).__name__}: {exc}"[:500]})
    with transaction.atomic():
        ProcesoTrozo.objects.get_or_create(proceso_id=proceso_id, intento=intento, indice=indice,
                                           defaults={"errores": errores})
        Proceso.objects.filter(pk=proceso_id).update(hechos=_cuenta_hechos(), actualizado_en=timezone.now())
        _quiza_terminar(proceso_id)


def _cuenta_hechos():
    return Coalesce(Subquery(ProcesoItem.objects.filter(proceso_id=OuterRef("pk")).order_by()
                             .values("proceso_id").annotate(n=Count("id")).values("n")), 0)


@transaction.atomic
def _quiza_terminar(proceso_id: int) -> None:
    proceso = Proceso.objects.select_for_update().get(pk=proceso_id)
    if not proceso.activo:
        return
    trozos = list(ProcesoTrozo.objects.filter(proceso=proceso, intento=proceso.intento).values_list("errores", flat=True))
    if len(trozos) < _trozos(proceso):
        return
    proceso.hechos = ProcesoItem.objects.filter(proceso=proceso).count()
    proceso.errores = [e for errores in trozos for e in errores]
    t = tipo_de(proceso.tipo)
    if proceso.hechos == proceso.total and t.funcion_al_terminar is not None:
        extra = dict(t.funcion_al_terminar(proceso) or {})
        proceso.archivo = extra.pop("archivo", proceso.archivo)
        proceso.resultado = {**proceso.resultado, **extra}
    proceso.estado = Proceso.Estado.TERMINADO if proceso.hechos == proceso.total else Proceso.Estado.FALLIDO
    proceso.terminado_en = timezone.now()
    proceso.save()
    auditar(actor=None, accion=f"proceso.{proceso.estado}", objeto=proceso,
            despues={"hechos": proceso.hechos, "total": proceso.total, "errores": len(proceso.errores)})
