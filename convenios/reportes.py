"""Reports of the agreements (reads, scoped by user like every list): how many are vigentes,
incumplidos and cumplidos — the last one is the "reporte de transacción" of employers who complied —
per agent and sucursal; and cash expected (cuotas falling due) against collected (paid to cuotas) by
month. Aggregates in SQL."""
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from .models import AplicacionCuota, Convenio, Cuota
from .selectors import convenios_para_usuario

E = Convenio.Estado
ESTADOS_REPORTE = (E.VIGENTE, E.INCUMPLIDO, E.CUMPLIDO)
CERO = Decimal("0.00")


def por_agente_y_sucursal(*, user, desde: date | None = None, hasta: date | None = None) -> list[dict]:
    qs = convenios_para_usuario(user=user).filter(estado__in=ESTADOS_REPORTE)
    if desde:
        qs = qs.filter(fecha_firma__gte=desde)
    if hasta:
        qs = qs.filter(fecha_firma__lte=hasta)
    filas: dict = {}
    for f in (qs.values("deudor__sucursal__nombre", "creado_por__username", "creado_por__first_name",
                        "creado_por__last_name", "estado")
              .annotate(n=Count("id"), total=Sum("total")).order_by("deudor__sucursal__nombre", "creado_por__username")):
        clave = (f["deudor__sucursal__nombre"], f["creado_por__username"])
        nombre = f"{f['creado_por__first_name']} {f['creado_por__last_name']}".strip() or f["creado_por__username"]
        fila = filas.setdefault(clave, {"sucursal": clave[0], "agente": nombre,
                                        **{e: 0 for e in ESTADOS_REPORTE}, **{f"total_{e}": CERO for e in ESTADOS_REPORTE}})
        fila[f["estado"]] = f["n"]
        fila[f"total_{f['estado']}"] = f["total"]
    return list(filas.values())


def esperado_y_cobrado(*, user, anio: int) -> list[dict]:
    convenios = convenios_para_usuario(user=user).exclude(estado__in=[E.BORRADOR, E.ANULADO])
    esperado = dict(Cuota.objects.filter(convenio__in=convenios, vencimiento__year=anio)
                    .annotate(mes=TruncMonth("vencimiento")).values("mes").annotate(s=Sum("monto")).values_list("mes", "s"))
    cobrado = dict(AplicacionCuota.objects.filter(cuota__convenio__in=convenios, fecha__year=anio)
                   .annotate(mes=TruncMonth("fecha")).values("mes").annotate(s=Sum("monto")).values_list("mes", "s"))
    filas = []
    for mes in range(1, 13):
        inicio = date(anio, mes, 1)
        e, c = esperado.get(inicio, CERO), cobrado.get(inicio, CERO)
        filas.append({"mes": inicio, "esperado": e, "cobrado": c, "diferencia": e - c,
                      "porcentaje": (c / e * 100).quantize(Decimal("0.1")) if e else None})
    return filas
