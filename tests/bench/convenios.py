"""Figures of the payment agreements: what routing a receipt through its agreement costs over the
general compensation (floor: a receipt of the same amount on a cuenta without agreement), the
simulator on a real history, and the agreement's detail page. Everything inside a rolled-back
transaction: the bench database is left as it was."""
from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from .contexto import Contexto
from .medicion import Figura, alternar, figura_con_piso, mediana

VECES = 40


def _cuentas_en_mora(n: int) -> list:
    from cuentas.models import COTIZACIONES, Cuenta, Obligacion

    hace = date.today() - timedelta(days=90)
    ids = (Obligacion.objects.filter(concepto__in=COTIZACIONES, saldo__gt=100, vencimiento__lt=hace)
           .values_list("cuenta_id", flat=True).distinct().order_by("cuenta_id")[:n])
    return list(Cuenta.objects.filter(pk__in=list(ids), tipo=Cuenta.Tipo.PATRONAL).order_by("pk"))


def figura_pago_de_cuota(ctx: Contexto) -> list[Figura]:
    from django.core.files.base import ContentFile
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from convenios.calculo import obligaciones_convenibles, simular
    from convenios.services.convenios import convenio_crear, convenio_legalizar
    from cuentas.reglas import Reglas, sumar_meses
    from cuentas.services.pagos import recibo_registrar

    cuentas = _cuentas_en_mora(2)
    if len(cuentas) < 2:
        return []
    con, sin = cuentas
    actor = ctx.usuario()
    hoy = date.today()
    firma = hoy - timedelta(days=1)
    figuras = []
    with transaction.atomic():
        obligaciones = [o for o in obligaciones_convenibles(cuenta_id=con.pk, al=firma) if o.vencimiento < firma]
        reglas = Reglas.cargar()
        tiempos = alternar({"simular": lambda: simular(obligaciones=obligaciones, fecha_firma=firma, prima=None,
                                                          numero_cuotas=12, primer_vencimiento=sumar_meses(firma, 1),
                                                          reglas=reglas)}, veces=20, calentamiento=3)
        figuras.append(Figura("convenio_simulacion_ms", mediana(tiempos["simular"]), "ms"))
        convenio = convenio_crear(actor=actor, cuenta=con, obligaciones=[o.pk for o in obligaciones], fecha_firma=firma,
                                  prima=None, numero_cuotas=12, primer_vencimiento=sumar_meses(firma, 1), reglas=reglas)
        convenio = convenio_legalizar(actor=actor, convenio=convenio, copia_firmada=ContentFile(b"%PDF", "bench.pdf"),
                                      fecha_legalizacion=firma, reglas=reglas)
        npe = convenio.cuotas.get(numero=1).npe
        n = count()
        monto = Decimal("1.00")
        tiempos = alternar({
            "cuota": lambda: recibo_registrar(actor=actor, canal="BENCH", referencia=f"BC-{next(n)}", fecha_pago=hoy,
                                              monto=monto, npe=npe, reglas=reglas),
            "piso": lambda: recibo_registrar(actor=actor, canal="BENCH", referencia=f"BP-{next(n)}", fecha_pago=hoy,
                                             monto=monto, numero_patronal=sin.numero, reglas=reglas),
        }, veces=VECES)
        piso = Figura("piso_recibo_compensado_ms", mediana(tiempos["piso"]), "ms")
        figuras += [piso, figura_con_piso("convenio_pago_cuota_ms", mediana(tiempos["cuota"]), "ms", piso)]
        cliente = ctx.cliente()
        with CaptureQueriesContext(connection) as capturadas:
            respuesta = cliente.get(reverse("convenios:detalle", args=[convenio.pk]))
        if respuesta.status_code == 200:
            figuras.append(Figura("convenio_detalle_consultas", len(capturadas), "consultas"))
        transaction.set_rollback(True)
    return figuras


FIGURAS = [figura_pago_de_cuota]
