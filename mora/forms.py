"""Forms of the collection work. Rules live in mora.services; these only parse and label."""
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils import timezone

from .antiguedad import DIMENSIONES, TRAMOS
from .models import (CasoCobro, Correspondencia, DocumentoExpediente, Gestion, LotePlanillas, PasoJudicial,
                     SolicitudDepuracion)

FECHA = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SELECT = {"class": "form-select"}
TEXTO = {"class": "form-control"}


def _con_clases(form: forms.Form) -> None:
    """Bootstrap classes on forms rendered field by field (no crispy helper)."""
    for campo in form.fields.values():
        clase = "form-select" if isinstance(campo.widget, forms.Select) else "form-control"
        if not isinstance(campo.widget, (forms.HiddenInput, forms.MultipleHiddenInput, forms.CheckboxInput)):
            campo.widget.attrs.setdefault("class", clase)


class CarteraFiltroForm(forms.Form):
    q = forms.CharField(label="Buscar", required=False,
                        widget=forms.TextInput(attrs={"placeholder": "NIT, número patronal o nombre", "type": "search"}))
    estado = forms.ChoiceField(label="Estado", required=False, choices=[("", "Abiertos")] + CasoCobro.Estado.choices)
    alerta = forms.ChoiceField(label="Alerta", required=False, choices=[
        ("", "Todas"), ("seguimiento", "Seguimiento para hoy"), ("promesa_rota", "Promesa incumplida"),
        ("sin_gestion", "Sin gestión (SLA)"), ("juridico", "Propuesto para jurídico")])
    orden = forms.ChoiceField(label="Ordenar por", required=False, choices=[
        ("seguimiento", "Seguimientos de hoy primero"), ("saldo", "Saldo (mayor primero)"),
        ("antiguedad", "Deuda más antigua"), ("ultima", "Última gestión (más antigua)"), ("deudor", "Deudor")])
    tramo = forms.ChoiceField(label="Antigüedad", required=False, choices=[("", "Todas")] + [(k, n) for k, n, _, _ in TRAMOS])
    gestor = forms.IntegerField(required=False, widget=forms.HiddenInput)
    sucursal = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _con_clases(self)


class GestionForm(forms.ModelForm):
    class Meta:
        model = Gestion
        fields = ["tipo", "fecha", "contacto", "resultado", "comentario", "promesa_fecha", "promesa_monto", "proxima_accion"]
        widgets = {"fecha": FECHA, "promesa_fecha": FECHA, "proxima_accion": FECHA,
                   "comentario": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fecha"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.form_id = "form-gestion"
        self.helper.layout = Layout(
            Row(Column("tipo"), Column("fecha"), Column("resultado")),
            Row(Column("contacto"), Column("proxima_accion")),
            Row(Column("promesa_fecha"), Column("promesa_monto")),
            "comentario",
            Submit("registrar", "Registrar gestión"),
        )

    def _post_clean(self):  # the service validates (and the DB re-checks); skip the model's checks here
        pass


class TransicionForm(forms.Form):
    estado = forms.ChoiceField(label="Nuevo estado")
    motivo = forms.CharField(label="Motivo", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, caso: CasoCobro, user, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import TRANSICIONES

        # Referral to jurídico has its own action (it issues the certificación de saldos); closing a
        # case by hand is a jefe's decision (a payment or the Unidad Jurídica close it otherwise).
        destinos = [e for e in TRANSICIONES[caso.estado] if e != CasoCobro.Estado.REMITIDO_JURIDICO
                    and (e != CasoCobro.Estado.CERRADO or user.has_perm("mora.cerrar_casocobro"))]
        self.fields["estado"].choices = [(e, CasoCobro.Estado(e).label) for e in CasoCobro.Estado.values if e in destinos]


class RemitirForm(forms.Form):
    motivo = forms.CharField(label="Motivo de la remisión", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class PasoJudicialForm(forms.ModelForm):
    class Meta:
        model = PasoJudicial
        fields = ["tipo", "fecha", "referencia", "nota"]
        widgets = {"fecha": FECHA, "nota": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tipo"].choices = [c for c in PasoJudicial.Tipo.choices if c[0] != PasoJudicial.Tipo.REMITIDO]


class ExpedienteForm(forms.Form):
    tipo = forms.ChoiceField(label="Tipo de documento", choices=DocumentoExpediente.Tipo.choices)
    descripcion = forms.CharField(label="Descripción", max_length=250)
    folios = forms.IntegerField(label="Número de folios", min_value=1, initial=1)
    archivo = forms.FileField(label="Archivo")


class ReasignarForm(forms.Form):
    gestor = forms.ModelChoiceField(label="Asignar a", queryset=None, empty_label="Elija un gestor")
    motivo = forms.CharField(label="Motivo", max_length=500)
    casos = forms.ModelMultipleChoiceField(queryset=None, widget=forms.MultipleHiddenInput, required=False)

    def __init__(self, *args, gestores, casos, **kwargs):
        kwargs.setdefault("auto_id", "reasignar_%s")  # the list's filter form has its own id_gestor
        super().__init__(*args, **kwargs)
        self.fields["gestor"].queryset = gestores
        self.fields["gestor"].label_from_instance = lambda u: f"{u} ({u.sucursal})"
        self.fields["casos"].queryset = casos
        _con_clases(self)


class AntiguedadForm(forms.Form):
    fecha = forms.DateField(label="Saldos al", widget=FECHA, required=False)
    por = forms.ChoiceField(label="Agrupar por", choices=[(k, v) for k, v in DIMENSIONES.items()], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _con_clases(self)


class CorrespondenciaForm(forms.ModelForm):
    class Meta:
        model = Correspondencia
        fields = ["recibida_el", "remitente", "referencia", "asunto", "sucursal", "asignada_a", "vence_el"]
        widgets = {"recibida_el": FECHA, "vence_el": FECHA}

    def __init__(self, *args, asignables, sucursales, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asignada_a"].queryset = asignables
        self.fields["sucursal"].queryset = sucursales
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("recibida_el"), Column("remitente"), Column("referencia")),
            "asunto",
            Row(Column("sucursal"), Column("asignada_a"), Column("vence_el")),
            Submit("guardar", "Registrar"),
        )

    def _post_clean(self):
        pass


class RespuestaForm(forms.Form):
    estado = forms.ChoiceField(label="Estado", choices=Correspondencia.Estado.choices)
    respuesta = forms.CharField(label="Respuesta", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    documento_respuesta = forms.FileField(label="Documento de respuesta", required=False)


class ProponerPublicacionForm(forms.Form):
    motivo = forms.CharField(label="Motivo", max_length=500)


class ResolverPublicacionForm(forms.Form):
    decision = forms.ChoiceField(label="Decisión", choices=[("aprobar", "Aprobar"), ("rechazar", "Rechazar")])
    nota = forms.CharField(label="Nota", max_length=500, required=False)


class DepuracionForm(forms.Form):
    area = forms.ChoiceField(label="Área", choices=SolicitudDepuracion.Area.choices)
    descripcion = forms.CharField(label="Qué se pide depurar", widget=forms.Textarea(attrs={"rows": 2}))


class DepuracionRespuestaForm(forms.Form):
    respuesta = forms.CharField(label="Respuesta recibida", widget=forms.Textarea(attrs={"rows": 2}))
    fecha = forms.DateField(label="Respondida el", widget=FECHA)


class LoteForm(forms.Form):
    origen = forms.ChoiceField(label="Enviado por", choices=LotePlanillas.Origen.choices)
    sucursal = forms.ModelChoiceField(label="Sucursal", queryset=None)
    recibido_el = forms.DateField(label="Recibido el", widget=FECHA)
    referencia = forms.CharField(label="Referencia del envío", max_length=100, required=False)
    archivo = forms.FileField(label="Archivo CSV (numero_patronal,periodo,monto)")

    def __init__(self, *args, sucursales, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sucursal"].queryset = sucursales
