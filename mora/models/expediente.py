"""The case file (expediente) and the judicial steps of a case referred to the Unidad Jurídica.

Invariants: a document of the file is never deleted nor changed (trigger, migration 0002); its
SHA-256 is computed by the service from the bytes stored, and its folios do not overlap another
document of the same case (the service assigns them consecutively)."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now

from .casos import CasoCobro


class DocumentoExpediente(models.Model):
    class Tipo(models.TextChoices):
        PLANILLA = "planilla", "Planilla original"
        RESOLUCION = "resolucion", "Resolución"
        NOTA = "nota", "Nota o correspondencia"
        CONVENIO = "convenio", "Convenio firmado"
        CERTIFICACION = "certificacion", "Certificación de saldos"
        JUDICIAL = "judicial", "Documento judicial"
        OTRO = "otro", "Otro"

    caso = models.ForeignKey(CasoCobro, on_delete=models.PROTECT, related_name="documentos")
    tipo = models.CharField("tipo de documento", max_length=20, choices=Tipo.choices)
    descripcion = models.CharField("descripción", max_length=250)
    folio_desde = models.PositiveIntegerField("folio inicial")
    folio_hasta = models.PositiveIntegerField("folio final")
    archivo = models.FileField("archivo", upload_to="expedientes/%Y/%m/")
    nombre_original = models.CharField("nombre del archivo", max_length=200)
    tipo_contenido = models.CharField("tipo de contenido", max_length=100)
    tamano = models.PositiveIntegerField("tamaño (bytes)")
    sha256 = models.CharField("SHA-256", max_length=64)
    documento = models.ForeignKey("issscobros.Documento", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", help_text="Documento emitido por el sistema, si lo es.")
    agregado_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agregado_en = models.DateTimeField("agregado en", db_default=Now())

    class Meta:
        ordering = ["folio_desde", "id"]
        verbose_name = "documento del expediente"
        verbose_name_plural = "documentos del expediente"
        constraints = [
            models.CheckConstraint(condition=Q(folio_desde__gte=1) & Q(folio_hasta__gte=F("folio_desde")),
                                   name="expediente_folios_validos"),
            models.UniqueConstraint(fields=["caso", "folio_desde"], name="expediente_folio_unico"),
        ]

    def __str__(self):
        return f"{self.get_tipo_display()} (folios {self.folio_desde}–{self.folio_hasta})"

    @property
    def previsualizable(self) -> bool:
        return self.tipo_contenido in ("application/pdf", "image/png", "image/jpeg", "text/plain")


class PasoJudicial(models.Model):
    """A step of judicial collection reported back by the Unidad Jurídica."""

    class Tipo(models.TextChoices):
        REMITIDO = "remitido", "Remitido a la Unidad Jurídica"
        DEMANDA = "demanda_presentada", "Demanda presentada"
        SENTENCIA = "sentencia", "Sentencia"
        PAGADO = "pagado", "Pagado"
        INCOBRABLE = "incobrable", "Declarado incobrable"

    caso = models.ForeignKey(CasoCobro, on_delete=models.PROTECT, related_name="pasos_judiciales")
    tipo = models.CharField("paso", max_length=20, choices=Tipo.choices)
    fecha = models.DateField("fecha")
    referencia = models.CharField("expediente judicial o referencia", max_length=100, blank=True)
    nota = models.TextField("nota", blank=True)
    registrado_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registrado_en = models.DateTimeField("registrado en", db_default=Now())

    class Meta:
        ordering = ["fecha", "id"]
        verbose_name = "paso judicial"
        verbose_name_plural = "pasos judiciales"

    def __str__(self):
        return f"{self.get_tipo_display()} {self.fecha:%d/%m/%Y}"
