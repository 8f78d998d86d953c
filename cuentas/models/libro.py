"""The ledger: obligations (open items) and double-entry journal entries.

Invariants, all enforced by PostgreSQL (migration cuentas 0004_libro_invariantes) and mirrored here
where Django can express them:
- Balanced: the legs of an asiento sum to zero (debe = haber), a DEFERRABLE constraint trigger
  checked at commit; an asiento has at least two legs.
- Append-only: UPDATE and DELETE on asientos and legs raise. A mistake is corrected by a reversing
  asiento (`reversa_de`, UNIQUE: reversed at most once).
- Idempotent: `Asiento.clave` is UNIQUE; posting the same event twice returns the first asiento.
- An obligation's `saldo` is the sum of its legs (debe − haber): a trigger on leg INSERT updates it in
  the same transaction; CHECK 0 ≤ saldo ≤ monto, so nothing is overpaid (the remainder is a credit on
  the "recibos por aplicar" account of the cuenta). The nightly reconciliation re-proves cache = legs.
- Obligations are never edited (only `saldo` moves, by the trigger) nor deleted.
- An exoneration or annulment can never credit a contribution (cotización laboral, patronal, INSAFORP).
- Only cuentas.services.libro creates asientos.
"""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Cast, Now

from .registro import Cuenta


class Concepto(models.TextChoices):
    """Names as in the API (CONTRACTS §7)."""

    COTIZACION_LABORAL = "cotizacion_laboral", "Cotización laboral"
    COTIZACION_PATRONAL = "cotizacion_patronal", "Cotización patronal"
    INSAFORP = "insaforp", "INSAFORP"
    RECARGO = "recargo", "Recargo por mora"
    MULTA = "multa", "Multa"
    MULTA_CONTRACTUAL = "multa_contractual", "Multa contractual a proveedor"
    SIMULACION_LABORAL = "simulacion_laboral", "Simulación laboral"
    ARRENDAMIENTO = "arrendamiento", "Arrendamiento"
    RECUPERACION_SEGURO = "recuperacion_seguro", "Recuperación de seguro"
    SERVICIOS_MEDICOS = "servicios_medicos", "Servicios médicos a beneficiarios"
    APORTE_ESTADO = "aporte_estado", "Aporte del Estado"
    OTROS = "otros", "Otros"


COTIZACIONES = (Concepto.COTIZACION_LABORAL, Concepto.COTIZACION_PATRONAL, Concepto.INSAFORP)


class CuentaContable(models.Model):
    """Chart of accounts (GL). Codes are referenced by cuentas.contabilidad."""

    codigo = models.CharField("código", max_length=20, unique=True)
    nombre = models.CharField("nombre", max_length=150)

    class Meta:
        ordering = ["codigo"]
        verbose_name = "cuenta contable"
        verbose_name_plural = "cuentas contables"

    def __str__(self):
        return f"{self.codigo} {self.nombre}"


class Obligacion(models.Model):
    """One amount owed by a cuenta: concept, period, due date, origin, and its cached balance."""

    cuenta = models.ForeignKey(Cuenta, on_delete=models.PROTECT, related_name="obligaciones")
    concepto = models.CharField("concepto", max_length=30, choices=Concepto.choices)
    periodo = models.DateField("periodo", null=True, blank=True, help_text="Primer día del mes devengado.")
    fecha_origen = models.DateField("fecha de origen")
    vencimiento = models.DateField("vencimiento")
    monto = models.DecimalField("monto", max_digits=14, decimal_places=2)
    saldo = models.DecimalField("saldo", max_digits=14, decimal_places=2, default=0)
    planilla = models.ForeignKey("cuentas.Planilla", null=True, blank=True, on_delete=models.PROTECT, related_name="obligaciones")
    # A recargo points at the contribution it is charged on; `causado_hasta` marks a recargo posted
    # by accrual to a date (before an exoneration or a certification) rather than by a payment.
    base = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="recargos")
    causado_hasta = models.DateField(null=True, blank=True)
    documento_numero = models.CharField("resolución, contrato o referencia", max_length=60, blank=True)
    documento_fecha = models.DateField("fecha del documento", null=True, blank=True)
    descripcion = models.CharField("descripción", max_length=250, blank=True)
    soporte = models.FileField("documento de soporte", upload_to="soportes/%Y/%m/", blank=True)
    creado_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    creado_en = models.DateTimeField("registrado en", db_default=Now())

    class Meta:
        ordering = ["periodo", "vencimiento", "id"]
        verbose_name = "obligación"
        verbose_name_plural = "obligaciones"
        indexes = [
            models.Index(fields=["cuenta", "periodo"], name="obligacion_cuenta_periodo"),
            models.Index(fields=["cuenta", "vencimiento"], name="obligacion_abierta_venc", condition=Q(saldo__gt=0)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(monto__gt=0), name="obligacion_monto_positivo"),
            models.CheckConstraint(condition=Q(saldo__gte=0) & Q(saldo__lte=F("monto")), name="obligacion_saldo_en_rango"),
            models.CheckConstraint(condition=Q(base__isnull=True) | Q(concepto=Concepto.RECARGO), name="obligacion_base_solo_recargo"),
        ]

    def __str__(self):
        periodo = f" {self.periodo:%Y-%m}" if self.periodo else ""
        return f"{self.get_concepto_display()}{periodo}"


class Asiento(models.Model):
    class Tipo(models.TextChoices):
        CARGO = "cargo", "Cargo"
        RECIBO = "recibo", "Recibo de pago"
        APLICACION = "aplicacion", "Aplicación de pago (compensación)"
        RECLASIFICACION = "reclasificacion", "Identificación de pago"
        CAUSACION = "causacion", "Causación de recargos"
        ANULACION = "anulacion", "Anulación"
        EXONERACION = "exoneracion", "Exoneración"
        REVERSA = "reversa", "Reversión"

    clave = models.CharField("clave de idempotencia", max_length=200, unique=True)
    tipo = models.CharField("tipo", max_length=20, choices=Tipo.choices)
    fecha_valor = models.DateField("fecha valor", db_index=True)
    registrado_en = models.DateTimeField("registrado en", db_default=Now())
    descripcion = models.CharField("descripción", max_length=250, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reversa_de = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversion")
    recibo = models.ForeignKey("cuentas.Recibo", null=True, blank=True, on_delete=models.PROTECT, related_name="asientos")
    solicitud = models.ForeignKey("cuentas.SolicitudAjuste", null=True, blank=True, on_delete=models.PROTECT, related_name="asientos")

    class Meta:
        ordering = ["fecha_valor", "id"]
        verbose_name = "asiento"
        verbose_name_plural = "asientos"
        indexes = [
            # The reconciliation's receipts check sets apart what applications (and their reversals)
            # moved: these read a third of the asientos' ids, and the reversals, without the table.
            models.Index(fields=["id"], name="asiento_aplicaciones", condition=Q(tipo="aplicacion")),
            models.Index(fields=["reversa_de"], name="asiento_reversiones", condition=Q(tipo="reversa")),
        ]

    def __str__(self):
        return f"Asiento {self.pk} {self.get_tipo_display()} {self.fecha_valor:%d/%m/%Y}"


class LineaAsiento(models.Model):
    # The foreign keys' own indexes give way to the covering ones in Meta (each also serves its key's
    # lookups): the reconciliation reads those indexes instead of the table.
    asiento = models.ForeignKey(Asiento, on_delete=models.PROTECT, related_name="lineas", db_index=False)
    # The asiento's value date, copied (the database refuses any other, migration 0010): the
    # ledger's totals by date read the legs alone instead of joining them with millions of asientos.
    fecha_valor = models.DateField("fecha valor", editable=False)
    # Keyed by code, so the posting service names accounts without looking up ids.
    cuenta_contable = models.ForeignKey(CuentaContable, to_field="codigo", db_column="cuenta_contable_codigo",
                                        on_delete=models.PROTECT, related_name="lineas", db_index=False)
    cuenta = models.ForeignKey(Cuenta, null=True, blank=True, on_delete=models.PROTECT, related_name="lineas",
                               db_index=False)
    obligacion = models.ForeignKey(Obligacion, null=True, blank=True, on_delete=models.PROTECT, related_name="lineas",
                                   db_index=False)
    recibo = models.ForeignKey("cuentas.Recibo", null=True, blank=True, on_delete=models.PROTECT, related_name="lineas",
                               db_index=False)
    debe = models.DecimalField("debe", max_digits=14, decimal_places=2, default=0)
    haber = models.DecimalField("haber", max_digits=14, decimal_places=2, default=0)
    # debe − haber in cents, computed by PostgreSQL (it cannot drift): the reconciliation's totals over
    # millions of legs add 8-byte integers (check 1's totals at bench scale: 0.7 s, 1.8 s as numerics).
    neto_centavos = models.GeneratedField(
        expression=Cast((F("debe") - F("haber")) * 100, models.BigIntegerField()),
        output_field=models.BigIntegerField(), db_persist=True, verbose_name="neto en centavos")

    class Meta:
        verbose_name = "línea de asiento"
        verbose_name_plural = "líneas de asiento"
        indexes = [
            models.Index(fields=["cuenta", "cuenta_contable"], name="linea_cuenta_contable"),
            # One per reconciliation check, each holding what its check adds up (cuentas.conciliacion).
            models.Index(fields=["asiento"], include=["fecha_valor", "neto_centavos"], name="linea_por_asiento"),
            models.Index(fields=["obligacion"], include=["cuenta", "neto_centavos"], name="linea_por_obligacion",
                         condition=Q(obligacion__isnull=False)),
            models.Index(fields=["recibo"], include=["cuenta_contable", "asiento", "fecha_valor", "neto_centavos"],
                         name="linea_por_recibo", condition=Q(recibo__isnull=False)),
            models.Index(fields=["cuenta_contable", "fecha_valor"], include=["neto_centavos"],
                         name="linea_por_cuenta_y_dia"),
            # Balances as of a date (aging, mora.antiguedad) subtract what moved an obligation after it.
            models.Index(fields=["fecha_valor"], include=["obligacion", "neto_centavos"], name="linea_por_dia_obligacion",
                         condition=Q(obligacion__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(debe__gte=0, haber__gte=0) & (Q(debe=0, haber__gt=0) | Q(haber=0, debe__gt=0)),
                name="linea_debe_o_haber",
            ),
            models.CheckConstraint(condition=Q(obligacion__isnull=True) | Q(cuenta__isnull=False), name="linea_obligacion_con_cuenta"),
        ]
