"""The Técnico Financiero's accounting paperwork: certificación de pago (four eyes), partidas de
diario (gapless per month, balanced), control de partidas tramitadas, conformación de cuentas
auxiliares and indicadores de gestión. Ledger state is built through the posting services; every
figure in a PDF is read back with pdftotext and checked against the ledger to the cent."""
import hashlib
import shutil
import threading
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from cuentas import selectors_contabilidad as lecturas
from cuentas.documentos import certificacion_saldos_emitir, estado_cuenta_emitir
from cuentas.estado import cuenta_estado
from cuentas.models import Asiento, CertificacionPago, Comprobante, ComprobanteAsiento, CuentaContable, LineaAsiento
from cuentas.services import contabilidad as svc
from cuentas.services.cargos import cargo_registrar
from cuentas.services.pagos import recibo_registrar
from cuentas.services.planillas import LineaTrabajador, planilla_registrar
from issscobros import roles
from issscobros.errores import ErrorDeNegocio
from issscobros.models import Documento, RegistroAuditoria
from tests.cuentas.test_documentos import texto_pdf
from tests.factories import CuentaFactory

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) no está instalado")

FEB, MAR = date(2025, 2, 1), date(2025, 3, 1)


def libro(actor, sucursal):
    """Two employers. A: planillas 2025-01..03 of $525 (laboral 150 + patronal 375), a $50 fine of
    2025-02; January paid on time (R1, 10/02), February paid late with its 3 % surcharges and the fine
    (R2, 20/05: 525 + 15.75 + 50). B: one planilla 2025-01 of $105, unpaid."""
    a = CuentaFactory(numero="100000003", deudor__sucursal=sucursal, deudor__razon_social="Textiles San Miguel S.A. de C.V.")
    for periodo, presentacion in ((date(2025, 1, 1), date(2025, 2, 3)), (FEB, date(2025, 3, 3)), (MAR, date(2025, 4, 1))):
        planilla_registrar(actor=actor, cuenta=a, periodo=periodo, tipo="SPU", fecha_presentacion=presentacion,
                           lineas=[LineaTrabajador(f"{i:09d}", f"Trabajador {i}", D("500.00"), 30) for i in range(10)])
    cargo_registrar(actor=actor, cuenta=a, concepto="multa", monto=D("50.00"), periodo=FEB, vencimiento=date(2025, 3, 31),
                    fecha_origen=date(2025, 3, 10), documento_numero="RES-1", documento_fecha=date(2025, 3, 10),
                    descripcion="Planilla presentada fuera de plazo")
    recibo_registrar(actor=actor, canal="COLECTURIA", referencia="R1", fecha_pago=date(2025, 2, 10), monto=D("525.00"),
                     numero_patronal=a.numero, periodo=date(2025, 1, 1))
    recibo_registrar(actor=actor, canal="COLECTURIA", referencia="R2", fecha_pago=date(2025, 5, 20), monto=D("590.75"),
                     numero_patronal=a.numero, periodo=FEB)
    b = CuentaFactory(numero="100000004", deudor__sucursal=sucursal)
    planilla_registrar(actor=actor, cuenta=b, periodo=date(2025, 1, 1), tipo="SPU", fecha_presentacion=date(2025, 2, 5),
                       lineas=[LineaTrabajador("000000099", "Uno", D("1000.00"), 30)])
    return a, b


def fila(texto: str, inicio: str) -> list[str]:
    return next(l for l in texto.splitlines() if l.strip().startswith(inicio)).split()


def plano(texto: str) -> str:
    """Prose as one line: pdftotext breaks paragraphs where the page does."""
    return " ".join(texto.split())


def pagado_en_libro(cuenta, desde, hasta, conceptos) -> D:
    """Independent of the selector: credits of applications on those obligations."""
    return LineaAsiento.objects.filter(
        asiento__tipo="aplicacion", obligacion__cuenta=cuenta, obligacion__periodo__gte=desde,
        obligacion__periodo__lte=hasta, obligacion__concepto__in=conceptos, haber__gt=0,
    ).aggregate(s=Sum("haber"))["s"]


def guarda(sql, params=None, error=DatabaseError):
    with pytest.raises(error), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def tecnico(usuarios):
    return usuarios[roles.TECNICO]


@pytest.fixture
def coordinador(usuarios):
    return usuarios[roles.COORDINADOR]


# --- certificación de pago -----------------------------------------------------------------------

@pytest.mark.django_db
def test_certificacion_de_pago_elaborada_enviada_firmada_e_impresa(tecnico, coordinador, sucursal):
    a, _ = libro(tecnico, sucursal)
    c = svc.certificacion_pago_elaborar(actor=tecnico, cuenta=a, desde=date(2025, 1, 1), hasta=FEB, cotizaciones=True,
                                        multas=False, recargos=True, solicitud="El patrono, para licitación")
    assert c.estado == "elaborada" and c.total == D("1065.75")
    assert c.total == pagado_en_libro(a, date(2025, 1, 1), FEB, ["cotizacion_laboral", "cotizacion_patronal", "insaforp", "recargo"])
    with pytest.raises(ErrorDeNegocio, match="Solo se imprime una certificación firmada"):
        svc.certificacion_pago_imprimir(actor=tecnico, certificacion=c)
    with pytest.raises(ErrorDeNegocio, match="no se puede pasar a «Firmada»"):
        svc.certificacion_pago_firmar(actor=coordinador, certificacion=c)

    c = svc.certificacion_pago_enviar(actor=tecnico, certificacion=c)
    assert (c.estado, c.enviada_por) == ("enviada_firma", tecnico) and c.enviada_en
    with pytest.raises(ErrorDeNegocio, match="no se puede pasar a «Enviada a firma»"):
        svc.certificacion_pago_enviar(actor=tecnico, certificacion=c)
    with pytest.raises(ErrorDeNegocio, match="no puede firmar"):
        svc.certificacion_pago_firmar(actor=tecnico, certificacion=c)  # a technician has no signing permission

    c = svc.certificacion_pago_firmar(actor=coordinador, certificacion=c)
    assert (c.estado, c.firmada_por) == ("firmada", coordinador) and c.firmada_en
    documento = svc.certificacion_pago_imprimir(actor=tecnico, certificacion=c)
    c.refresh_from_db()
    assert c.documento == documento and documento.tipo == Documento.Tipo.CERTIFICACION_PAGO
    # reprint: the register's document, same bytes
    assert svc.certificacion_pago_imprimir(actor=coordinador, certificacion=c) == documento
    assert Documento.objects.filter(tipo=Documento.Tipo.CERTIFICACION_PAGO).count() == 1

    texto = texto_pdf(bytes(documento.pdf))
    assert "CERTIFICACIÓN DE PAGO" in texto and "100000003" in texto and "Textiles San Miguel" in texto
    assert "cotizaciones y recargos" in texto and "2025-01 a 2025-02" in texto
    assert fila(texto, "2025-01") == ["2025-01", "10/02/2025", "COLECTURIA", "R1", "$150.00", "$375.00", "$0.00", "$525.00"]
    assert fila(texto, "2025-02") == ["2025-02", "20/05/2025", "COLECTURIA", "R2", "$150.00", "$375.00", "$15.75", "$540.75"]
    assert fila(texto, "TOTAL") == ["TOTAL", "$300.00", "$750.00", "$15.75", "$1,065.75"]
    assert "UN MIL SESENTA Y CINCO 75/100 DÓLARES" in texto
    assert "El patrono, para licitación" in plano(texto) and documento.folio in texto and documento.codigo in texto
    assert "u_tecnico_financiero" in texto and "u_coordinador_financiero" in texto  # who prepared, who signed
    assert documento.datos["total"] == "1065.75" and documento.referencia == "100000003"
    acciones = list(RegistroAuditoria.objects.filter(objeto_id=str(c.pk), accion__startswith="certificacion_pago")
                    .order_by("id").values_list("accion", flat=True))
    assert acciones == ["certificacion_pago.elaborar", "certificacion_pago.enviar_firma", "certificacion_pago.firmar",
                        "certificacion_pago.imprimir"]


@pytest.mark.django_db
def test_certificacion_solo_conceptos_y_periodos_pedidos(tecnico, sucursal):
    a, b = libro(tecnico, sucursal)
    multas = svc.certificacion_pago_elaborar(actor=tecnico, cuenta=a, desde=FEB, hasta=MAR, cotizaciones=False,
                                             multas=True, recargos=False)
    assert multas.total == D("50.00") and [f["multas"] for f in multas.datos["filas"]] == ["50.00"]
    enero = svc.certificacion_pago_elaborar(actor=tecnico, cuenta=a, desde=date(2025, 1, 1), hasta=date(2025, 1, 1),
                                            cotizaciones=True, multas=True, recargos=True)
    assert enero.total == D("525.00")  # February's payment and the fine are outside the range
    with pytest.raises(ErrorDeNegocio, match="no hay nada que certificar"):
        svc.certificacion_pago_elaborar(actor=tecnico, cuenta=b, desde=date(2025, 1, 1), hasta=MAR, cotizaciones=True,
                                        multas=True, recargos=True)  # B never paid
    with pytest.raises(ErrorDeNegocio, match="anterior al inicial"):
        svc.certificacion_pago_elaborar(actor=tecnico, cuenta=a, desde=MAR, hasta=FEB, cotizaciones=True,
                                        multas=False, recargos=False)
    with pytest.raises(ErrorDeNegocio, match="Elija al menos uno"):
        svc.certificacion_pago_elaborar(actor=tecnico, cuenta=a, desde=FEB, hasta=MAR, cotizaciones=False,
                                        multas=False, recargos=False)


@pytest.mark.django_db
def test_quien_elabora_no_firma_su_certificacion(tecnico, coordinador, crear_usuario, sucursal):
    a, _ = libro(tecnico, sucursal)
    c = svc.certificacion_pago_elaborar(actor=coordinador, cuenta=a, desde=date(2025, 1, 1), hasta=FEB,
                                        cotizaciones=True, multas=False, recargos=False)
    c = svc.certificacion_pago_enviar(actor=coordinador, certificacion=c)
    with pytest.raises(ErrorDeNegocio, match="cuatro ojos"):
        svc.certificacion_pago_firmar(actor=coordinador, certificacion=c)
    # the database refuses it too
    guarda("UPDATE cuentas_certificacionpago SET estado = 'firmada', firmada_por_id = elaborada_por_id, "
           "firmada_en = now() WHERE id = %s", [c.pk], IntegrityError)
    otro = crear_usuario("coordinador2", roles.COORDINADOR)
    assert svc.certificacion_pago_firmar(actor=otro, certificacion=c).firmada_por == otro


@pytest.mark.django_db
def test_certificacion_guardas_en_la_base(tecnico, coordinador, sucursal):
    a, _ = libro(tecnico, sucursal)
    c = svc.certificacion_pago_elaborar(actor=tecnico, cuenta=a, desde=date(2025, 1, 1), hasta=FEB, cotizaciones=True,
                                        multas=False, recargos=False)
    guarda("UPDATE cuentas_certificacionpago SET total = 1 WHERE id = %s", [c.pk])
    guarda("UPDATE cuentas_certificacionpago SET estado = 'firmada', enviada_por_id = %s, enviada_en = now(), "
           "firmada_por_id = %s, firmada_en = now() WHERE id = %s", [tecnico.pk, coordinador.pk, c.pk])  # skips a step
    guarda("DELETE FROM cuentas_certificacionpago WHERE id = %s", [c.pk])
    c = svc.certificacion_pago_firmar(actor=coordinador, certificacion=svc.certificacion_pago_enviar(actor=tecnico, certificacion=c))
    guarda("UPDATE cuentas_certificacionpago SET estado = 'elaborada', enviada_por_id = NULL, enviada_en = NULL, "
           "firmada_por_id = NULL, firmada_en = NULL WHERE id = %s", [c.pk])
    guarda("UPDATE cuentas_certificacionpago SET firmada_en = now() - interval '1 day' WHERE id = %s", [c.pk])
    c.refresh_from_db()
    assert c.estado == "firmada" and c.total == D("1050.00")


@pytest.mark.django_db
def test_certificacion_desde_sus_pantallas(usuarios, sucursal, cliente_de, django_assert_max_num_queries):
    a, _ = libro(usuarios[roles.TECNICO], sucursal)
    cliente = cliente_de(roles.TECNICO)
    r = cliente.post(reverse("contabilidad:certificacion_nueva"), {
        "numero_patronal": "100000003", "desde": "2025-01", "hasta": "2025-02", "cotizaciones": "on", "recargos": "on"})
    c = CertificacionPago.objects.get()
    assert r.url == reverse("contabilidad:certificacion_detalle", args=[c.pk])
    pagina = cliente.get(r.url).content.decode()
    assert "$1,065.75" in pagina and "Enviar a firma" in pagina and "data-confirmar" in pagina
    assert cliente.post(reverse("contabilidad:certificacion_enviar", args=[c.pk])).status_code == 302
    assert cliente.post(reverse("contabilidad:certificacion_firmar", args=[c.pk])).status_code == 403  # no permission
    # an unknown cuenta is a form error, in Spanish
    r = cliente.post(reverse("contabilidad:certificacion_nueva"), {"numero_patronal": "999", "desde": "2025-01",
                                                                    "hasta": "2025-02", "cotizaciones": "on"})
    assert r.status_code == 400 and "No existe la cuenta 999" in r.content.decode()
    with django_assert_max_num_queries(12):
        lista = cliente.get(reverse("contabilidad:certificacion_lista"), {"q": "1000"})
    assert list(lista.context["pagina"].object_list) == [c]

    cliente = cliente_de(roles.COORDINADOR)
    assert "Firmar" in cliente.get(reverse("contabilidad:certificacion_detalle", args=[c.pk])).content.decode()
    cliente.post(reverse("contabilidad:certificacion_firmar", args=[c.pk]))
    r = cliente.post(reverse("contabilidad:certificacion_imprimir", args=[c.pk]))
    c.refresh_from_db()
    assert c.estado == "firmada" and r.url == reverse("documento_detalle", args=[c.documento_id])
    pdf = cliente.get(reverse("documento_pdf", args=[c.documento_id])).content
    assert pdf == bytes(c.documento.pdf) and hashlib.sha256(pdf).hexdigest() == c.documento.sha256
    r = cliente.post(reverse("contabilidad:certificacion_imprimir", args=[c.pk]))  # reprint: same document
    assert r.url == reverse("documento_detalle", args=[c.documento_id]) and Documento.objects.count() == 1


# --- comprobantes contables ----------------------------------------------------------------------

def asientos_del_mes(mes):
    return set(Asiento.objects.filter(fecha_valor__gte=mes, fecha_valor__lte=lecturas.mes_fin(mes)).values_list("pk", flat=True))


@pytest.mark.django_db
def test_partidas_por_dia_y_tipo_numeradas_sin_huecos_por_mes(tecnico, sucursal):
    libro(tecnico, sucursal)
    febrero = svc.comprobantes_generar(actor=tecnico, mes=FEB)
    # 03/02 planilla A, 05/02 planilla B, 10/02 receipt R1 and its application
    assert [(p.folio, p.fecha, p.tipo_asiento) for p in febrero] == [
        ("2025-02-0001", date(2025, 2, 3), "cargo"), ("2025-02-0002", date(2025, 2, 5), "cargo"),
        ("2025-02-0003", date(2025, 2, 10), "aplicacion"), ("2025-02-0004", date(2025, 2, 10), "recibo")]
    marzo = svc.comprobantes_generar(actor=tecnico, mes=MAR)
    assert [p.numero for p in marzo] == [1, 2]  # each month starts at 1
    assert svc.comprobantes_generar(actor=tecnico, mes=FEB) == []  # nothing left: safe to run again
    # every asiento of the month is in exactly one voucher
    en_partidas = list(ComprobanteAsiento.objects.filter(comprobante__mes=FEB).values_list("asiento_id", flat=True))
    assert sorted(en_partidas) == sorted(asientos_del_mes(FEB))
    # an unidentified receipt dated in February, recorded later: the next number of February
    recibo_registrar(actor=tecnico, canal="BANCO_AGRICOLA", referencia="B-9", fecha_pago=date(2025, 2, 25), monto=D("10.00"))
    (nueva,) = svc.comprobantes_generar(actor=tecnico, mes=FEB)
    assert nueva.folio == "2025-02-0005" and nueva.total == D("10.00")
    assert sorted(Comprobante.objects.filter(mes=FEB).values_list("numero", flat=True)) == [1, 2, 3, 4, 5]
    # balanced: each voucher's legs sum to the same debit and credit, equal to its stored total
    for p in Comprobante.objects.all():
        cuentas = lecturas.comprobante_cuentas(comprobante=p)
        assert sum(l.debe for l in cuentas) == sum(l.haber for l in cuentas) == p.total > 0
    with pytest.raises(ErrorDeNegocio, match="aún no ha comenzado"):
        svc.comprobantes_generar(actor=tecnico, mes=date(timezone.localdate().year + 1, 1, 1))
    assert RegistroAuditoria.objects.filter(accion="comprobante.elaborar").count() == 7


@pytest.mark.django_db
def test_partida_pdf_cuadrada_contra_el_libro(tecnico, coordinador, sucursal):
    libro(tecnico, sucursal)
    svc.comprobantes_generar(actor=tecnico, mes=date(2025, 5, 1))
    aplicacion = Comprobante.objects.get(mes=date(2025, 5, 1), tipo_asiento="aplicacion")
    documento = svc.comprobante_imprimir(actor=tecnico, comprobante=aplicacion)
    assert svc.comprobante_imprimir(actor=coordinador, comprobante=aplicacion) == documento  # reprint
    texto = texto_pdf(bytes(documento.pdf))
    assert "Partida de diario N.º 2025-05-0001" in texto and "20/05/2025" in texto
    ids = ComprobanteAsiento.objects.filter(comprobante=aplicacion).values("asiento_id")
    en_libro = (LineaAsiento.objects.filter(asiento_id__in=ids).values("cuenta_contable_id")
                .annotate(debe=Sum("debe"), haber=Sum("haber")).order_by("cuenta_contable_id"))
    assert len(en_libro) == 6
    for l in en_libro:
        nombre = CuentaContable.objects.get(codigo=l["cuenta_contable_id"]).nombre
        linea = next(x for x in texto.splitlines() if x.strip().startswith(l["cuenta_contable_id"]))
        assert nombre in linea
        montos = [m for m in linea.split() if m.startswith("$")]
        esperado = [f"${v:,.2f}" for v in (l["debe"], l["haber"]) if v]
        assert montos == esperado, linea
    # R2's application: Dr por aplicar 590.75, Dr/Cr the new surcharges 15.75; Cr receivables
    assert fila(texto, "SUMAS IGUALES") == ["SUMAS", "IGUALES", "$606.50", "$606.50"]
    assert "SEISCIENTOS SEIS 50/100 DÓLARES" in texto
    assert "Aplicación del recibo COLECTURIA R2" in texto and "100000003" in texto


@pytest.mark.django_db
def test_estados_de_la_partida(tecnico, coordinador, sucursal):
    libro(tecnico, sucursal)
    p = svc.comprobantes_generar(actor=tecnico, mes=FEB)[0]
    with pytest.raises(ErrorDeNegocio, match="no puede revisar"):
        svc.comprobante_revisar(actor=tecnico, comprobante=p)  # no permission
    propia = svc.comprobantes_generar(actor=coordinador, mes=MAR)[0]
    with pytest.raises(ErrorDeNegocio, match="cuatro ojos"):
        svc.comprobante_revisar(actor=coordinador, comprobante=propia)
    guarda("UPDATE cuentas_comprobante SET estado = 'revisada', revisado_por_id = elaborado_por_id, revisado_en = now() "
           "WHERE id = %s", [propia.pk], IntegrityError)
    with pytest.raises(ErrorDeNegocio, match="no se puede pasar a «Archivada»"):
        svc.comprobante_archivar(actor=tecnico, comprobante=p)
    with pytest.raises(ErrorDeNegocio, match="sin imprimir"):
        svc.comprobante_marcar_archivo(actor=tecnico, comprobante=p, original=True, copia=True)
    p = svc.comprobante_revisar(actor=coordinador, comprobante=p)
    assert (p.estado, p.revisado_por) == ("revisada", coordinador)
    with pytest.raises(ErrorDeNegocio, match="Imprima la partida"):
        svc.comprobante_enviar(actor=tecnico, comprobante=p)
    svc.comprobante_imprimir(actor=tecnico, comprobante=p)
    p = svc.comprobante_enviar(actor=tecnico, comprobante=p)
    assert p.estado == "enviada_contabilidad" and p.enviado_por == tecnico
    with pytest.raises(ErrorDeNegocio, match="marque primero el original y la copia"):
        svc.comprobante_archivar(actor=tecnico, comprobante=p)
    p = svc.comprobante_marcar_archivo(actor=tecnico, comprobante=p, original=True, copia=False)
    p = svc.comprobante_marcar_archivo(actor=tecnico, comprobante=p, original=True, copia=True)
    p = svc.comprobante_archivar(actor=tecnico, comprobante=p)
    assert p.estado == "archivada" and p.archivado_por == tecnico
    with pytest.raises(ErrorDeNegocio, match="ya está archivada"):
        svc.comprobante_marcar_archivo(actor=tecnico, comprobante=p, original=False, copia=True)
    acciones = list(RegistroAuditoria.objects.filter(objeto_id=str(p.pk), accion__startswith="comprobante.")
                    .order_by("id").values_list("accion", flat=True))
    assert acciones == ["comprobante.elaborar", "comprobante.revisar", "comprobante.imprimir",
                        "comprobante.enviar_contabilidad", "comprobante.archivo", "comprobante.archivo",
                        "comprobante.archivar"]
    # the database: nothing changes once archived, states never go back, links are evidence
    guarda("UPDATE cuentas_comprobante SET copia_archivada = false WHERE id = %s", [p.pk])
    otra = svc.comprobante_revisar(actor=coordinador, comprobante=Comprobante.objects.get(mes=FEB, numero=2))
    guarda("UPDATE cuentas_comprobante SET estado = 'elaborada', revisado_por_id = NULL, revisado_en = NULL "
           "WHERE id = %s", [otra.pk])
    guarda("UPDATE cuentas_comprobante SET numero = 99 WHERE id = %s", [otra.pk])
    guarda("UPDATE cuentas_comprobante SET estado = 'archivada', enviado_por_id = %s, enviado_en = now(), "
           "archivado_por_id = %s, archivado_en = now(), original_archivado = true, copia_archivada = true "
           "WHERE id = %s", [tecnico.pk, tecnico.pk, otra.pk])  # skips a step
    guarda("DELETE FROM cuentas_comprobante WHERE id = %s", [otra.pk])
    guarda("DELETE FROM cuentas_comprobanteasiento WHERE comprobante_id = %s", [otra.pk])
    guarda("UPDATE cuentas_comprobanteasiento SET comprobante_id = %s WHERE comprobante_id = %s", [p.pk, otra.pk])
    guarda("INSERT INTO cuentas_comprobanteasiento (comprobante_id, asiento_id) SELECT %s, asiento_id "
           "FROM cuentas_comprobanteasiento WHERE comprobante_id = %s", [otra.pk, p.pk], IntegrityError)


@pytest.mark.django_db(transaction=True)
def test_generacion_concurrente_sin_duplicar_ni_saltar(usuarios, sucursal):
    tecnico = usuarios[roles.TECNICO]
    libro(tecnico, sucursal)
    errores, barrera = [], threading.Barrier(4)

    def generar():
        try:
            barrera.wait()
            svc.comprobantes_generar(actor=tecnico, mes=FEB)
        except Exception as exc:  # noqa: BLE001 — reported below
            errores.append(exc)
        finally:
            connections.close_all()

    hilos = [threading.Thread(target=generar) for _ in range(4)]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join(60)
    assert not errores
    assert sorted(Comprobante.objects.filter(mes=FEB).values_list("numero", flat=True)) == [1, 2, 3, 4]
    assert ComprobanteAsiento.objects.count() == len(asientos_del_mes(FEB))


@pytest.mark.django_db
def test_partidas_desde_sus_pantallas(usuarios, sucursal, cliente_de, django_assert_max_num_queries):
    libro(usuarios[roles.TECNICO], sucursal)
    cliente = cliente_de(roles.TECNICO)
    r = cliente.post(reverse("contabilidad:comprobantes_generar"), {"mes": "2025-02"})
    assert r.url == reverse("contabilidad:comprobante_lista") + "?mes=2025-02"
    with django_assert_max_num_queries(12):
        lista = cliente.get(r.url)
    assert [p.folio for p in lista.context["pagina"]] == ["2025-02-0001", "2025-02-0002", "2025-02-0003", "2025-02-0004"]
    assert "Elaborar partidas del mes" in lista.content.decode()
    p = Comprobante.objects.get(mes=FEB, numero=3)
    with django_assert_max_num_queries(14):
        detalle = cliente.get(reverse("contabilidad:comprobante_detalle", args=[p.pk])).content.decode()
    assert "1130101" in detalle and "Cotizaciones laborales por cobrar" in detalle and "Revisar" not in detalle
    cliente.post(reverse("contabilidad:comprobante_imprimir", args=[p.pk]))
    cliente.post(reverse("contabilidad:comprobante_archivo", args=[p.pk]), {"original_archivado": "on"})
    p.refresh_from_db()
    assert p.documento_id and p.original_archivado and not p.copia_archivada
    r = cliente.post(reverse("contabilidad:comprobante_enviar", args=[p.pk]))  # not reviewed: refused with a message
    assert "no se puede pasar" in str(list(r.wsgi_request._messages))
    cliente = cliente_de(roles.COORDINADOR)
    cliente.post(reverse("contabilidad:comprobante_revisar", args=[p.pk]))
    p.refresh_from_db()
    assert p.estado == "revisada"
    r = cliente.post(reverse("contabilidad:control_partidas"), {"mes": "2025-02"})
    documento = Documento.objects.get(tipo=Documento.Tipo.CONTROL_PARTIDAS)
    assert r.url == reverse("documento_detalle", args=[documento.pk])


# --- control de partidas tramitadas --------------------------------------------------------------

@pytest.mark.django_db
def test_control_de_partidas_tramitadas(tecnico, coordinador, sucursal):
    libro(tecnico, sucursal)
    partidas = svc.comprobantes_generar(actor=tecnico, mes=FEB)
    p = svc.comprobante_revisar(actor=coordinador, comprobante=partidas[0])
    svc.comprobante_imprimir(actor=tecnico, comprobante=p)
    p = svc.comprobante_enviar(actor=tecnico, comprobante=p)
    svc.comprobante_marcar_archivo(actor=tecnico, comprobante=p, original=True, copia=True)
    svc.comprobante_archivar(actor=tecnico, comprobante=p)
    svc.comprobante_imprimir(actor=tecnico, comprobante=partidas[1])
    svc.comprobante_marcar_archivo(actor=tecnico, comprobante=partidas[1], original=False, copia=True)
    documento = svc.control_partidas_emitir(actor=tecnico, mes=FEB)
    texto = texto_pdf(bytes(documento.pdf))
    assert "CONTROL CONTABLE DE PARTIDAS TRAMITADAS" in texto and "Febrero de 2025" in texto
    hoy = timezone.localdate().strftime("%d/%m/%Y")
    assert fila(texto, "2025-02-0001") == ["2025-02-0001", "03/02/2025", "Cargo", "$525.00", "Archivada", hoy, hoy, "Sí", "Sí"]
    assert fila(texto, "2025-02-0002") == ["2025-02-0002", "05/02/2025", "Cargo", "$105.00", "Elaborada", "—", "—", "No", "Sí"]
    assert fila(texto, "2025-02-0004")[-6:] == ["$525.00", "Elaborada", "—", "—", "No", "No"]
    # 525 + 105 + 525 (application) + 525 (receipt), the sum of the vouchers' totals
    assert fila(texto, "4 partidas") == ["4", "partidas", "$1,680.00"]
    assert fila(texto, "Con original y copia archivados")[-3:] == ["1", "de", "4"]
    assert documento.datos["por_estado"] == {"Elaborada": 3, "Revisada": 0, "Enviada a Contabilidad": 0, "Archivada": 1}
    with pytest.raises(ErrorDeNegocio, match="No hay partidas"):
        svc.control_partidas_emitir(actor=tecnico, mes=date(2024, 1, 1))


# --- conformación de cuentas auxiliares ----------------------------------------------------------

@pytest.mark.django_db
def test_conformacion_igual_a_las_obligaciones_abiertas_al_cierre(tecnico, sucursal):
    a, b = libro(tecnico, sucursal)
    corte = date(2025, 3, 31)
    filas = lecturas.conformacion(mes=MAR)
    total = sum(f.saldo for f in filas)
    abiertas = sum(cuenta_estado(cuenta=c, fecha=corte).total_saldo for c in (a, b))
    # February's contributions (525) and the fine (50) of A, and B's January (105): R2 (20/05) and
    # the March planilla (presented 01/04) come after the month's end
    assert total == abiertas == D("680.00")
    por_concepto = {(f.codigo, f.concepto): (f.obligaciones, f.saldo_inicial, f.cargos, f.abonos, f.saldo) for f in filas}
    # January of A was charged and paid before March (saldo inicial 0); B's January is still open
    assert por_concepto[("1130101", "cotizacion_laboral")] == (2, D("30.00"), D("150.00"), D("0.00"), D("180.00"))
    assert por_concepto[("1130102", "cotizacion_patronal")] == (2, D("75.00"), D("375.00"), D("0.00"), D("450.00"))
    assert por_concepto[("1130301", "multa")] == (1, D("0.00"), D("50.00"), D("0.00"), D("50.00"))
    # May: R2 paid February and the fine; the March planilla is open
    mayo = lecturas.conformacion(mes=date(2025, 5, 1))
    assert sum(f.saldo for f in mayo) == sum(cuenta_estado(cuenta=c, fecha=date(2025, 5, 31)).total_saldo for c in (a, b)) \
        == D("630.00")

    documento = svc.conformacion_emitir(actor=tecnico, mes=MAR, saldo_control=D("700.00"), nota="Mayor al 31/03")
    texto = texto_pdf(bytes(documento.pdf))
    assert "CONFORMACIÓN DE CUENTAS AUXILIARES" in texto and "31/03/2025" in texto
    assert fila(texto, "TOTAL AUXILIARES") == ["TOTAL", "AUXILIARES", "$105.00", "$575.00", "$0.00", "$680.00"]
    assert fila(texto, "Saldo según registros auxiliares")[-1] == "$680.00"
    assert fila(texto, "Saldo según Contabilidad")[-1] == "$700.00"
    assert fila(texto, "Diferencia")[-1] == "-$20.00"
    assert "NO CONFORME" in texto and "Mayor al 31/03" in texto
    assert documento.datos["saldo"] == "680.00" and documento.datos["diferencia"] == "-20.00"
    conforme = texto_pdf(bytes(svc.conformacion_emitir(actor=tecnico, mes=MAR, saldo_control=D("680.00")).pdf))
    assert "CONFORME: el registro auxiliar coincide" in conforme and "NO CONFORME" not in conforme


@pytest.mark.django_db
def test_conformacion_desde_su_pantalla(usuarios, sucursal, cliente_de):
    libro(usuarios[roles.TECNICO], sucursal)
    cliente = cliente_de(roles.TECNICO)
    pagina = cliente.get(reverse("contabilidad:conformacion"), {"mes": "2025-03"})
    assert pagina.context["total"] == D("680.00") and 'id="total-auxiliares">$680.00' in pagina.content.decode()
    r = cliente.post(reverse("contabilidad:conformacion"), {"mes": "2025-03", "saldo_control": "680.00"})
    documento = Documento.objects.get(tipo=Documento.Tipo.CONFORMACION)
    assert r.url == reverse("documento_detalle", args=[documento.pk]) and documento.datos["diferencia"] == "0.00"
    r = cliente.post(reverse("contabilidad:conformacion"), {"mes": "2025-03", "saldo_control": "abc"})
    assert r.status_code == 400
    jefe = cliente_de(roles.JEFE_DEPARTAMENTO)
    assert jefe.get(reverse("contabilidad:conformacion"), {"mes": "2025-03"}).status_code == 200
    assert jefe.post(reverse("contabilidad:conformacion"), {"mes": "2025-03", "saldo_control": "1"}).status_code == 403


# --- indicadores de gestión ----------------------------------------------------------------------

@pytest.mark.django_db
def test_indicadores_por_usuario_y_totales(tecnico, coordinador, sucursal):
    a, _ = libro(tecnico, sucursal)
    estado_cuenta_emitir(actor=tecnico, deudor=a.deudor, cuenta=a, fecha=date(2025, 6, 30))
    estado_cuenta_emitir(actor=tecnico, deudor=a.deudor, cuenta=a, fecha=date(2025, 7, 31))
    certificacion_saldos_emitir(actor=coordinador, cuenta=a, fecha=date(2025, 6, 30))
    c = svc.certificacion_pago_elaborar(actor=tecnico, cuenta=a, desde=date(2025, 1, 1), hasta=FEB, cotizaciones=True,
                                        multas=False, recargos=False)
    svc.certificacion_pago_firmar(actor=coordinador, certificacion=svc.certificacion_pago_enviar(actor=tecnico, certificacion=c))
    mes = timezone.localdate().replace(day=1)
    ind = lecturas.indicadores_gestion(mes=mes)
    por_usuario = {u.usuario: {i.nombre: (i.cantidad, i.monto) for i in u.indicadores} for u in ind.usuarios}
    assert por_usuario["u_tecnico_financiero"] == {
        "Documento emitido: Estado de cuenta": (2, None),
        "Aplicaciones de pago (compensaciones)": (2, D("1115.75")),
        "Pagos registrados": (2, D("1115.75")),
        "Planillas registradas": (4, D("1680.00")),
        "Multas y otros cargos registrados": (1, D("50.00")),
        "Certificaciones de pago elaboradas": (1, None),
    }
    assert por_usuario["u_coordinador_financiero"] == {
        "Documento emitido: Certificación de saldos": (1, None), "Certificaciones de pago firmadas": (1, None)}
    totales = {i.nombre: i.cantidad for i in ind.totales}
    assert totales["Documento emitido: Estado de cuenta"] == 2 and totales["Documento emitido: Solvencia"] == 0
    assert ind.total == 14

    documento = svc.indicadores_emitir(actor=coordinador, mes=mes)
    texto = texto_pdf(bytes(documento.pdf))
    assert "INDICADORES DE GESTIÓN" in texto
    assert fila(texto, "Planillas registradas") == ["Planillas", "registradas", "4", "$1,680.00"]
    assert fila(texto, "TOTAL DE TRÁMITES")[-1] == "14"
    assert fila(texto, "Total u_tecnico_financiero")[-1] == "12"
    assert fila(texto, "Total u_coordinador_financiero")[-1] == "2"
    assert documento.datos["total"] == 14
    # a month with nothing done
    assert lecturas.indicadores_gestion(mes=date(2024, 1, 1)).total == 0


@pytest.mark.django_db
def test_indicadores_y_acceso_por_rol(usuarios, sucursal, cliente_de):
    libro(usuarios[roles.TECNICO], sucursal)
    mes = timezone.localdate().strftime("%Y-%m")
    jefe = cliente_de(roles.JEFE_DEPARTAMENTO)
    pagina = jefe.get(reverse("contabilidad:indicadores"), {"mes": mes})
    assert pagina.status_code == 200 and pagina.context["ind"].total == 9
    assert "Emitir indicadores" not in pagina.content.decode()
    assert jefe.post(reverse("contabilidad:indicadores"), {"mes": mes}).status_code == 403
    assert jefe.post(reverse("contabilidad:comprobantes_generar"), {"mes": "2025-02"}).status_code == 403
    tecnico = cliente_de(roles.TECNICO)
    r = tecnico.post(reverse("contabilidad:indicadores"), {"mes": mes})
    assert r.url == reverse("documento_detalle", args=[Documento.objects.get(tipo=Documento.Tipo.INDICADORES).pk])
    inicio = tecnico.get(reverse("contabilidad:inicio")).content.decode()
    for funcion in ("Certificaciones de pago", "Partidas de diario", "Control de partidas tramitadas",
                    "Conformación de cuentas auxiliares", "Indicadores de gestión"):
        assert funcion in inicio
    gestor = cliente_de(roles.GESTOR)
    for nombre in ("contabilidad:inicio", "contabilidad:certificacion_lista", "contabilidad:comprobante_lista",
                   "contabilidad:conformacion", "contabilidad:indicadores"):
        assert gestor.get(reverse(nombre)).status_code == 403
