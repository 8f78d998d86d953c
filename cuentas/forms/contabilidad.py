"""Forms of the accounting screens (certificación de pago, partidas de diario, conformación,
indicadores)."""
from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms

from ..models import Comprobante
from .libro import PeriodoField, _ayudante

__all__ = ["MesForm", "CertificacionPagoForm", "ComprobanteFiltroForm", "ArchivoComprobanteForm", "ConformacionForm",
           "mes_anterior"]


def mes_anterior(hoy: date) -> date:
    """Monthly reports are prepared once the month has closed: the default is last month."""
    return date(hoy.year - (hoy.month == 1), (hoy.month - 2) % 12 + 1, 1)


class MesForm(forms.Form):
    mes = PeriodoField(label="Mes")

    def __init__(self, *args, boton="Consultar", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row g-2 align-items-end d-print-none"
        self.helper.layout = Layout(Row(Column("mes", css_class="col-auto"),
                                        Column(Submit("consultar", boton, css_class="btn-secondary"), css_class="col-auto")))


class CertificacionPagoForm(forms.Form):
    numero_patronal = forms.CharField(label="Número patronal", max_length=30)
    desde = PeriodoField(label="Desde el periodo")
    hasta = PeriodoField(label="Hasta el periodo")
    cotizaciones = forms.BooleanField(label="Cotizaciones (laboral, patronal e INSAFORP)", required=False, initial=True)
    recargos = forms.BooleanField(label="Recargos por mora", required=False)
    multas = forms.BooleanField(label="Multas", required=False)
    solicitud = forms.CharField(label="Solicitada por", max_length=250, required=False,
                                help_text="Quién la solicita y para qué; aparece en la certificación.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = _ayudante(Row(Column("numero_patronal"), Column("desde"), Column("hasta")),
                                Row(Column("cotizaciones"), Column("recargos"), Column("multas")), "solicitud",
                                boton="Elaborar certificación")

    def clean_numero_patronal(self):
        from ..selectors import cuentas_para_usuario

        numero = self.cleaned_data["numero_patronal"].strip()
        cuenta = cuentas_para_usuario(user=self.user).select_related("deudor").filter(numero=numero).first()
        if cuenta is None:
            raise forms.ValidationError(f"No existe la cuenta {numero}.")
        self.cleaned_data["cuenta"] = cuenta
        return numero

    def clean(self):
        datos = super().clean()
        if datos.get("desde") and datos.get("hasta") and datos["desde"] > datos["hasta"]:
            self.add_error("hasta", "El periodo final es anterior al inicial.")
        if not (datos.get("cotizaciones") or datos.get("recargos") or datos.get("multas")):
            self.add_error("cotizaciones", "Elija al menos uno: cotizaciones, recargos o multas.")
        return datos


class ComprobanteFiltroForm(forms.Form):
    mes = PeriodoField(label="Mes", required=False)
    q = forms.CharField(label="Número o concepto", required=False)
    estado = forms.ChoiceField(label="Estado", required=False, choices=[("", "Todos"), *Comprobante.Estado.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "d-print-none"
        self.helper.layout = Layout(Row(Column("mes", css_class="col-md-2"), Column("q", css_class="col-md-4"),
                                        Column("estado", css_class="col-md-3"),
                                        Column(Submit("buscar", "Buscar", css_class="btn-secondary mt-4"), css_class="col-md-2")))


class ArchivoComprobanteForm(forms.Form):
    original_archivado = forms.BooleanField(label="Original archivado", required=False)
    copia_archivada = forms.BooleanField(label="Copia archivada", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _ayudante(Row(Column("original_archivado"), Column("copia_archivada")), boton="Guardar archivo")


class ConformacionForm(forms.Form):
    mes = PeriodoField(label="Mes", widget=forms.HiddenInput)
    saldo_control = forms.DecimalField(label="Saldo según Contabilidad (mayor general)", max_digits=16, decimal_places=2,
                                       help_text="Saldo de las cuentas por cobrar que reporta Contabilidad Institucional "
                                                 "al cierre del mes.")
    nota = forms.CharField(label="Observaciones", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout("mes", Row(Column("saldo_control", css_class="col-md-4"), Column("nota")),
                                    Submit("emitir", "Emitir conformación (PDF)", data_confirmar=(
                                        "Se emitirá la conformación con un número de la serie. ¿Continuar?")))

