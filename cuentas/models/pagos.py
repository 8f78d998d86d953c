"""Payment receipts. A receipt is posted when it arrives (bank debit, credit to "recibos por
aplicar" of its cuenta, or of nobody when it cannot be identified) and then applied (compensado) to
obligations. What is not applied stays on "por aplicar": the cuenta's credit balance (saldo a favor).
UNIQUE (canal, referencia): a bank's receipt is recorded once."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now

from .planillas import Importacion
from .registro import Cuenta


class Recibo(models.Model):
    canal = models.CharField("canal", max_length=30, help_text="Banco o COLECTURIA.")
    referencia = models.CharField("referencia", max_length=60)
    fecha_pago = models.DateField("fecha de pago")
    monto = models.DecimalField("monto", max_digits=14, decimal_places=2)
    numero_patronal = models.CharField("número patronal indicado", max_length=30, blank=True)
    periodo = models.DateField("periodo indicado", null=True, blank=True)
    npe = models.CharField("NPE", max_length=34, blank=True)
    cuenta = models.ForeignKey(Cuenta, null=True, blank=True, on_delete=models.PROTECT, related_name="recibos",
                               help_text="Vacía mientras el pago no se identifica.")
    importacion = models.ForeignKey(Importacion, null=True, blank=True, on_delete=models.PROTECT, related_name="recibos")
    creado_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    creado_en = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["-fecha_pago", "-id"]
        # The payments list pages through every receipt, newest first (1.4 M at bench scale).
        indexes = [models.Index(fields=["-fecha_pago", "-id"], name="recibo_por_fecha")]
        constraints = [
            models.UniqueConstraint(fields=["canal", "referencia"], name="recibo_unico_por_canal",
                                    violation_error_message="Ese recibo ya fue registrado."),
            models.CheckConstraint(condition=Q(monto__gt=0), name="recibo_monto_positivo"),
        ]

    def __str__(self):
        return f"Recibo {self.canal} {self.referencia}"


class Canal(models.Model):
    """Banks and the cashier (COLECTURIA) that may send receipts."""

    codigo = models.CharField("código", max_length=30, unique=True)
    nombre = models.CharField("nombre", max_length=120)
    activo = models.BooleanField(default=True)

    class Meta:
        ordering = ["codigo"]
        verbose_name_plural = "canales"

    def __str__(self):
        return self.nombre
