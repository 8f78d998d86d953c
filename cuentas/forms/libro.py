"""Forms of the ledger screens. Validation messages say exactly what is wrong, in Spanish."""
from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms

from ..models import COTIZACIONES, Canal, Concepto, Obligacion, Parametro, Planilla, SolicitudAjuste, Feriado
from ..reglas import periodo_de

__all__ = [
    "PeriodoField", "EstadoFiltroForm", "ArchivoForm", "PlanillaForm", "LineaTrabajadorForm", "LineasFormSet",
    "ReciboForm", "IdentificarReciboForm", "AplicarForm", "CargoForm", "SolicitudAjusteForm", "ResolverAjusteForm",
    "ParametroForm", "FeriadoForm",
]

FECHA = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodoField(forms.CharField):
    """A month as AAAA-MM (the browser's month picker sends exactly that)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "AAAA-MM"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return periodo_de(value)
        except ValueError:
            raise forms.ValidationError("Indique el periodo como AAAA-MM (por ejemplo 2025-03).")

    def prepare_value(self, value):
        return f"{value:%Y-%m}" if isinstance(value, date) else value


def _ayudante(*filas, boton="Guardar", metodo="post"):
    helper = FormHelper()
    helper.form_method = metodo
    helper.layout = Layout(*filas, Submit("enviar", boton))
    return helper


class EstadoFiltroForm(forms.Form):
    fecha = forms.DateField(label="Al", required=False, widget=FECHA)
    desde = PeriodoField(label="Desde el periodo", required=False)
    hasta = PeriodoField(label="Hasta el periodo", required=False)

    def clean(self):
        datos = super().clean()
        if datos.get("desde") and datos.get("hasta") and datos["desde"] > datos["hasta"]:
            self.add_error("hasta", "El periodo final es anterior al inicial.")
        return datos


class ArchivoForm(forms.Form):
    archivo = forms.FileField(label="Archivo CSV", help_text="UTF-8, separado por comas, con encabezado.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _ayudante("archivo", boton="Importar")

    def clean_archivo(self):
        archivo = self.cleaned_data["archivo"]
        if archivo.size > 200 * 1024 * 1024:
            raise forms.ValidationError("El archivo supera 200 MB; divídalo.")
        return archivo


class PlanillaForm(forms.Form):
    periodo = PeriodoField(label="Periodo")
    tipo = forms.ChoiceField(label="Tipo de planilla", choices=Planilla.Tipo.choices)
    fecha_presentacion = forms.DateField(label="Fecha de presentación", widget=FECHA)


class LineaTrabajadorForm(forms.Form):
    numero_afiliado = forms.RegexField(label="N.º de afiliación", regex=r"^\d{1,15}$",
                                       error_messages={"invalid": "Solo dígitos (hasta 15)."})
    dui = forms.CharField(label="DUI", required=False)
    nombre = forms.CharField(label="Nombre", max_length=150)
    salario = forms.DecimalField(label="Salario", min_value=0, max_digits=12, decimal_places=2)
    dias = forms.IntegerField(label="Días", min_value=0, max_value=31)

    def clean_dui(self):
        from ..identificadores import dui_validar

        valor = self.cleaned_data.get("dui")
        return dui_validar(valor) if valor else ""


LineasFormSet = forms.formset_factory(LineaTrabajadorForm, extra=5, min_num=1, validate_min=True)


class ReciboForm(forms.Form):
    canal = forms.ModelChoiceField(label="Canal", queryset=Canal.objects.filter(activo=True), to_field_name="codigo")
    referencia = forms.CharField(label="Referencia", max_length=60)
    fecha_pago = forms.DateField(label="Fecha de pago", widget=FECHA)
    monto = forms.DecimalField(label="Monto", min_value=0.01, max_digits=14, decimal_places=2)
    numero_patronal = forms.CharField(label="Número patronal", required=False,
                                      help_text="Déjelo vacío si no se conoce: el pago quedará por identificar.")
    periodo = PeriodoField(label="Periodo que paga", required=False)
    npe = forms.RegexField(label="NPE", regex=r"^\d{1,34}$", required=False, error_messages={"invalid": "Solo dígitos (hasta 34)."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _ayudante(Row(Column("canal"), Column("referencia"), Column("fecha_pago")),
                                Row(Column("monto"), Column("numero_patronal"), Column("periodo"), Column("npe")),
                                boton="Registrar pago")


class IdentificarReciboForm(forms.Form):
    numero_patronal = forms.CharField(label="Número patronal")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _ayudante("numero_patronal", boton="Identificar y aplicar")


class AplicarForm(forms.Form):
    obligaciones = forms.ModelMultipleChoiceField(label="Obligaciones a pagar", queryset=Obligacion.objects.none(),
                                                  widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, cuenta, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obligaciones"].queryset = cuenta.obligaciones.filter(saldo__gt=0).order_by("periodo", "vencimiento")
        self.fields["obligaciones"].label_from_instance = lambda o: f"{o} · vence {o.vencimiento:%d/%m/%Y} · saldo ${o.saldo:,.2f}"
        self.helper = _ayudante("obligaciones", boton="Aplicar saldo a favor")


class CargoForm(forms.Form):
    concepto = forms.ChoiceField(label="Concepto", choices=[
        (c.value, c.label) for c in Concepto if c.value not in (*COTIZACIONES, Concepto.RECARGO)])
    monto = forms.DecimalField(label="Monto", min_value=0.01, max_digits=14, decimal_places=2)
    documento_numero = forms.CharField(label="Resolución, contrato o referencia", max_length=60)
    documento_fecha = forms.DateField(label="Fecha del documento", widget=FECHA)
    periodo = PeriodoField(label="Periodo", required=False)
    vencimiento = forms.DateField(label="Vencimiento", widget=FECHA)
    descripcion = forms.CharField(label="Infracción o descripción", max_length=250)
    soporte = forms.FileField(label="Documento de soporte", required=False)

    def __init__(self, *args, cuenta=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cuenta is not None:
            from ..contabilidad import CARGOS_POR_TIPO_DE_CUENTA

            permitidos = CARGOS_POR_TIPO_DE_CUENTA.get(cuenta.tipo, ())
            self.fields["concepto"].choices = [(c, l) for c, l in self.fields["concepto"].choices if c in permitidos]
        self.helper = _ayudante(Row(Column("concepto"), Column("monto")),
                                Row(Column("documento_numero"), Column("documento_fecha")),
                                Row(Column("periodo"), Column("vencimiento")),
                                "descripcion", "soporte", boton="Registrar cargo")

    def clean(self):
        datos = super().clean()
        if datos.get("vencimiento") and datos.get("documento_fecha") and datos["vencimiento"] < datos["documento_fecha"]:
            self.add_error("vencimiento", "El vencimiento no puede ser anterior a la fecha del documento.")
        return datos


class SolicitudAjusteForm(forms.Form):
    tipo = forms.ChoiceField(label="Tipo", choices=SolicitudAjuste.Tipo.choices)
    obligaciones = forms.ModelMultipleChoiceField(label="Multas y recargos", queryset=Obligacion.objects.none(),
                                                  widget=forms.CheckboxSelectMultiple, required=False)
    incluye_recargos_devengados = forms.BooleanField(
        label="Incluir los recargos devengados a la fecha de corte (solo exoneración)", required=False)
    fecha_corte = forms.DateField(label="Fecha de corte", widget=FECHA, initial=date.today)
    porcentaje = forms.DecimalField(label="Porcentaje", min_value=0.01, max_value=100, initial=100, decimal_places=2)
    motivo = forms.CharField(label="Motivo", widget=forms.Textarea(attrs={"rows": 3}))
    acuerdo_numero = forms.CharField(label="Número de acuerdo o resolución", required=False, max_length=60)
    acuerdo_fecha = forms.DateField(label="Fecha del acuerdo", required=False, widget=FECHA)
    soporte = forms.FileField(label="Documento de soporte", required=False)

    def __init__(self, *args, cuenta, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obligaciones"].queryset = cuenta.obligaciones.filter(
            saldo__gt=0, concepto__in=[Concepto.RECARGO, Concepto.MULTA]).order_by("periodo", "id")
        self.fields["obligaciones"].label_from_instance = lambda o: f"{o} · saldo ${o.saldo:,.2f}"
        self.helper = _ayudante(Row(Column("tipo"), Column("fecha_corte"), Column("porcentaje")),
                                "obligaciones", "incluye_recargos_devengados", "motivo",
                                Row(Column("acuerdo_numero"), Column("acuerdo_fecha")), "soporte",
                                boton="Proponer")


class ResolverAjusteForm(forms.Form):
    nota = forms.CharField(label="Nota", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ParametroForm(forms.ModelForm):
    class Meta:
        model = Parametro
        fields = ["clave", "valor", "vigente_desde", "fuente", "nota"]
        widgets = {"vigente_desde": FECHA, "nota": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _ayudante(Row(Column("clave"), Column("valor"), Column("vigente_desde")), "fuente", "nota",
                                boton="Agregar vigencia")


class FeriadoForm(forms.ModelForm):
    class Meta:
        model = Feriado
        fields = ["fecha", "nombre"]
        widgets = {"fecha": FECHA}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _ayudante(Row(Column("fecha"), Column("nombre")), boton="Agregar feriado")
