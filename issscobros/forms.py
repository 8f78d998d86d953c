from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.contrib.auth.password_validation import validate_password

from . import roles
from .models import Sucursal, Usuario


class UsuarioForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label="Roles", choices=list(roles.NOMBRES.items()), widget=forms.CheckboxSelectMultiple, required=True,
        error_messages={"required": "Asigne al menos un rol."},
    )
    password = forms.CharField(
        label="Contraseña", required=False, widget=forms.PasswordInput(render_value=False),
        help_text="Déjela en blanco para no cambiarla.",
    )

    class Meta:
        model = Usuario
        fields = ["username", "first_name", "last_name", "email", "cargo", "sucursal", "is_active"]
        labels = {"is_active": "Activo"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["roles"] = list(self.instance.groups.values_list("name", flat=True))
        else:
            self.fields["password"].required = True
            self.fields["password"].help_text = ""
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("username"), Column("password")),
            Row(Column("first_name"), Column("last_name")),
            Row(Column("email"), Column("cargo")),
            Row(Column("sucursal"), Column("is_active")),
            "roles",
            Submit("guardar", "Guardar"),
        )

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            validate_password(password, self.instance)
        return password


class SucursalForm(forms.ModelForm):
    class Meta:
        model = Sucursal
        fields = ["codigo", "nombre", "departamento", "direccion", "telefono", "activa"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("codigo"), Column("nombre")),
            Row(Column("departamento"), Column("telefono")),
            "direccion", "activa",
            Submit("guardar", "Guardar"),
        )
