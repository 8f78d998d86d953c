"""Organisation (sucursales), users and the audit log.

Invariants:
- Nothing here is hard-deleted: users and sucursales are deactivated (`activo` / `is_active`).
- The audit log is append-only: a trigger (migration 0002) rejects UPDATE and DELETE on it.
"""
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Sucursal(models.Model):
    """An ISSS administrative branch office (sucursal administrativa)."""

    codigo = models.CharField("código", max_length=10, unique=True)
    nombre = models.CharField("nombre", max_length=120, unique=True)
    departamento = models.CharField("departamento", max_length=60, blank=True)
    direccion = models.CharField("dirección", max_length=250, blank=True)
    telefono = models.CharField("teléfono", max_length=30, blank=True)
    activa = models.BooleanField("activa", default=True)

    class Meta:
        ordering = ["nombre"]
        verbose_name = "sucursal"
        verbose_name_plural = "sucursales"

    def __str__(self):
        return self.nombre


class Usuario(AbstractUser):
    """A staff member. Roles are Django groups (issscobros.roles); the sucursal scopes what a
    jefe de sucursal and a gestor see."""

    sucursal = models.ForeignKey(
        Sucursal, verbose_name="sucursal", null=True, blank=True, on_delete=models.PROTECT,
        related_name="usuarios",
    )
    cargo = models.CharField("cargo", max_length=120, blank=True)

    class Meta:
        verbose_name = "usuario"
        verbose_name_plural = "usuarios"
        ordering = ["username"]

    def __str__(self):
        return self.get_full_name() or self.username


class RegistroAuditoria(models.Model):
    """Who did what to which object, when, with the values before and after."""

    momento = models.DateTimeField("momento", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="usuario", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    accion = models.CharField("acción", max_length=60, db_index=True)
    tipo_objeto = models.ForeignKey(
        ContentType, verbose_name="tipo de objeto", null=True, blank=True, on_delete=models.PROTECT
    )
    objeto_id = models.CharField("id del objeto", max_length=64, blank=True, db_index=True)
    objeto_repr = models.CharField("objeto", max_length=250, blank=True)
    antes = models.JSONField("antes", null=True, blank=True)
    despues = models.JSONField("después", null=True, blank=True)

    class Meta:
        ordering = ["-momento", "-id"]
        verbose_name = "registro de auditoría"
        verbose_name_plural = "registros de auditoría"
        indexes = [models.Index(fields=["tipo_objeto", "objeto_id"])]

    def __str__(self):
        return f"{self.momento:%d/%m/%Y %H:%M} {self.actor} {self.accion} {self.objeto_repr}"


class TokenApi(models.Model):
    """A token for the JSON API (CONTRACTS §7). Only its SHA-256 is stored; the token itself is shown
    once, by `manage.py token_api`."""

    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tokens_api")
    clave_sha256 = models.CharField(max_length=64, unique=True)
    prefijo = models.CharField("prefijo", max_length=8)
    creado_en = models.DateTimeField("creado en", auto_now_add=True)
    ultimo_uso = models.DateTimeField("último uso", null=True, blank=True)
    activo = models.BooleanField("activo", default=True)

    class Meta:
        verbose_name = "token de API"
        verbose_name_plural = "tokens de API"

    def __str__(self):
        return f"{self.prefijo}… de {self.usuario}"
