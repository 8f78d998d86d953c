"""The simulator: what an agreement on some obligations would be — the debt at the signing date, the
prima, the schedule of cuotas — and whether it respects the parameters. Pure reads; the same
computation backs the simulator screen, its printed options and `convenio_crear`.

The debt is the balance of each included obligation plus the surcharge accrued on unpaid
contributions up to the signing date (cuentas.reglas: delay is then frozen at that date). The prima
is cuota 0; the rest is split by `issscobros.money.repartir`, so the cuotas sum exactly to the total."""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cuentas.models import COTIZACIONES, Obligacion
from cuentas.reglas import Reglas, recargo_devengado, sumar_meses
from cuentas.services.ajustes import causado_hasta_por_base
from issscobros.money import formato_dinero, q, repartir

CERO = Decimal("0.00")

PRIMA_MINIMA = "convenio_prima_minima"
CUOTAS_MAXIMAS = "convenio_cuotas_maximas"
UMBRAL_DEUDA_MAYOR = "convenio_umbral_deuda_mayor"
CUOTAS_MAXIMAS_DEUDA_MAYOR = "convenio_cuotas_maximas_deuda_mayor"
RECARGOS_CONGELADOS = "convenio_recargos_congelados"
CUOTAS_INCUMPLIMIENTO = "convenio_cuotas_incumplimiento"


@dataclass
class LineaSimulada:
    obligacion: Obligacion
    saldo: Decimal
    recargo: Decimal

    @property
    def total(self):
        return self.saldo + self.recargo


@dataclass
class CuotaSimulada:
    numero: int
    vencimiento: date
    monto: Decimal

    @property
    def es_prima(self) -> bool:
        return self.numero == 0


@dataclass
class Simulacion:
    fecha_firma: date
    lineas: list[LineaSimulada]
    prima: Decimal
    numero_cuotas: int
    primer_vencimiento: date
    prima_minima: Decimal
    porcentaje_prima_minima: Decimal
    cuotas_maximas: int
    cuotas: list[CuotaSimulada] = field(default_factory=list)
    errores: list[str] = field(default_factory=list)

    @property
    def deuda(self) -> Decimal:
        return sum((l.total for l in self.lineas), CERO)

    @property
    def total(self) -> Decimal:
        return self.deuda

    @property
    def principal(self) -> Decimal:
        return sum((l.saldo for l in self.lineas), CERO)

    @property
    def recargos(self) -> Decimal:
        return sum((l.recargo for l in self.lineas), CERO)

    @property
    def valida(self) -> bool:
        return not self.errores


def obligaciones_convenibles(*, cuenta_id: int, al: date):
    """Open obligations of the cuenta not already in a signed agreement that still stands; the
    overdue ones (default selection) are those due before `al`."""
    from .selectors import en_convenio_activo

    return (Obligacion.objects.filter(cuenta_id=cuenta_id, saldo__gt=0, fecha_origen__lte=al)
            .exclude(pk__in=en_convenio_activo(cuenta_ids=[cuenta_id]))
            .order_by("periodo", "vencimiento", "id"))


def simular(*, obligaciones: list[Obligacion], fecha_firma: date, prima: Decimal | None, numero_cuotas: int,
            primer_vencimiento: date, reglas: Reglas | None = None) -> Simulacion:
    """`prima=None`: the minimum the parameters allow."""
    reglas = reglas or Reglas.cargar()
    causado = causado_hasta_por_base(bases=[o.pk for o in obligaciones])
    lineas = []
    for o in obligaciones:
        recargo = CERO
        if o.concepto in COTIZACIONES and fecha_firma > o.vencimiento:
            recargo = recargo_devengado(reglas, vencimiento=o.vencimiento, saldo=o.saldo, fecha=fecha_firma,
                                        causado_hasta=causado.get(o.pk))
        lineas.append(LineaSimulada(o, o.saldo, recargo))
    deuda = sum((l.total for l in lineas), CERO)
    porcentaje = reglas.valor(PRIMA_MINIMA, fecha_firma)
    umbral = reglas.valor(UMBRAL_DEUDA_MAYOR, fecha_firma)
    maximo = int(reglas.valor(CUOTAS_MAXIMAS_DEUDA_MAYOR if deuda > umbral else CUOTAS_MAXIMAS, fecha_firma))
    minima = q(deuda * porcentaje / 100)
    sim = Simulacion(fecha_firma=fecha_firma, lineas=lineas, prima=q(prima) if prima is not None else minima,
                     numero_cuotas=numero_cuotas, primer_vencimiento=primer_vencimiento, prima_minima=minima,
                     porcentaje_prima_minima=porcentaje, cuotas_maximas=maximo)
    sim.errores = _errores(sim, umbral)
    if not sim.errores:
        sim.cuotas = [CuotaSimulada(0, fecha_firma, sim.prima)] if sim.prima > 0 else []
        for i, monto in enumerate(repartir(deuda - sim.prima, numero_cuotas)):
            sim.cuotas.append(CuotaSimulada(i + 1, sumar_meses(primer_vencimiento, i), monto))
    return sim


def _errores(sim: Simulacion, umbral: Decimal) -> list[str]:
    errores = []
    deuda = sim.deuda
    if not sim.lineas or deuda <= 0:
        return ["Seleccione al menos una obligación con saldo."]
    if sim.prima < sim.prima_minima:
        errores.append(f"La prima debe ser al menos el {sim.porcentaje_prima_minima:.2f} % de la deuda "
                       f"({formato_dinero(deuda)}): {formato_dinero(sim.prima_minima)}.")
    if sim.prima >= deuda:
        errores.append(f"La prima ({formato_dinero(sim.prima)}) cubre toda la deuda ({formato_dinero(deuda)}): "
                       "no hace falta un convenio.")
    if sim.numero_cuotas < 1:
        errores.append("Indique al menos una cuota.")
    elif sim.numero_cuotas > sim.cuotas_maximas:
        tramo = f"mayor de {formato_dinero(umbral)}" if deuda > umbral else f"de hasta {formato_dinero(umbral)}"
        errores.append(f"Para una deuda {tramo} se permiten como máximo {sim.cuotas_maximas} cuotas "
                       f"(pidió {sim.numero_cuotas}).")
    elif q(deuda - sim.prima) < q(sim.numero_cuotas) * Decimal("0.01"):
        errores.append("El saldo después de la prima no alcanza para esa cantidad de cuotas.")
    if sim.primer_vencimiento <= sim.fecha_firma:
        errores.append(f"La primera cuota debe vencer después de la fecha de firma ({sim.fecha_firma:%d/%m/%Y}).")
    return errores
