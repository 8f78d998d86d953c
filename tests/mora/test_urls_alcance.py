"""Every URL of the mora app, as each role: pages answer (200) or refuse (403) by permission, and
every object outside the user's scope answers 404 — lists, details, files and exports alike."""
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from issscobros import roles
from mora import services, urls as mora_urls
from mora.models import Correspondencia, LotePlanillas, PropuestaPublicacion, SolicitudDepuracion
from mora.selectors import VEN_TODO

pytestmark = pytest.mark.django_db
R = roles


@pytest.fixture
def mundo(usuarios, sucursal, otra_sucursal, otro_gestor, abrir_caso):
    jefe = usuarios[R.JEFE_DEPARTAMENTO]
    propio = abrir_caso(sucursal, usuarios[R.GESTOR], razon_social="Propia S.A.")
    ajeno = abrir_caso(otra_sucursal, otro_gestor, razon_social="Ajena S.A.")
    docs = {c.pk: services.expediente_agregar(actor=jefe, caso=c, tipo="nota", descripcion="Nota", folios=2,
                                              archivo=SimpleUploadedFile("nota.txt", b"hola", "text/plain"))
            for c in (propio, ajeno)}
    hoy = timezone.localdate()
    corr = {c.pk: Correspondencia.objects.create(recibida_el=hoy, remitente="fiscalia", asunto=f"Oficio {c.pk}",
                                                 sucursal=c.sucursal, asignada_a=c.gestor, vence_el=hoy + timedelta(days=5),
                                                 registrado_por=jefe)
            for c in (propio, ajeno)}
    for c in (propio, ajeno):
        SolicitudDepuracion.objects.create(caso=c, area="contabilidad", descripcion="Cargo duplicado", solicitada_por=jefe)
        PropuestaPublicacion.objects.create(caso=c, motivo="Renuente", propuesto_por=c.gestor)
        LotePlanillas.objects.create(origen="sucursal", sucursal=c.sucursal, recibido_el=hoy, archivo="lotes/x.csv",
                                     registrado_por=jefe, referencia=f"Lote {c.pk}")
    return propio, ajeno, docs, corr


def _urls_de_objeto(caso, doc, corr):
    """(method, url) of every URL that names an object, for that object."""
    return [
        ("get", reverse("mora:caso_detalle", args=[caso.pk])),
        ("post", reverse("mora:gestion_nueva", args=[caso.pk])),
        ("post", reverse("mora:caso_estado", args=[caso.pk])),
        ("post", reverse("mora:expediente_agregar", args=[caso.pk])),
        ("get", reverse("mora:expediente_archivo", args=[caso.pk, doc.pk])),
        ("post", reverse("mora:caso_remitir", args=[caso.pk])),
        ("post", reverse("mora:paso_judicial", args=[caso.pk])),
        ("post", reverse("mora:depuracion", args=[caso.pk])),
        ("post", reverse("mora:depuracion_responder", args=[caso.pk, caso.depuraciones.get().pk])),
        ("post", reverse("mora:publicacion_proponer", args=[caso.pk])),
        ("post", reverse("mora:publicacion_resolver", args=[caso.propuestas_publicacion.get().pk])),
    ]


LISTAS = ["mora:cartera", "mora:antiguedad", "mora:convenios_incumplidos", "mora:cumplidos", "mora:tablero",
          "mora:plan", "mora:correspondencia", "mora:correspondencia_nueva", "mora:publicacion", "mora:lotes"]
SOLO_POST = ["mora:reasignar", "mora:generar", "mora:tablero_actualizar"]


def test_el_recorrido_cubre_todas_las_urls():
    nombres = {p.name for p in mora_urls.urlpatterns}
    objeto = {"caso_detalle", "gestion_nueva", "caso_estado", "expediente_agregar", "expediente_archivo",
              "caso_remitir", "paso_judicial", "correspondencia_detalle", "depuracion", "depuracion_responder",
              "publicacion_proponer", "publicacion_resolver", "lote_detalle"}
    assert nombres == objeto | {n.split(":")[1] for n in LISTAS + SOLO_POST}


@pytest.mark.parametrize("rol", R.ROLES)
def test_cada_url_como_cada_rol(client, usuarios, mundo, rol):
    propio, ajeno, docs, corr = mundo
    user = usuarios[rol]
    client.force_login(user)
    ve_casos = user.has_perm("mora.view_casocobro")
    for nombre in LISTAS:
        r = client.get(reverse(nombre))
        permiso = {"mora:tablero": "mora.view_snapshotkpi", "mora:plan": "mora.view_metaplan",
                   "mora:correspondencia_nueva": "mora.add_correspondencia", "mora:lotes": "mora.view_loteplanillas",
                   "mora:publicacion": "mora.view_propuestapublicacion"}.get(nombre, "mora.view_casocobro")
        assert r.status_code == (200 if user.has_perm(permiso) else 403), (nombre, r.status_code)
    # Lists and exports never show the case outside the scope.
    if ve_casos:
        csv = client.get(reverse("mora:cartera"), {"formato": "csv"}).content.decode()
        assert ("Ajena S.A." in csv) == (rol in VEN_TODO)
        assert ("Propia S.A." in csv) == (rol in VEN_TODO | {R.GESTOR, R.JEFE_SUCURSAL})
    for caso, en_alcance in ((propio, rol in VEN_TODO | {R.GESTOR, R.JEFE_SUCURSAL}), (ajeno, rol in VEN_TODO)):
        for metodo, url in _urls_de_objeto(caso, docs[caso.pk], corr[caso.pk]):
            r = getattr(client, metodo)(url)
            if r.status_code == 403 and ve_casos:  # the action's own permission (e.g. approve): not a leak
                continue
            if not ve_casos:
                assert r.status_code == 403, (url, r.status_code)
            elif not en_alcance:
                assert r.status_code == 404, (rol, url, r.status_code)
            else:
                assert r.status_code in (200, 302, 400), (rol, url, r.status_code)  # an empty form: refused in place
    # Batches: the register of the jefe's scope (by sucursal).
    for caso in (propio, ajeno):
        lote = LotePlanillas.objects.get(referencia=f"Lote {caso.pk}")
        r = client.get(reverse("mora:lote_detalle", args=[lote.pk]))
        if not user.has_perm("mora.view_loteplanillas"):
            assert r.status_code == 403
        else:
            assert r.status_code == (200 if rol in VEN_TODO or lote.sucursal_id == user.sucursal_id else 404), (rol, r.status_code)
    # Correspondence: the register of the jefe's scope, or what is assigned to the user.
    for caso, c in ((propio, corr[propio.pk]), (ajeno, corr[ajeno.pk])):
        r = client.get(reverse("mora:correspondencia_detalle", args=[c.pk]))
        registro = user.has_perm("mora.view_correspondencia") and (rol in VEN_TODO or c.sucursal_id == user.sucursal_id)
        if not ve_casos:
            assert r.status_code == 403
        else:
            assert r.status_code == (200 if registro or c.asignada_a == user else 404), (rol, c.asunto, r.status_code)


def test_reasignar_caso_ajeno_no_se_puede(client, usuarios, mundo, crear_usuario):
    propio, ajeno, _, _ = mundo
    client.force_login(usuarios[R.JEFE_SUCURSAL])
    destino = crear_usuario("g3", R.GESTOR)
    r = client.post(reverse("mora:reasignar"), {"casos": [ajeno.pk], "gestor": destino.pk, "motivo": "x"})
    assert r.status_code == 302
    ajeno.refresh_from_db()
    assert ajeno.gestor.username == "gestor_sm"
