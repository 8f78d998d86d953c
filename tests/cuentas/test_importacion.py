"""Imports (CONTRACTS §4, §5) with bad input, twice, and with what comes after: all or nothing,
every error as `línea N, columna C: mensaje` on stderr with exit status 1, idempotent by file,
unidentified payments waiting for a technician, and a remainder kept as credit for the next debt."""
import io
import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from stdnum.sv import nit as stdnum_nit

from cuentas.importacion import ErroresDeArchivo, planillas_importar
from cuentas.models import (Asiento, Cuenta, Deudor, Importacion, LineaPlanilla, Obligacion, Planilla, Recibo)
from cuentas.services.pagos import recibo_identificar, saldo_a_favor
from issscobros import roles
from tests.factories import CuentaFactory, DeudorFactory

pytestmark = pytest.mark.django_db

ENCABEZADO_P = "numero_patronal,nit,razon_social,periodo,tipo_planilla,fecha_presentacion,numero_afiliado,dui,nombre,salario,dias\n"
ENCABEZADO_R = "referencia,fecha_pago,monto,numero_patronal,periodo,npe,canal\n"
ERROR = re.compile(r"línea (\d+), columna ([\w-]+): \S.*")


def nit(base: str) -> str:
    """A valid NIT (14 digits) from its first 13."""
    return base + stdnum_nit.calc_check_digit(base)


NIT_A, NIT_B, NIT_OTRO, NIT_EXISTENTE = nit("0614010190101"), nit("0614010190102"), nit("0614010190103"), nit("0614010190104")
NIT_MAL = NIT_A[:-1] + str((int(NIT_A[-1]) + 1) % 10)


@pytest.fixture
def tecnico(usuarios):
    return usuarios[roles.TECNICO]


@pytest.fixture
def archivo(tmp_path):
    def escribir(nombre, texto):
        ruta = tmp_path / nombre
        ruta.write_text(texto, encoding="utf-8")
        return str(ruta)
    return escribir


def importar(comando, ruta, usuario) -> str:
    salida = io.StringIO()
    call_command(comando, ruta, usuario=usuario.username, stdout=salida, stderr=io.StringIO())
    return salida.getvalue()


def importar_con_errores(comando, ruta, usuario) -> list[tuple[int, str]]:
    """Run a command that must refuse the file; return the (line, column) of each stderr line."""
    salida, errores = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command(comando, ruta, usuario=usuario.username, stdout=salida, stderr=errores)
    assert excinfo.value.returncode == 1
    assert salida.getvalue() == ""
    lineas = errores.getvalue().splitlines()
    assert lineas and all(ERROR.fullmatch(l) for l in lineas), lineas
    return [(int(m[1]), m[2]) for m in map(ERROR.fullmatch, lineas)]


def conteos() -> dict:
    modelos = (Planilla, LineaPlanilla, Deudor, Cuenta, Recibo, Importacion, Asiento, Obligacion)
    return {m.__name__: m.objects.count() for m in modelos}


def fila_p(numero="100000001", nit_=NIT_A, periodo="2025-03", tipo="SPU", afiliado="000000011", dui="",
           salario="408.80", dias="30", razon="Textiles San Miguel S.A. de C.V.", presentacion="2025-04-05"):
    return f"{numero},{nit_},{razon},{periodo},{tipo},{presentacion},{afiliado},{dui},Ana López,{salario},{dias}\n"


def planilla_ejemplo_1(periodo="2025-03", presentacion="2025-04-05"):
    """DOMAIN example 1: 231.92 (laboral 66.26, patronal 165.66)."""
    return ENCABEZADO_P + "".join(
        fila_p(periodo=periodo, presentacion=presentacion, afiliado=a, salario=s)
        for a, s in (("000000011", "408.80"), ("000000012", "800.00"), ("000000013", "1500.00")))


def saldos(numero) -> dict:
    """Saldo per (periodo, concepto); surcharges of one period add up."""
    suma: dict = {}
    for o in Obligacion.objects.filter(cuenta__numero=numero):
        suma[(o.periodo, o.concepto)] = suma.get((o.periodo, o.concepto), D("0.00")) + o.saldo
    return suma


# --- bad files: every error, nothing saved -----------------------------------------------------------

def test_planillas_con_errores_los_reporta_todos_y_no_guarda_nada(archivo, tecnico):
    existente = CuentaFactory(numero="100000003", deudor=DeudorFactory(nit=NIT_EXISTENTE))
    texto = ENCABEZADO_P + "".join([
        fila_p(periodo="2025-13"),                             # 2 bad period
        fila_p(salario="-5.00"),                               # 3 negative salary
        fila_p(salario="abc"),                                 # 4 not a number
        fila_p(dias="32"),                                     # 5 days out of range
        fila_p(nit_=NIT_MAL),                                  # 6 NIT check digit
        fila_p(dui="00016297-4"),                              # 7 DUI check digit (…-5 is valid)
        fila_p(tipo="QUINCENAL"),                              # 8 unknown tipo_planilla
        fila_p(numero="100000002", nit_=NIT_B),                # 9 fine
        fila_p(numero="100000002", nit_=NIT_OTRO),             # 10 same número, another NIT in the file
        fila_p(numero=existente.numero, nit_=NIT_B),           # 11 número of a cuenta of another NIT
        fila_p(afiliado="000000012", dui="00016297-5"),        # 12 fine
    ])
    antes = conteos()
    errores = importar_con_errores("importar_planillas", archivo("malo.csv", texto), tecnico)
    assert sorted(errores) == [(2, "periodo"), (3, "salario"), (4, "salario"), (5, "dias"), (6, "nit"), (7, "dui"),
                               (8, "tipo_planilla"), (10, "nit"), (11, "nit")]
    assert conteos() == antes


def test_pagos_con_errores_los_reporta_todos_y_no_guarda_nada(archivo, tecnico):
    texto = ENCABEZADO_R + "".join([
        "R-2,2025-04-14,10.00,100000001,,,BANCOX\n",      # 2 unknown channel
        "R-3,2025-04-14,-10.00,100000001,,,AGRICOLA\n",   # 3 negative amount
        "R-4,2025-04-14,diez,100000001,,,AGRICOLA\n",     # 4 not a number
        "R-5,2025-02-30,10.00,100000001,,,AGRICOLA\n",    # 5 no such date
        "R-6,2025-04-14,10.00,100000001,,,AGRICOLA\n",    # 6 fine
        "R-6,2025-04-15,12.00,100000001,,,agricola\n",    # 7 same channel + reference as line 6
        "R-6,2025-04-15,12.00,100000001,,,CUSCATLAN\n",   # 8 fine: another channel
    ])
    antes = conteos()
    errores = importar_con_errores("importar_pagos", archivo("malo.csv", texto), tecnico)
    assert sorted(errores) == [(2, "canal"), (3, "monto"), (4, "monto"), (5, "fecha_pago"), (7, "referencia")]
    assert conteos() == antes


def test_falta_una_columna_del_encabezado(archivo, tecnico):
    sin_dias = planilla_ejemplo_1().replace(",dias\n", "\n", 1)
    with pytest.raises(ErroresDeArchivo) as excinfo:
        planillas_importar(actor=tecnico, contenido=sin_dias.encode(), nombre_archivo="p.csv")
    assert excinfo.value.errores == ["línea 1, columna dias: falta la columna"]
    assert importar_con_errores("importar_planillas", archivo("p.csv", sin_dias), tecnico) == [(1, "dias")]
    assert not Importacion.objects.exists() and not Planilla.objects.exists()


def test_acepta_utf8_con_bom(tecnico):
    resultado = planillas_importar(actor=tecnico, contenido=b"\xef\xbb\xbf" + planilla_ejemplo_1().encode("utf-8"),
                                   nombre_archivo="bom.csv")
    assert not resultado.ya_importado
    planilla = Planilla.objects.get()
    assert (planilla.cuenta.numero, planilla.total) == ("100000001", D("231.92"))
    assert planilla.lineas.get(numero_afiliado="000000011").nombre == "Ana López"


# --- idempotency -------------------------------------------------------------------------------------

def test_la_misma_planilla_dos_veces_no_guarda_nada_nuevo(archivo, tecnico):
    ruta = archivo("planilla.csv", planilla_ejemplo_1())
    assert "1 planillas, 3 líneas" in importar("importar_planillas", ruta, tecnico)
    despues = conteos()
    salida = importar("importar_planillas", ruta, tecnico)
    assert "ya fue importado" in salida and "no se guardó nada nuevo" in salida
    assert conteos() == despues


def test_los_mismos_pagos_dos_veces_no_guardan_nada_nuevo(archivo, tecnico):
    importar("importar_planillas", archivo("planilla.csv", planilla_ejemplo_1()), tecnico)
    filas = "B-1,2025-04-10,100.00,100000001,,,AGRICOLA\nB-2,2025-04-11,31.92,100000001,,,AGRICOLA\n"
    ruta = archivo("pagos.csv", ENCABEZADO_R + filas)
    importar("importar_pagos", ruta, tecnico)
    despues, saldos_despues = conteos(), saldos("100000001")
    salida = importar("importar_pagos", ruta, tecnico)
    assert "ya fue importado" in salida
    assert (conteos(), saldos("100000001")) == (despues, saldos_despues)
    # Another file carrying the same receipts: they are recognised, only the new one is recorded.
    salida = importar("importar_pagos", archivo("pagos2.csv", ENCABEZADO_R + filas + "B-3,2025-04-12,100.00,100000001,,,AGRICOLA\n"), tecnico)
    assert "1 recibos importados" in salida and "2 ya registrados" in salida
    assert Recibo.objects.count() == 3
    assert Asiento.objects.filter(tipo=Asiento.Tipo.APLICACION).count() == 3
    assert sum(saldos("100000001").values()) == 0 and saldo_a_favor(cuenta_id=Cuenta.objects.get().pk) == D("0.00")


# --- unidentified, then identified ---------------------------------------------------------------------

@pytest.mark.parametrize("numero", ["", "999999999"], ids=["sin_numero", "numero_desconocido"])
def test_pago_sin_numero_patronal_identificable_espera_y_se_aplica_al_identificarlo(archivo, tecnico, numero):
    importar("importar_planillas", archivo("planilla.csv", planilla_ejemplo_1()), tecnico)
    antes = saldos("100000001")
    salida = importar("importar_pagos", archivo("pagos.csv", ENCABEZADO_R + f"B-1,2025-04-14,231.92,{numero},,,AGRICOLA\n"), tecnico)
    assert "1 sin identificar" in salida
    recibo = Recibo.objects.get()
    assert recibo.cuenta_id is None
    assert not recibo.asientos.filter(tipo=Asiento.Tipo.APLICACION).exists()
    assert saldos("100000001") == antes
    cuenta = Cuenta.objects.get(numero="100000001")
    recibo_identificar(actor=tecnico, recibo=recibo, cuenta=cuenta)
    recibo.refresh_from_db()
    assert recibo.cuenta_id == cuenta.pk
    assert recibo.asientos.filter(tipo=Asiento.Tipo.APLICACION).count() == 1
    assert all(s == 0 for s in saldos("100000001").values())  # paid on the due date: no surcharge
    assert not Obligacion.objects.filter(concepto="recargo").exists()
    assert saldo_a_favor(cuenta_id=cuenta.pk) == D("0.00")


# --- a remainder is a credit, applied to the next debt ----------------------------------------------------

@pytest.mark.parametrize("periodo", ["", "2025-03"], ids=["sin_periodo", "con_periodo"])
def test_remanente_queda_a_favor_y_se_aplica_con_la_siguiente_planilla(archivo, tecnico, periodo):
    importar("importar_planillas", archivo("marzo.csv", planilla_ejemplo_1()), tecnico)
    importar("importar_pagos", archivo("pagos.csv", ENCABEZADO_R + f"B-1,2025-04-10,300.00,100000001,{periodo},,AGRICOLA\n"), tecnico)
    cuenta = Cuenta.objects.get(numero="100000001")
    assert all(s == 0 for s in saldos(cuenta.numero).values())
    assert saldo_a_favor(cuenta_id=cuenta.pk) == D("68.08")  # 300.00 − 231.92
    importar("importar_planillas", archivo("abril.csv", planilla_ejemplo_1("2025-04", "2025-05-05")), tecnico)
    assert saldo_a_favor(cuenta_id=cuenta.pk) == D("0.00")
    abril = date(2025, 4, 1)
    # Worker share first (66.26), the rest to the employer share: 165.66 − 1.82.
    assert (saldos(cuenta.numero)[(abril, "cotizacion_laboral")], saldos(cuenta.numero)[(abril, "cotizacion_patronal")]) == (
        D("0.00"), D("163.84"))
    assert not Obligacion.objects.filter(concepto="recargo").exists()  # paid before April's due date


def test_pago_de_un_periodo_aun_no_declarado_lo_espera(archivo, tecnico):
    # March is owed; a payment names April, whose planilla has not arrived: it waits for April
    # (DOMAIN: the period the payment names first) instead of paying March.
    importar("importar_planillas", archivo("marzo.csv", planilla_ejemplo_1()), tecnico)
    importar("importar_pagos", archivo("pagos.csv", ENCABEZADO_R + "B-1,2025-05-02,231.92,100000001,2025-04,,AGRICOLA\n"), tecnico)
    cuenta = Cuenta.objects.get(numero="100000001")
    assert sum(saldos(cuenta.numero).values()) == D("231.92")
    assert saldo_a_favor(cuenta_id=cuenta.pk) == D("231.92")
    importar("importar_planillas", archivo("abril.csv", planilla_ejemplo_1("2025-04", "2025-04-30")), tecnico)
    assert {k: v for k, v in saldos(cuenta.numero).items() if k[0] == date(2025, 4, 1)} == {
        (date(2025, 4, 1), "cotizacion_laboral"): D("0.00"), (date(2025, 4, 1), "cotizacion_patronal"): D("0.00")}
    assert sum(v for k, v in saldos(cuenta.numero).items() if k[0] == date(2025, 3, 1)) == D("231.92")
    assert saldo_a_favor(cuenta_id=cuenta.pk) == D("0.00")


def test_creditos_de_varios_recibos_pagan_tambien_los_recargos_que_nacen_en_el_camino(archivo, tecnico):
    # Two receipts wait as credit; the planilla arrives late. The first (10.00) pays part of the
    # worker share and raises a 0.20 surcharge it cannot pay; the second pays the rest and that
    # surcharge too: nothing stays owed while money waits.
    cuenta = CuentaFactory(numero="100000009")
    importar("importar_pagos", archivo("pagos.csv", ENCABEZADO_R + "A-1,2025-05-20,10.00,100000009,,,AGRICOLA\n"
                                       "A-2,2025-05-21,300.00,100000009,,,AGRICOLA\n"), tecnico)
    assert saldo_a_favor(cuenta_id=cuenta.pk) == D("310.00")  # nothing owed yet
    texto = planilla_ejemplo_1(presentacion="2025-05-25").replace("100000001", "100000009").replace(NIT_A, cuenta.deudor.nit)
    importar("importar_planillas", archivo("marzo.csv", texto), tecnico)
    recargos = Obligacion.objects.filter(cuenta=cuenta, concepto="recargo")
    assert sorted(r.monto for r in recargos) == [D("0.20"), D("1.13"), D("3.31")]  # 4.64, DOMAIN example 2
    assert all(s == 0 for s in saldos(cuenta.numero).values())
    assert saldo_a_favor(cuenta_id=cuenta.pk) == D("73.44")  # 310.00 − 231.92 − 4.64


def test_valores_se_guardan_convertidos(tecnico):
    # A DUI with its dash is stored compact, a salary as the number it is; the same text in two rows
    # of two planillas (checked once) is stored in both.
    texto = ENCABEZADO_P + "".join([
        fila_p(afiliado="000000011", dui="00016297-5", salario="408.8"),
        fila_p(afiliado="000000012", dui="000162975", salario="800"),
        fila_p(numero="100000002", nit_=NIT_B, afiliado="000000011", dui="00016297-5", salario="408.8"),
    ])
    planillas_importar(actor=tecnico, contenido=texto.encode(), nombre_archivo="p.csv")
    lineas = list(LineaPlanilla.objects.order_by("pk").values_list("planilla__cuenta__numero", "dui", "salario",
                                                                    "cotizacion_patronal", "cotizacion_laboral"))
    assert lineas == [("100000001", "000162975", D("408.80"), D("30.66"), D("12.26")),
                      ("100000001", "000162975", D("800.00"), D("60.00"), D("24.00")),
                      ("100000002", "000162975", D("408.80"), D("30.66"), D("12.26"))]
