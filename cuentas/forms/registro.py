from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms

from issscobros.models import Sucursal

from .. import identificadores
from ..models import Cuenta, Deudor


class DeudorForm(forms.ModelForm):
    # Typed with dashes (17 characters); cleaned to the 14 / 9 digits the model stores.
    nit = forms.CharField(label="NIT", required=False, widget=forms.TextInput(attrs={"placeholder": "0614-050707-104-8"}))
    dui = forms.CharField(label="DUI", required=False, widget=forms.TextInput(attrs={"placeholder": "00016297-5"}))

    class Meta:
        model = Deudor
        fields = [
            "tipo", "nit", "dui", "razon_social", "nombre_comercial", "representante_legal",
            "direccion", "municipio", "telefono", "correo", "sucursal", "zona_franca_dpa",
            "regimen_especial",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sucursal"].queryset = Sucursal.objects.filter(activa=True)
        if self.instance.pk:
            self.initial["nit"] = self.instance.nit_formateado
            self.initial["dui"] = self.instance.dui_formateado
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("tipo"), Column("nit"), Column("dui")),
            Row(Column("razon_social"), Column("nombre_comercial")),
            Row(Column("representante_legal"), Column("sucursal")),
            Row(Column("direccion"), Column("municipio")),
            Row(Column("telefono"), Column("correo")),
            Row(Column("zona_franca_dpa"), Column("regimen_especial")),
            Submit("guardar", "Guardar"),
        )

    def clean_nit(self):
        valor = self.cleaned_data.get("nit")
        return identificadores.nit_validar(valor) if valor else None

    def clean_dui(self):
        valor = self.cleaned_data.get("dui")
        return identificadores.dui_validar(valor) if valor else None

    def clean_razon_social(self):
        valor = (self.cleaned_data.get("razon_social") or "").strip()
        if not valor:
            raise forms.ValidationError("El nombre o razón social es obligatorio.")
        return valor

    def clean(self):
        datos = super().clean()
        if not datos.get("nit") and not datos.get("dui") and "nit" not in self.errors and "dui" not in self.errors:
            self.add_error("nit", "Indique el NIT o el DUI.")
        return datos


class CuentaForm(forms.ModelForm):
    class Meta:
        model = Cuenta
        fields = ["tipo", "numero", "descripcion", "fecha_apertura", "estado"]
        widgets = {"fecha_apertura": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["numero"].disabled = True  # a número patronal never changes hands
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("tipo"), Column("numero")),
            Row(Column("fecha_apertura"), Column("estado")),
            "descripcion",
            Submit("guardar", "Guardar"),
        )

    def clean(self):
        datos = super().clean()
        numero = datos.get("numero")
        if numero and datos.get("tipo") == Cuenta.Tipo.PATRONAL and not self.instance.pk:
            try:
                datos["numero"] = identificadores.numero_patronal_validar(numero)
            except forms.ValidationError as exc:
                self.add_error("numero", exc)
        return datos


class BusquedaDeudorForm(forms.Form):
    q = forms.CharField(
        label="Buscar", required=False,
        widget=forms.TextInput(attrs={"placeholder": "NIT, DUI, número patronal o nombre", "autofocus": True,
                                      "class": "form-control"}),
    )
    tipo = forms.ChoiceField(label="Tipo", required=False, choices=[("", "Todos")] + Deudor.Tipo.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))
    sucursal = forms.ModelChoiceField(label="Sucursal", required=False, queryset=Sucursal.objects.all(),
                                      empty_label="Todas", widget=forms.Select(attrs={"class": "form-select"}))
    activo = forms.ChoiceField(
        label="Estado", required=False, choices=[("", "Todos"), ("1", "Activos"), ("0", "Inactivos")],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
