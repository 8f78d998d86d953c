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


class Documento(models.Model):
    """The register of issued documents (ARCHITECTURE.md, Documents): number from a series per type
    and year, who issued it and when, the data snapshot it was built from, and its bytes with their
    SHA-256. A reprint returns these bytes. Append-only (trigger, migration 0005)."""

    class Tipo(models.TextChoices):
        ESTADO_CUENTA = "estado_cuenta", "Estado de cuenta"
        CERTIFICACION_SALDOS = "certificacion_saldos", "Certificación de saldos"
        CERTIFICACION_PAGO = "certificacion_pago", "Certificación de pago"
        CUENTA_INDIVIDUAL = "cuenta_individual", "Certificación de cuenta individual"
        DIAS_SALARIOS = "dias_salarios", "Reporte de días y salarios"
        COMPROBANTE = "comprobante", "Comprobante contable"
        CONTROL_PARTIDAS = "control_partidas", "Control contable de partidas tramitadas"
        CONFORMACION = "conformacion", "Conformación de cuentas auxiliares"
        INDICADORES = "indicadores", "Indicadores de gestión"
        SOLVENCIA = "solvencia", "Solvencia"
        NO_INSCRITO = "no_inscrito", "Constancia de no inscrito"
        CONVENIO = "convenio", "Convenio de pago"
        ANTEPROYECTO = "anteproyecto", "Anteproyecto de acuerdo"

    PREFIJOS = {
        "estado_cuenta": "EC", "certificacion_saldos": "CS", "certificacion_pago": "CP", "cuenta_individual": "CI",
        "dias_salarios": "DS", "comprobante": "PD", "control_partidas": "CC", "conformacion": "CA",
        "indicadores": "IG", "solvencia": "SV", "no_inscrito": "NI", "convenio": "CV", "anteproyecto": "AP",
    }

    tipo = models.CharField("tipo", max_length=30, choices=Tipo.choices)
    anio = models.PositiveSmallIntegerField("año")
    numero = models.PositiveIntegerField("número")
    codigo = models.CharField("código de verificación", max_length=32, unique=True)
    referencia = models.CharField("referencia", max_length=60, db_index=True,
                                  help_text="Número patronal, NIT, afiliado o periodo del documento.")
    emitido_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    emitido_en = models.DateTimeField("emitido en")
    datos = models.JSONField("datos certificados")
    pdf = models.BinaryField("PDF")
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        ordering = ["-emitido_en", "-id"]
        verbose_name = "documento emitido"
        verbose_name_plural = "documentos emitidos"
        constraints = [models.UniqueConstraint(fields=["tipo", "anio", "numero"], name="documento_numero_unico")]
        permissions = [("emitir_documento", "Puede emitir estados de cuenta y certificaciones")]

    def __str__(self):
        return f"{self.get_tipo_display()} {self.folio}"

    @property
    def folio(self) -> str:
        return f"{self.PREFIJOS[self.tipo]}-{self.anio}-{self.numero:06d}"


class SerieDocumento(models.Model):
    """The last number issued per type and year; its row lock makes numbering gapless under
    concurrent issuance (the number is taken in the same transaction as the document)."""

    tipo = models.CharField(max_length=30)
    anio = models.PositiveSmallIntegerField()
    ultimo = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tipo", "anio"], name="serie_documento_unica")]


class Proceso(models.Model):
    """One run of a background job (issscobros.procesos): what, with which parameters, who or which
    schedule started it, and how far it got. Items are processed in chunks; each item done is a
    ProcesoItem written in the same transaction as its work, so a retry or a redelivered chunk
    skips it (exactly once). At most one run per tipo is pendiente or en curso (advisory lock on
    start, and the partial unique index below)."""

    class Estado(models.TextChoices):
        PENDIENTE = "pendiente", "Pendiente"
        EN_CURSO = "en_curso", "En curso"
        TERMINADO = "terminado", "Terminado"
        FALLIDO = "fallido", "Fallido"

    ACTIVOS = (Estado.PENDIENTE, Estado.EN_CURSO)

    tipo = models.CharField("tipo", max_length=40, db_index=True)
    parametros = models.JSONField("parámetros", default=dict, blank=True)
    items = models.JSONField("elementos", default=list, blank=True)
    tamano_trozo = models.PositiveIntegerField("elementos por trozo", default=20)
    iniciado_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name="iniciado por")
    programacion = models.CharField("programación", max_length=200, blank=True,
                                    help_text="Nombre de la programación que lo inició, si no fue una persona.")
    estado = models.CharField("estado", max_length=12, choices=Estado.choices, default=Estado.PENDIENTE)
    intento = models.PositiveSmallIntegerField("intento", default=1)
    creado_en = models.DateTimeField("creado en", auto_now_add=True)
    iniciado_en = models.DateTimeField("iniciado en", null=True, blank=True)
    terminado_en = models.DateTimeField("terminado en", null=True, blank=True)
    actualizado_en = models.DateTimeField("último avance", auto_now=True)
    total = models.PositiveIntegerField("total", default=0)
    hechos = models.PositiveIntegerField("hechos", default=0)
    resultado = models.JSONField("resultado", default=dict, blank=True)
    errores = models.JSONField("errores", default=list, blank=True)
    archivo = models.CharField("archivo de resultado", max_length=200, blank=True)

    class Meta:
        ordering = ["-creado_en", "-id"]
        verbose_name = "proceso"
        verbose_name_plural = "procesos"
        constraints = [
            models.UniqueConstraint(fields=["tipo"], condition=models.Q(estado__in=["pendiente", "en_curso"]),
                                    name="proceso_uno_activo_por_tipo",
                                    violation_error_message="Ya hay un proceso de ese tipo en curso."),
        ]
        permissions = [("iniciar_proceso", "Puede iniciar y reintentar procesos")]

    def __str__(self):
        return f"Proceso {self.pk} ({self.tipo})"

    @property
    def porcentaje(self) -> int:
        return int(self.hechos * 100 / self.total) if self.total else (100 if self.estado == "terminado" else 0)

    @property
    def activo(self) -> bool:
        return self.estado in self.ACTIVOS


class ProcesoItem(models.Model):
    """An item of a run that is done: written in the same transaction as the item's work."""

    proceso = models.ForeignKey(Proceso, on_delete=models.PROTECT, related_name="hechos_items")
    item = models.BigIntegerField("elemento")
    documento = models.ForeignKey(Documento, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resultado = models.JSONField("resultado", default=dict, blank=True)
    hecho_en = models.DateTimeField("hecho en", auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proceso", "item"], name="proceso_item_unico")]


class ProcesoTrozo(models.Model):
    """A chunk of an attempt that finished (its errors, if any): the run is over when every chunk of
    the current attempt has one."""

    proceso = models.ForeignKey(Proceso, on_delete=models.PROTECT, related_name="trozos")
    intento = models.PositiveSmallIntegerField()
    indice = models.PositiveIntegerField()
    errores = models.JSONField(default=list, blank=True)
    terminado_en = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proceso", "intento", "indice"], name="proceso_trozo_unico")]
