"""Fixtures of the convenios tests: DOMAIN.md example 3 (ten workers at $500, periods 2025-01..03
unpaid, 1,575.00 + 63.00 of surcharges at 30/06/2025) loaded through the import command, and
helpers that pay through the same command a bank file goes through."""
from datetime import date

import pytest
from django.core.management import call_command

from cuentas.models import Cuenta
from issscobros import roles

ENCABEZADO_P = ("numero_patronal,nit,razon_social,periodo,tipo_planilla,fecha_presentacion,numero_afiliado,dui,"
                "nombre,salario,dias\n")
ENCABEZADO_R = "referencia,fecha_pago,monto,numero_patronal,periodo,npe,canal\n"
FIRMA = date(2025, 6, 30)


@pytest.fixture
def archivo(tmp_path):
    def escribir(nombre, texto):
        ruta = tmp_path / nombre
        ruta.write_text(texto, encoding="utf-8")
        return str(ruta)
    return escribir


def _planillas(archivo, numero, nit):
    lineas = []
    for periodo, presentacion in (("2025-01", "2025-02-03"), ("2025-02", "2025-03-03"), ("2025-03", "2025-04-01")):
        for i in range(10):
            lineas.append(f"{numero},{nit},Textiles San Miguel S.A. de C.V.,{periodo},SPU,{presentacion},"
                          f"{200 + i},,Trabajador {i},500.00,30\n")
    return archivo(f"planillas_{numero}.csv", ENCABEZADO_P + "".join(lineas))


@pytest.fixture
def ejemplo_3(archivo, usuarios, capsys):
    """ejemplo_3(numero, nit) -> the cuenta of a new employer in DOMAIN.md example 3."""
    def crear(numero="100000002", nit="0614-050707-104-8"):
        call_command("importar_planillas", _planillas(archivo, numero, nit), usuario=usuarios[roles.TECNICO].username)
        capsys.readouterr()
        return Cuenta.objects.get(numero=numero)
    return crear


@pytest.fixture
def pagar(archivo, usuarios, capsys):
    """pagar([(referencia, fecha, monto, numero_patronal, npe)]) through `importar_pagos`."""
    contador = iter(range(1, 10_000))

    def importar(filas, canal="AGRICOLA"):
        texto = ENCABEZADO_R + "".join(f"{r},{f},{m},{n},,{npe},{canal}\n" for r, f, m, n, npe in filas)
        call_command("importar_pagos", archivo(f"pagos_{next(contador)}.csv", texto), usuario=usuarios[roles.TECNICO].username)
        return capsys.readouterr().out
    return importar
