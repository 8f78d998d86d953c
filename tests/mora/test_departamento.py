"""Publication list (criteria, four eyes, export), clean-up requests, batches of planillas en mora
checked against the ledger."""
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from issscobros import roles
from issscobros.errores import ErrorDeNegocio
from mora import services
from mora.models import CasoCobro, LineaLote, PropuestaPublicacion
from mora.selectors import publicacion_candidatos, publicacion_criterios

pytestmark = pytest.mark.django_db
R = roles


@pytest.fixture
def renuente(usuarios, sucursal, libro):
    """An employer 300+ days in mora with three failed actions."""
    gestor = usuarios[R.GESTOR]
    cuenta = libro.cuenta(sucursal, razon_social="Renuente S.A.")
    hoy = timezone.localdate()
    libro.planilla(cuenta, (hoy.replace(day=1) - timedelta(days=330)).replace(day=1))
    caso = services.caso_abrir(actor=gestor, deudor=cuenta.deudor, gestor=gestor)
    CasoCobro.objects.filter(pk=caso.pk).update(abierto_en=hoy - timedelta(days=30))
    caso.refresh_from_db()
    return caso


def _fallar(caso, gestor, veces):
    hoy = timezone.localdate()
    for i in range(veces):
        services.gestion_registrar(actor=gestor, caso=caso, tipo="llamada", fecha=hoy - timedelta(days=i),
                                   resultado="se_niega" if i % 2 else "no_contactado")


def test_publicacion_criterios_y_cuatro_ojos(usuarios, renuente, crear_usuario):
    gestor, jefe = usuarios[R.GESTOR], usuarios[R.JEFE_SUCURSAL]
    criterios = publicacion_criterios(caso=renuente)
    assert criterios.dias_mora > 180 and criterios.faltan == ["tiene 0 gestiones fallidas y se requieren 3"]
    with pytest.raises(ErrorDeNegocio, match="No cumple los criterios"):
        services.publicacion_proponer(actor=gestor, caso=renuente, motivo="Se niega")
    _fallar(renuente, gestor, 3)
    assert list(publicacion_candidatos(user=gestor)) == [renuente]
    propuesta = services.publicacion_proponer(actor=gestor, caso=renuente, motivo="Se niega a pagar")
    assert not publicacion_candidatos(user=gestor).exists()
    with pytest.raises(ErrorDeNegocio, match="ya está propuesto"):
        services.publicacion_proponer(actor=gestor, caso=renuente, motivo="otra vez")
    with pytest.raises(ErrorDeNegocio, match="no puede aprobar"):
        services.publicacion_resolver(actor=gestor, propuesta=propuesta, aprobar=True)
    jefe_que_propone = crear_usuario("jefe2", R.JEFE_SUCURSAL)
    otra = PropuestaPublicacion.objects.create(caso=renuente, motivo="x", propuesto_por=jefe_que_propone,
                                               estado=PropuestaPublicacion.Estado.RECHAZADA, resuelto_por=jefe)
    with pytest.raises(ErrorDeNegocio, match="ya fue resuelta"):
        services.publicacion_resolver(actor=jefe, propuesta=otra, aprobar=True)
    services.publicacion_resolver(actor=jefe, propuesta=propuesta, aprobar=True)
    propuesta.refresh_from_db()
    assert propuesta.estado == "aprobada" and propuesta.resuelto_por == jefe


def test_publicacion_exporta_aprobados_con_saldo_del_libro(cliente_de, usuarios, renuente):
    _fallar(renuente, usuarios[R.GESTOR], 3)
    p = services.publicacion_proponer(actor=usuarios[R.GESTOR], caso=renuente, motivo="Renuente")
    services.publicacion_resolver(actor=usuarios[R.JEFE_DEPARTAMENTO], propuesta=p, aprobar=True)
    csv = cliente_de(R.JEFE_SUCURSAL).get(reverse("mora:publicacion"), {"formato": "csv"}).content.decode("utf-8-sig")
    assert "Renuente S.A." in csv and ",525.00," in csv


def test_depuracion_solicitud_y_respuesta(cliente_de, usuarios, sucursal, abrir_caso):
    caso = abrir_caso(sucursal, usuarios[R.GESTOR])
    cliente = cliente_de(R.GESTOR)
    r = cliente.post(reverse("mora:depuracion", args=[caso.pk]), {"area": "control_ingresos", "descripcion": "Pago de 03/2025 sin aplicar"})
    assert r.status_code == 302
    solicitud = caso.depuraciones.get()
    assert "Pendiente" in cliente.get(reverse("mora:caso_detalle", args=[caso.pk])).content.decode()
    hoy = timezone.localdate()
    cliente.post(reverse("mora:depuracion_responder", args=[caso.pk, solicitud.pk]), {"respuesta": "Aplicado", "fecha": hoy})
    solicitud.refresh_from_db()
    assert (solicitud.respuesta, solicitud.respondida_el, solicitud.registrada_por) == ("Aplicado", hoy, usuarios[R.GESTOR])
    with pytest.raises(ErrorDeNegocio, match="ya tiene respuesta"):
        services.depuracion_responder(actor=usuarios[R.GESTOR], solicitud=solicitud, respuesta="otra")


def test_lote_cotejado_con_el_libro(cliente_de, usuarios, sucursal, libro):
    cuenta = libro.cuenta(sucursal)
    libro.planilla(cuenta, date(2025, 1, 1))
    libro.planilla(cuenta, date(2025, 2, 1))
    libro.pago(cuenta, date(2025, 2, 10), "525.00", "L-1")  # pays January on time → no mora for 2025-01
    archivo = (f"numero_patronal,periodo,monto\n{cuenta.numero},2025-02,525.00\n{cuenta.numero},2025-01,525.00\n"
               f"999999999,2025-01,10.00\n").encode()
    cliente = cliente_de(R.JEFE_SUCURSAL)
    r = cliente.post(reverse("mora:lotes"), {"origen": "control_ingresos", "sucursal": sucursal.pk,
                                             "recibido_el": "2025-06-01", "archivo": SimpleUploadedFile("lote.csv", archivo)})
    assert r.status_code == 302, r.content.decode()[:2000]
    lineas = {x.linea: (x.resultado, x.monto_sistema) for x in LineaLote.objects.all()}
    assert lineas == {2: ("coincide", D("525.00")), 3: ("sin_mora", None), 4: ("no_existe", None)}
    pagina = cliente.get(r.url).content.decode()
    assert "2 con discrepancias" in pagina
    malo = cliente.post(reverse("mora:lotes"), {"origen": "sucursal", "sucursal": sucursal.pk, "recibido_el": "2025-06-01",
                                                "archivo": SimpleUploadedFile("m.csv", b"numero_patronal,periodo,monto\n1,2025-13,x\n")})
    assert malo.status_code == 400 and "línea 2, columna periodo" in malo.content.decode()
