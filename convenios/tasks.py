"""Nightly work of the convenios app (schedule: migration 0002, editable in Programación): breach
detection on every agreement in force and the check of conditional Board acuerdos whose date has
passed. The same services the buttons call; running twice changes nothing."""
from datetime import date

from celery import shared_task
from django.utils import timezone

from .models import Transaccion
from .services.incumplimiento import convenios_revisar
from .services.transacciones import transaccion_verificar_condicion


def condiciones_verificar(*, actor, al: date) -> list[int]:
    """Conditional acuerdos past their date and not yet checked; returns those reversed."""
    revertidas = []
    pendientes = Transaccion.objects.filter(estado=Transaccion.Estado.ACUERDO, condicion_fecha__lt=al,
                                            condicion_cumplida__isnull=True).order_by("pk")
    for t in pendientes:
        if transaccion_verificar_condicion(actor=actor, transaccion=t, al=al).estado == Transaccion.Estado.REVERTIDA:
            revertidas.append(t.pk)
    return revertidas


@shared_task(name="convenios.nocturno")
def nocturno(fecha: str | None = None) -> dict:
    al = date.fromisoformat(fecha) if fecha else timezone.localdate()
    return {"fecha": al.isoformat(), "incumplidos": convenios_revisar(actor=None, al=al),
            "condiciones_revertidas": condiciones_verificar(actor=None, al=al)}
