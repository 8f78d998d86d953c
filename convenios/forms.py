"""Forms of the agreement and settlement screens. Messages say exactly what is wrong, in Spanish."""
from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms

from cuentas.models import Obligacion
from cuentas.reglas import sumar_meses

from .models import Convenio

FECHA = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DINERO = {"max_digits": 14, "decimal_places": 2}


def _ayudante(*filas, boton="Guardar", nombre="enviar"):
    helper = FormHelper()
    helper.form_method = "post"
    helper.layout = Layout(*filas, Submit(nombre, boton))
    return helper


class ObligacionesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, o):
        periodo = f" {o.periodo:%Y-%m}" if o.periodo else ""
        return f"{o.get_concepto_display()}{periodo} · vence {o.vencimiento:%d/%m/%Y} · saldo ${o.saldo:,.2f}"


class SimuladorForm(forms.Form):
    cuenta = forms.ModelChoiceField(label="Cuenta", queryset=None, empty_label=None, required=False)
    obligaciones = ObligacionesField(label="Obligaciones a incluir", queryset=Obligacion.objects.none(),
                                     widget=forms.CheckboxSelectMultiple, required=False,
                                     help_text="Sin marcar ninguna se incluyen todas las vencidas.")
    fecha_firma = forms.DateField(label="Fecha de firma", widget=FECHA)
    prima = forms.DecimalField(label="Prima ($)", required=False, min_value=0, **DINERO,
                               help_text="En blanco: la mínima que permiten los parámetros.")
    numero_cuotas = forms.IntegerField(label="Número de cuotas mensuales", min_value=1, max_value=120)
    primer_vencimiento = forms.DateField(label="Vencimiento de la primera cuota", widget=FECHA)
    opciones = forms.CharField(label="Imprimir también con estas cantidades de cuotas", required=False,
                               help_text="Por ejemplo: 3, 6, 12")
    tipo = forms.ChoiceField(label="Tipo", choices=Convenio.Tipo.choices, initial=Convenio.Tipo.CONVENIO)
    empleado = forms.CharField(label="Empleado que autoriza el descuento", required=False, max_length=200,
                               help_text="Solo para descuento por planilla (servicios médicos).")

    def __init__(self, *args, cuentas, obligaciones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cuenta"].queryset = cuentas
        self.fields["obligaciones"].queryset = obligaciones
        for nombre, campo in self.fields.items():
            if nombre != "obligaciones":
                campo.widget.attrs["class"] = "form-select" if isinstance(campo.widget, forms.Select) else "form-control"

    def clean_opciones(self):
        texto = self.cleaned_data["opciones"].replace(";", ",")
        try:
            numeros = [int(p) for p in texto.split(",") if p.strip()]
        except ValueError:
            raise forms.ValidationError("Escriba números de cuotas separados por comas, por ejemplo: 3, 6, 12.")
        if any(n < 1 or n > 120 for n in numeros):
            raise forms.ValidationError("Cada opción debe tener de 1 a 120 cuotas.")
        return numeros

    @staticmethod
    def iniciales(hoy: date) -> dict:
        return {"fecha_firma": hoy, "numero_cuotas": 6, "primer_vencimiento": sumar_meses(hoy, 1)}


class LegalizarForm(forms.Form):
    copia_firmada = forms.FileField(label="Copia firmada (PDF o imagen)")
    fecha_legalizacion = forms.DateField(label="Fecha de legalización", widget=FECHA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template's form carries the confirmation button
        self.helper.layout = Layout(Row(Column("copia_firmada"), Column("fecha_legalizacion")))


class MotivoForm(forms.Form):
    motivo = forms.CharField(label="Motivo", widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}), max_length=1000)


class TransaccionForm(forms.Form):
    fecha_corte = forms.DateField(label="Recargos causados hasta", widget=FECHA)
    porcentaje_recargos = forms.DecimalField(label="Porcentaje de recargos a exonerar", min_value=0, max_value=100,
                                             max_digits=5, decimal_places=2, initial=100)
    incluye_multas = forms.BooleanField(label="Exonerar también las multas", required=False, initial=True)
    justificacion = forms.CharField(label="Justificación", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _ayudante(Row(Column("fecha_corte"), Column("porcentaje_recargos"), Column("incluye_multas")),
                                "justificacion", boton="Preparar solicitud")


class RevisionForm(forms.Form):
    decision = forms.ChoiceField(label="Decisión", choices=[("aprobar", "Enviar al Consejo Directivo"),
                                                             ("devolver", "Devolver con observaciones")])
    nota = forms.CharField(label="Observaciones", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class AcuerdoForm(forms.Form):
    decision = forms.ChoiceField(label="Decisión del Consejo", choices=[("aprobado", "Aprobada"), ("denegado", "Denegada")])
    numero = forms.CharField(label="Número de acuerdo", max_length=60)
    sesion = forms.CharField(label="Sesión", max_length=60)
    fecha = forms.DateField(label="Fecha del acuerdo", widget=FECHA)
    documento = forms.FileField(label="Acuerdo firmado", required=False)
    porcentaje_recargos = forms.DecimalField(label="Porcentaje de recargos exonerado", min_value=0, max_value=100,
                                             max_digits=5, decimal_places=2, required=False)
    incluye_multas = forms.BooleanField(label="Exonera las multas", required=False)
    condicion_fecha = forms.DateField(label="Condicional: cotizaciones pagadas a más tardar", required=False,
                                      widget=FECHA, help_text="Si no se cumple, la exoneración se revierte.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Row(Column("decision"), Column("fecha")), Row(Column("numero"), Column("sesion")),
                                    "documento", Row(Column("porcentaje_recargos"), Column("incluye_multas")),
                                    "condicion_fecha")

    def clean(self):
        datos = super().clean()
        if datos.get("decision") == "aprobado":
            if not datos.get("documento"):
                self.add_error("documento", "Adjunte el acuerdo firmado.")
            if datos.get("porcentaje_recargos") is None:
                self.add_error("porcentaje_recargos", "Indique el porcentaje de recargos exonerado (0 si ninguno).")
        return datos
