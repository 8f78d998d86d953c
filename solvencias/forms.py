from django import forms

from issscobros.models import Usuario

from .models import Solvencia, Verificacion

FECHA = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConsultaForm(forms.Form):
    q = forms.CharField(label="NIT, DUI o número patronal", max_length=30,
                        widget=forms.TextInput(attrs={"autofocus": True, "placeholder": "0614-010190-101-1 o 100000001"}))


class NoInscritoForm(forms.Form):
    nit = forms.CharField(label="NIT", max_length=20)
    nombre = forms.CharField(label="Nombre o razón social", max_length=200, required=False,
                             help_text="Solo si el NIT no está registrado en el sistema.")


class AnularForm(forms.Form):
    motivo = forms.CharField(label="Motivo de la anulación", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class FiltroForm(forms.Form):
    q = forms.CharField(label="NIT, número patronal, folio o código", required=False)
    tipo = forms.ChoiceField(label="Tipo", required=False, choices=[("", "Todos los tipos"), *Solvencia.Tipo.choices])
    estado = forms.ChoiceField(label="Estado", required=False, choices=[("", "Todos los estados"), *Solvencia.Estado.choices])
    dia = forms.DateField(label="Emitidas el", required=False, widget=FECHA)
    usuario = forms.ModelChoiceField(label="Emitidas por", required=False, empty_label="Todos los usuarios",
                                     queryset=Usuario.objects.filter(is_active=True).order_by("username"))


class VerificacionFiltroForm(forms.Form):
    q = forms.CharField(label="IP o código", required=False)
    resultado = forms.ChoiceField(label="Resultado", required=False,
                                  choices=[("", "Todos los resultados"), *Verificacion.Resultado.choices])


class VerificarForm(forms.Form):
    codigo = forms.CharField(label="Código de verificación", max_length=64)
    nit = forms.CharField(label="NIT del titular (opcional)", max_length=20, required=False)
