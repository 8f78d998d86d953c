"""Payrolls: register one (form or import) with its worker lines and contribution obligations."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction

from issscobros.auditoria import auditar
from issscobros.errores import ErrorDeNegocio

from ..models import Asiento, Concepto, Cuenta, LineaPlanilla, Planilla
from ..reglas import Reglas
from .cargos import NuevaObligacion, obligaciones_crear
from .libro import asiento_registrar, cuentas_bloquear


@dataclass(frozen=True)
class LineaTrabajador:
    numero_afiliado: str
    nombre: str
    salario: Decimal
    dias: int
    dui: str = ""


@transaction.atomic
def planilla_registrar(*, actor, cuenta: Cuenta, periodo: date, tipo: str, fecha_presentacion: date,
                       lineas: list[LineaTrabajador], importacion=None, reglas: Reglas | None = None,
                       compensar: bool = True) -> Planilla:
    """The system computes every contribution (never read from the payroll) with the rates and
    ceiling in force for the period, and the due date with the holiday calendar (cuentas.reglas)."""
    from .pagos import cuenta_compensar

    if not lineas:
        raise ErrorDeNegocio("La planilla no tiene trabajadores.")
    reglas = reglas or Reglas.cargar()
    cuentas_bloquear([cuenta.pk])
    especial = cuenta.deudor.regimen_especial
    calculadas = [(l, *reglas.cotizacion(l.salario, periodo, especial)) for l in lineas]
    total_afecto = sum((c[1] for c in calculadas), Decimal(0))
    vencimiento = reglas.vencimiento(periodo)
    try:
        with transaction.atomic():
            planilla = Planilla.objects.create(
                cuenta=cuenta, periodo=periodo, tipo=tipo, fecha_presentacion=fecha_presentacion,
                vencimiento=vencimiento, trabajadores=len(lineas),
                total_salarios=sum((l.salario for l in lineas), Decimal(0)),
                total_patronal=sum((c[2] for c in calculadas), Decimal(0)),
                total_laboral=sum((c[3] for c in calculadas), Decimal(0)),
                total_insaforp=reglas.insaforp(total_afecto, len(lineas), periodo),
                importacion=importacion, creado_por=actor,
            )
    except IntegrityError as exc:
        raise ErrorDeNegocio(
            f"Ya existe una planilla {tipo} del periodo {periodo:%Y-%m} para el número patronal {cuenta.numero}; "
            "registre una complementaria.") from exc
    LineaPlanilla.objects.bulk_create([
        LineaPlanilla(planilla=planilla, numero_afiliado=l.numero_afiliado, dui=l.dui, nombre=l.nombre,
                      salario=l.salario, dias=l.dias, salario_afecto=afecto, cotizacion_patronal=patronal,
                      cotizacion_laboral=laboral)
        for l, afecto, patronal, laboral in calculadas
    ], batch_size=5000)
    comun = dict(periodo=periodo, fecha_origen=fecha_presentacion, vencimiento=vencimiento, planilla_id=planilla.pk)
    _, piernas = obligaciones_crear(actor=actor, cuenta_id=cuenta.pk, nuevas=[
        NuevaObligacion(concepto=Concepto.COTIZACION_LABORAL, monto=planilla.total_laboral, **comun),
        NuevaObligacion(concepto=Concepto.COTIZACION_PATRONAL, monto=planilla.total_patronal, **comun),
        NuevaObligacion(concepto=Concepto.INSAFORP, monto=planilla.total_insaforp, **comun),
    ])
    if piernas:
        asiento_registrar(actor=actor, clave=f"planilla:{planilla.pk}", tipo=Asiento.Tipo.CARGO,
                          fecha_valor=fecha_presentacion, piernas=piernas,
                          descripcion=f"Planilla {tipo} {periodo:%Y-%m} de {cuenta.numero}")
    auditar(actor=actor, accion="planilla.registrar", objeto=planilla, despues={
        "cuenta": cuenta.numero, "periodo": f"{periodo:%Y-%m}", "tipo": tipo, "trabajadores": len(lineas),
        "patronal": str(planilla.total_patronal), "laboral": str(planilla.total_laboral)})
    if compensar:
        cuenta_compensar(actor=actor, cuenta=cuenta, reglas=reglas)
    return planilla
