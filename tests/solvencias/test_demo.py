"""seed_demo leaves solvencias to look at: issued at the window, one annulled, a constancia de no
inscrito (and last month's electronic ones for the Zona Franca employers that are solvent)."""
import pytest
from django.core.management import call_command

from solvencias.models import Solvencia

pytestmark = pytest.mark.django_db


def test_seed_demo_emite_solvencias_y_anula_una():
    call_command("seed_demo", deudores=40, meses=3, semilla=3)
    assert Solvencia.objects.filter(tipo=Solvencia.Tipo.SOLVENCIA).count() >= 3
    assert Solvencia.objects.filter(anulada_en__isnull=False).count() == 1
    assert Solvencia.objects.filter(tipo=Solvencia.Tipo.NO_INSCRITO).count() == 1
    for s in Solvencia.objects.all():
        assert s.documento.pdf and s.codigo == s.documento.codigo
