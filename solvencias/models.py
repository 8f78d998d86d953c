"""Solvency certificates (DOMAIN R11–R13), their public verification log and the customs API log.

Invariants and where they are enforced:
- A Solvencia is issued only by solvencias.services, under the row locks the posting service takes on
  every cuenta of the NIT (cuentas.services.libro.cuentas_bloquear), in the same transaction as the
  eligibility check; `datos` keeps the snapshot that was certified.
- Its verification code is the code of its Documento (issscobros.documentos: 130 random bits, UNIQUE),
  and its bytes are the Documento's (a reprint gives the same PDF).
- Nothing is deleted; an annulment records who, when and why (CHECK: all three or none).
- One electronic solvency per (deudor, month covered) that is not annulled: partial UNIQUE index, so a
  monthly batch run twice issues nothing new.
- vigente / vencida are computed from `valida_hasta` (never stored), anulada from `anulada_en`.
"""
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cuentas.identificadores import nit_formatear
from issscobros.models import Documento


class Solvencia(models.Model):
    class Tipo(models.TextChoices):
        SOLVENCIA = "solvencia", "Solvencia"
        ELECTRONICA = "electronica", "Solvencia electrónica (Zona Franca / DPA)"
        NO_INSCRITO = "no_inscrito", "Constancia de no inscrito"

    class Estado(models.TextChoices):
        VIGENTE = "vigente", "Vigente"
        VENCIDA = "vencida", "Vencida"
        ANULADA = "anulada", "Anulada"

    tipo = models.CharField("tipo", max_length=20, choices=Tipo.choices)
    deudor = models.ForeignKey("cuentas.Deudor", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="solvencias", help_text="Vacío en una constancia de un NIT no registrado.")
    nit = models.CharField("NIT", max_length=14, db_index=True)
    nombre = models.CharField("nombre o razón social", max_length=200)
    numeros_patronales = models.JSONField("números patronales cubiertos", default=list, blank=True)
    mes_cubierto = models.DateField("mes cubierto", null=True, blank=True,
                                    help_text="Solvencia electrónica: primer día del mes que certifica (R12).")
    emitida_en = models.DateTimeField("emitida en", db_index=True)
    valida_hasta = models.DateField("válida hasta")
    codigo = models.CharField("código de verificación", max_length=32, unique=True)
    documento = models.OneToOneField(Documento, on_delete=models.PROTECT, related_name="solvencia")
    emitida_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="emitida por")
    datos = models.JSONField("situación certificada")
    anulada_en = models.DateTimeField("anulada en", null=True, blank=True)
    anulada_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="anulada por")
    motivo_anulacion = models.TextField("motivo de la anulación", blank=True)

    class Meta:
        ordering = ["-emitida_en", "-id"]
        verbose_name = "solvencia"
        verbose_name_plural = "solvencias"
        permissions = [("anular_solvencia", "Puede anular solvencias emitidas")]
        constraints = [
            models.UniqueConstraint(fields=["deudor", "mes_cubierto"], name="solvencia_electronica_una_por_mes",
                                    condition=Q(tipo="electronica", anulada_en__isnull=True)),
            models.CheckConstraint(name="solvencia_anulacion_completa", condition=(
                Q(anulada_en__isnull=True, anulada_por__isnull=True, motivo_anulacion="")
                | (Q(anulada_en__isnull=False, anulada_por__isnull=False) & ~Q(motivo_anulacion="")))),
            models.CheckConstraint(name="solvencia_mes_solo_electronica",
                                   condition=Q(mes_cubierto__isnull=True) | Q(tipo="electronica")),
        ]
        indexes = [models.Index(fields=["emitida_por", "emitida_en"], name="solvencia_por_usuario")]

    def __str__(self):
        return f"{self.get_tipo_display()} {self.folio}"

    @property
    def folio(self) -> str:
        return self.documento.folio

    @property
    def nit_formateado(self) -> str:
        return nit_formatear(self.nit)

    @property
    def nit_enmascarado(self) -> str:
        return nit_enmascarar(self.nit)

    @property
    def codigo_agrupado(self) -> str:
        return codigo_agrupar(self.codigo)

    @property
    def codigo_corto(self) -> str:
        return f"{self.codigo[:8]}…"

    def estado_al(self, hoy: date | None = None) -> str:
        if self.anulada_en is not None:
            return self.Estado.ANULADA
        hoy = hoy or timezone.localdate()
        return self.Estado.VIGENTE if hoy <= self.valida_hasta else self.Estado.VENCIDA

    @property
    def estado(self) -> str:
        return self.estado_al()

    def get_estado_display(self) -> str:
        return self.Estado(self.estado).label


def codigo_agrupar(codigo: str) -> str:
    """The code as printed, in groups of five (the last takes the rest): easier to read aloud and type."""
    grupos = [codigo[i:i + 5] for i in range(0, 20, 5)] + [codigo[20:]]
    return "-".join(g for g in grupos if g)


def nit_enmascarar(nit: str) -> str:
    """The public side shows the municipality and the last two digits: 0614-******-**4-8. The hidden
    part (date of birth or incorporation, correlative) is what identifies a person."""
    if not nit or len(nit) != 14:
        return "****"
    return f"{nit[:4]}-******-**{nit[12]}-{nit[13]}"


class Verificacion(models.Model):
    """Every check on the public verification page: from where, which code, with which NIT, what it
    answered. Auditors read it to spot enumeration attempts and forged certificates."""

    class Resultado(models.TextChoices):
        VIGENTE = "vigente", "Vigente"
        VENCIDA = "vencida", "Vencida"
        ANULADA = "anulada", "Anulada"
        NO_ENCONTRADA = "no_encontrada", "No encontrada"
        LIMITADA = "limitada", "Rechazada por exceso de intentos"

    momento = models.DateTimeField("momento", auto_now_add=True, db_index=True)
    ip = models.GenericIPAddressField("dirección IP", null=True, blank=True)
    codigo = models.CharField("código consultado", max_length=64, blank=True)
    nit = models.CharField("NIT indicado", max_length=20, blank=True)
    resultado = models.CharField("resultado", max_length=15, choices=Resultado.choices)
    solvencia = models.ForeignKey(Solvencia, null=True, blank=True, on_delete=models.PROTECT, related_name="verificaciones")

    class Meta:
        ordering = ["-momento", "-id"]
        verbose_name = "verificación de solvencia"
        verbose_name_plural = "verificaciones de solvencias"
        indexes = [models.Index(fields=["ip", "momento"], name="verificacion_ip")]

    def __str__(self):
        return f"{self.momento:%d/%m/%Y %H:%M} {self.ip} {self.get_resultado_display()}"


class ConsultaApi(models.Model):
    """Every query of GET /api/v1/solvencias/ (customs, procurement): who asked, for which NIT, and
    the answer given, as sent."""

    momento = models.DateTimeField("momento", auto_now_add=True, db_index=True)
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    nit = models.CharField("NIT consultado", max_length=20, blank=True)
    estado_http = models.PositiveSmallIntegerField("estado HTTP")
    solvente = models.BooleanField("solvente", null=True)
    respuesta = models.JSONField("respuesta")

    class Meta:
        ordering = ["-momento", "-id"]
        verbose_name = "consulta de solvencia por API"
        verbose_name_plural = "consultas de solvencia por API"

    def __str__(self):
        return f"{self.momento:%d/%m/%Y %H:%M} {self.usuario} {self.nit}"
