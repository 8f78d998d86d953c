"""Parameters and holidays, kept by the administrator. A parameter is never edited: a new value is
a new vigencia, so obligations already computed keep the value they were computed with."""
from django.db import IntegrityError, transaction

from issscobros.auditoria import auditar, instantanea
from issscobros.errores import ErrorDeNegocio

from ..models import Feriado, Parametro


@transaction.atomic
def parametro_agregar(*, actor, datos: dict) -> Parametro:
    parametro = Parametro(creado_por=actor, **{k: datos[k] for k in ("clave", "valor", "vigente_desde", "fuente", "nota")})
    try:
        with transaction.atomic():
            parametro.save()
    except IntegrityError as exc:
        raise ErrorDeNegocio("Ya existe un valor de ese parámetro con esa vigencia.", campo="vigente_desde") from exc
    auditar(actor=actor, accion="parametro.agregar", objeto=parametro,
            despues=instantanea(parametro, ["clave", "valor", "vigente_desde", "fuente"]))
    return parametro


@transaction.atomic
def feriado_agregar(*, actor, datos: dict) -> Feriado:
    feriado = Feriado(fecha=datos["fecha"], nombre=datos["nombre"])
    try:
        with transaction.atomic():
            feriado.save()
    except IntegrityError as exc:
        raise ErrorDeNegocio("Esa fecha ya está registrada como feriado.", campo="fecha") from exc
    auditar(actor=actor, accion="feriado.agregar", objeto=feriado, despues=instantanea(feriado, ["fecha", "nombre"]))
    return feriado
