"""The catalogue of job types. Each names, by dotted path (so this module imports no app), the
function that selects the items of a run and the service done per item; an optional function runs
once when every item is done (e.g. build the ZIP of a batch).

    seleccionar(*, actor, parametros) -> list[int]        ids, in the order they are processed
    por_item(*, actor, item, parametros) -> dict           {"documento_id": …} when it issues one
    al_terminar(proceso) -> dict                           merged into proceso.resultado
"""
from dataclasses import dataclass
from functools import cached_property

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class TipoProceso:
    codigo: str
    nombre: str
    permiso: str                 # to start or retry it, besides issscobros.iniciar_proceso
    seleccionar: str
    por_item: str
    al_terminar: str = ""
    tamano_trozo: int = 20
    # False for work that is safe to repeat and should not run inside one long transaction (the
    # reconciliation runs its checks in parallel, on their own connections): the item is recorded
    # after the work instead of with it, so a worker killed in between repeats it.
    en_transaccion: bool = True
    formulario: str = ""         # form for its parameters (issscobros.procesos.formularios)
    descripcion: str = ""

    @cached_property
    def funcion_seleccionar(self):
        return import_string(self.seleccionar)

    @cached_property
    def funcion_por_item(self):
        return import_string(self.por_item)

    @cached_property
    def funcion_al_terminar(self):
        return import_string(self.al_terminar) if self.al_terminar else None


_CATALOGO = [
    TipoProceso(
        codigo="conciliacion", nombre="Conciliación del libro", permiso="cuentas.view_diferenciaconciliacion",
        seleccionar="cuentas.tasks.conciliacion_seleccionar", por_item="cuentas.tasks.conciliacion_item",
        tamano_trozo=1, en_transaccion=False,
        descripcion="Cuadre de asientos, saldos, cuentas y recibos, y cifras de control de Contabilidad "
                    "Institucional y UPISSS. Corre cada noche."),
    TipoProceso(
        codigo="estados_cuenta", nombre="Estados de cuenta en lote", permiso="issscobros.emitir_documento",
        seleccionar="cuentas.tasks.estados_seleccionar", por_item="cuentas.tasks.estado_item",
        al_terminar="issscobros.procesos.zip.documentos_zip", formulario="issscobros.procesos.formularios.EstadosCuentaForm",
        descripcion="Un estado de cuenta por número patronal de la selección, registrado una vez en el "
                    "registro de documentos; el resultado se descarga como un ZIP."),
]


def _opcionales() -> list[TipoProceso]:
    """Job types whose service another app provides, listed once it exists (solvencias)."""
    try:
        import_string("solvencias.services.solvencia_electronica_emitir")
        import_string("solvencias.selectors.deudores_para_lote_electronico")
    except ImportError:
        return []
    return [TipoProceso(
        codigo="solvencias_electronicas", nombre="Solvencias electrónicas (Zona Franca/DPA)",
        permiso="solvencias.add_solvencia", seleccionar="issscobros.procesos.solvencias.seleccionar",
        por_item="issscobros.procesos.solvencias.por_item", al_terminar="issscobros.procesos.zip.documentos_zip",
        formulario="issscobros.procesos.formularios.SolvenciasElectronicasForm",
        descripcion="Una solvencia electrónica por patrono de Zona Franca o DPA que esté solvente en el mes; "
                    "las ya emitidas no se repiten. El resultado se descarga como un ZIP.")]


def tipos() -> dict[str, TipoProceso]:
    return {t.codigo: t for t in _CATALOGO + _opcionales()}


def tipo(codigo: str) -> TipoProceso:
    return tipos()[codigo]
