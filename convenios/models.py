"""Payment agreements (convenios), their cuotas, and settlements before the Consejo Directivo.

Invariants and where they are enforced:
- The cuotas of an agreement (the prima is cuota 0) sum exactly to its total: built by
  `issscobros.money.repartir` in `convenios.services`, re-proved by the tests (hypothesis).
- 0 ≤ cuota.pagado ≤ cuota.monto and prima/total ≥ 0: CHECK constraints.
- A cuota's NPE is unique and carries the DOMAIN.md mod-10 check digit (cuentas.identificadores).
- An agreement never edits an obligation nor moves money itself: payments go through
  cuentas.services.pagos; `AplicacionCuota` only records which receipt paid which cuota.
- Estado moves only by `convenios.services.convenio_transicionar` (one state machine), each change
  leaves a `HistorialConvenio` row (who, when, why); nothing here is deleted (PROTECT).
"""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now

from cuentas.identificadores import npe_digito_verificador


class Convenio(models.Model):
    class Tipo(models.TextChoices):
        CONVENIO = "convenio", "Convenio de pago"
        DESCUENTO = "descuento_planilla", "Descuento por planilla (servicios médicos)"

    class Estado(models.TextChoices):
        BORRADOR = "borrador", "Borrador"
        LEGALIZADO = "legalizado", "Legalizado"
        VIGENTE = "vigente", "Vigente"
        CUMPLIDO = "cumplido", "Cumplido"
        INCUMPLIDO = "incumplido", "Incumplido"
        ANULADO = "anulado", "Anulado"

    deudor = models.ForeignKey("cuentas.Deudor", verbose_name="deudor", on_delete=models.PROTECT,
                               related_name="convenios")
    # One cuenta per agreement: a cuota's payment is a receipt of that cuenta.
    cuenta = models.ForeignKey("cuentas.Cuenta", verbose_name="cuenta", on_delete=models.PROTECT,
                               related_name="convenios")
    tipo = models.CharField("tipo", max_length=20, choices=Tipo.choices, default=Tipo.CONVENIO)
    estado = models.CharField("estado", max_length=12, choices=Estado.choices, default=Estado.BORRADOR,
                              db_index=True)
    obligaciones = models.ManyToManyField("cuentas.Obligacion", through="ConvenioObligacion",
                                          related_name="convenios")
    fecha_firma = models.DateField("fecha de firma",
                                   help_text="Los recargos de lo incluido se cuentan hasta esta fecha.")
    fecha_legalizacion = models.DateField("fecha de legalización", null=True, blank=True)
    fecha_incumplimiento = models.DateField("fecha de incumplimiento", null=True, blank=True)
    fecha_cumplimiento = models.DateField("fecha de cumplimiento", null=True, blank=True)
    deuda = models.DecimalField("deuda incluida", max_digits=14, decimal_places=2,
                                help_text="Saldo de lo incluido más recargos devengados a la firma.")
    prima = models.DecimalField("prima", max_digits=14, decimal_places=2)
    total = models.DecimalField("total", max_digits=14, decimal_places=2)
    numero_cuotas = models.PositiveSmallIntegerField("número de cuotas")
    recargos_congelados = models.BooleanField("recargos congelados mientras esté vigente", default=True)
    empleado = models.CharField("empleado que autoriza el descuento", max_length=200, blank=True,
                                help_text="Solo para descuentos por planilla.")
    copia_firmada = models.FileField("copia firmada", upload_to="convenios/%Y/%m/", blank=True)
    documento = models.ForeignKey("issscobros.Documento", verbose_name="documento emitido", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    creado_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    creado_en = models.DateTimeField("creado en", db_default=Now())
    actualizado_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    actualizado_en = models.DateTimeField("actualizado en", null=True, blank=True)

    class Meta:
        ordering = ["-fecha_firma", "-id"]
        verbose_name = "convenio de pago"
        verbose_name_plural = "convenios de pago"
        permissions = [
            ("anular_convenio", "Puede anular convenios"),
            ("revisar_transaccion", "Puede revisar transacciones y registrar acuerdos del Consejo"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(prima__gte=0) & Q(total__gt=0) & Q(prima__lte=F("total")),
                                   name="convenio_montos_validos"),
            models.CheckConstraint(condition=Q(numero_cuotas__gte=1), name="convenio_al_menos_una_cuota"),
            models.CheckConstraint(condition=~Q(estado="incumplido") | Q(fecha_incumplimiento__isnull=False),
                                   name="convenio_incumplido_con_fecha"),
        ]
        indexes = [models.Index(fields=["deudor", "estado"], name="convenio_deudor_estado")]

    def __str__(self):
        return f"Convenio {self.numero}"

    @property
    def numero(self) -> str:
        return f"CV-{self.fecha_firma:%Y}-{self.pk:06d}" if self.pk else "CV (sin guardar)"


class ConvenioObligacion(models.Model):
    """An obligation included in an agreement, with what it owed when the agreement was signed. The
    rows' totals add up to the agreement's debt: at legalization the surcharge accrued on a
    contribution is posted as a recargo obligation and moves to that obligation's own row."""

    convenio = models.ForeignKey(Convenio, on_delete=models.PROTECT, related_name="inclusiones")
    obligacion = models.ForeignKey("cuentas.Obligacion", on_delete=models.PROTECT, related_name="inclusiones_convenio")
    saldo_al_firmar = models.DecimalField("saldo a la firma", max_digits=14, decimal_places=2)
    recargo_al_firmar = models.DecimalField("recargo devengado a la firma", max_digits=14, decimal_places=2, default=0)

    class Meta:
        ordering = ["obligacion__periodo", "obligacion__vencimiento", "obligacion_id"]
        verbose_name = "obligación incluida"
        verbose_name_plural = "obligaciones incluidas"
        constraints = [
            models.UniqueConstraint(fields=["convenio", "obligacion"], name="convenio_obligacion_unica"),
            models.CheckConstraint(condition=Q(saldo_al_firmar__gt=0) & Q(recargo_al_firmar__gte=0),
                                   name="convenio_obligacion_montos"),
        ]

    @property
    def total(self):
        return self.saldo_al_firmar + self.recargo_al_firmar


class Cuota(models.Model):
    """One instalment; numero 0 is the prima. `pagado` is the sum of its AplicacionCuota rows, kept by
    the payment service under the agreement's row lock."""

    convenio = models.ForeignKey(Convenio, on_delete=models.PROTECT, related_name="cuotas")
    numero = models.PositiveSmallIntegerField("número")
    vencimiento = models.DateField("vencimiento")
    monto = models.DecimalField("monto", max_digits=14, decimal_places=2)
    pagado = models.DecimalField("pagado", max_digits=14, decimal_places=2, default=0)
    fecha_pago = models.DateField("pagada el", null=True, blank=True, help_text="Fecha en que quedó pagada por completo.")
    npe = models.CharField("NPE", max_length=34, unique=True)

    class Meta:
        ordering = ["convenio", "numero"]
        verbose_name = "cuota"
        verbose_name_plural = "cuotas"
        constraints = [
            models.UniqueConstraint(fields=["convenio", "numero"], name="cuota_numero_unico"),
            models.CheckConstraint(condition=Q(monto__gt=0), name="cuota_monto_positivo"),
            models.CheckConstraint(condition=Q(pagado__gte=0) & Q(pagado__lte=F("monto")), name="cuota_pagado_en_rango"),
        ]

    def __str__(self):
        return "Prima" if self.numero == 0 else f"Cuota {self.numero}"

    @staticmethod
    def npe_para(convenio_id: int, numero: int) -> str:
        """Layout of the references the ISSS issues for cuotas: 9, the agreement (10 digits), the
        cuota (2) and the DOMAIN.md mod-10 check digit."""
        digitos = f"9{convenio_id:010d}{numero:02d}"
        return digitos + npe_digito_verificador(digitos)

    @property
    def pendiente(self):
        return self.monto - self.pagado

    @property
    def pagada(self) -> bool:
        return self.pagado >= self.monto


class AplicacionCuota(models.Model):
    """Which receipt paid how much of which cuota (the money itself moved in the ledger)."""

    cuota = models.ForeignKey(Cuota, on_delete=models.PROTECT, related_name="aplicaciones")
    recibo = models.ForeignKey("cuentas.Recibo", on_delete=models.PROTECT, related_name="aplicaciones_cuota")
    monto = models.DecimalField("monto", max_digits=14, decimal_places=2)
    fecha = models.DateField("fecha de pago")
    creado_en = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["fecha", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(monto__gt=0), name="aplicacion_cuota_monto_positivo"),
            models.UniqueConstraint(fields=["cuota", "recibo"], name="aplicacion_cuota_unica"),
        ]


class HistorialConvenio(models.Model):
    """Each state change: from, to, effective date, why, who and when it was recorded."""

    convenio = models.ForeignKey(Convenio, on_delete=models.PROTECT, related_name="historial")
    estado_anterior = models.CharField(max_length=12, choices=Convenio.Estado.choices, blank=True)
    estado_nuevo = models.CharField(max_length=12, choices=Convenio.Estado.choices)
    fecha = models.DateField("fecha efectiva")
    motivo = models.TextField("motivo", blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    momento = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["momento", "id"]
        verbose_name = "cambio de estado de convenio"
        verbose_name_plural = "historial de convenios"


class Transaccion(models.Model):
    """A settlement request to the Consejo Directivo (R8, LSS Art. 14 r): the dossier, the
    anteproyecto de acuerdo, the jefe's review, the Board's acuerdo and the exoneration it orders,
    posted through cuentas.services.ajustes (four eyes). A conditional acuerdo whose condition fails
    is reversed through cuentas.services.libro.asiento_revertir."""

    class Estado(models.TextChoices):
        PREPARADA = "preparada", "Preparada"
        REVISADA = "revisada", "Revisada por la jefatura"
        ACUERDO = "acuerdo", "Acuerdo registrado"
        EXONERADA = "exonerada", "Exoneración aplicada"
        DENEGADA = "denegada", "Denegada por el Consejo"
        REVERTIDA = "revertida", "Condición incumplida (revertida)"
        ARCHIVADA = "archivada", "Archivada"

    deudor = models.ForeignKey("cuentas.Deudor", on_delete=models.PROTECT, related_name="transacciones")
    cuenta = models.ForeignKey("cuentas.Cuenta", on_delete=models.PROTECT, related_name="transacciones")
    convenio = models.ForeignKey(Convenio, null=True, blank=True, on_delete=models.PROTECT, related_name="transacciones")
    estado = models.CharField("estado", max_length=12, choices=Estado.choices, default=Estado.PREPARADA, db_index=True)
    fecha_corte = models.DateField("recargos causados hasta")
    porcentaje_recargos = models.DecimalField("porcentaje de recargos a exonerar", max_digits=5, decimal_places=2, default=100)
    incluye_multas = models.BooleanField("exonerar multas", default=True)
    monto_recargos = models.DecimalField("recargos (expediente)", max_digits=14, decimal_places=2, default=0)
    monto_multas = models.DecimalField("multas (expediente)", max_digits=14, decimal_places=2, default=0)
    justificacion = models.TextField("justificación")
    anteproyecto = models.ForeignKey("issscobros.Documento", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revisado_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revisado_en = models.DateTimeField(null=True, blank=True)
    nota_revision = models.TextField("observaciones de la revisión", blank=True)
    acuerdo_numero = models.CharField("número de acuerdo", max_length=60, blank=True)
    acuerdo_sesion = models.CharField("sesión del Consejo Directivo", max_length=60, blank=True)
    acuerdo_fecha = models.DateField("fecha del acuerdo", null=True, blank=True)
    acuerdo_documento = models.FileField("acuerdo firmado", upload_to="acuerdos/%Y/%m/", blank=True)
    condicion_fecha = models.DateField("condición: pagar el saldo a más tardar", null=True, blank=True)
    condicion_cumplida = models.BooleanField(null=True, blank=True)
    solicitudes = models.ManyToManyField("cuentas.SolicitudAjuste", blank=True, related_name="transacciones")
    creado_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    creado_en = models.DateTimeField(db_default=Now())
    actualizado_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actualizado_en = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-creado_en", "-id"]
        verbose_name = "transacción"
        verbose_name_plural = "transacciones"
        constraints = [
            models.CheckConstraint(condition=Q(porcentaje_recargos__gte=0, porcentaje_recargos__lte=100),
                                   name="transaccion_porcentaje_valido"),
            models.CheckConstraint(condition=Q(estado__in=["preparada", "revisada", "denegada", "archivada"])
                                   | (~Q(acuerdo_numero="") & Q(acuerdo_fecha__isnull=False)),
                                   name="transaccion_acuerdo_completo"),
        ]

    def __str__(self):
        return f"Transacción TR-{self.pk:06d}" if self.pk else "Transacción"
