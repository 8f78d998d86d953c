"""Shared fixtures: one user per role (groups come from the data migration), a sucursal."""
import pytest
from django.contrib.auth.models import Group

from issscobros import roles
from issscobros.models import Sucursal, Usuario

CLAVE = "clave-de-prueba-123"


@pytest.fixture
def sucursal(db):
    return Sucursal.objects.create(codigo="SS01", nombre="Sucursal San Salvador Centro", departamento="San Salvador")


@pytest.fixture
def crear_usuario(db, sucursal):
    def crear(username: str, *rol: str, **extra) -> Usuario:
        usuario = Usuario.objects.create_user(username=username, password=CLAVE, sucursal=sucursal, **extra)
        usuario.groups.set(Group.objects.filter(name__in=rol))
        return usuario
    return crear


@pytest.fixture
def usuarios(crear_usuario):
    """{role: user} for the seven roles."""
    return {rol: crear_usuario(f"u_{rol}", rol) for rol in roles.ROLES}


@pytest.fixture
def cliente_de(client, usuarios):
    """cliente_de(role) -> a test client signed in as that role's user."""
    def como(rol: str):
        client.force_login(usuarios[rol])
        return client
    return como
