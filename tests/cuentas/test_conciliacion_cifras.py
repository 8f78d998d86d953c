"""Reconciliation against control figures (checks 5 and 6), its history, and the differences'
assignment and resolution."""
import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from cuentas.conciliacion import (cifras_cargar, conciliacion_ejecutar, conciliar, diferencia_asignar,
                                  diferencia_resolver, totales_auxiliar)
from cuentas.importacion import ErroresDeArchivo
from cuentas.models import DiferenciaConciliacion, EjecucionConciliacion, Fuente, Obligacion
from cuentas.services.pagos import recibo_registrar
from cuentas.services.planillas import LineaTrabajador, planilla_registrar
from issscobros import roles
from issscobros.errores import ErrorDeNegocio
from issscobros.models import RegistroAuditoria
from tests.factories import CuentaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tecnico(usuarios):
    return usuarios[roles.TECNICO]


@pytest.fixture
def libro(tecnico, sucursal):
    cuenta = CuentaFactory(numero="100000077", deudor__sucursal=sucursal)
    planilla_registrar(actor=tecnico, cuenta=cuenta, periodo=date(2025, 3, 1), tipo="SPU", fecha_presentacion=date(2025, 4, 5),
                       lineas=[LineaTrabajador("1", "Ana", D("500.00"), 30)])
    recibo_registrar(actor=tecnico, canal="AGRICOLA", referencia="A-1", fecha_pago=date(2025, 5, 20), monto=D("40.00"),
                     numero_patronal="100000077")
    return cuenta


def _csv_del_auxiliar(desde=date(2025, 1, 1), hasta=date(2025, 12, 31), cuentas=None) -> bytes:
    """What Contabilidad would send if their books agreed with ours."""
    filas = ["cuenta_contable,mes,debe,haber"]
    for cuenta, mes, debe, haber in totales_auxiliar(desde=desde, hasta=hasta):
        if cuentas is None or cuenta in cuentas:
            filas.append(f"{cuenta},{mes:%Y-%m},{debe},{haber}")
    return ("\n".join(filas) + "\n").encode()


def test_conciliar_en_datos_demo_no_encuentra_nada(capsys):
    call_command("seed_demo", deudores=40, meses=6, semilla=11, stdout=io.StringIO())
    assert conciliar() == []
    call_command("conciliar")
    assert "sin diferencias" in capsys.readouterr().out
    ejecucion = EjecucionConciliacion.objects.get()
    assert ejecucion.diferencias == 0 and ejecucion.terminada_en is not None


def test_cifras_que_cuadran_no_dan_diferencias(libro, tecnico):
    cifras_cargar(actor=tecnico, fuente=Fuente.CONTABILIDAD, contenido=_csv_del_auxiliar(), nombre_archivo="cont.csv")
    assert conciliar() == []


def test_recibo_que_el_banco_no_tiene_se_reporta_exactamente(libro, tecnico, capsys):
    # Contabilidad's figures (from the bank statement) cover May 2025 as it stands; then a receipt of
    # $9.00 that no bank reported is posted on 21 May, unidentified: bank debit, por aplicar credit.
    cifras_cargar(actor=tecnico, fuente=Fuente.CONTABILIDAD, contenido=_csv_del_auxiliar(), nombre_archivo="cont.csv")
    recibo_registrar(actor=tecnico, canal="AGRICOLA", referencia="NO-EXISTE", fecha_pago=date(2025, 5, 21), monto=D("9.00"))
    with pytest.raises(CommandError) as exc:
        call_command("conciliar")
    assert exc.value.returncode == 3
    assert capsys.readouterr().out.strip().splitlines() == [
        "cifras de Contabilidad Institucional: cuenta contable 1110101 2025-05 esperado debe 40.00, haber 0.00 "
        "(Contabilidad Institucional), encontrado debe 49.00, haber 0.00 (auxiliar)",
        "cifras de Contabilidad Institucional: cuenta contable 2130101 2025-05 esperado debe 40.00, haber 40.00 "
        "(Contabilidad Institucional), encontrado debe 40.00, haber 49.00 (auxiliar)",
    ]


def test_saldo_corrompido_y_recibo_fuera_del_banco_juntos(libro, tecnico):
    cifras_cargar(actor=tecnico, fuente=Fuente.CONTABILIDAD, contenido=_csv_del_auxiliar(), nombre_archivo="c.csv")
    recibo_registrar(actor=tecnico, canal="AGRICOLA", referencia="NO-EXISTE", fecha_pago=date(2025, 5, 21), monto=D("9.00"))
    obligacion = Obligacion.objects.get(concepto="cotizacion_patronal")
    with connection.cursor() as cursor:  # as an attacker with database access would
        cursor.execute("UPDATE cuentas_obligacion SET saldo = saldo + 5 WHERE id = %s", [obligacion.pk])
    controles = sorted((d.control, d.objeto) for d in conciliar())
    assert controles == [
        ("cifras de Contabilidad Institucional", "cuenta contable 1110101 2025-05"),
        ("cifras de Contabilidad Institucional", "cuenta contable 2130101 2025-05"),
        ("saldo de obligación", f"obligación {obligacion.pk}"),
        ("total de cuenta", "cuenta 100000077"),
    ]


def test_upisss_solo_se_compara_en_las_cuentas_que_reporta(libro, tecnico):
    # UPISSS reports the employer contributions only; the unidentified receipt touches other accounts.
    cifras_cargar(actor=tecnico, fuente=Fuente.UPISSS, contenido=_csv_del_auxiliar(cuentas={"1130102"}), nombre_archivo="u.csv")
    recibo_registrar(actor=tecnico, canal="AGRICOLA", referencia="X-9", fecha_pago=date(2025, 5, 21), monto=D("9.00"))
    assert conciliar() == []
    # A month the source reported with a missing account movement is a difference in that month only.
    cifras_cargar(actor=tecnico, fuente=Fuente.UPISSS, nombre_archivo="u2.csv",
                  contenido=b"cuenta_contable,mes,debe,haber\n1130102,2025-04,0.00,0.00\n")
    [d] = conciliar()
    assert (d.control, d.objeto) == ("cifras de UPISSS", "cuenta contable 1130102 2025-04")
    assert d.esperado == "debe 0.00, haber 0.00 (UPISSS)" and d.encontrado == "debe 37.50, haber 0.00 (auxiliar)"


def test_la_ultima_carga_de_un_mes_reemplaza_a_la_anterior(libro, tecnico):
    cifras_cargar(actor=tecnico, fuente=Fuente.CONTABILIDAD, nombre_archivo="mala.csv",
                  contenido=b"cuenta_contable,mes,debe,haber\n1110101,2025-05,1.00,0\n")
    assert len(conciliar()) == 1
    cifras_cargar(actor=tecnico, fuente=Fuente.CONTABILIDAD, contenido=_csv_del_auxiliar(), nombre_archivo="buena.csv")
    assert conciliar() == []


def test_archivo_de_cifras_invalido_no_carga_nada(tecnico):
    contenido = b"cuenta_contable,mes,debe,haber\n1110101,2025-13,1.00,0\n,2025-05,-1,0\n1110101,2025-13,1.001,0\n"
    with pytest.raises(ErroresDeArchivo) as exc:
        cifras_cargar(actor=tecnico, fuente=Fuente.CONTABILIDAD, contenido=contenido, nombre_archivo="x.csv")
    assert exc.value.errores == [
        "línea 2, columna mes: periodo '2025-13' no es AAAA-MM",
        "línea 3, columna cuenta_contable: falta la cuenta contable",
        "línea 3, columna debe: -1 no puede ser negativo",
        "línea 4, columna mes: periodo '2025-13' no es AAAA-MM",
        "línea 4, columna debe: '1.001' tiene más de 2 decimales",
    ]
    from cuentas.models import CargaCifras
    assert not CargaCifras.objects.exists()


def test_historial_una_fila_por_diferencia_abierta_y_cierre_al_corregirse(libro, tecnico):
    obligacion = Obligacion.objects.get(concepto="cotizacion_patronal")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cuentas_obligacion SET saldo = saldo - 1 WHERE id = %s", [obligacion.pk])
    primera, _ = conciliacion_ejecutar(actor=tecnico)
    segunda, diferencias = conciliacion_ejecutar()
    assert len(diferencias) == 2 and EjecucionConciliacion.objects.count() == 2
    abiertas = DiferenciaConciliacion.objects.filter(estado="abierta")
    assert abiertas.count() == 2
    assert {(d.primera_ejecucion_id, d.ultima_ejecucion_id) for d in abiertas} == {(primera.pk, segunda.pk)}
    with connection.cursor() as cursor:  # someone repairs the cache
        cursor.execute("UPDATE cuentas_obligacion SET saldo = saldo + 1 WHERE id = %s", [obligacion.pk])
    tercera, diferencias = conciliacion_ejecutar()
    assert diferencias == [] and tercera.diferencias == 0
    assert set(DiferenciaConciliacion.objects.values_list("estado", flat=True)) == {"corregida"}


def test_asignar_y_resolver_con_nota(libro, tecnico, usuarios):
    Obligacion.objects.filter(concepto="cotizacion_patronal")  # noqa: B018 - the ledger exists
    cifras_cargar(actor=tecnico, fuente=Fuente.CONTABILIDAD, nombre_archivo="c.csv",
                  contenido=b"cuenta_contable,mes,debe,haber\n1110101,2025-05,41.00,0\n")
    conciliacion_ejecutar()
    d = DiferenciaConciliacion.objects.get()
    coordinador = usuarios[roles.COORDINADOR]
    diferencia_asignar(actor=coordinador, diferencia=d, usuario=tecnico)
    with pytest.raises(ErrorDeNegocio, match="nota"):
        diferencia_resolver(actor=tecnico, diferencia=d, nota="  ")
    diferencia_resolver(actor=tecnico, diferencia=d, nota="El banco duplicó un depósito; Contabilidad corrige.")
    d.refresh_from_db()
    assert (d.estado, d.asignada_a, d.resuelta_por) == ("resuelta", tecnico, tecnico) and d.resuelta_en
    assert RegistroAuditoria.objects.filter(accion__startswith="conciliacion.diferencia").count() == 2
    # The next run finds it again: a new open difference, the resolved one keeps its note.
    conciliacion_ejecutar()
    assert DiferenciaConciliacion.objects.filter(estado="abierta").count() == 1
    with pytest.raises(ErrorDeNegocio):
        diferencia_resolver(actor=tecnico, diferencia=d, nota="otra vez")


def test_conciliar_con_fecha_compara_solo_meses_cerrados(libro, tecnico):
    cifras_cargar(actor=tecnico, fuente=Fuente.CONTABILIDAD, nombre_archivo="c.csv",
                  contenido=b"cuenta_contable,mes,debe,haber\n1110101,2025-05,1.00,0\n")
    assert conciliar(fecha=date(2025, 5, 30)) == []  # May is not over on the 30th
    assert len(conciliar(fecha=date(2025, 5, 31))) == 1


def test_las_diferencias_abiertas_se_ven_en_el_tablero(libro, tecnico, cliente_de):
    from django.urls import reverse
    from django.utils import timezone

    obligacion = Obligacion.objects.get(concepto="cotizacion_patronal")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cuentas_obligacion SET saldo = saldo - 1 WHERE id = %s", [obligacion.pk])
    ejecucion, _ = conciliacion_ejecutar(actor=tecnico)
    tablero = cliente_de(roles.JEFE_DEPARTAMENTO).get(reverse("mora:tablero")).content.decode()
    assert 'id="kpi-conciliacion"' in tablero and "2 diferencias abiertas" in tablero
    assert f"{timezone.localtime(ejecucion.iniciada_en):%d/%m/%Y %H:%M}" in tablero
    # A branch head sees the dashboard but has no reconciliation permission.
    assert 'id="kpi-conciliacion"' not in cliente_de(roles.JEFE_SUCURSAL).get(reverse("mora:tablero")).content.decode()
