"""The ledger's background jobs (issscobros.procesos.tipos names them): the nightly reconciliation
and batch statements. Each per-item function takes ids, reloads state and calls the same service a
button calls; the runner records each item in the same transaction, so each is done once."""
from datetime import date

from django.db.models import Exists, OuterRef

from issscobros.documentos import hoy
from issscobros.errores import ErrorDeNegocio

from .conciliacion import conciliacion_ejecutar
from .documentos import estado_cuenta_emitir
from .models import Cuenta, Obligacion
from .selectors import cuentas_para_usuario

# --- reconciliation: one item, the whole ledger ----------------------------------------------------


def conciliacion_seleccionar(*, actor, parametros) -> list[int]:
    return [1]


def conciliacion_item(*, actor, item, parametros) -> dict:
    fecha = parametros.get("fecha")
    ejecucion, diferencias = conciliacion_ejecutar(actor=actor, fecha=date.fromisoformat(fecha) if fecha else None)
    return {"ejecucion": ejecucion.pk, "diferencias": len(diferencias)}


# --- batch statements ------------------------------------------------------------------------------

SELECCIONES = {"sucursal": "Los patronos de una sucursal", "mora": "Todos los patronos en mora",
               "numeros": "Una lista de números patronales"}


def _fecha(parametros) -> date:
    return date.fromisoformat(parametros["fecha"]) if parametros.get("fecha") else hoy()


def estados_seleccionar(*, actor, parametros) -> list[int]:
    """Cuenta ids of the selection, within what the user may see (a schedule sees everything)."""
    cuentas = cuentas_para_usuario(user=actor) if actor is not None else Cuenta.objects.all()
    cuentas = cuentas.filter(tipo=Cuenta.Tipo.PATRONAL)
    seleccion = parametros.get("seleccion")
    if seleccion == "sucursal":
        cuentas = cuentas.filter(deudor__sucursal_id=parametros.get("sucursal_id"))
    elif seleccion == "mora":
        vencida = Obligacion.objects.filter(cuenta=OuterRef("pk"), saldo__gt=0, vencimiento__lt=_fecha(parametros))
        cuentas = cuentas.filter(Exists(vencida))
    elif seleccion == "numeros":
        numeros = list(dict.fromkeys(parametros.get("numeros") or []))
        encontradas = dict(cuentas.filter(numero__in=numeros).values_list("numero", "pk"))
        faltan = [n for n in numeros if n not in encontradas]
        if faltan:
            raise ErrorDeNegocio("Estos números patronales no existen o no puede verlos: " + ", ".join(faltan[:20]),
                                 campo="numeros")
        return [encontradas[n] for n in numeros]
    else:
        raise ErrorDeNegocio("Elija qué estados de cuenta emitir.", campo="seleccion")
    return list(cuentas.order_by("numero").values_list("pk", flat=True))


def estado_item(*, actor, item, parametros) -> dict:
    cuenta = Cuenta.objects.select_related("deudor").get(pk=item)
    documento = estado_cuenta_emitir(actor=actor, deudor=cuenta.deudor, cuenta=cuenta, fecha=_fecha(parametros))
    return {"documento_id": documento.pk, "folio": documento.folio}
