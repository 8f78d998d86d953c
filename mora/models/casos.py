"""Collection cases (CasoCobro), their history and the collection actions (gestiones).

Invariants and where they are enforced:
- A deudor has at most one open case (estado not cumplido/cerrado): partial UNIQUE index
  `caso_un_abierto_por_deudor`; the portfolio generation relies on it to be idempotent.
- A case moves only along the state machine of `TRANSICIONES`, and only through
  `mora.services.caso_transicionar`, which writes one `CambioEstadoCaso` (who, when, why) per step.
- Every (re)assignment writes one `AsignacionCaso`; nothing here is ever deleted (PROTECT everywhere,
  no delete in services).
- This app keeps no balance: amounts are read from the ledger (cuentas) when shown.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now

from cuentas.models import Deudor
from issscobros.models import Sucursal


class CasoCobro(models.Model):
    class Estado(models.TextChoices):
        ASIGNADO = "asignado", "Asignado"
        EN_GESTION = "en_gestion", "En gestión"
        COMPROMISO = "compromiso", "Compromiso de pago"
        EN_CONVENIO = "en_convenio", "En convenio"
        CUMPLIDO = "cumplido", "Cumplido"
        REMITIDO_JURIDICO = "remitido_juridico", "Remitido a jurídico"
        CERRADO = "cerrado", "Cerrado"

    # A case in one of these is finished: the deudor may get a new case if it falls in mora again.
    TERMINALES = (Estado.CUMPLIDO, Estado.CERRADO)

    deudor = models.ForeignKey(Deudor, verbose_name="deudor", on_delete=models.PROTECT, related_name="casos")
    sucursal = models.ForeignKey(Sucursal, verbose_name="sucursal", on_delete=models.PROTECT, related_name="casos")
    gestor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="gestor", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="casos",
                               help_text="Vacío mientras la sucursal no tiene gestor.")
    estado = models.CharField("estado", max_length=20, choices=Estado.choices, default=Estado.ASIGNADO)
    abierto_en = models.DateField("abierto el")
    cerrado_en = models.DateField("cerrado el", null=True, blank=True)
    proxima_accion = models.DateField("próxima acción", null=True, blank=True)
    ultima_gestion = models.DateField("última gestión", null=True, blank=True)
    # The latest promise to pay (from its gestión), kept here so Mi cartera reads one row per case;
    # whether it was kept is read from the ledger's receipts (mora.selectors), never stored.
    promesa_desde = models.DateField("promesa hecha el", null=True, blank=True)
    promesa_fecha = models.DateField("fecha prometida", null=True, blank=True)
    promesa_monto = models.DecimalField("monto prometido", max_digits=14, decimal_places=2, null=True, blank=True)
    # R14: set by the nightly SLA review (or a breached convenio); the jefe decides the referral.
    propuesto_juridico_en = models.DateField("propuesto para cobro judicial el", null=True, blank=True)
    propuesto_juridico_motivo = models.CharField("motivo de la propuesta", max_length=250, blank=True)
    creado_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text="Vacío cuando lo abrió la generación nocturna.")
    creado_en = models.DateTimeField("creado en", db_default=Now())
    actualizado_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    actualizado_en = models.DateTimeField("actualizado en", db_default=Now())

    class Meta:
        ordering = ["-abierto_en", "-id"]
        verbose_name = "caso de cobro"
        verbose_name_plural = "casos de cobro"
        permissions = [
            ("reasignar_casocobro", "Puede reasignar casos de cobro"),
            ("generar_cartera", "Puede generar la cartera de casos"),
            ("remitir_casocobro", "Puede remitir casos a cobro judicial"),
            ("cerrar_casocobro", "Puede cerrar casos sin que medie pago o resolución judicial"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["deudor"], condition=~Q(estado__in=["cumplido", "cerrado"]),
                                    name="caso_un_abierto_por_deudor",
                                    violation_error_message="Ese deudor ya tiene un caso abierto."),
            models.CheckConstraint(condition=Q(cerrado_en__isnull=True) | Q(estado__in=["cumplido", "cerrado"]),
                                   name="caso_cerrado_en_solo_terminal"),
        ]
        indexes = [
            models.Index(fields=["gestor", "estado"], name="caso_gestor_estado"),
            models.Index(fields=["sucursal", "estado"], name="caso_sucursal_estado"),
        ]

    def __str__(self):
        return f"Caso {self.pk} — {self.deudor.razon_social}" if "deudor" in self._state.fields_cache else f"Caso {self.pk}"

    @property
    def abierto(self) -> bool:
        return self.estado not in self.TERMINALES


E = CasoCobro.Estado
# The state machine of the issue: asignado → en gestión → compromiso de pago → en convenio → cumplido |
# remitido a jurídico → cerrado. A broken promise or agreement goes back to en gestión; referral to the
# Unidad Jurídica is possible from any administrative state once collection is exhausted (R14).
TRANSICIONES: dict[str, set[str]] = {
    E.ASIGNADO: {E.EN_GESTION, E.COMPROMISO, E.EN_CONVENIO, E.REMITIDO_JURIDICO, E.CERRADO},
    E.EN_GESTION: {E.COMPROMISO, E.EN_CONVENIO, E.REMITIDO_JURIDICO, E.CERRADO},
    E.COMPROMISO: {E.EN_GESTION, E.EN_CONVENIO, E.REMITIDO_JURIDICO, E.CERRADO},
    E.EN_CONVENIO: {E.EN_GESTION, E.CUMPLIDO, E.REMITIDO_JURIDICO},
    E.CUMPLIDO: {E.CERRADO},
    E.REMITIDO_JURIDICO: {E.CERRADO},
    E.CERRADO: set(),
}


class CambioEstadoCaso(models.Model):
    """One step of a case along the state machine: who, when, why."""

    caso = models.ForeignKey(CasoCobro, on_delete=models.PROTECT, related_name="cambios_estado")
    estado_anterior = models.CharField("estado anterior", max_length=20, choices=CasoCobro.Estado.choices, blank=True)
    estado_nuevo = models.CharField("estado nuevo", max_length=20, choices=CasoCobro.Estado.choices)
    motivo = models.CharField("motivo", max_length=500)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    momento = models.DateTimeField("momento", db_default=Now())

    class Meta:
        ordering = ["-momento", "-id"]
        verbose_name = "cambio de estado del caso"
        verbose_name_plural = "cambios de estado de casos"

    def __str__(self):
        return f"{self.caso_id}: {self.estado_anterior or '—'} → {self.estado_nuevo}"


class AsignacionCaso(models.Model):
    """One (re)assignment of a case to a gestor."""

    caso = models.ForeignKey(CasoCobro, on_delete=models.PROTECT, related_name="asignaciones")
    gestor_anterior = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    gestor_nuevo = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    motivo = models.CharField("motivo", max_length=500)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    momento = models.DateTimeField("momento", db_default=Now())

    class Meta:
        ordering = ["-momento", "-id"]
        verbose_name = "asignación de caso"
        verbose_name_plural = "asignaciones de casos"


class Gestion(models.Model):
    """A collection action. A promise to pay (fecha + monto) is kept when the deudor's payments dated
    from the action to the promised date reach the amount (mora.selectors); otherwise, once the date
    has passed, it shows as broken."""

    class Tipo(models.TextChoices):
        LLAMADA = "llamada", "Llamada"
        VISITA = "visita", "Visita"
        CARTA = "carta", "Carta"
        CORREO = "correo", "Correo electrónico"
        REUNION = "reunion", "Reunión"

    class Resultado(models.TextChoices):
        PROMESA = "promesa", "Promesa de pago"
        CONTACTADO = "contactado", "Contactado, sin compromiso"
        NO_CONTACTADO = "no_contactado", "No contactado"
        SE_NIEGA = "se_niega", "Se niega a pagar"
        PAGO_INFORMADO = "pago_informado", "Informa que ya pagó"
        SOLICITA_CONVENIO = "solicita_convenio", "Solicita convenio"
        DIRECCION_ERRONEA = "direccion_erronea", "Dirección o teléfono erróneo"
        OTRO = "otro", "Otro"

    caso = models.ForeignKey(CasoCobro, on_delete=models.PROTECT, related_name="gestiones")
    tipo = models.CharField("tipo de gestión", max_length=20, choices=Tipo.choices)
    fecha = models.DateField("fecha")
    contacto = models.CharField("persona contactada", max_length=200, blank=True)
    resultado = models.CharField("resultado", max_length=30, choices=Resultado.choices)
    comentario = models.TextField("comentario", blank=True)
    promesa_fecha = models.DateField("fecha prometida de pago", null=True, blank=True)
    promesa_monto = models.DecimalField("monto prometido", max_digits=14, decimal_places=2, null=True, blank=True)
    proxima_accion = models.DateField("próxima acción", null=True, blank=True)
    registrado_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registrado_en = models.DateTimeField("registrado en", db_default=Now())

    class Meta:
        ordering = ["-fecha", "-id"]
        verbose_name = "gestión de cobro"
        verbose_name_plural = "gestiones de cobro"
        constraints = [
            models.CheckConstraint(
                condition=(Q(promesa_fecha__isnull=True) & Q(promesa_monto__isnull=True))
                | (Q(promesa_fecha__isnull=False) & Q(promesa_monto__gt=0)),
                name="gestion_promesa_completa",
                violation_error_message="Una promesa de pago necesita fecha y monto mayor que cero."),
            models.CheckConstraint(condition=Q(promesa_fecha__isnull=True) | Q(promesa_fecha__gte=models.F("fecha")),
                                   name="gestion_promesa_no_anterior",
                                   violation_error_message="La fecha prometida no puede ser anterior a la gestión."),
        ]
        indexes = [models.Index(fields=["caso", "promesa_fecha"], name="gestion_promesa",
                                condition=Q(promesa_fecha__isnull=False))]

    def __str__(self):
        return f"{self.get_tipo_display()} {self.fecha:%d/%m/%Y}"
