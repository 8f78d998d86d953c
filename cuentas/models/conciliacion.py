"""Reconciliation: the control figures other units send, each run, and the differences it found.

Invariants:
- Control figures are never edited nor deleted: a new upload of the same source and month supersedes
  the older one (the latest carga that covers a month is the one compared).
- A difference is identified by its `clave` (check + object): while it stays open, later runs that
  find it again update it instead of listing it twice; a run that no longer finds it closes it as
  corrected. A person resolves it (with a note) when it is explained; who and when is recorded.
- The history of runs is kept (EjecucionConciliacion), one row per run."""
from django.conf import settings
from django.db import models
from django.db.models import Q


class Fuente(models.TextChoices):
    CONTABILIDAD = "contabilidad", "Contabilidad Institucional"
    UPISSS = "upisss", "UPISSS"


class CargaCifras(models.Model):
    """One CSV of control figures as received (docs/procesos.md describes the format)."""

    fuente = models.CharField("fuente", max_length=20, choices=Fuente.choices)
    archivo = models.CharField("archivo", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    filas = models.PositiveIntegerField("filas")
    cargado_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cargado_en = models.DateTimeField("cargado en", auto_now_add=True)

    class Meta:
        ordering = ["-cargado_en", "-id"]
        verbose_name = "carga de cifras de control"
        verbose_name_plural = "cargas de cifras de control"

    def __str__(self):
        return f"{self.get_fuente_display()} · {self.archivo}"


class CifraControl(models.Model):
    """Movements of one GL account in one month according to the source."""

    carga = models.ForeignKey(CargaCifras, on_delete=models.PROTECT, related_name="cifras")
    cuenta_contable = models.CharField("cuenta contable", max_length=20)
    mes = models.DateField("mes", help_text="Primer día del mes.")
    debe = models.DecimalField("debe", max_digits=16, decimal_places=2)
    haber = models.DecimalField("haber", max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = "cifra de control"
        verbose_name_plural = "cifras de control"
        constraints = [
            models.UniqueConstraint(fields=["carga", "cuenta_contable", "mes"], name="cifra_unica_por_carga"),
            models.CheckConstraint(condition=Q(debe__gte=0, haber__gte=0), name="cifra_no_negativa"),
        ]


class EjecucionConciliacion(models.Model):
    iniciada_en = models.DateTimeField("iniciada en", auto_now_add=True)
    terminada_en = models.DateTimeField("terminada en", null=True, blank=True)
    fecha = models.DateField("fecha de corte", null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", help_text="Vacío cuando la corrió la programación.")
    diferencias = models.PositiveIntegerField("diferencias", default=0)
    segundos = models.FloatField("segundos", null=True, blank=True)

    class Meta:
        ordering = ["-iniciada_en", "-id"]
        verbose_name = "ejecución de conciliación"
        verbose_name_plural = "ejecuciones de conciliación"

    def __str__(self):
        return f"Conciliación {self.pk} ({self.iniciada_en:%d/%m/%Y %H:%M})"


class DiferenciaConciliacion(models.Model):
    class Estado(models.TextChoices):
        ABIERTA = "abierta", "Abierta"
        RESUELTA = "resuelta", "Resuelta"
        CORREGIDA = "corregida", "Ya no aparece"

    clave = models.CharField("clave", max_length=200, db_index=True)
    control = models.CharField("control", max_length=60)
    objeto = models.CharField("objeto", max_length=200)
    esperado = models.CharField("esperado", max_length=200)
    encontrado = models.CharField("encontrado", max_length=200)
    primera_ejecucion = models.ForeignKey(EjecucionConciliacion, on_delete=models.PROTECT, related_name="+")
    ultima_ejecucion = models.ForeignKey(EjecucionConciliacion, on_delete=models.PROTECT, related_name="diferencias_vistas")
    estado = models.CharField("estado", max_length=12, choices=Estado.choices, default=Estado.ABIERTA)
    asignada_a = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="diferencias_asignadas", verbose_name="asignada a")
    nota = models.TextField("nota de resolución", blank=True)
    resuelta_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resuelta_en = models.DateTimeField("resuelta en", null=True, blank=True)

    class Meta:
        ordering = ["estado", "-ultima_ejecucion_id", "id"]
        verbose_name = "diferencia de conciliación"
        verbose_name_plural = "diferencias de conciliación"
        permissions = [("resolver_diferenciaconciliacion", "Puede asignar y resolver diferencias de conciliación")]
        constraints = [
            # While a difference is open it is one row, however many runs find it.
            models.UniqueConstraint(fields=["clave"], condition=Q(estado="abierta"), name="diferencia_abierta_unica"),
            models.CheckConstraint(condition=~Q(estado="resuelta") | (Q(resuelta_por__isnull=False) & ~Q(nota="")),
                                   name="diferencia_resuelta_con_nota"),
        ]

    def __str__(self):
        return f"{self.control}: {self.objeto}"
