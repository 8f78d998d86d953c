"""The case page's actions through HTTP (forms, services, messages), the expediente, the referral
to jurídico with its certificación de saldos, the exports, the plan and the correspondence."""
import hashlib
import io
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from issscobros import roles
from issscobros.models import Documento
from mora.models import CasoCobro, Correspondencia, MetaPlan, PasoJudicial
from mora import services

pytestmark = pytest.mark.django_db
R = roles


def test_gestion_por_formulario_y_errores_en_espanol(cliente_de, usuarios, sucursal, abrir_caso, django_assert_max_num_queries):
    caso = abrir_caso(sucursal, usuarios[R.GESTOR])
    cliente = cliente_de(R.GESTOR)
    hoy = timezone.localdate()
    url = reverse("mora:gestion_nueva", args=[caso.pk])
    r = cliente.post(url, {"tipo": "llamada", "fecha": hoy, "resultado": "promesa", "promesa_fecha": hoy})
    assert r.status_code == 400 and "Una promesa de pago necesita fecha y monto." in r.content.decode()
    r = cliente.post(url, {"tipo": "visita", "fecha": hoy, "resultado": "promesa", "contacto": "Gerente",
                           "promesa_fecha": hoy + timedelta(days=3), "promesa_monto": "125.50"})
    assert r.status_code == 302
    caso.refresh_from_db()
    assert (caso.estado, caso.promesa_monto, caso.proxima_accion) == ("compromiso", D("125.50"), hoy + timedelta(days=3))
    with django_assert_max_num_queries(25):
        pagina = cliente.get(reverse("mora:caso_detalle", args=[caso.pk]))
    assert "$125.50" in pagina.content.decode() and "Pendiente" in pagina.content.decode()
    with django_assert_max_num_queries(15):
        assert cliente.get(reverse("mora:cartera")).status_code == 200


def test_transicion_con_motivo(cliente_de, usuarios, sucursal, abrir_caso):
    caso = abrir_caso(sucursal, usuarios[R.GESTOR])
    cliente = cliente_de(R.GESTOR)
    url = reverse("mora:caso_estado", args=[caso.pk])
    assert cliente.post(url, {"estado": "en_gestion", "motivo": ""}).status_code == 400
    assert cliente.post(url, {"estado": "cumplido", "motivo": "x"}).status_code == 400  # not a choice from asignado
    assert cliente.post(url, {"estado": "en_gestion", "motivo": "Se localizó al representante"}).status_code == 302
    caso.refresh_from_db()
    assert caso.estado == "en_gestion"


def test_expediente_folios_sha256_y_vista_previa(cliente_de, usuarios, sucursal, abrir_caso):
    caso = abrir_caso(sucursal, usuarios[R.GESTOR])
    cliente = cliente_de(R.GESTOR)
    url = reverse("mora:expediente_agregar", args=[caso.pk])
    contenido = b"%PDF-1.4 planilla original"
    for nombre, folios in (("planilla.pdf", 3), ("nota.txt", 1)):
        r = cliente.post(url, {"tipo": "planilla", "descripcion": f"Doc {nombre}", "folios": folios,
                               "archivo": SimpleUploadedFile(nombre, contenido, "application/pdf")})
        assert r.status_code == 302
    docs = list(caso.documentos.order_by("folio_desde"))
    assert [(d.folio_desde, d.folio_hasta) for d in docs] == [(1, 3), (4, 4)]
    assert docs[0].sha256 == hashlib.sha256(contenido).hexdigest()
    r = cliente.get(reverse("mora:expediente_archivo", args=[caso.pk, docs[0].pk]), {"ver": "1"})
    assert r.status_code == 200 and b"".join(r.streaming_content) == contenido
    assert r["Content-Disposition"].startswith("inline")


def test_remitir_a_juridico_emite_certificacion(cliente_de, usuarios, sucursal, libro):
    gestor = usuarios[R.GESTOR]
    cuenta = libro.cuenta(sucursal)
    libro.planilla(cuenta, date(2025, 1, 1))
    caso = services.caso_abrir(actor=gestor, deudor=cuenta.deudor, gestor=gestor)
    cliente = cliente_de(R.JEFE_SUCURSAL)
    r = cliente.post(reverse("mora:caso_remitir", args=[caso.pk]), {"motivo": "Cobro administrativo agotado"})
    assert r.status_code == 302
    caso.refresh_from_db()
    assert caso.estado == CasoCobro.Estado.REMITIDO_JURIDICO
    certificacion = Documento.objects.get(tipo=Documento.Tipo.CERTIFICACION_SALDOS, referencia=cuenta.numero)
    doc = caso.documentos.get()
    assert doc.documento == certificacion and doc.sha256 == certificacion.sha256
    assert PasoJudicial.objects.filter(caso=caso, tipo="remitido").exists()
    # Steps reported back; "pagado" closes the case.
    url = reverse("mora:paso_judicial", args=[caso.pk])
    assert cliente.post(url, {"tipo": "demanda_presentada", "fecha": timezone.localdate(), "referencia": "JC-1"}).status_code == 302
    assert cliente.post(url, {"tipo": "pagado", "fecha": timezone.localdate()}).status_code == 302
    caso.refresh_from_db()
    assert caso.estado == CasoCobro.Estado.CERRADO
    assert list(caso.pasos_judiciales.values_list("tipo", flat=True)) == ["remitido", "demanda_presentada", "pagado"]


def test_antiguedad_csv_xlsx_e_impresion(cliente_de, sucursal, libro):
    from openpyxl import load_workbook

    cuenta = libro.cuenta(sucursal)
    libro.planilla(cuenta, date(2025, 1, 1))
    cliente = cliente_de(R.JEFE_DEPARTAMENTO)
    url = reverse("mora:antiguedad")
    pagina = cliente.get(url, {"fecha": "2025-06-30", "por": "concepto"})
    assert pagina.status_code == 200 and "$525.00" in pagina.content.decode() and "data-imprimir" in pagina.content.decode()
    csv = cliente.get(url, {"fecha": "2025-06-30", "formato": "csv"}).content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Sucursal,0–30 días") and "525.00" in csv
    xlsx = cliente.get(url, {"fecha": "2025-06-30", "por": "concepto", "formato": "xlsx"})
    hoja = load_workbook(io.BytesIO(xlsx.content)).active
    filas = list(hoja.iter_rows(values_only=True))
    assert filas[0][0] == "Concepto" and filas[-1][0] == "Total" and D(str(filas[-1][7])) == D("525.00")


def test_plan_editable_por_el_jefe_y_real_del_libro(cliente_de, usuarios, sucursal, libro):
    cuenta = libro.cuenta(sucursal)
    libro.planilla(cuenta, date(2025, 1, 1))
    libro.pago(cuenta, date(2025, 3, 20), "525.00", "PL-1")  # late: recovered from mora in March
    jefe = cliente_de(R.JEFE_DEPARTAMENTO)
    r = jefe.post(reverse("mora:plan"), {"anio": 2025, f"monto_{sucursal.pk}_3": "1,000.00", f"casos_{sucursal.pk}_3": "4"})
    assert r.status_code == 302
    meta = MetaPlan.objects.get(sucursal=sucursal, mes=date(2025, 3, 1))
    assert (meta.monto, meta.casos) == (D("1000.00"), 4)
    pagina = jefe.get(reverse("mora:plan"), {"anio": 2025}).content.decode()
    assert "$1,000.00" in pagina and "$525.00" in pagina and "52.5 %" in pagina
    # A jefe de sucursal reads it but cannot change it.
    sucursal_jefe = cliente_de(R.JEFE_SUCURSAL)
    assert sucursal_jefe.post(reverse("mora:plan"), {"anio": 2025, f"monto_{sucursal.pk}_3": "1"}).status_code == 404
    assert MetaPlan.objects.get(sucursal=sucursal, mes=date(2025, 3, 1)).monto == D("1000.00")


def test_correspondencia_registrar_vencida_y_responder(cliente_de, usuarios, sucursal):
    cliente = cliente_de(R.JEFE_SUCURSAL)
    hoy = timezone.localdate()
    r = cliente.post(reverse("mora:correspondencia_nueva"), {
        "recibida_el": hoy - timedelta(days=10), "remitente": "fiscalia", "referencia": "FGR-1", "asunto": "Oficio 1",
        "sucursal": sucursal.pk, "asignada_a": usuarios[R.GESTOR].pk, "vence_el": hoy - timedelta(days=1)})
    assert r.status_code == 302
    c = Correspondencia.objects.get()
    lista = cliente.get(reverse("mora:correspondencia")).content.decode()
    assert "Vencida" in lista and "table-danger" in lista
    gestor = cliente_de(R.GESTOR)  # it is assigned to the gestor: they answer it
    r = gestor.post(reverse("mora:correspondencia_detalle", args=[c.pk]), {"estado": "respondida", "respuesta": ""})
    assert r.status_code == 400 and "Escriba la respuesta" in r.content.decode()
    r = gestor.post(reverse("mora:correspondencia_detalle", args=[c.pk]), {"estado": "respondida", "respuesta": "Enviada"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.estado == "respondida" and c.respondida_el == hoy


def test_tablero_cifras_del_libro(cliente_de, usuarios, sucursal, otra_sucursal, libro):
    from mora.kpi import kpi_instantanea

    cuenta, otra = libro.cuenta(sucursal), libro.cuenta(otra_sucursal)
    hoy = timezone.localdate()
    periodo = (hoy.replace(day=1) - timedelta(days=70)).replace(day=1)
    for c in (cuenta, otra):
        libro.planilla(c, periodo)
    libro.pago(cuenta, hoy, "100.00", "K-1")  # paid late, this month: recovered
    services.caso_abrir(actor=usuarios[R.JEFE_DEPARTAMENTO], deudor=cuenta.deudor, gestor=usuarios[R.GESTOR])
    kpi_instantanea()
    # The late payment posted its surcharge today, due today: not yet overdue, so not in mora.
    assert cuenta.obligaciones.filter(concepto="recargo", vencimiento=hoy).exists()
    jefe = cliente_de(R.JEFE_DEPARTAMENTO).get(reverse("mora:tablero")).content.decode()
    total = D("1050.00") - D("100.00")
    assert f'id="kpi-mora">${total:,.2f}' in jefe
    assert 'id="kpi-recuperado">$100.00' in jefe
    solo_sucursal = cliente_de(R.JEFE_SUCURSAL).get(reverse("mora:tablero")).content.decode()
    assert f'id="kpi-mora">${total - D("525.00"):,.2f}' in solo_sucursal


def test_cerrar_a_mano_es_decision_del_jefe(cliente_de, usuarios, sucursal, abrir_caso):
    caso = abrir_caso(sucursal, usuarios[R.GESTOR])
    url = reverse("mora:caso_estado", args=[caso.pk])
    assert cliente_de(R.GESTOR).post(url, {"estado": "cerrado", "motivo": "No lo encuentro"}).status_code == 400
    caso.refresh_from_db()
    assert caso.estado == "asignado"
    assert cliente_de(R.JEFE_SUCURSAL).post(url, {"estado": "cerrado", "motivo": "Empresa liquidada"}).status_code == 302
    caso.refresh_from_db()
    assert caso.estado == "cerrado"
