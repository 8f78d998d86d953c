"""The job runner: one run per type, each item exactly once (duplicates and retries), resume after a
failure, the batch statements' ZIP, the screens. Chunks are run in-process here (the callbacks that
enqueue them only fire on commit); test_procesos_worker.py runs them on real Celery workers."""
import zipfile
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from cuentas.services.planillas import LineaTrabajador, planilla_registrar
from issscobros import roles
from issscobros.errores import ErrorDeNegocio
from issscobros.models import Documento, Proceso, ProcesoItem, RegistroAuditoria
from issscobros.procesos import tipos
from issscobros.procesos.servicios import proceso_iniciar, proceso_reintentar, trozo_ejecutar
from issscobros.procesos.zip import ruta
from tests.factories import CuentaFactory

pytestmark = pytest.mark.django_db

FALLAN: set[int] = set()


def item_de_prueba(*, actor, item, parametros):
    """A per-item service for the runner's tests: refuses the items in FALLAN."""
    if item in FALLAN:
        raise ErrorDeNegocio(f"el elemento {item} no se pudo procesar")
    return {"doble": item * 2}


@pytest.fixture
def tipo_prueba(monkeypatch):
    FALLAN.clear()
    prueba = tipos.TipoProceso(codigo="prueba", nombre="Prueba", permiso="issscobros.view_proceso",
                               seleccionar="tests.issscobros.test_procesos.seleccionar_prueba",
                               por_item="tests.issscobros.test_procesos.item_de_prueba", tamano_trozo=3)
    monkeypatch.setattr(tipos, "_CATALOGO", tipos._CATALOGO + [prueba])
    return prueba


def seleccionar_prueba(*, actor, parametros):
    return parametros["items"]


def correr(proceso):
    """Every chunk of the current attempt, in order, as the workers would."""
    proceso.refresh_from_db()
    for indice in range(-(-proceso.total // proceso.tamano_trozo)):
        trozo_ejecutar(proceso_id=proceso.pk, intento=proceso.intento, indice=indice)
    proceso.refresh_from_db()
    return proceso


@pytest.fixture
def tecnico(usuarios):
    return usuarios[roles.TECNICO]


def test_un_proceso_por_tipo_a_la_vez(tipo_prueba, tecnico):
    primero = proceso_iniciar(actor=tecnico, tipo="prueba", parametros={"items": [1, 2]})
    with pytest.raises(ErrorDeNegocio, match=rf"Ya hay un proceso «Prueba» en curso \(n.º {primero.pk}, 0 de 2\)"):
        proceso_iniciar(actor=tecnico, tipo="prueba", parametros={"items": [3]})
    correr(primero)
    segundo = proceso_iniciar(actor=tecnico, tipo="prueba", parametros={"items": [3]})
    assert correr(segundo).estado == "terminado"


def test_seleccion_vacia_y_permiso(tipo_prueba, tecnico, usuarios):
    with pytest.raises(ErrorDeNegocio, match="ningún elemento"):
        proceso_iniciar(actor=tecnico, tipo="prueba", parametros={"items": []})
    with pytest.raises(ErrorDeNegocio, match="No tiene permiso"):
        proceso_iniciar(actor=usuarios[roles.GESTOR], tipo="prueba", parametros={"items": [1]})


def test_cada_elemento_una_vez_aunque_el_trozo_llegue_dos_veces(tipo_prueba, tecnico):
    proceso = proceso_iniciar(actor=tecnico, tipo="prueba", parametros={"items": [10, 11, 12, 13, 14]})
    trozo_ejecutar(proceso_id=proceso.pk, intento=1, indice=0)
    trozo_ejecutar(proceso_id=proceso.pk, intento=1, indice=0)  # redelivered after a worker died
    proceso.refresh_from_db()
    assert (proceso.estado, proceso.hechos) == ("en_curso", 3)
    proceso = correr(proceso)
    assert (proceso.estado, proceso.hechos, proceso.total) == ("terminado", 5, 5)
    assert sorted(ProcesoItem.objects.filter(proceso=proceso).values_list("item", flat=True)) == [10, 11, 12, 13, 14]
    assert ProcesoItem.objects.get(proceso=proceso, item=12).resultado == {"doble": 24}
    assert proceso.iniciado_en and proceso.terminado_en


def test_reintento_continua_donde_se_detuvo(tipo_prueba, tecnico):
    FALLAN.update({5, 7})
    proceso = correr(proceso_iniciar(actor=tecnico, tipo="prueba", parametros={"items": list(range(1, 9))}))
    assert (proceso.estado, proceso.hechos) == ("fallido", 6)
    assert proceso.errores == [{"item": 5, "error": "el elemento 5 no se pudo procesar"},
                               {"item": 7, "error": "el elemento 7 no se pudo procesar"}]
    hechos_antes = dict(ProcesoItem.objects.filter(proceso=proceso).values_list("item", "hecho_en"))
    FALLAN.clear()
    proceso = correr(proceso_reintentar(actor=tecnico, proceso=proceso))
    assert (proceso.estado, proceso.hechos, proceso.intento, proceso.errores) == ("terminado", 8, 2, [])
    despues = dict(ProcesoItem.objects.filter(proceso=proceso).values_list("item", "hecho_en"))
    assert {i: despues[i] for i in hechos_antes} == hechos_antes  # what was done was not redone
    assert RegistroAuditoria.objects.filter(accion="proceso.reintentar", objeto_id=str(proceso.pk)).exists()
    with pytest.raises(ErrorDeNegocio, match="Solo se reintenta"):
        proceso_reintentar(actor=tecnico, proceso=proceso)


def test_trozo_de_un_intento_anterior_no_hace_nada(tipo_prueba, tecnico):
    FALLAN.add(1)
    proceso = correr(proceso_iniciar(actor=tecnico, tipo="prueba", parametros={"items": [1, 2]}))
    FALLAN.clear()
    proceso_reintentar(actor=tecnico, proceso=proceso)
    trozo_ejecutar(proceso_id=proceso.pk, intento=1, indice=0)  # a stale message of attempt 1
    assert ProcesoItem.objects.filter(proceso=proceso).count() == 1
    trozo_ejecutar(proceso_id=999999, intento=1, indice=0)  # a message of a run that does not exist


def test_proceso_estancado_se_puede_reintentar(tipo_prueba, tecnico, settings):
    proceso = proceso_iniciar(actor=tecnico, tipo="prueba", parametros={"items": [1, 2, 3, 4]})
    trozo_ejecutar(proceso_id=proceso.pk, intento=1, indice=0)
    with pytest.raises(ErrorDeNegocio):
        proceso_reintentar(actor=tecnico, proceso=proceso)
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": -1}  # its chunks are lost
    proceso = correr(proceso_reintentar(actor=tecnico, proceso=proceso))
    assert (proceso.estado, proceso.hechos) == ("terminado", 4)


def _cuentas(tecnico, sucursal, n):
    cuentas = []
    for i in range(n):
        cuenta = CuentaFactory(numero=f"3000000{i:02d}", deudor__sucursal=sucursal)
        planilla_registrar(actor=tecnico, cuenta=cuenta, periodo=date(2025, 3, 1), tipo="SPU",
                           fecha_presentacion=date(2025, 4, 5), lineas=[LineaTrabajador("1", "Ana", D("400.00"), 30)])
        cuentas.append(cuenta)
    return cuentas


def test_lote_de_estados_de_cuenta_un_documento_por_cuenta_y_un_zip(tecnico, sucursal):
    cuentas = _cuentas(tecnico, sucursal, 5)
    numeros = [c.numero for c in reversed(cuentas)]
    with pytest.raises(ErrorDeNegocio, match="no existen o no puede verlos: 999999999"):
        proceso_iniciar(actor=tecnico, tipo="estados_cuenta",
                        parametros={"seleccion": "numeros", "numeros": numeros + ["999999999"], "fecha": "2025-06-30"})
    proceso = proceso_iniciar(actor=tecnico, tipo="estados_cuenta",
                              parametros={"seleccion": "numeros", "numeros": numeros, "fecha": "2025-06-30"})
    assert proceso.items == [c.pk for c in reversed(cuentas)]
    proceso = correr(proceso)
    trozo_ejecutar(proceso_id=proceso.pk, intento=1, indice=0)  # late duplicate: nothing new
    assert proceso.estado == "terminado" and proceso.resultado == {"documentos": 5}
    documentos = Documento.objects.filter(tipo="estado_cuenta")
    assert sorted(documentos.values_list("referencia", flat=True)) == sorted(numeros)
    with zipfile.ZipFile(ruta(proceso.archivo)) as archivo:
        nombres = archivo.namelist()
        assert [n.split("_")[1] for n in nombres] == [f"{n}.pdf" for n in numeros]
        assert archivo.read(nombres[0]) == bytes(documentos.get(referencia=numeros[0]).pdf)


def test_seleccion_por_sucursal_y_en_mora(tecnico, sucursal):
    cuentas = _cuentas(tecnico, sucursal, 3)
    otra = CuentaFactory(numero="300000099")  # another branch, nothing owed
    ids = tipos.tipo("estados_cuenta").funcion_seleccionar
    assert ids(actor=tecnico, parametros={"seleccion": "sucursal", "sucursal_id": sucursal.pk}) == [c.pk for c in cuentas]
    assert ids(actor=tecnico, parametros={"seleccion": "mora", "fecha": "2025-06-30"}) == [c.pk for c in cuentas]
    assert ids(actor=tecnico, parametros={"seleccion": "mora", "fecha": "2025-04-05"}) == []  # not yet due
    assert otra.pk not in ids(actor=tecnico, parametros={"seleccion": "mora", "fecha": "2025-06-30"})


def test_conciliacion_como_proceso_programado(usuarios):
    from issscobros.tasks import proceso_programado

    resultado = proceso_programado("conciliacion", "Conciliación nocturna")
    proceso = correr(Proceso.objects.get(pk=resultado["proceso"]))
    assert (proceso.estado, proceso.iniciado_por, proceso.programacion) == ("terminado", None, "Conciliación nocturna")
    assert ProcesoItem.objects.get(proceso=proceso).resultado["diferencias"] == 0
    # While a run is active, the schedule's next start is skipped and says why.
    Proceso.objects.filter(pk=proceso.pk).update(estado="en_curso")
    assert proceso_programado("conciliacion", "Conciliación nocturna")["iniciado"] is False


def test_programacion_nocturna_en_la_base():
    from django_celery_beat.models import PeriodicTask

    tarea = PeriodicTask.objects.get(name="Conciliación nocturna")
    assert tarea.task == "issscobros.proceso_programado" and tarea.enabled
    assert (tarea.crontab.hour, tarea.crontab.minute) == ("2", "0")


# --- screens ------------------------------------------------------------------------------------------

def test_pantallas_de_procesos(cliente_de, tipo_prueba, tecnico, sucursal, django_assert_max_num_queries):
    FALLAN.add(2)
    proceso = correr(proceso_iniciar(actor=tecnico, tipo="prueba", parametros={"items": [1, 2]}))
    cliente = cliente_de(roles.TECNICO)
    with django_assert_max_num_queries(12):
        lista = cliente.get(reverse("procesos:lista"))
    assert lista.status_code == 200 and "Prueba" in lista.text and "1 de 2" in lista.text
    assert "hx-trigger" not in lista.text  # nothing active: no polling
    detalle = cliente.get(reverse("procesos:detalle", args=[proceso.pk]))
    assert "el elemento 2 no se pudo procesar" in detalle.text and "Reintentar" in detalle.text
    parcial = cliente.get(reverse("procesos:detalle", args=[proceso.pk]), HTTP_HX_REQUEST="true")
    assert parcial.text.lstrip().startswith('<div id="proceso-avance"')
    FALLAN.clear()
    respuesta = cliente.post(reverse("procesos:reintentar", args=[proceso.pk]), follow=True)
    assert "Reintento en marcha" in respuesta.text
    assert "hx-trigger" in cliente.get(reverse("procesos:lista")).text  # active again: polls
    assert cliente_de(roles.GESTOR).get(reverse("procesos:lista")).status_code == 403


def test_pantalla_iniciar_lote_y_rechazo_del_segundo(cliente_de, tecnico, sucursal):
    cuentas = _cuentas(tecnico, sucursal, 2)
    cliente = cliente_de(roles.TECNICO)
    url = reverse("procesos:nuevo", args=["estados_cuenta"])
    assert "Los patronos de una sucursal" in cliente.get(url).text
    vacio = cliente.post(url, {"seleccion": "numeros", "numeros": "", "fecha": "2025-06-30"})
    assert "Escriba al menos un número patronal." in vacio.text
    respuesta = cliente.post(url, {"seleccion": "numeros", "numeros": f"{cuentas[0].numero}, {cuentas[1].numero}",
                                   "fecha": "2025-06-30"})
    proceso = Proceso.objects.get()
    assert respuesta.status_code == 302 and respuesta.url == reverse("procesos:detalle", args=[proceso.pk])
    segundo = cliente.post(url, {"seleccion": "sucursal", "sucursal": sucursal.pk, "fecha": "2025-06-30"})
    assert f"Ya hay un proceso «Estados de cuenta en lote» en curso (n.º {proceso.pk}, 0 de 2)" in segundo.text
    correr(proceso)
    zip_ = cliente.get(reverse("procesos:archivo", args=[proceso.pk]))
    assert zip_.status_code == 200 and zip_["Content-Type"] == "application/zip"
    # An administrator sees runs but cannot start statements nor download documents.
    admin = cliente_de(roles.ADMINISTRADOR)
    assert admin.get(url).status_code == 403
    assert admin.get(reverse("procesos:archivo", args=[proceso.pk])).status_code == 403
    assert "Programación" in admin.get(reverse("procesos:lista")).text


def test_pantallas_de_conciliacion(cliente_de, usuarios):
    from cuentas.conciliacion import conciliacion_ejecutar

    cliente = cliente_de(roles.COORDINADOR)
    carga = cliente.post(reverse("procesos:cifras"), {
        "fuente": "contabilidad",
        "archivo": _archivo(b"cuenta_contable,mes,debe,haber\n1110101,2025-05,10.00,0\n")})
    assert carga.status_code == 302
    mala = cliente.post(reverse("procesos:cifras"), {"fuente": "upisss", "archivo": _archivo(b"cuenta_contable,mes\n")})
    assert "línea 1, columna debe: falta la columna" in mala.text
    conciliacion_ejecutar()
    lista = cliente.get(reverse("procesos:conciliacion"))
    assert "cuenta contable 1110101 2025-05" in lista.text
    from cuentas.models import DiferenciaConciliacion

    d = DiferenciaConciliacion.objects.get()
    url = reverse("procesos:diferencia", args=[d.pk])
    tecnico = usuarios[roles.TECNICO]
    assert cliente.post(url, {"accion": "asignar", "usuario": tecnico.pk}).status_code == 302
    sin_nota = cliente.post(url, {"accion": "resolver", "nota": ""})
    assert "Este campo es obligatorio" in sin_nota.text
    cliente.post(url, {"accion": "resolver", "nota": "Depósito del 31/05 registrado en junio por el banco."})
    d.refresh_from_db()
    assert (d.estado, d.asignada_a, d.resuelta_por) == ("resuelta", tecnico, usuarios[roles.COORDINADOR])
    auditor = cliente_de(roles.AUDITOR)
    assert auditor.get(url).status_code == 200
    assert auditor.post(url, {"accion": "resolver", "nota": "x"}).status_code == 403
    csv = cliente.get(reverse("procesos:auxiliar_csv") + "?desde=2025-01&hasta=2025-12")
    assert csv.text.splitlines()[0] == "cuenta_contable,mes,debe,haber"
    nuevo = reverse("procesos:nuevo", args=["conciliacion"])
    cliente = cliente_de(roles.COORDINADOR)  # the same test client, signed in again
    assert "Conciliar a la fecha" in cliente.get(nuevo).text
    respuesta = cliente.post(nuevo, {"fecha": ""})
    proceso = Proceso.objects.get(tipo="conciliacion")
    assert respuesta.url == reverse("procesos:detalle", args=[proceso.pk]) and proceso.parametros == {}
    proceso = correr(proceso)
    assert proceso.estado == "terminado" and ProcesoItem.objects.get(proceso=proceso).resultado["diferencias"] == 1


def _archivo(contenido: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("cifras.csv", contenido, content_type="text/csv")


def test_lote_de_solvencias_electronicas(tecnico, sucursal):
    from solvencias.models import Solvencia
    from solvencias.services import mes_anterior

    from tests.solvencias.conftest import declarar, mes

    zf = [CuentaFactory(deudor__sucursal=sucursal, deudor__zona_franca_dpa=True).deudor for _ in range(3)]
    declarar(tecnico, zf[2].cuentas.get(), mes(-3))  # in mora: an outcome, not an error
    proceso = correr(proceso_iniciar(actor=tecnico, tipo="solvencias_electronicas",
                                     parametros={"mes": f"{mes_anterior():%Y-%m}"}))
    assert (proceso.estado, proceso.hechos, proceso.errores, proceso.resultado) == ("terminado", 3, [], {"documentos": 2})
    assert ProcesoItem.objects.get(proceso=proceso, item=zf[2].pk).resultado == {"no_solvente": True}
    assert Solvencia.objects.filter(tipo=Solvencia.Tipo.ELECTRONICA).count() == 2
    with zipfile.ZipFile(ruta(proceso.archivo)) as archivo:
        assert len(archivo.namelist()) == 2
