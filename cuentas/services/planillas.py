"""Payrolls: register them (form: one; import: a whole file at once) with their worker lines and
contribution obligations.

A file of thousands of planillas is written set-wise — one lock query, one duplicate check, bulk
inserts, COPY for the worker lines and legs — and each planilla still gets exactly what registering
it alone gives: its lines, its obligations, its asiento `planilla:<id>` (legs in the same order), its
audit entry, and the compensation of any credit its cuenta holds. PostgreSQL's guards run on every
row as always (saldo trigger, balance and foreign keys at commit)."""
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from issscobros.auditoria import auditar
from issscobros.errores import ErrorDeNegocio
from issscobros.models import RegistroAuditoria

from .. import contabilidad
from ..copia import copiar, escapar, reservar_ids
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
    cuenta: Cuenta
    periodo: date
    tipo: str
    fecha_presentacion: date
    lineas: list[LineaTrabajador]


class PlanillasRepetidas(ErrorDeNegocio):
    """Some planillas of a batch already exist: `errores` maps their index in the batch to the message."""

    def __init__(self, errores: dict[int, str]):
        super().__init__(next(iter(errores.values())))
        self.errores = errores


def _repetida(n: NuevaPlanilla) -> str:
    return (f"Ya existe una planilla {n.tipo} del periodo {n.periodo:%Y-%m} para el número patronal {n.cuenta.numero}; "
            "registre una complementaria.")


def planilla_registrar(*, actor, cuenta: Cuenta, periodo: date, tipo: str, fecha_presentacion: date,
                       lineas: list[LineaTrabajador], importacion=None, reglas: Reglas | None = None,
                       compensar: bool = True) -> Planilla:
    """The system computes every contribution (never read from the payroll) with the rates and
    ceiling in force for the period, and the due date with the holiday calendar (cuentas.reglas)."""
    return planillas_registrar(
        actor=actor, nuevas=[NuevaPlanilla(cuenta, periodo, tipo, fecha_presentacion, lineas)],
        importacion=importacion, reglas=reglas, compensar=compensar)[0]


@transaction.atomic
def planillas_registrar(*, actor, nuevas: list[NuevaPlanilla], importacion=None, reglas: Reglas | None = None,
                        compensar: bool = True) -> list[Planilla]:
    """Register many planillas in one go (see the module docstring). All or nothing: raises
    PlanillasRepetidas naming every planilla of the batch that already exists."""
    from .pagos import cuenta_compensar

    if any(not n.lineas for n in nuevas):
        raise ErrorDeNegocio("La planilla no tiene trabajadores.")
    if not nuevas:
        return []
    reglas = reglas or Reglas.cargar()
    cuentas = {n.cuenta.pk: n.cuenta for n in nuevas}
    cuentas_bloquear(cuentas)
    _rechazar_repetidas(nuevas)
    vencimientos: dict[date, date] = {}
    # (periodo, especial) -> {(salario, dias): (afecto, patronal, laboral, COPY text from salario on)}:
    # a file repeats salaries, so each is computed and formatted once.
    calculos: dict[tuple, dict] = {}
    importacion_id = importacion.pk if importacion is not None else None
    creado_por = actor.pk if getattr(actor, "pk", None) else None
    planillas, textos = [], []  # textos: per planilla, its lines' COPY text after planilla_id
    for n in nuevas:
        especial = n.cuenta.deudor.regimen_especial
        calculo = calculos.get((n.periodo, especial))
        if calculo is None:
            calculo = calculos[(n.periodo, especial)] = {}
        salarios = afecto = patronal = laboral = CERO
        texto = []
        for l in n.lineas:
            c = calculo.get((l.salario, l.dias))
            if c is None:
                a, p, lab = reglas.cotizacion(l.salario, n.periodo, especial)
                c = calculo[(l.salario, l.dias)] = (a, p, lab, f"{l.salario}\t{l.dias}\t{a}\t{p}\t{lab}\n")
            salarios += l.salario
            afecto += c[0]
            patronal += c[1]
            laboral += c[2]
            texto.append(f"\t{escapar(l.numero_afiliado)}\t{escapar(l.dui)}\t{escapar(l.nombre)}\t{c[3]}")
        if n.periodo not in vencimientos:
            vencimientos[n.periodo] = reglas.vencimiento(n.periodo)
        planillas.append(Planilla(
            cuenta=n.cuenta, periodo=n.periodo, tipo=n.tipo, fecha_presentacion=n.fecha_presentacion,
            vencimiento=vencimientos[n.periodo], trabajadores=len(texto), total_salarios=salarios,
            total_patronal=patronal, total_laboral=laboral,
            total_insaforp=reglas.insaforp(afecto, len(texto), n.periodo),
            importacion_id=importacion_id, creado_por_id=creado_por,
        ))
        textos.append(texto)
    for p, pk in zip(planillas, reservar_ids(Planilla, len(planillas))):
        p.pk = pk
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
    # creado_en defaults to the statement's timestamp: one COPY, one value for all.
    ((creado_en,),) = _filas("SELECT creado_en FROM cuentas_planilla WHERE id = %s", [planillas[0].pk])
    for p in planillas:  # as if saved one by one
        p.creado_en = creado_en
        p._state.adding, p._state.db = False, "default"
    copiar(LineaPlanilla, ["planilla_id", "numero_afiliado", "dui", "nombre", "salario", "dias", "salario_afecto",
                            "cotizacion_patronal", "cotizacion_laboral"],
           (f"{p.pk}{t}" for p, texto in zip(planillas, textos) for t in texto), texto=True)
    _cargar(actor, planillas)
    _auditar(actor, planillas)
    if compensar:
        for cuenta_id in _con_credito(cuentas):
            cuenta_compensar(actor=actor, cuenta=cuentas[cuenta_id], reglas=reglas)
    return planillas


def _rechazar_repetidas(nuevas: list[NuevaPlanilla]) -> None:
    """One query for the whole batch (the cuentas are locked, so nobody adds one meanwhile)."""
    unicas = [n for n in nuevas if n.tipo != Planilla.Tipo.COMPLEMENTARIA]
    if not unicas:
        return
    existentes = set(_filas(
        "SELECT cuenta_id, periodo, tipo FROM cuentas_planilla WHERE cuenta_id = ANY(%s) AND periodo = ANY(%s) AND tipo <> %s",
        [list({n.cuenta.pk for n in unicas}), list({n.periodo for n in unicas}), Planilla.Tipo.COMPLEMENTARIA]))
    errores = {}
    for i, n in enumerate(nuevas):
        if n.tipo == Planilla.Tipo.COMPLEMENTARIA:
            continue
        clave = (n.cuenta.pk, n.periodo, n.tipo)
        if clave in existentes:
            errores[i] = _repetida(n)
        existentes.add(clave)  # twice in the same batch: the second one is the repeat
    if errores:
        raise PlanillasRepetidas(errores)


def _cargar(actor, planillas: list[Planilla]) -> None:
    """The obligations (saldo 0) and one charge asiento per planilla, as obligaciones_crear and
    asiento_registrar write them; the leg trigger then sets each saldo to its monto. The clave
    `planilla:<id>` is new by construction (the planilla was just inserted)."""
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
            filas.append((pk, p.cuenta_id, concepto, monto, CERO, p.fecha_presentacion, p.vencimiento, p.periodo, p.pk,
                          "", "", "", actor_id))
            piernas.append(Pierna(por_cobrar, debe=monto, cuenta_id=p.cuenta_id, obligacion_id=pk))
            piernas.append(Pierna(ingreso, haber=monto, cuenta_id=p.cuenta_id))
        lote.append(AsientoNuevo(clave=f"planilla:{p.pk}", tipo=Asiento.Tipo.CARGO, fecha_valor=p.fecha_presentacion,
                                 descripcion=f"Planilla {p.tipo} {p.periodo:%Y-%m} de {p.cuenta.numero}", piernas=piernas))
    copiar(Obligacion, ["id", "cuenta_id", "concepto", "monto", "saldo", "fecha_origen", "vencimiento", "periodo",
                         "planilla_id", "documento_numero", "descripcion", "soporte", "creado_por_id"], filas)
    asientos_registrar_lote(actor=actor, lote=lote)


def _auditar(actor, planillas: list[Planilla]) -> None:
    """One audit entry per planilla, as auditar() writes it, in one insert."""
    if len(planillas) == 1:
        p = planillas[0]
        auditar(actor=actor, accion="planilla.registrar", objeto=p, despues=_resumen(p))
        return
    tipo = ContentType.objects.get_for_model(Planilla)
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    momento = timezone.now()
    nombres = dict(Planilla.Tipo.choices)  # str(p), without get_tipo_display rebuilding this dict per row
    copiar(RegistroAuditoria, ["momento", "actor_id", "accion", "tipo_objeto_id", "objeto_id", "objeto_repr", "despues"],
           ((momento, actor_id, "planilla.registrar", tipo.pk, p.pk, f"Planilla {nombres[p.tipo]} {p.periodo:%Y-%m}"[:250],
             json.dumps(_resumen(p))) for p in planillas))


def _resumen(p: Planilla) -> dict:
    return {"cuenta": p.cuenta.numero, "periodo": f"{p.periodo:%Y-%m}", "tipo": p.tipo, "trabajadores": p.trabajadores,
            "patronal": str(p.total_patronal), "laboral": str(p.total_laboral)}


def _con_credito(cuentas: dict[int, Cuenta]) -> list[int]:
    """The cuentas holding receipts not yet applied: only they need a compensation run. (Read from
    the partial index lineaasiento_por_aplicar; ANY(array) rather than IN: thousands of ids.)"""
    return [cuenta_id for cuenta_id, in _filas(
        "SELECT cuenta_id FROM cuentas_lineaasiento WHERE cuenta_contable_codigo = %s AND cuenta_id = ANY(%s) "
        "GROUP BY cuenta_id HAVING sum(haber) > sum(debe) ORDER BY cuenta_id",
        [contabilidad.RECIBOS_POR_APLICAR, list(cuentas)])]


def _filas(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
