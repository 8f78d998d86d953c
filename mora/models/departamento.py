"""The department's instruments: the Plan Anual de Recuperación (targets), the correspondence
register and the nightly KPI snapshot the dashboard reads.

A target is a number the jefe sets; actuals are never stored here, they come from the ledger."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now

from issscobros.models import Sucursal


class MetaPlan(models.Model):
    """Target of one sucursal for one month: amount to recover and cases to close."""

    sucursal = models.ForeignKey(Sucursal, on_delete=models.PROTECT, related_name="metas_mora")
    mes = models.DateField("mes", help_text="Primer día del mes.")
    monto = models.DecimalField("monto a recuperar", max_digits=14, decimal_places=2, default=0)
    casos = models.PositiveIntegerField("casos a cerrar", default=0)
    actualizado_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actualizado_en = models.DateTimeField("actualizado en", db_default=Now())

    class Meta:
        ordering = ["mes", "sucursal__nombre"]
        verbose_name = "meta del plan de recuperación"
        verbose_name_plural = "metas del plan de recuperación"
        constraints = [
            models.UniqueConstraint(fields=["sucursal", "mes"], name="meta_unica_por_mes"),
            models.CheckConstraint(condition=Q(monto__gte=0), name="meta_monto_no_negativo"),
            models.CheckConstraint(condition=Q(mes__day=1), name="meta_mes_primer_dia"),
        ]


class Correspondencia(models.Model):
    """An incoming request (Fiscalía, UPISSS, Unidad Jurídica, other units) and its answer."""

    class Remitente(models.TextChoices):
        FISCALIA = "fiscalia", "Fiscalía General de la República"
        UPISSS = "upisss", "UPISSS"
        JURIDICA = "juridica", "Unidad Jurídica"
        CONTROL_INGRESOS = "control_ingresos", "Control de Ingresos"
        SUCURSAL = "sucursal", "Sucursal administrativa"
        OTRA = "otra", "Otra unidad"

    class Estado(models.TextChoices):
        PENDIENTE = "pendiente", "Pendiente"
        EN_PROCESO = "en_proceso", "En proceso"
        RESPONDIDA = "respondida", "Respondida"

    recibida_el = models.DateField("recibida el")
    remitente = models.CharField("remitente", max_length=20, choices=Remitente.choices)
    referencia = models.CharField("referencia del remitente", max_length=100, blank=True)
    asunto = models.CharField("asunto", max_length=300)
    deudor = models.ForeignKey("cuentas.Deudor", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sucursal = models.ForeignKey(Sucursal, on_delete=models.PROTECT, related_name="+")
    asignada_a = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="asignada a", on_delete=models.PROTECT,
                                   related_name="correspondencia")
    vence_el = models.DateField("fecha límite de respuesta")
    estado = models.CharField("estado", max_length=12, choices=Estado.choices, default=Estado.PENDIENTE)
    respuesta = models.TextField("respuesta", blank=True)
    respondida_el = models.DateField("respondida el", null=True, blank=True)
    documento_respuesta = models.FileField("documento de respuesta", upload_to="correspondencia/%Y/%m/", blank=True)
    registrado_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registrado_en = models.DateTimeField("registrado en", db_default=Now())

    class Meta:
        ordering = ["vence_el", "id"]
        verbose_name = "correspondencia"
        verbose_name_plural = "correspondencia"
        constraints = [
            models.CheckConstraint(condition=Q(vence_el__gte=models.F("recibida_el")), name="correspondencia_plazo"),
            models.CheckConstraint(condition=~Q(estado="respondida") | Q(respondida_el__isnull=False),
                                   name="correspondencia_respondida_con_fecha"),
        ]

    def __str__(self):
        return f"{self.get_remitente_display()}: {self.asunto}"


class SnapshotKPI(models.Model):
    """The dashboard's figures computed at night (mora.kpi), by sucursal, so the page reads one row."""

    fecha = models.DateField("fecha", unique=True)
    datos = models.JSONField("cifras")
    calculado_en = models.DateTimeField("calculado en", db_default=Now())
    duracion_ms = models.PositiveIntegerField("duración (ms)", default=0)

    class Meta:
        ordering = ["-fecha"]
        verbose_name = "instantánea de indicadores"
        verbose_name_plural = "instantáneas de indicadores"


class PropuestaPublicacion(models.Model):
    """An employer resisting payment by the administrative route, proposed for the publication list
    (criteria: parameters mora_publicacion_*), approved by a jefe other than the proposer."""

    class Estado(models.TextChoices):
        PROPUESTA = "propuesta", "Propuesta"
        APROBADA = "aprobada", "Aprobada para publicar"
        RECHAZADA = "rechazada", "Rechazada"

    caso = models.ForeignKey("mora.CasoCobro", on_delete=models.PROTECT, related_name="propuestas_publicacion")
    motivo = models.CharField("motivo", max_length=500)
    estado = models.CharField("estado", max_length=12, choices=Estado.choices, default=Estado.PROPUESTA)
    propuesto_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    propuesto_en = models.DateTimeField("propuesto en", db_default=Now())
    resuelto_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resuelto_en = models.DateTimeField("resuelto en", null=True, blank=True)
    nota = models.CharField("nota de la resolución", max_length=500, blank=True)

    class Meta:
        ordering = ["-propuesto_en", "-id"]
        verbose_name = "propuesta de publicación"
        verbose_name_plural = "propuestas de publicación"
        permissions = [("aprobar_propuestapublicacion", "Puede aprobar la lista de publicación")]
        constraints = [
            models.UniqueConstraint(fields=["caso"], condition=Q(estado__in=["propuesta", "aprobada"]),
                                    name="publicacion_una_vigente_por_caso"),
            models.CheckConstraint(condition=Q(resuelto_por__isnull=True) | ~Q(resuelto_por=models.F("propuesto_por")),
                                   name="publicacion_cuatro_ojos"),
        ]


class SolicitudDepuracion(models.Model):
    """A request to another area to clean up a deudor's account (wrong charges, unidentified
    payments, duplicates), tracked to its answer."""

    class Area(models.TextChoices):
        CONTROL_INGRESOS = "control_ingresos", "Control de Ingresos"
        CONTABILIDAD = "contabilidad", "Contabilidad Institucional"
        AFILIACION = "afiliacion", "Afiliación e Inspección"
        JURIDICA = "juridica", "Unidad Jurídica"
        SUCURSAL = "sucursal", "Sucursal administrativa"

    caso = models.ForeignKey("mora.CasoCobro", on_delete=models.PROTECT, related_name="depuraciones")
    area = models.CharField("área", max_length=20, choices=Area.choices)
    descripcion = models.TextField("qué se pide depurar")
    solicitada_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    solicitada_en = models.DateTimeField("solicitada en", db_default=Now())
    respuesta = models.TextField("respuesta", blank=True)
    respondida_el = models.DateField("respondida el", null=True, blank=True)
    registrada_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name="respuesta registrada por")

    class Meta:
        ordering = ["-solicitada_en", "-id"]
        verbose_name = "solicitud de depuración"
        verbose_name_plural = "solicitudes de depuración"
        constraints = [models.CheckConstraint(condition=Q(respondida_el__isnull=True) | ~Q(respuesta=""),
                                              name="depuracion_respuesta_con_texto")]


class LotePlanillas(models.Model):
    """A list of planillas en mora sent by Control de Ingresos or a branch, checked line by line
    against the ledger when it is received."""

    class Origen(models.TextChoices):
        CONTROL_INGRESOS = "control_ingresos", "Control de Ingresos"
        SUCURSAL = "sucursal", "Sucursal administrativa"

    origen = models.CharField("enviado por", max_length=20, choices=Origen.choices)
    sucursal = models.ForeignKey(Sucursal, on_delete=models.PROTECT, related_name="+")
    recibido_el = models.DateField("recibido el")
    referencia = models.CharField("referencia del envío", max_length=100, blank=True)
    archivo = models.FileField("archivo", upload_to="lotes_mora/%Y/%m/")
    registrado_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registrado_en = models.DateTimeField("registrado en", db_default=Now())

    class Meta:
        ordering = ["-recibido_el", "-id"]
        verbose_name = "lote de planillas en mora"
        verbose_name_plural = "lotes de planillas en mora"


class LineaLote(models.Model):
    class Resultado(models.TextChoices):
        COINCIDE = "coincide", "Coincide con el sistema"
        DIFERENCIA = "diferencia", "Monto distinto"
        SIN_MORA = "sin_mora", "El sistema no registra mora"
        NO_EXISTE = "no_existe", "Número patronal desconocido"

    lote = models.ForeignKey(LotePlanillas, on_delete=models.PROTECT, related_name="lineas")
    linea = models.PositiveIntegerField("línea")
    numero_patronal = models.CharField("número patronal", max_length=30)
    periodo = models.DateField("periodo")
    monto_informado = models.DecimalField("monto informado", max_digits=14, decimal_places=2)
    monto_sistema = models.DecimalField("saldo vencido en el sistema", max_digits=14, decimal_places=2, null=True)
    resultado = models.CharField("resultado", max_length=12, choices=Resultado.choices)

    class Meta:
        ordering = ["lote", "linea"]
        constraints = [models.UniqueConstraint(fields=["lote", "linea"], name="lote_linea_unica")]
