"""seed_demo creates agreements in every state, a payroll deduction and settlements at each step."""
import pytest
from django.core.management import call_command

from convenios.models import Convenio, Transaccion
from cuentas.conciliacion import conciliar

pytestmark = pytest.mark.django_db


def test_seed_demo_crea_convenios_en_cada_estado(capsys):
    # 100 employers: agreements in every state and three settlements need some ten in mora (about
    # 12 % of the demo's employers stop paying); with 60 some dates left too few.
    call_command("seed_demo", deudores=100, meses=12, semilla=5)
    capsys.readouterr()
    assert set(Convenio.objects.values_list("estado", flat=True)) == set(Convenio.Estado.values)
    assert Convenio.objects.filter(tipo=Convenio.Tipo.DESCUENTO).exists()
    assert {Transaccion.Estado.PREPARADA, Transaccion.Estado.REVISADA, Transaccion.Estado.ACUERDO} <= set(
        Transaccion.objects.values_list("estado", flat=True))
    for c in Convenio.objects.all():
        assert sum(q.monto for q in c.cuotas.all()) == c.total
    assert conciliar() == []  # the ledger still reconciles
