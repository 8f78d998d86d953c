"""seed_demo fills the collection screens: the demo gestor's portfolio with actions and promises
(some broken), a referral, the plan, correspondence and the dashboard snapshot."""
import pytest
from django.core.management import call_command
from django.urls import reverse

from issscobros.models import Usuario
from mora.models import (CasoCobro, Correspondencia, Gestion, LotePlanillas, MetaPlan, PropuestaPublicacion, SnapshotKPI,
                         SolicitudDepuracion)
from mora.selectors import cartera_buscar

pytestmark = pytest.mark.django_db


def test_seed_demo_llena_las_pantallas_de_mora(client):
    call_command("seed_demo", deudores=150, meses=12, semilla=5)
    gestor = Usuario.objects.get(username="gestor")
    cartera = cartera_buscar(user=gestor)
    assert cartera.count() >= 4  # the central branch of 150 employers
    assert Gestion.objects.filter(caso__gestor=gestor).count() >= 7
    assert cartera.filter(promesa_estado="incumplida").exists()
    assert cartera.filter(promesa_estado="pendiente").exists()
    assert CasoCobro.objects.filter(estado=CasoCobro.Estado.REMITIDO_JURIDICO).count() == 1
    assert MetaPlan.objects.count() == 12 * 12 and Correspondencia.objects.count() == 5
    assert SnapshotKPI.objects.exists()
    assert PropuestaPublicacion.objects.filter(estado="aprobada").exists()
    assert SolicitudDepuracion.objects.exists() and LotePlanillas.objects.get().lineas.exists()
    for username in ("gestor", "jefe", "jefe_sucursal", "auditor"):
        client.force_login(Usuario.objects.get(username=username))
        for nombre in ("mora:cartera", "mora:antiguedad", "mora:correspondencia", "mora:publicacion"):
            r = client.get(reverse(nombre))
            assert r.status_code == 200 and b"No hay" not in r.content, (username, nombre)
    client.force_login(Usuario.objects.get(username="jefe"))
    r = client.get(reverse("mora:tablero"))
    assert r.status_code == 200
    assert b'<svg id="grafico-antiguedad"' in r.content and b'<svg id="grafico-tendencia"' in r.content
