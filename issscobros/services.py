"""Writes to the organisation: users, their roles, sucursales. Each audited."""
from django.contrib.auth.models import Group
from django.db import transaction

from . import roles
from .auditoria import auditar, instantanea
from .models import Sucursal, Usuario

CAMPOS_USUARIO = ["username", "first_name", "last_name", "email", "cargo", "sucursal", "is_active"]
CAMPOS_SUCURSAL = ["codigo", "nombre", "departamento", "direccion", "telefono", "activa"]


def _foto_usuario(usuario: Usuario) -> dict:
    datos = instantanea(usuario, CAMPOS_USUARIO)
    datos["roles"] = sorted(usuario.groups.values_list("name", flat=True))
    return datos


@transaction.atomic
def usuario_guardar(*, actor, usuario: Usuario | None, datos: dict, roles_asignados: list[str],
                    password: str | None = None) -> Usuario:
    """Create (usuario=None) or update a user with exactly the given roles."""
    nuevo = usuario is None
    if nuevo:
        usuario = Usuario()
        antes = None
    else:
        usuario = Usuario.objects.select_for_update().get(pk=usuario.pk)
        antes = _foto_usuario(usuario)
    for campo in CAMPOS_USUARIO:
        if campo in datos:
            setattr(usuario, campo, datos[campo])
    # Staff status follows the administrator role, so only administrators reach Django's admin.
    usuario.is_staff = roles.ADMINISTRADOR in roles_asignados
    if password:
        usuario.set_password(password)
    elif nuevo:
        usuario.set_unusable_password()
    usuario.full_clean(exclude=["password"])
    usuario.save()
    usuario.groups.set(Group.objects.filter(name__in=[r for r in roles_asignados if r in roles.NOMBRES]))
    despues = _foto_usuario(usuario)
    if antes != despues or password:
        auditar(actor=actor, accion="usuario.crear" if nuevo else "usuario.actualizar",
                objeto=usuario, antes=antes, despues=despues)
    return usuario


@transaction.atomic
def sucursal_guardar(*, actor, sucursal: Sucursal | None, datos: dict) -> Sucursal:
    nuevo = sucursal is None
    sucursal = Sucursal() if nuevo else Sucursal.objects.select_for_update().get(pk=sucursal.pk)
    antes = None if nuevo else instantanea(sucursal, CAMPOS_SUCURSAL)
    for campo in CAMPOS_SUCURSAL:
        if campo in datos:
            setattr(sucursal, campo, datos[campo])
    sucursal.full_clean()
    sucursal.save()
    despues = instantanea(sucursal, CAMPOS_SUCURSAL)
    if antes != despues:
        auditar(actor=actor, accion="sucursal.crear" if nuevo else "sucursal.actualizar",
                objeto=sucursal, antes=antes, despues=despues)
    return sucursal
