"""A worker's history across every employer: the lines of the payrolls that declared them, with
whether each payroll's contributions are still unpaid. Feeds the certificación de cuenta individual
(Fiscalía) and the reporte de días y salarios (UPISSS)."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q

from .identificadores import solo_digitos
from .models import COTIZACIONES, LineaPlanilla, Obligacion

CERO = Decimal("0.00")


@dataclass
class Historial:
    afiliado: str
    dui: str
    nombre: str
    lineas: list

    @property
    def total_salarios(self):
        return sum((l.salario for l in self.lineas), CERO)

    @property
    def total_dias(self):
        return sum(l.dias for l in self.lineas)

    @property
    def total_patronal(self):
        return sum((l.cotizacion_patronal for l in self.lineas), CERO)

    @property
    def total_laboral(self):
        return sum((l.cotizacion_laboral for l in self.lineas), CERO)

    @property
    def periodos_en_mora(self):
        return sorted({l.planilla.periodo for l in self.lineas if l.en_mora})


def trabajador_historial(*, texto: str, desde: date | None = None, hasta: date | None = None) -> Historial | None:
    """`texto`: número de afiliación or DUI (with or without the dash). One query on the indexed
    affiliate / DUI columns; `en_mora` is a per-row EXISTS on the payroll's open contributions."""
    valor = solo_digitos(texto)
    if not valor.isdigit():
        return None
    filtro = Q(numero_afiliado=valor)
    if len(valor) == 9:
        filtro |= Q(dui=valor)
    qs = (LineaPlanilla.objects.filter(filtro)
          .select_related("planilla__cuenta__deudor")
          .annotate(en_mora=Exists(Obligacion.objects.filter(planilla=OuterRef("planilla"), concepto__in=COTIZACIONES,
                                                              saldo__gt=0)))
          .order_by("planilla__periodo", "planilla__cuenta__numero", "id"))
    if desde:
        qs = qs.filter(planilla__periodo__gte=desde)
    if hasta:
        qs = qs.filter(planilla__periodo__lte=hasta)
    lineas = list(qs)
    if not lineas:
        return None
    ultima = lineas[-1]
    return Historial(afiliado=ultima.numero_afiliado, dui=next((l.dui for l in reversed(lineas) if l.dui), ""),
                     nombre=ultima.nombre, lineas=lineas)
