import django_filters
from django import forms

from .models import RegistroAuditoria, Usuario


class AuditoriaFiltro(django_filters.FilterSet):
    desde = django_filters.DateFilter(field_name="momento", lookup_expr="date__gte", label="Desde",
                                      widget=forms.DateInput(attrs={"type": "date"}))
    hasta = django_filters.DateFilter(field_name="momento", lookup_expr="date__lte", label="Hasta",
                                      widget=forms.DateInput(attrs={"type": "date"}))
    actor = django_filters.ModelChoiceFilter(queryset=Usuario.objects.all(), label="Usuario", empty_label="Todos")
    accion = django_filters.CharFilter(lookup_expr="startswith", label="Acción")
    objeto = django_filters.CharFilter(field_name="objeto_repr", lookup_expr="icontains", label="Objeto")

    class Meta:
        model = RegistroAuditoria
        fields = ["desde", "hasta", "actor", "accion", "objeto"]
