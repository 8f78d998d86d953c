"""Forms of the Procesos and Conciliación screens. A job type's form turns its fields into the
run's parameters (`parametros()`), which are JSON and are shown on the run's detail page."""
import re

from django import forms

from cuentas.models import DiferenciaConciliacion, Fuente
from issscobros.documentos import hoy
from issscobros.models import Sucursal, Usuario


class EstadosCuentaForm(forms.Form):
    seleccion = forms.ChoiceField(label="Emitir para", widget=forms.RadioSelect, choices=[
        ("sucursal", "Los patronos de una sucursal"), ("mora", "Todos los patronos en mora"),
        ("numeros", "Una lista de números patronales")])
    sucursal = forms.ModelChoiceField(label="Sucursal", queryset=Sucursal.objects.filter(activa=True), required=False)
    numeros = forms.CharField(label="Números patronales", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="Separados por comas, espacios o saltos de línea.")
    fecha = forms.DateField(label="Saldos a la fecha", widget=forms.DateInput(attrs={"type": "date"}),
                            help_text="Fecha valor de los estados de cuenta.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fecha"].initial = hoy()

    def clean(self):
        datos = super().clean()
        if datos.get("seleccion") == "sucursal" and not datos.get("sucursal"):
            self.add_error("sucursal", "Elija la sucursal.")
        if datos.get("seleccion") == "numeros":
            numeros = [n for n in re.split(r"[\s,;]+", datos.get("numeros", "")) if n]
            if not numeros:
                self.add_error("numeros", "Escriba al menos un número patronal.")
            datos["lista_numeros"] = numeros
        return datos

    def parametros(self) -> dict:
        d = self.cleaned_data
        parametros = {"seleccion": d["seleccion"], "fecha": d["fecha"].isoformat()}
        if d["seleccion"] == "sucursal":
            parametros.update(sucursal_id=d["sucursal"].pk, sucursal=str(d["sucursal"]))
        elif d["seleccion"] == "numeros":
            parametros["numeros"] = d["lista_numeros"]
        return parametros


class SolvenciasElectronicasForm(forms.Form):
    mes = forms.CharField(label="Mes certificado (AAAA-MM)", max_length=7,
                          help_text="Un mes ya terminado; por omisión, el mes anterior.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from solvencias.services import mes_anterior

        self.fields["mes"].initial = f"{mes_anterior():%Y-%m}"

    def clean_mes(self):
        from cuentas.reglas import periodo_de

        try:
            mes = periodo_de(self.cleaned_data["mes"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc))
        if mes >= hoy().replace(day=1):
            raise forms.ValidationError("Solo se certifican meses ya terminados.")
        return mes

    def parametros(self) -> dict:
        return {"mes": f"{self.cleaned_data['mes']:%Y-%m}"}


class ConciliacionForm(forms.Form):
    fecha = forms.DateField(label="Conciliar a la fecha (opcional)", required=False,
                            widget=forms.DateInput(attrs={"type": "date"}),
                            help_text="Vacío: todo lo registrado, como la corrida nocturna.")

    def parametros(self) -> dict:
        fecha = self.cleaned_data.get("fecha")
        return {"fecha": fecha.isoformat()} if fecha else {}


class CifrasForm(forms.Form):
    fuente = forms.ChoiceField(label="Fuente", choices=Fuente.choices)
    archivo = forms.FileField(label="Archivo CSV")


class AsignarForm(forms.Form):
    usuario = forms.ModelChoiceField(label="Asignar a", queryset=Usuario.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["usuario"].queryset = (
            Usuario.objects.filter(is_active=True, groups__permissions__codename="resolver_diferenciaconciliacion")
            .distinct().order_by("username"))


class ResolverForm(forms.Form):
    nota = forms.CharField(label="Nota de resolución", widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="Qué causó la diferencia y cómo se corrigió o por qué es correcta.")


ESTADOS_DIFERENCIA = DiferenciaConciliacion.Estado.choices
