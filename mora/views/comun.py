"""Helpers the mora views share: the case or 404, CSV/XLSX responses."""
import csv
import io

from django.http import Http404, HttpResponse

from .. import selectors
from ..models import CasoCobro


def caso_o_404(request, pk) -> CasoCobro:
    try:
        return selectors.caso_detalle(user=request.user, pk=pk)
    except CasoCobro.DoesNotExist:
        raise Http404("Caso no encontrado.")


def respuesta_csv(nombre: str, encabezado: list[str], filas) -> HttpResponse:
    respuesta = HttpResponse(content_type="text/csv; charset=utf-8")
    respuesta["Content-Disposition"] = f'attachment; filename="{nombre}.csv"'
    respuesta.write("\ufeff")  # Excel opens UTF-8 with accents correctly only with a BOM
    escritor = csv.writer(respuesta)
    escritor.writerow(encabezado)
    escritor.writerows(filas)
    return respuesta


def respuesta_xlsx(nombre: str, titulo: str, encabezado: list[str], filas) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    libro = Workbook()
    hoja = libro.active
    hoja.title = titulo[:31]
    hoja.append(encabezado)
    for celda in hoja[1]:
        celda.font = Font(bold=True)
    for fila in filas:
        hoja.append(list(fila))
    salida = io.BytesIO()
    libro.save(salida)
    respuesta = HttpResponse(salida.getvalue(),
                             content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    respuesta["Content-Disposition"] = f'attachment; filename="{nombre}.xlsx"'
    return respuesta
