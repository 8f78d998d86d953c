"""Figures of the solvencias: the eligibility check of a NIT with 5 números patronales and 10 years of
history (target: median ≤ 20 ms), and the monthly electronic batch with its PDFs, per worker core
(target: ≥ 150 per minute), against rendering the same PDF alone."""
import time
from datetime import date

from .contexto import Contexto
from .medicion import Figura, alternar, figura_con_piso, mediana, p95

NUMEROS = [f"79999999{i}" for i in range(1, 6)]
RAZON = "Bench Solvencias Cinco Números S.A. de C.V."
LOTE = 40


def _deudor_cinco_numeros():
    """Built once in the bench database: one NIT, 5 números patronales, 120 months each (the demo's bulk
    loader, same rows the services write; employers behave as the demo's profiles say)."""
    from stdnum.sv import nit as stdnum_nit

    from cuentas.models import Cuenta, Deudor, Planilla
    from issscobros import demo
    from issscobros.models import Sucursal

    from .basedatos import avisar

    deudor = Deudor.objects.filter(razon_social=RAZON).first()
    if deudor is None:
        base = "0614311299999"
        deudor = Deudor.objects.create(tipo=Deudor.Tipo.PATRONO, nit=base + stdnum_nit.calc_check_digit(base),
                                       razon_social=RAZON, nombre_normalizado=RAZON.lower(),
                                       sucursal=Sucursal.objects.order_by("pk").first())
        for numero in NUMEROS:
            Cuenta.objects.create(deudor=deudor, numero=numero, fecha_apertura=date(2010, 1, 1))
    cuentas = Cuenta.objects.filter(deudor=deudor)
    if not Planilla.objects.filter(cuenta__in=cuentas).exists():
        avisar("solvencias: historia de 120 meses para 5 números patronales de un NIT")
        demo.historia_cargar(semilla=5, meses=120, cuentas=cuentas, lineas_hasta=0, hilos=0, avisar=avisar)
    return deudor


def figura_elegibilidad(ctx: Contexto) -> list[Figura]:
    from cuentas.models import Deudor, Obligacion
    from solvencias.elegibilidad import evaluar

    from .basedatos import avisar

    deudor = _deudor_cinco_numeros()
    ev = evaluar(deudor=deudor)
    avisar(f"solvencias: {Obligacion.objects.filter(cuenta__deudor=deudor).count()} obligaciones, "
           f"{len(ev.motivos)} vencidas, solvente={ev.solvente}")
    tiempos = alternar({"evaluar": lambda: evaluar(deudor=deudor),
                        "piso": lambda: Deudor.objects.filter(pk=deudor.pk).exists()}, veces=60, calentamiento=5)
    piso = Figura("piso_consulta_simple_mediana", mediana(tiempos["piso"]), "ms")
    return [piso,
            figura_con_piso("elegibilidad_5_numeros_120_meses_mediana", mediana(tiempos["evaluar"]), "ms", piso),
            figura_con_piso("elegibilidad_5_numeros_120_meses_p95", p95(tiempos["evaluar"]), "ms", piso)]


def figura_lote_electronico(ctx: Contexto) -> list[Figura]:
    """solvencia_electronica_emitir, one after another in this process (one core), for employers solvent
    last month, flagged Zona Franca for the run; everything is rolled back afterwards."""
    from django.db import transaction

    from cuentas.models import Cuenta, Deudor
    from issscobros.pdf import pdf_renderizar
    from solvencias.elegibilidad import evaluar
    from solvencias.services import mes_anterior, solvencia_electronica_emitir

    from .basedatos import avisar

    mes = mes_anterior()
    corte = date.today().replace(day=1)
    actor = ctx.usuario()
    figuras = []
    with transaction.atomic():
        candidatos = (Deudor.objects.filter(tipo=Deudor.Tipo.PATRONO, cuentas__tipo=Cuenta.Tipo.PATRONAL)
                      .distinct().order_by("-pk")[:LOTE * 3])
        elegidos = [d.pk for d in candidatos if evaluar(deudor=d, corte=corte).solvente][:LOTE]
        Deudor.objects.filter(pk__in=elegidos).update(zona_franca_dpa=True)
        solvencia_electronica_emitir(actor=actor, deudor_id=elegidos.pop(), mes=mes)  # warm-up: fonts, templates
        inicio = time.perf_counter()
        emitidas = [solvencia_electronica_emitir(actor=actor, deudor_id=pk, mes=mes) for pk in elegidos]
        segundos = time.perf_counter() - inicio
        ultima = emitidas[-1]
        contexto = {"tipo": "electronica", "ev": evaluar(deudor=ultima.deudor, corte=corte), "nit": ultima.nit,
                    "nombre": ultima.nombre, "valida_hasta": ultima.valida_hasta, "mes": mes,
                    "url_base": "http://127.0.0.1:8000", "documento": ultima.documento, "emitido_por": actor}
        tiempos = alternar({"pdf": lambda: pdf_renderizar("impresos/solvencia.html", contexto)}, veces=10, calentamiento=1)
        transaction.set_rollback(True)
    avisar(f"solvencias: lote de {len(emitidas)} solvencias electrónicas en {segundos:.1f} s")
    piso = Figura("piso_pdf_solvencia_por_minuto", 60_000 / mediana(tiempos["pdf"]), "solvencias/min")
    figuras += [piso, figura_con_piso("lote_solvencias_electronicas_por_minuto_por_nucleo",
                                      len(emitidas) / segundos * 60, "solvencias/min", piso)]
    return figuras


FIGURAS = [figura_elegibilidad, figura_lote_electronico]
