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
        CONVENIO_PRIMA_MINIMA = "convenio_prima_minima", "Convenio: prima mínima (% de la deuda)"
        CONVENIO_CUOTAS_MAXIMAS = "convenio_cuotas_maximas", "Convenio: cuotas mensuales máximas"
        CONVENIO_UMBRAL_DEUDA_MAYOR = "convenio_umbral_deuda_mayor", "Convenio: deuda desde la que rige otro máximo de cuotas ($)"
        CONVENIO_CUOTAS_MAXIMAS_DEUDA_MAYOR = ("convenio_cuotas_maximas_deuda_mayor",
                                               "Convenio: cuotas máximas para esa deuda mayor")
        CONVENIO_RECARGOS_CONGELADOS = "convenio_recargos_congelados", "Convenio: recargos congelados mientras está vigente (1 = sí)"
        CONVENIO_CUOTAS_INCUMPLIMIENTO = ("convenio_cuotas_incumplimiento",
                                          "Convenio: cuotas consecutivas impagas que lo incumplen")
        MORA_DIAS_APERTURA = "mora_dias_apertura", "Cobro: días de mora para abrir un caso"
        MORA_SLA_DIAS_SIN_GESTION = "mora_sla_dias_sin_gestion", "Cobro: días sin gestión para alertar"
        MORA_SLA_DIAS_SIN_PAGO = "mora_sla_dias_sin_pago", "Cobro: días sin pago para proponer cobro judicial"
        MORA_SLA_PROMESAS_INCUMPLIDAS = ("mora_sla_promesas_incumplidas",
                                         "Cobro: promesas incumplidas para proponer cobro judicial")
        MORA_PUBLICACION_DIAS = "mora_publicacion_dias", "Publicación de morosos: días de mora"
        MORA_PUBLICACION_GESTIONES_FALLIDAS = ("mora_publicacion_gestiones_fallidas",
                                               "Publicación de morosos: gestiones fallidas")
        SOLVENCIA_VIGENCIA_DIAS = "solvencia_vigencia_dias", "Solvencia: días de validez (desde el día siguiente)"
        SOLVENCIA_CONVENIO_SOLVENTE = "solvencia_convenio_solvente", "Solvencia: un convenio vigente cuenta como solvente (1 = sí)"

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
