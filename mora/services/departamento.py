"""Writes of the department's instruments: the recovery plan's targets, the correspondence register,
the publication list of resisting employers, account clean-up (depuración) requests and the batches
of planillas en mora sent by Control de Ingresos and the branches. Each takes `actor` and audits."""
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from issscobros.auditoria import auditar
from issscobros.errores import ErrorDeNegocio


# --- plan and correspondence ----------------------------------------------------------------------

@transaction.atomic
def plan_guardar(*, actor, anio: int, metas: dict[tuple[int, int], tuple[Decimal, int]]) -> int:
    """Set the targets {(sucursal_id, month): (amount, cases)} of a year. Returns how many changed."""
    from ..models import MetaPlan

    if not actor.has_perm("mora.change_metaplan"):
        raise ErrorDeNegocio("Su rol no puede editar el plan de recuperación.")
    cambiados = 0
    for (sucursal_id, mes), (monto, casos) in sorted(metas.items()):
        if monto < 0 or casos < 0:
            raise ErrorDeNegocio("Las metas no pueden ser negativas.")
        inicio = date(anio, mes, 1)
        meta = MetaPlan.objects.select_for_update().filter(sucursal_id=sucursal_id, mes=inicio).first()
        if meta is None:
            if not monto and not casos:
                continue
            meta = MetaPlan(sucursal_id=sucursal_id, mes=inicio)
        elif (meta.monto, meta.casos) == (monto, casos):
            continue
        antes = {"monto": str(meta.monto), "casos": meta.casos} if meta.pk else None
        meta.monto, meta.casos, meta.actualizado_por, meta.actualizado_en = monto, casos, actor, timezone.now()
        meta.save()
        auditar(actor=actor, accion="plan.meta", objeto=meta, antes=antes,
                despues={"sucursal": sucursal_id, "mes": inicio.isoformat(), "monto": str(monto), "casos": casos})
        cambiados += 1
    return cambiados


@transaction.atomic
def correspondencia_registrar(*, actor, datos: dict):
    from ..models import Correspondencia

    if datos["vence_el"] < datos["recibida_el"]:
        raise ErrorDeNegocio("La fecha límite no puede ser anterior a la de recepción.", campo="vence_el")
    c = Correspondencia.objects.create(registrado_por=actor, **datos)
    auditar(actor=actor, accion="correspondencia.registrar", objeto=c, despues={"asunto": c.asunto})
    return c


@transaction.atomic
def correspondencia_responder(*, actor, correspondencia, estado: str, respuesta: str = "", documento=None):
    from ..models import Correspondencia

    c = Correspondencia.objects.select_for_update().get(pk=correspondencia.pk)
    if c.estado == Correspondencia.Estado.RESPONDIDA:
        raise ErrorDeNegocio("Esa solicitud ya fue respondida.")
    if estado == Correspondencia.Estado.RESPONDIDA and not (respuesta.strip() or documento):
        raise ErrorDeNegocio("Escriba la respuesta o adjunte el documento de respuesta.", campo="respuesta")
    antes = {"estado": c.estado}
    c.estado, c.respuesta = estado, respuesta.strip()
    if estado == Correspondencia.Estado.RESPONDIDA:
        c.respondida_el = timezone.localdate()
    if documento:
        c.documento_respuesta = documento
    c.save()
    auditar(actor=actor, accion="correspondencia.responder", objeto=c, antes=antes, despues={"estado": estado})
    return c


# --- publication list ------------------------------------------------------------------------------

@transaction.atomic
def publicacion_proponer(*, actor, caso, motivo: str):
    """Propose an employer for the publication list; the case must meet the criteria (parameters
    mora_publicacion_*: days in mora, no current agreement, failed actions; mora.selectors)."""
    from ..models import CasoCobro, PropuestaPublicacion
    from ..selectors import publicacion_criterios

    motivo = (motivo or "").strip()
    if not motivo:
        raise ErrorDeNegocio("Indique por qué se propone su publicación.", campo="motivo")
    caso = CasoCobro.objects.select_for_update().get(pk=caso.pk)
    if PropuestaPublicacion.objects.filter(caso=caso, estado__in=["propuesta", "aprobada"]).exists():
        raise ErrorDeNegocio("Ese patrono ya está propuesto o aprobado para publicación.")
    faltan = publicacion_criterios(caso=caso).faltan
    if faltan:
        raise ErrorDeNegocio("No cumple los criterios de publicación: " + "; ".join(faltan) + ".")
    p = PropuestaPublicacion.objects.create(caso=caso, motivo=motivo[:500], propuesto_por=actor)
    auditar(actor=actor, accion="publicacion.proponer", objeto=p, despues={"caso": caso.pk, "motivo": motivo})
    return p


@transaction.atomic
def publicacion_resolver(*, actor, propuesta, aprobar: bool, nota: str = ""):
    """Four eyes: a jefe other than the proposer approves or rejects."""
    from ..models import PropuestaPublicacion

    if not actor.has_perm("mora.aprobar_propuestapublicacion"):
        raise ErrorDeNegocio("Su rol no puede aprobar la lista de publicación.")
    p = PropuestaPublicacion.objects.select_for_update().get(pk=propuesta.pk)
    if p.estado != PropuestaPublicacion.Estado.PROPUESTA:
        raise ErrorDeNegocio("Esa propuesta ya fue resuelta.")
    if p.propuesto_por_id == actor.pk:
        raise ErrorDeNegocio("Quien propone no puede aprobar su propia propuesta.")
    if not aprobar and not nota.strip():
        raise ErrorDeNegocio("Indique el motivo del rechazo.", campo="nota")
    p.estado = PropuestaPublicacion.Estado.APROBADA if aprobar else PropuestaPublicacion.Estado.RECHAZADA
    p.resuelto_por, p.resuelto_en, p.nota = actor, timezone.now(), nota.strip()[:500]
    p.save(update_fields=["estado", "resuelto_por", "resuelto_en", "nota"])
    auditar(actor=actor, accion="publicacion.resolver", objeto=p, despues={"estado": p.estado, "nota": p.nota})
    return p


# --- depuración ------------------------------------------------------------------------------------

@transaction.atomic
def depuracion_solicitar(*, actor, caso, area: str, descripcion: str):
    from ..models import SolicitudDepuracion

    if not (descripcion or "").strip():
        raise ErrorDeNegocio("Describa qué se pide depurar.", campo="descripcion")
    s = SolicitudDepuracion.objects.create(caso=caso, area=area, descripcion=descripcion.strip(), solicitada_por=actor)
    auditar(actor=actor, accion="depuracion.solicitar", objeto=s, despues={"caso": caso.pk, "area": area})
    return s


@transaction.atomic
def depuracion_responder(*, actor, solicitud, respuesta: str, fecha: date | None = None):
    from ..models import SolicitudDepuracion

    s = SolicitudDepuracion.objects.select_for_update().get(pk=solicitud.pk)
    if s.respondida_el:
        raise ErrorDeNegocio("Esa solicitud ya tiene respuesta.")
    if not (respuesta or "").strip():
        raise ErrorDeNegocio("Escriba la respuesta recibida.", campo="respuesta")
    fecha = fecha or timezone.localdate()
    if fecha > timezone.localdate():
        raise ErrorDeNegocio("La fecha no puede ser futura.", campo="fecha")
    s.respuesta, s.respondida_el, s.registrada_por = respuesta.strip(), fecha, actor
    s.save(update_fields=["respuesta", "respondida_el", "registrada_por"])
    auditar(actor=actor, accion="depuracion.responder", objeto=s, despues={"respondida_el": fecha.isoformat()})
    return s


# --- batches of planillas en mora ------------------------------------------------------------------

COLUMNAS_LOTE = ["numero_patronal", "periodo", "monto"]


@transaction.atomic
def lote_registrar(*, actor, origen: str, sucursal, recibido_el: date, archivo, referencia: str = ""):
    """Record a batch (CSV numero_patronal,periodo AAAA-MM,monto) and check each line against the
    ledger: the overdue balance of that número patronal and period today. All or nothing: a
    malformed file saves nothing and every error names its line."""
    import csv
    import io
    from decimal import InvalidOperation

    from django.core.files.base import ContentFile
    from django.db.models import Sum

    from cuentas.models import Cuenta, Obligacion

    from ..models import LineaLote, LotePlanillas

    contenido = archivo.read()
    try:
        texto = contenido.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ErrorDeNegocio("El archivo no está en UTF-8.", campo="archivo")
    filas = list(csv.reader(io.StringIO(texto)))
    if not filas or [c.strip().lower() for c in filas[0]] != COLUMNAS_LOTE:
        raise ErrorDeNegocio("La primera línea debe ser: " + ",".join(COLUMNAS_LOTE), campo="archivo")
    datos, errores = [], []
    for n, fila in enumerate(filas[1:], start=2):
        if not any(c.strip() for c in fila):
            continue
        if len(fila) != 3:
            errores.append(f"línea {n}: se esperaban 3 columnas")
            continue
        numero, periodo, monto = (c.strip() for c in fila)
        try:
            anio, mes = (int(x) for x in periodo.split("-"))
            periodo_d = date(anio, mes, 1)
        except ValueError:
            errores.append(f"línea {n}, columna periodo: use AAAA-MM")
            continue
        try:
            monto_d = Decimal(monto)
            if monto_d <= 0 or monto_d != monto_d.quantize(Decimal("0.01")):
                raise InvalidOperation
        except InvalidOperation:
            errores.append(f"línea {n}, columna monto: un monto mayor que cero con 2 decimales")
            continue
        datos.append((n, numero, periodo_d, monto_d))
    if errores:
        raise ErrorDeNegocio("El archivo tiene errores: " + "; ".join(errores[:20]), campo="archivo")
    if not datos:
        raise ErrorDeNegocio("El archivo no tiene líneas.", campo="archivo")
    hoy = timezone.localdate()
    cuentas = dict(Cuenta.objects.filter(numero__in={d[1] for d in datos}).values_list("numero", "pk"))
    vencido = {(c, p): s for c, p, s in Obligacion.objects.filter(
        cuenta_id__in=cuentas.values(), periodo__in={d[2] for d in datos}, saldo__gt=0, vencimiento__lt=hoy)
        .values("cuenta_id", "periodo").annotate(s=Sum("saldo")).values_list("cuenta_id", "periodo", "s")}
    lote = LotePlanillas(origen=origen, sucursal=sucursal, recibido_el=recibido_el, referencia=referencia.strip(),
                         registrado_por=actor)
    lote.archivo.save(getattr(archivo, "name", "lote.csv").rsplit("/", 1)[-1], ContentFile(contenido), save=False)
    lote.save()
    lineas = []
    for n, numero, periodo, monto in datos:
        cuenta_id = cuentas.get(numero)
        sistema = vencido.get((cuenta_id, periodo)) if cuenta_id else None
        if cuenta_id is None:
            resultado = LineaLote.Resultado.NO_EXISTE
        elif sistema is None:
            resultado = LineaLote.Resultado.SIN_MORA
        elif sistema == monto:
            resultado = LineaLote.Resultado.COINCIDE
        else:
            resultado = LineaLote.Resultado.DIFERENCIA
        lineas.append(LineaLote(lote=lote, linea=n, numero_patronal=numero, periodo=periodo, monto_informado=monto,
                                monto_sistema=sistema, resultado=resultado))
    LineaLote.objects.bulk_create(lineas)
    auditar(actor=actor, accion="lote.registrar", objeto=lote, despues={
        "lineas": len(lineas), "diferencias": sum(1 for x in lineas if x.resultado != LineaLote.Resultado.COINCIDE)})
    return lote
