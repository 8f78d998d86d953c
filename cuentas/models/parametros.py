"""The rules of DOMAIN.md as effective-dated parameters, and the holiday calendar.

A rule is never a constant in code: each value has a `vigente_desde` and its legal source; the value
in force on a date is the one with the latest `vigente_desde` on or before it (cuentas.reglas).
Changing a rate from a future date never touches obligations already computed."""
from django.conf import settings
from django.db import models


class Parametro(models.Model):
    class Clave(models.TextChoices):
        TASA_PATRONAL = "tasa_patronal", "Cotización patronal (%)"
        TASA_LABORAL = "tasa_laboral", "Cotización laboral (%)"
        TASA_PATRONAL_ESPECIAL = "tasa_patronal_especial", "Cotización patronal, régimen especial (%)"
        TASA_LABORAL_ESPECIAL = "tasa_laboral_especial", "Cotización laboral, régimen especial (%)"
        TOPE_COTIZABLE = "tope_cotizable", "Salario máximo cotizable mensual ($)"
        TASA_RECARGO = "tasa_recargo", "Recargo por mora (% por mes o fracción)"
        MULTA_MINIMA = "multa_minima", "Multa mínima ($)"
        MULTA_MAXIMA = "multa_maxima", "Multa máxima ($)"
        DIA_HABIL_VENCIMIENTO = "dia_habil_vencimiento", "Vencimiento: día hábil del mes siguiente (0 = último)"
        INSAFORP_HABILITADO = "insaforp_habilitado", "INSAFORP habilitado (1 = sí)"
        TASA_INSAFORP = "tasa_insaforp", "INSAFORP (%)"
        INSAFORP_MIN_TRABAJADORES = "insaforp_min_trabajadores", "INSAFORP: trabajadores mínimos"

    clave = models.CharField("parámetro", max_length=40, choices=Clave.choices)
    valor = models.DecimalField("valor", max_digits=14, decimal_places=4)
    vigente_desde = models.DateField("vigente desde")
    fuente = models.CharField("fuente legal", max_length=250)
    nota = models.TextField("nota", blank=True)
    creado_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    creado_en = models.DateTimeField("registrado en", auto_now_add=True)

    class Meta:
        ordering = ["clave", "-vigente_desde"]
        verbose_name = "parámetro"
        verbose_name_plural = "parámetros"
        constraints = [
            models.UniqueConstraint(fields=["clave", "vigente_desde"], name="parametro_unico_por_vigencia",
                                    violation_error_message="Ya existe un valor de ese parámetro con esa vigencia."),
        ]

    def __str__(self):
        return f"{self.get_clave_display()} = {self.valor} desde {self.vigente_desde:%d/%m/%Y}"


class Feriado(models.Model):
    fecha = models.DateField("fecha", unique=True)
    nombre = models.CharField("nombre", max_length=120)

    class Meta:
        ordering = ["fecha"]
        verbose_name = "feriado"
        verbose_name_plural = "feriados"

    def __str__(self):
        return f"{self.fecha:%d/%m/%Y} {self.nombre}"
