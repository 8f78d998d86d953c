"""Payrolls: register them (form: one; import: a whole file at once) with their worker lines and
contribution obligations.

A file of thousands of planillas is written set-wise — one lock query, one duplicate check, bulk
inserts, COPY for the worker lines and legs — and each planilla still gets exactly what registering
it alone gives: its lines, its obligations, its asiento `planilla:<id>` (legs in the same order), its
audit entry, and the compensation of any credit its cuenta holds. PostgreSQL's guards run on every
row as always (saldo triggers, balance and foreign keys at commit)."""
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import repeat
from operator import itemgetter
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from issscobros.errores import ErrorDeNegocio
from issscobros.models import RegistroAuditoria

from .. import contabilidad
from ..copia import copiar, escapar_todos, reservar_ids
from ..models import Asiento, Concepto, Cuenta, LineaPlanilla, Obligacion, Planilla
from ..reglas import Reglas
from .libro import AsientoNuevo, Pierna, asientos_registrar_lote, cuentas_bloquear

CERO = Decimal("0.00")


class LineaTrabajador(NamedTuple):
    """A tuple rather than a dataclass: a payroll file builds tens of thousands of them."""

    numero_afiliado: str
    nombre: str
    salario: Decimal
    dias: int
    dui: str = ""


@dataclass
class NuevaPlanilla:
    cuenta_id: int
    numero_patronal: str
    regimen_especial: bool
    periodo: date
    tipo: str
    fecha_presentacion: date
    lineas: list[LineaTrabajador]


class _Planilla(NamedTuple):
    """A planilla as written (a batch writes thousands: no model instances)."""

    pk: int
    cuenta_id: int
    numero_patronal: str
    periodo: date
    tipo: str
    fecha_presentacion: date
    vencimiento: date
    trabajadores: int
    total_salarios: Decimal
    total_patronal: Decimal
    total_laboral: Decimal
    total_insaforp: Decimal


class PlanillasRepetidas(ErrorDeNegocio):
    """Some planillas of a batch already exist: `errores` maps their index in the batch to the message."""

    def __init__(self, errores: dict[int, str]):
        super().__init__(next(iter(errores.values())))
        self.errores = errores


def _repetida(n: NuevaPlanilla) -> str:
    return (f"Ya existe una planilla {n.tipo} del periodo {n.periodo:%Y-%m} para el número patronal {n.numero_patronal}; "
            "registre una complementaria.")


def planilla_registrar(*, actor, cuenta: Cuenta, periodo: date, tipo: str, fecha_presentacion: date,
                       lineas: list[LineaTrabajador], importacion=None, reglas: Reglas | None = None,
                       compensar: bool = True) -> Planilla:
    """The system computes every contribution (never read from the payroll) with the rates and
    ceiling in force for the period, and the due date with the holiday calendar (cuentas.reglas)."""
    nueva = NuevaPlanilla(cuenta.pk, cuenta.numero, cuenta.deudor.regimen_especial, periodo, tipo, fecha_presentacion,
                          lineas)
    (pk,) = planillas_registrar(actor=actor, nuevas=[nueva], importacion=importacion, reglas=reglas,
                                compensar=compensar)
    return Planilla.objects.get(pk=pk)


@transaction.atomic
def planillas_registrar(*, actor, nuevas: list[NuevaPlanilla], importacion=None, reglas: Reglas | None = None,
                        compensar: bool = True) -> list[int]:
    """Register many planillas in one go (see the module docstring); returns their ids. All or
    nothing: raises PlanillasRepetidas naming every planilla of the batch that already exists."""
    from .pagos import cuenta_compensar

    if any(not n.lineas for n in nuevas):
        raise ErrorDeNegocio("La planilla no tiene trabajadores.")
    if not nuevas:
        return []
    reglas = reglas or Reglas.cargar()
    cuentas = sorted({n.cuenta_id for n in nuevas})
    cuentas_bloquear(cuentas)
    _rechazar_repetidas(nuevas)
    vencimientos: dict[date, date] = {}
    # (periodo, especial) -> {salario: (afecto, patronal, laboral, their COPY text)}: a file repeats
    # salaries, so each is computed and formatted once.
    calculos: dict[tuple, dict] = {}
    importacion_id = importacion.pk if importacion is not None else None
    creado_por = actor.pk if getattr(actor, "pk", None) else None
    ids = reservar_ids(Planilla, len(nuevas))
    planillas, lineas = [], []  # lineas: per planilla, its columns and their contributions
    for n, pk in zip(nuevas, ids):
        calculo = calculos.setdefault((n.periodo, n.regimen_especial), {})
        columnas = tuple(zip(*n.lineas))
        salarios = columnas[2]  # LineaTrabajador's order
        for salario in set(salarios).difference(calculo):
            a, p, lab = reglas.cotizacion(salario, n.periodo, n.regimen_especial)
            calculo[salario] = (a, p, lab, f"{a}\t{p}\t{lab}\n")
        cotizaciones = list(map(calculo.__getitem__, salarios))
        afecto = sum(map(itemgetter(0), cotizaciones), CERO)
        if n.periodo not in vencimientos:
            vencimientos[n.periodo] = reglas.vencimiento(n.periodo)
        planillas.append(_Planilla(
            pk, n.cuenta_id, n.numero_patronal, n.periodo, n.tipo, n.fecha_presentacion, vencimientos[n.periodo],
            len(salarios), sum(salarios, CERO), sum(map(itemgetter(1), cotizaciones), CERO),
            sum(map(itemgetter(2), cotizaciones), CERO), reglas.insaforp(afecto, len(salarios), n.periodo)))
        lineas.append((columnas, cotizaciones))
    try:
        with transaction.atomic():
            copiar(Planilla, ["id", "cuenta_id", "periodo", "tipo", "fecha_presentacion", "vencimiento", "trabajadores",
                               "total_salarios", "total_patronal", "total_laboral", "total_insaforp", "importacion_id",
                               "creado_por_id"],
                   ((p.pk, p.cuenta_id, p.periodo, p.tipo, p.fecha_presentacion, p.vencimiento, p.trabajadores,
                     p.total_salarios, p.total_patronal, p.total_laboral, p.total_insaforp, importacion_id, creado_por)
                    for p in planillas))
    except IntegrityError as exc:  # a concurrent registration got there between the check and the insert
        raise ErrorDeNegocio("Otra operación registró al mismo tiempo una de estas planillas; intente de nuevo.") from exc
    # Each planilla's lines as COPY text, one C-level format per line.
    copiar(LineaPlanilla, ["planilla_id", "numero_afiliado", "dui", "nombre", "salario", "dias", "salario_afecto",
                            "cotizacion_patronal", "cotizacion_laboral"],
           ("".join(map(_LINEA.format, repeat(p.pk), escapar_todos(afiliados), escapar_todos(duis), escapar_todos(nombres),
                        salarios, dias, map(itemgetter(3), cotizaciones)))
            for p, ((afiliados, nombres, salarios, dias, duis), cotizaciones) in zip(planillas, lineas)), texto=True)
    _cargar(actor, planillas)
    _auditar(actor, planillas)
    if compensar:
        con_credito = _con_credito(cuentas)
        for cuenta in Cuenta.objects.filter(pk__in=con_credito).order_by("pk"):
            cuenta_compensar(actor=actor, cuenta=cuenta, reglas=reglas)
    return ids


_LINEA = "{}\t{}\t{}\t{}\t{}\t{}\t{}"  # planilla_id … dias, then the contributions' text


def _rechazar_repetidas(nuevas: list[NuevaPlanilla]) -> None:
    """One query for the whole batch (the cuentas are locked, so nobody adds one meanwhile)."""
    unicas = [n for n in nuevas if n.tipo != Planilla.Tipo.COMPLEMENTARIA]
    if not unicas:
        return
    existentes = set(_filas(
        "SELECT cuenta_id, periodo, tipo FROM cuentas_planilla WHERE cuenta_id = ANY(%s) AND periodo = ANY(%s) AND tipo <> %s",
        [list({n.cuenta_id for n in unicas}), list({n.periodo for n in unicas}), Planilla.Tipo.COMPLEMENTARIA]))
    errores = {}
    for i, n in enumerate(nuevas):
        if n.tipo == Planilla.Tipo.COMPLEMENTARIA:
            continue
        clave = (n.cuenta_id, n.periodo, n.tipo)
        if clave in existentes:
            errores[i] = _repetida(n)
        existentes.add(clave)  # twice in the same batch: the second one is the repeat
    if errores:
        raise PlanillasRepetidas(errores)


def _cargar(actor, planillas: list[_Planilla]) -> None:
    """One charge asiento per planilla and its obligations, as asiento_registrar and
    obligaciones_crear write them, but the legs first: each obligation is then inserted once, with
    its monto as saldo, instead of at 0 and moved by the leg trigger (a second, non-HOT write). The
    database checks it against the legs already written (migration 0009). The clave `planilla:<id>`
    is new by construction (the planilla was just inserted)."""
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    conceptos = [(concepto, campo, contabilidad.cuenta_por_cobrar(concepto), contabilidad.cuenta_de_ingreso(concepto))
                 for concepto, campo in ((Concepto.COTIZACION_LABORAL, "total_laboral"),
                                         (Concepto.COTIZACION_PATRONAL, "total_patronal"),
                                         (Concepto.INSAFORP, "total_insaforp"))]
    de_planilla = [[(concepto, getattr(p, campo), por_cobrar, ingreso) for concepto, campo, por_cobrar, ingreso in conceptos
                    if getattr(p, campo) > 0] for p in planillas]
    ids = iter(reservar_ids(Obligacion, sum(map(len, de_planilla))))
    filas, lote = [], []
    for p, propias in zip(planillas, de_planilla):
        if not propias:
            continue
        piernas = []
        for (concepto, monto, por_cobrar, ingreso), pk in zip(propias, ids):
            filas.append((pk, p.cuenta_id, concepto, monto, monto, p.fecha_presentacion, p.vencimiento, p.periodo, p.pk,
                          "", "", "", actor_id))
            piernas.append(Pierna(por_cobrar, debe=monto, cuenta_id=p.cuenta_id, obligacion_id=pk))
            piernas.append(Pierna(ingreso, haber=monto, cuenta_id=p.cuenta_id))
        lote.append(AsientoNuevo(clave=f"planilla:{p.pk}", tipo=Asiento.Tipo.CARGO, fecha_valor=p.fecha_presentacion,
                                 descripcion=f"Planilla {p.tipo} {p.periodo:%Y-%m} de {p.numero_patronal}", piernas=piernas))
    asientos_registrar_lote(actor=actor, lote=lote)
    copiar(Obligacion, ["id", "cuenta_id", "concepto", "monto", "saldo", "fecha_origen", "vencimiento", "periodo",
                         "planilla_id", "documento_numero", "descripcion", "soporte", "creado_por_id"], filas)


def _auditar(actor, planillas: list[_Planilla]) -> None:
    """One audit entry per planilla, as auditar() writes it, in one COPY."""
    tipo = ContentType.objects.get_for_model(Planilla)
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    momento = timezone.now()
    nombres = dict(Planilla.Tipo.choices)  # str(planilla), without a model instance per row
    copiar(RegistroAuditoria, ["momento", "actor_id", "accion", "tipo_objeto_id", "objeto_id", "objeto_repr", "despues"],
           ((momento, actor_id, "planilla.registrar", tipo.pk, p.pk, f"Planilla {nombres[p.tipo]} {p.periodo:%Y-%m}"[:250],
             json.dumps({"cuenta": p.numero_patronal, "periodo": f"{p.periodo:%Y-%m}", "tipo": p.tipo,
                         "trabajadores": p.trabajadores, "patronal": str(p.total_patronal),
                         "laboral": str(p.total_laboral)})) for p in planillas))


def _con_credito(cuentas: list[int]) -> list[int]:
    """The cuentas holding receipts not yet applied: only they need a compensation run. (Read from
    the partial index lineaasiento_por_aplicar; ANY(array) rather than IN: thousands of ids.)"""
    return [cuenta_id for cuenta_id, in _filas(
        "SELECT cuenta_id FROM cuentas_lineaasiento WHERE cuenta_contable_codigo = %s AND cuenta_id = ANY(%s) "
        "GROUP BY cuenta_id HAVING sum(haber) > sum(debe) ORDER BY cuenta_id",
        [contabilidad.RECIBOS_POR_APLICAR, cuentas])]


def _filas(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
