"""Is this NIT solvent? (DOMAIN R11–R13) The one computation the window, the PDF, the API and the
monthly electronic batch share.

Rules:
- Every cuenta of the NIT counts: every número patronal and every other receivable (supplier fines,
  rentals, medical services...).
- An obligation blocks when it still has a balance and fell due before the cut-off (`corte`, normally
  the evaluation day: not-yet-due never blocks). The surcharges accrued and not yet posted on an overdue
  contribution are owed too: they are added to its motive (cuentas.reglas.recargo_devengado, the same
  computation the statement uses).
- Obligations covered by a payment agreement that is current do not block while the parameter
  `solvencia_convenio_solvente` is 1 (convenios.selectors decides what a current agreement covers; a
  breached one covers nothing).
- R13: a NIT with no número patronal is not an employer: it gets a constancia de no inscrito.

Balances are the cached `saldo` (the ledger's current state). Callers that issue a certificate take the
cuenta row locks first (solvencias.services), so nothing is posted between this read and the issue."""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from convenios.selectors import obligaciones_en_convenio_vigente
from cuentas.models import COTIZACIONES, Concepto, Cuenta, Deudor, Obligacion
from cuentas.reglas import Reglas, recargo_devengado
from cuentas.services.ajustes import recargos_causados
from issscobros.money import formato_dinero

CERO = Decimal("0.00")
PARAM_CONVENIO = "solvencia_convenio_solvente"
PARAM_VIGENCIA = "solvencia_vigencia_dias"


@dataclass(frozen=True)
class Motivo:
    """One overdue obligation: what the employer must pay to become solvent."""

    obligacion_id: int
    numero: str          # número patronal or reference of the receivable
    tipo_cuenta: str
    concepto: str
    periodo: date | None
    vencimiento: date
    saldo: Decimal
    recargo: Decimal     # accrued to the evaluation day and not yet posted

    @property
    def total(self) -> Decimal:
        return self.saldo + self.recargo

    @property
    def cuenta_nombre(self) -> str:
        return "Número patronal" if self.tipo_cuenta == Cuenta.Tipo.PATRONAL else Cuenta.Tipo(self.tipo_cuenta).label

    @property
    def concepto_nombre(self) -> str:
        return Concepto(self.concepto).label

    @property
    def texto(self) -> str:
        periodo = f" {self.periodo:%Y-%m}" if self.periodo else ""
        recargo = f" más {formato_dinero(self.recargo)} de recargos a la fecha" if self.recargo else ""
        return (f"{self.cuenta_nombre} {self.numero}: {self.concepto_nombre.lower()}{periodo}, vencida el "
                f"{self.vencimiento:%d/%m/%Y}, saldo {formato_dinero(self.saldo)}{recargo}")

    def foto(self) -> dict:
        return {"numero": self.numero, "tipo_cuenta": self.tipo_cuenta, "concepto": self.concepto,
                "periodo": f"{self.periodo:%Y-%m}" if self.periodo else None,
                "vencimiento": self.vencimiento.isoformat(), "saldo": f"{self.saldo:.2f}",
                "recargo": f"{self.recargo:.2f}"}


@dataclass
class Evaluacion:
    nit: str
    deudor: Deudor | None
    cuentas: list[Cuenta]
    fecha: date
    corte: date
    motivos: list[Motivo] = field(default_factory=list)
    en_convenio: list[int] = field(default_factory=list)
    ultimo_periodo_pagado: date | None = None

    @property
    def inscrito(self) -> bool:
        """R13: registered as an employer (has a número patronal)."""
        return any(c.tipo == Cuenta.Tipo.PATRONAL for c in self.cuentas)

    @property
    def solvente(self) -> bool:
        return not self.motivos

    @property
    def numeros_patronales(self) -> list[str]:
        return [c.numero for c in self.cuentas if c.tipo == Cuenta.Tipo.PATRONAL]

    @property
    def total_adeudado(self) -> Decimal:
        return sum((m.total for m in self.motivos), CERO)

    def foto(self) -> dict:
        """The certified situation, as JSON (Solvencia.datos and the document register)."""
        return {
            "nit": self.nit, "fecha": self.fecha.isoformat(), "corte": self.corte.isoformat(),
            "evaluada_en": timezone.now().isoformat(),
            "cuentas": [{"numero": c.numero, "tipo": c.tipo} for c in self.cuentas],
            "solvente": self.solvente, "motivos": [m.foto() for m in self.motivos],
            "obligaciones_en_convenio": self.en_convenio,
            "ultimo_periodo_pagado": f"{self.ultimo_periodo_pagado:%Y-%m}" if self.ultimo_periodo_pagado else None,
        }


def evaluar(*, deudor: Deudor | None, nit: str = "", al: date | None = None, corte: date | None = None,
            reglas: Reglas | None = None) -> Evaluacion:
    """The situation of the deudor's NIT on `al` (default today). `corte`: obligations due before it
    block (default `al`; the electronic solvency of a month uses the first day of the next month)."""
    fecha = al or timezone.localdate()
    corte = corte or fecha
    if deudor is None:
        return Evaluacion(nit=nit, deudor=None, cuentas=[], fecha=fecha, corte=corte)
    cuentas = list(Cuenta.objects.filter(deudor=deudor).order_by("tipo", "numero"))
    ev = Evaluacion(nit=deudor.nit or deudor.dui or nit, deudor=deudor, cuentas=cuentas, fecha=fecha, corte=corte)
    if not cuentas:
        return ev
    ids = [c.pk for c in cuentas]
    vencidas = list(
        Obligacion.objects.filter(cuenta_id__in=ids, saldo__gt=0, vencimiento__lt=corte)
        .annotate(causado_al=Subquery(recargos_causados(al=fecha).filter(base=OuterRef("pk"))
                                      .order_by("-causado_hasta").values("causado_hasta")[:1]))
        .only("id", "cuenta_id", "concepto", "periodo", "vencimiento", "saldo")
        .order_by("vencimiento", "cuenta_id", "id"))
    if vencidas:
        reglas = reglas or Reglas.cargar()
        if reglas.valor(PARAM_CONVENIO, fecha) == 1:
            # al=None: the agreements as they stand now (a past date reads their history).
            cubiertas = obligaciones_en_convenio_vigente(cuenta_ids=ids, al=al)
            ev.en_convenio = sorted(o.pk for o in vencidas if o.pk in cubiertas)
            vencidas = [o for o in vencidas if o.pk not in cubiertas]
        por_id = {c.pk: c for c in cuentas}
        for o in vencidas:
            recargo = CERO
            if o.concepto in COTIZACIONES:
                recargo = recargo_devengado(reglas, vencimiento=o.vencimiento, saldo=o.saldo, fecha=fecha,
                                            causado_hasta=o.causado_al)
            cuenta = por_id[o.cuenta_id]
            ev.motivos.append(Motivo(obligacion_id=o.pk, numero=cuenta.numero, tipo_cuenta=cuenta.tipo,
                                     concepto=o.concepto, periodo=o.periodo, vencimiento=o.vencimiento,
                                     saldo=o.saldo, recargo=recargo))
    ev.ultimo_periodo_pagado = ultimo_periodo_pagado(cuenta_ids=ids)
    return ev


def ultimo_periodo_pagado(*, cuenta_ids: list[int]) -> date | None:
    """The latest period whose contributions, on every número patronal, are fully paid."""
    return (Obligacion.objects.filter(cuenta_id__in=cuenta_ids, concepto__in=COTIZACIONES, periodo__isnull=False)
            .values("periodo").annotate(pendiente=Max("saldo")).filter(pendiente=0)
            .order_by("-periodo").values_list("periodo", flat=True).first())
