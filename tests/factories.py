"""factory_boy factories for registry rows. Ledger state (later issues) goes through the posting
service, never through a factory."""
import itertools
from datetime import date

import factory
from stdnum.sv import nit as stdnum_nit

from cuentas.busqueda import normalizar
from cuentas.models import Cuenta, Deudor
from issscobros.models import Sucursal

_secuencia = itertools.count(101)


def nit_valido() -> str:
    base = f"0614010190{next(_secuencia) % 900 + 100:03d}"
    return base + stdnum_nit.calc_check_digit(base)


class SucursalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sucursal
        django_get_or_create = ("codigo",)

    codigo = factory.Sequence(lambda n: f"S{n:03d}")
    nombre = factory.Sequence(lambda n: f"Sucursal {n}")


class DeudorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deudor

    tipo = Deudor.Tipo.PATRONO
    nit = factory.LazyFunction(nit_valido)
    razon_social = factory.Sequence(lambda n: f"Empresa {n} S.A. de C.V.")
    sucursal = factory.SubFactory(SucursalFactory)
    nombre_normalizado = factory.LazyAttribute(lambda o: normalizar(f"{o.razon_social} {o.nombre_comercial}"))
    nombre_comercial = ""


class CuentaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cuenta

    deudor = factory.SubFactory(DeudorFactory)
    tipo = Cuenta.Tipo.PATRONAL
    numero = factory.Sequence(lambda n: f"{200000001 + n:09d}")
    fecha_apertura = date(2020, 1, 1)
