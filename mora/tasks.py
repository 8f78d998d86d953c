"""Nightly work of the collection department, in order: open the missing cases, review the SLAs,
snapshot the dashboard's figures. Each step is the same service a button calls and is idempotent,
so a rerun or a redelivered task changes nothing twice."""
from celery import shared_task

from .generacion import cartera_generar
from .kpi import kpi_instantanea
from .sla import casos_revisar_sla


@shared_task(name="mora.nocturno")
def mora_nocturno() -> dict:
    generacion = cartera_generar(actor=None)
    propuestos = casos_revisar_sla(actor=None)
    snapshot = kpi_instantanea()
    return {"casos_abiertos": generacion.abiertos, "sin_gestor": generacion.sin_gestor,
            "propuestos_juridico": propuestos, "snapshot": snapshot.fecha.isoformat(), "kpi_ms": snapshot.duracion_ms}
