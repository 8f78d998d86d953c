"""Demo solvencias (issscobros.demo calls this after the ledger and the agreements): a few issued at the
window to solvent employers, one annulled by the coordinator, a constancia de no inscrito and last
month's electronic solvencies of the Zona Franca / DPA employers that are solvent. Through the services."""
import random

from stdnum.sv import nit as stdnum_nit

from cuentas.models import Cuenta, Deudor
from issscobros.errores import ErrorDeNegocio
from issscobros.models import Usuario

from .selectors import deudores_para_lote_electronico
from .services import (constancia_no_inscrito_emitir, mes_anterior, solvencia_anular, solvencia_electronica_emitir,
                       solvencia_emitir)


def solvencias_demo_cargar(*, semilla: int, cuantas: int = 6) -> dict:
    rng = random.Random(semilla * 31 + 5)
    tecnico = Usuario.objects.get(username="tecnico")
    coordinador = Usuario.objects.get(username="coordinador")
    hechos = {"solvencias": 0, "no_solventes": 0, "anuladas": 0, "constancias": 0, "electronicas": 0}
    patronos = list(Deudor.objects.filter(tipo=Deudor.Tipo.PATRONO, cuentas__tipo=Cuenta.Tipo.PATRONAL)
                    .distinct().order_by("pk").values_list("pk", flat=True)[:200])
    emitidas = []
    for pk in rng.sample(patronos, min(len(patronos), cuantas * 3)):
        if len(emitidas) >= cuantas:
            break
        try:
            emitidas.append(solvencia_emitir(actor=tecnico, deudor=Deudor.objects.get(pk=pk)))
            hechos["solvencias"] += 1
        except ErrorDeNegocio:
            hechos["no_solventes"] += 1
    if emitidas:
        solvencia_anular(actor=coordinador, solvencia=emitidas[-1],
                         motivo="Emitida por error: el patrono pidió la solvencia de otra razón social.")
        hechos["anuladas"] += 1
    base = f"0614{rng.randrange(10**9):09d}"[:13]
    nit = base + stdnum_nit.calc_check_digit(base)
    if not Deudor.objects.filter(nit=nit).exists():
        constancia_no_inscrito_emitir(actor=tecnico, nit=nit, nombre="Cooperativa de Servicios Los Naranjos de R.L.")
        hechos["constancias"] += 1
    for pk in deudores_para_lote_electronico()[:10]:
        try:
            solvencia_electronica_emitir(actor=tecnico, deudor_id=pk, mes=mes_anterior())
            hechos["electronicas"] += 1
        except ErrorDeNegocio:
            pass
    return hechos
