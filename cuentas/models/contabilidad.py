"""The Técnico Financiero's accounting paperwork: payment certifications and journal vouchers.

Invariants and where they are enforced:
- CertificacionPago: what it certifies (cuenta, periods, concepts, the payments found and their
  total) is fixed when it is prepared; it moves only forward elaborada → enviada_firma → firmada,
  each step stamped once with who and when; the preparer never signs it (CHECK
  `certificacion_pago_cuatro_ojos`); printable only once signed (CHECK). Trigger in migration
  cuentas 0005 refuses any other UPDATE and every DELETE.
- Comprobante (partida de diario): numbered per month without gaps (a SerieDocumento row
  "comprobante-AAAA-MM" locked by cuentas.services.contabilidad), UNIQUE (mes, numero); states only
  forward elaborada → revisada → enviada_contabilidad → archivada, reviewer ≠ preparer (CHECK);
  archived only with original and copy filed; nothing changes once archived (trigger, 0005).
- ComprobanteAsiento links asientos to vouchers without touching the append-only Asiento: each
  asiento is in at most one voucher (UNIQUE) and a link is never changed nor removed
  (cuentas_solo_insercion, 0005)."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now

from .libro import Asiento
from .registro import Cuenta


class CertificacionPago(models.Model):
    """Certificación de pago de cotizaciones, multas y/o recargos of one cuenta over a period range,
    signed by the Sección Control de Ingresos."""

    class Estado(models.TextChoices):
        ELABORADA = "elaborada", "Elaborada"
        ENVIADA_FIRMA = "enviada_firma", "Enviada a firma"
        FIRMADA = "firmada", "Firmada"

    cuenta = models.ForeignKey(Cuenta, verbose_name="cuenta", on_delete=models.PROTECT, related_name="certificaciones_pago")
    desde = models.DateField("desde el periodo")
    hasta = models.DateField("hasta el periodo")
    cotizaciones = models.BooleanField("cotizaciones", default=True)
    multas = models.BooleanField("multas", default=False)
    recargos = models.BooleanField("recargos", default=False)
    solicitud = models.CharField("solicitada por", max_length=250, blank=True,
                                 help_text="Quién la solicita y para qué (por ejemplo: el patrono, para licitación).")
    # The payments found in the ledger when it was prepared: what the signer reviews is what prints.
    datos = models.JSONField("pagos certificados", default=dict, editable=False)
    total = models.DecimalField("total certificado", max_digits=14, decimal_places=2, default=0, editable=False)
    estado = models.CharField("estado", max_length=20, choices=Estado.choices, default=Estado.ELABORADA)
    elaborada_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    elaborada_en = models.DateTimeField("elaborada el", db_default=Now())
    enviada_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    enviada_en = models.DateTimeField("enviada a firma el", null=True, blank=True)
    firmada_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    firmada_en = models.DateTimeField("firmada el", null=True, blank=True)
    documento = models.OneToOneField("issscobros.Documento", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="certificacion_pago")

    class Meta:
        ordering = ["-elaborada_en", "-id"]
        verbose_name = "certificación de pago"
        verbose_name_plural = "certificaciones de pago"
        permissions = [("firmar_certificacionpago", "Puede firmar certificaciones de pago (Sección Control de Ingresos)")]
        constraints = [
            models.CheckConstraint(condition=Q(desde__lte=F("hasta")), name="certificacion_pago_rango",
                                   violation_error_message="El periodo final es anterior al inicial."),
            models.CheckConstraint(condition=Q(cotizaciones=True) | Q(multas=True) | Q(recargos=True),
                                   name="certificacion_pago_algun_concepto",
                                   violation_error_message="Elija cotizaciones, multas o recargos."),
            models.CheckConstraint(condition=Q(firmada_por__isnull=True) | ~Q(firmada_por=F("elaborada_por")),
                                   name="certificacion_pago_cuatro_ojos",
                                   violation_error_message="Quien elabora no puede firmar su propia certificación."),
            models.CheckConstraint(
                condition=(Q(estado="elaborada", enviada_por__isnull=True, firmada_por__isnull=True)
                           | Q(estado="enviada_firma", enviada_por__isnull=False, enviada_en__isnull=False,
                               firmada_por__isnull=True)
                           | Q(estado="firmada", enviada_por__isnull=False, firmada_por__isnull=False,
                               firmada_en__isnull=False)),
                name="certificacion_pago_pasos_registrados"),
            models.CheckConstraint(condition=Q(documento__isnull=True) | Q(estado="firmada"),
                                   name="certificacion_pago_impresa_solo_firmada"),
        ]

    def __str__(self):
        return f"Certificación de pago #{self.pk}"

    @property
    def conceptos_texto(self) -> str:
        nombres = [n for n, si in (("cotizaciones", self.cotizaciones), ("multas", self.multas),
                                   ("recargos", self.recargos)) if si]
        return ", ".join(nombres[:-1]) + (" y " if len(nombres) > 1 else "") + nombres[-1] if nombres else ""


class Comprobante(models.Model):
    """Comprobante contable (partida de diario): the asientos of one day and one kind, grouped for
    Contabilidad Institucional, with the paper trail of original and copy."""

    class Estado(models.TextChoices):
        ELABORADA = "elaborada", "Elaborada"
        REVISADA = "revisada", "Revisada"
        ENVIADA = "enviada_contabilidad", "Enviada a Contabilidad"
        ARCHIVADA = "archivada", "Archivada"

    mes = models.DateField("mes", help_text="Primer día del mes de la partida.")
    numero = models.PositiveIntegerField("número")
    fecha = models.DateField("fecha")
    tipo_asiento = models.CharField("tipo de asiento", max_length=20, choices=Asiento.Tipo.choices)
    descripcion = models.CharField("concepto", max_length=250)
    total = models.DecimalField("total", max_digits=14, decimal_places=2)
    asientos = models.ManyToManyField(Asiento, through="ComprobanteAsiento", related_name="comprobantes")
    estado = models.CharField("estado", max_length=24, choices=Estado.choices, default=Estado.ELABORADA)
    elaborado_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    elaborado_en = models.DateTimeField("elaborado el", db_default=Now())
    revisado_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revisado_en = models.DateTimeField("revisado el", null=True, blank=True)
    enviado_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    enviado_en = models.DateTimeField("enviado a Contabilidad el", null=True, blank=True)
    archivado_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    archivado_en = models.DateTimeField("archivado el", null=True, blank=True)
    original_archivado = models.BooleanField("original archivado", default=False)
    copia_archivada = models.BooleanField("copia archivada", default=False)
    documento = models.OneToOneField("issscobros.Documento", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="comprobante")

    class Meta:
        ordering = ["-mes", "numero"]
        verbose_name = "comprobante contable"
        verbose_name_plural = "comprobantes contables"
        permissions = [("revisar_comprobante", "Puede revisar comprobantes contables")]
        constraints = [
            models.UniqueConstraint(fields=["mes", "numero"], name="comprobante_numero_por_mes"),
            models.CheckConstraint(condition=Q(mes__day=1), name="comprobante_mes_primer_dia"),
            models.CheckConstraint(condition=Q(fecha__year=F("mes__year"), fecha__month=F("mes__month")),
                                   name="comprobante_fecha_del_mes"),
            models.CheckConstraint(condition=Q(revisado_por__isnull=True) | ~Q(revisado_por=F("elaborado_por")),
                                   name="comprobante_cuatro_ojos",
                                   violation_error_message="Quien elabora no puede revisar su propia partida."),
            models.CheckConstraint(condition=~Q(estado="archivada") | Q(original_archivado=True, copia_archivada=True),
                                   name="comprobante_archivada_con_original_y_copia"),
            models.CheckConstraint(
                condition=(Q(estado="elaborada", revisado_por__isnull=True, enviado_por__isnull=True)
                           | Q(estado="revisada", revisado_por__isnull=False, enviado_por__isnull=True)
                           | Q(estado="enviada_contabilidad", revisado_por__isnull=False, enviado_por__isnull=False,
                               archivado_por__isnull=True)
                           | Q(estado="archivada", revisado_por__isnull=False, enviado_por__isnull=False,
                               archivado_por__isnull=False)),
                name="comprobante_pasos_registrados"),
        ]

    def __str__(self):
        return f"Partida {self.folio}"

    @property
    def folio(self) -> str:
        return f"{self.mes:%Y-%m}-{self.numero:04d}"

    @property
    def tipo_corto(self) -> str:
        """The kind of asiento without its gloss, for narrow columns."""
        return self.get_tipo_asiento_display().split(" (")[0]


class ComprobanteAsiento(models.Model):
    """Which voucher an asiento went out in (a join table: asientos are append-only)."""

    comprobante = models.ForeignKey(Comprobante, on_delete=models.PROTECT, related_name="enlaces")
    asiento = models.ForeignKey(Asiento, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "asiento de un comprobante"
        verbose_name_plural = "asientos de comprobantes"
        constraints = [models.UniqueConstraint(fields=["asiento"], name="asiento_en_un_solo_comprobante")]
