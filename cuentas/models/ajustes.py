"""Annulments and exonerations under four eyes: proposed by one user, approved by another with the
approver role (CHECK: approver ≠ proposer); only the approval posts the asiento."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now

from .libro import Obligacion
from .registro import Cuenta


class SolicitudAjuste(models.Model):
    class Tipo(models.TextChoices):
        ANULACION = "anulacion", "Anulación"
        EXONERACION = "exoneracion", "Exoneración"

    class Estado(models.TextChoices):
        PROPUESTA = "propuesta", "Propuesta"
        APROBADA = "aprobada", "Aprobada"
        RECHAZADA = "rechazada", "Rechazada"

    tipo = models.CharField("tipo", max_length=20, choices=Tipo.choices)
    cuenta = models.ForeignKey(Cuenta, on_delete=models.PROTECT, related_name="solicitudes_ajuste")
    obligaciones = models.ManyToManyField(Obligacion, related_name="solicitudes_ajuste")
    porcentaje = models.DecimalField("porcentaje", max_digits=5, decimal_places=2, default=100)
    incluye_recargos_devengados = models.BooleanField(
        "incluir recargos devengados", default=False,
        help_text="Causa al corte los recargos devengados sobre cotizaciones impagas y los incluye.")
    fecha_corte = models.DateField("recargos causados hasta", help_text="Para exoneraciones: fecha a la que se causan los recargos.")
    motivo = models.TextField("motivo")
    acuerdo_numero = models.CharField("número de acuerdo o resolución", max_length=60, blank=True)
    acuerdo_fecha = models.DateField("fecha del acuerdo", null=True, blank=True)
    soporte = models.FileField("documento de soporte", upload_to="ajustes/%Y/%m/", blank=True)
    estado = models.CharField(max_length=20, choices=Estado.choices, default=Estado.PROPUESTA)
    propuesto_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    propuesto_en = models.DateTimeField(db_default=Now())
    resuelto_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resuelto_en = models.DateTimeField(null=True, blank=True)
    nota_resolucion = models.TextField(blank=True)

    class Meta:
        ordering = ["-propuesto_en"]
        verbose_name = "solicitud de anulación o exoneración"
        verbose_name_plural = "solicitudes de anulación o exoneración"
        permissions = [("aprobar_solicitudajuste", "Puede aprobar anulaciones y exoneraciones")]
        constraints = [
            models.CheckConstraint(condition=Q(resuelto_por__isnull=True) | ~Q(resuelto_por=F("propuesto_por")),
                                   name="ajuste_cuatro_ojos",
                                   violation_error_message="Quien propone no puede aprobar su propia solicitud."),
            models.CheckConstraint(condition=Q(porcentaje__gt=0, porcentaje__lte=100), name="ajuste_porcentaje_valido"),
        ]

    def __str__(self):
        return f"{self.get_tipo_display()} #{self.pk}"
