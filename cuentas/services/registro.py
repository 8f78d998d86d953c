"""Writes to the debtor registry. Each function is one business action: it validates, saves,
audits, inside one transaction. Views call these; nothing else saves a Deudor or a Cuenta."""
from datetime import date

from django.db import IntegrityError, transaction

from issscobros.auditoria import auditar, instantanea
from issscobros.errores import ErrorDeNegocio

from ..busqueda import normalizar
from ..models import Cuenta, Deudor

CAMPOS_DEUDOR = [
    "tipo", "nit", "dui", "razon_social", "nombre_comercial", "direccion", "municipio", "telefono",
    "correo", "representante_legal", "sucursal", "zona_franca_dpa", "regimen_especial", "activo",
]


def _normalizar_nombre(deudor: Deudor) -> None:
    deudor.nombre_normalizado = normalizar(f"{deudor.razon_social} {deudor.nombre_comercial}")


def _guardar(obj) -> None:
    """full_clean mirrors the database constraints as field errors; the database has the last word."""
    try:
        obj.full_clean()
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:  # a concurrent insert took the NIT / número first
        raise ErrorDeNegocio("Ya existe un registro con ese NIT, DUI o número.") from exc


@transaction.atomic
def deudor_crear(*, actor, datos: dict) -> Deudor:
    deudor = Deudor(**{k: v for k, v in datos.items() if k in CAMPOS_DEUDOR})
    _normalizar_nombre(deudor)
    _guardar(deudor)
    auditar(actor=actor, accion="deudor.crear", objeto=deudor, despues=instantanea(deudor, CAMPOS_DEUDOR))
    return deudor


@transaction.atomic
def deudor_actualizar(*, actor, deudor: Deudor, datos: dict) -> Deudor:
    deudor = Deudor.objects.select_for_update().get(pk=deudor.pk)
    antes = instantanea(deudor, CAMPOS_DEUDOR)
    for campo, valor in datos.items():
        if campo in CAMPOS_DEUDOR:
            setattr(deudor, campo, valor)
    _normalizar_nombre(deudor)
    _guardar(deudor)
    despues = instantanea(deudor, CAMPOS_DEUDOR)
    if antes != despues:
        auditar(actor=actor, accion="deudor.actualizar", objeto=deudor, antes=antes, despues=despues)
    return deudor


def deudor_desactivar(*, actor, deudor: Deudor) -> Deudor:
    return deudor_actualizar(actor=actor, deudor=deudor, datos={"activo": False})


def deudor_activar(*, actor, deudor: Deudor) -> Deudor:
    return deudor_actualizar(actor=actor, deudor=deudor, datos={"activo": True})


CAMPOS_CUENTA = ["tipo", "numero", "descripcion", "estado", "fecha_apertura"]


@transaction.atomic
def cuenta_crear(*, actor, deudor: Deudor, datos: dict) -> Cuenta:
    cuenta = Cuenta(deudor=deudor, **{k: v for k, v in datos.items() if k in CAMPOS_CUENTA})
    if cuenta.fecha_apertura is None:
        cuenta.fecha_apertura = date.today()
    _guardar(cuenta)
    auditar(actor=actor, accion="cuenta.crear", objeto=cuenta, despues=instantanea(cuenta, CAMPOS_CUENTA))
    return cuenta


@transaction.atomic
def cuenta_actualizar(*, actor, cuenta: Cuenta, datos: dict) -> Cuenta:
    cuenta = Cuenta.objects.select_for_update().get(pk=cuenta.pk)
    antes = instantanea(cuenta, CAMPOS_CUENTA)
    for campo, valor in datos.items():
        if campo in CAMPOS_CUENTA and campo != "numero":  # a número patronal never changes hands
            setattr(cuenta, campo, valor)
    _guardar(cuenta)
    despues = instantanea(cuenta, CAMPOS_CUENTA)
    if antes != despues:
        auditar(actor=actor, accion="cuenta.actualizar", objeto=cuenta, antes=antes, despues=despues)
    return cuenta

