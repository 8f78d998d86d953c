"""Payrolls (planillas) and their worker lines, and the record of imported files.

Invariants: a planilla and its lines are never edited nor deleted (a correction is a complementary
planilla) — trigger in migration cuentas 0004; one planilla per (cuenta, periodo, tipo) except
complementarias (partial UNIQUE); an imported file (by SHA-256) is applied once (UNIQUE)."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now

from .registro import Cuenta


class Importacion(models.Model):
    class Tipo(models.TextChoices):
        PLANILLAS = "planillas", "Planillas"
        PAGOS = "pagos", "Pagos"

    tipo = models.CharField(max_length=20, choices=Tipo.choices)
    nombre_archivo = models.CharField("archivo", max_length=250)
    sha256 = models.CharField(max_length=64)
    filas = models.PositiveIntegerField(default=0)
    resumen = models.JSONField(default=dict)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    creado_en = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["-creado_en"]
        constraints = [models.UniqueConstraint(fields=["tipo", "sha256"], name="importacion_archivo_unico")]

    def __str__(self):
        return f"{self.get_tipo_display()} {self.nombre_archivo}"


class Planilla(models.Model):
    class Tipo(models.TextChoices):
        SPU = "SPU", "SPU/SEPP electrónica"
        PRE_ELABORADA = "PRE_ELABORADA", "Pre-elaborada"
        MECANIZADA = "MECANIZADA", "Mecanizada tradicional"
        FACTURACION_DIRECTA = "FACTURACION_DIRECTA", "Facturación directa"
        COMPLEMENTARIA = "COMPLEMENTARIA", "Complementaria"
        MORA_PARCIAL = "MORA_PARCIAL", "Mora parcial (Inspección)"

    cuenta = models.ForeignKey(Cuenta, on_delete=models.PROTECT, related_name="planillas")
    periodo = models.DateField("periodo")
    tipo = models.CharField("tipo", max_length=20, choices=Tipo.choices)
    fecha_presentacion = models.DateField("fecha de presentación")
    vencimiento = models.DateField("vencimiento")
    trabajadores = models.PositiveIntegerField("trabajadores")
    total_salarios = models.DecimalField("salarios", max_digits=14, decimal_places=2)
    total_patronal = models.DecimalField("cotización patronal", max_digits=14, decimal_places=2)
    total_laboral = models.DecimalField("cotización laboral", max_digits=14, decimal_places=2)
    total_insaforp = models.DecimalField("INSAFORP", max_digits=14, decimal_places=2, default=0)
    importacion = models.ForeignKey(Importacion, null=True, blank=True, on_delete=models.PROTECT, related_name="planillas")
    creado_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    creado_en = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["cuenta", "periodo", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cuenta", "periodo", "tipo"], condition=~Q(tipo="COMPLEMENTARIA"),
                name="planilla_unica_por_periodo_tipo",
                violation_error_message="Ya existe una planilla de ese tipo para ese periodo; use una complementaria.",
            ),
        ]

    def __str__(self):
        return f"Planilla {self.get_tipo_display()} {self.periodo:%Y-%m}"

    @property
    def total(self):
        return self.total_patronal + self.total_laboral + self.total_insaforp


class LineaPlanilla(models.Model):
    """A worker line, kept for worker certifications (indexed by affiliate number and DUI)."""

    planilla = models.ForeignKey(Planilla, on_delete=models.PROTECT, related_name="lineas")
    numero_afiliado = models.CharField("número de afiliación", max_length=15)
    dui = models.CharField("DUI", max_length=9, blank=True)
    nombre = models.CharField("nombre", max_length=150)
    salario = models.DecimalField("salario", max_digits=12, decimal_places=2)
    dias = models.PositiveSmallIntegerField("días")
    salario_afecto = models.DecimalField("salario afecto", max_digits=12, decimal_places=2)
    cotizacion_patronal = models.DecimalField(max_digits=12, decimal_places=2)
    cotizacion_laboral = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        indexes = [
            models.Index(fields=["numero_afiliado"], name="lineaplanilla_afiliado"),
            models.Index(fields=["dui"], name="lineaplanilla_dui", condition=~Q(dui="")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(salario__gte=0), name="lineaplanilla_salario_no_negativo"),
            models.CheckConstraint(condition=Q(dias__lte=31), name="lineaplanilla_dias_en_rango"),
        ]
