"""Reads behind the accounting paperwork (certificación de pago, partidas de diario, control de
partidas, conformación de cuentas auxiliares, indicadores de gestión). Aggregates are computed by
PostgreSQL; Python only pivots the grouped rows for display."""
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from issscobros.models import Documento, RegistroAuditoria

from . import contabilidad
from .estado import SALDOS_AL
from .models import (COTIZACIONES, Asiento, CertificacionPago, Comprobante, ComprobanteAsiento, Concepto,
                     CuentaContable, LineaAsiento, Obligacion, Planilla, Recibo, SolicitudAjuste)

CERO = Decimal("0.00")
_DINERO = DecimalField(max_digits=16, decimal_places=2)


def mes_fin(mes: date) -> date:
    """Last day of the month that starts on `mes`."""
    return date.fromordinal(_primero_siguiente(mes).toordinal() - 1)


def _primero_siguiente(mes: date) -> date:
    return date(mes.year + (mes.month == 12), mes.month % 12 + 1, 1)


def _limites(mes: date) -> tuple[datetime, datetime]:
    """The month as an aware [start, end) interval in the institution's time zone."""
    inicio = timezone.make_aware(datetime.combine(mes.replace(day=1), time.min))
    return inicio, timezone.make_aware(datetime.combine(_primero_siguiente(mes), time.min))


# --- certificación de pago -----------------------------------------------------------------------

CONCEPTOS_CERTIFICABLES = {
    "cotizaciones": tuple(COTIZACIONES),
    "multas": (Concepto.MULTA,),
    "recargos": (Concepto.RECARGO,),
}


@dataclass
class FilaPago:
    """What one receipt paid of one period, by concept."""

    periodo: date | None
    fecha_pago: date
    canal: str
    referencia: str
    laboral: Decimal = CERO
    patronal: Decimal = CERO  # employer share and INSAFORP, as the certificación de saldos groups them
    recargos: Decimal = CERO
    multas: Decimal = CERO

    @property
    def total(self) -> Decimal:
        return self.laboral + self.patronal + self.recargos + self.multas


def pagos_certificables(*, cuenta, desde: date, hasta: date, cotizaciones: bool, multas: bool,
                        recargos: bool) -> list[FilaPago]:
    """The payments applied to the chosen concepts of the periods desde..hasta: credits of
    'aplicacion' asientos on those obligations, leaving out applications that were reversed. A fine
    without a period counts by its date of origin."""
    conceptos = [c for grupo, si in (("cotizaciones", cotizaciones), ("multas", multas), ("recargos", recargos)) if si
                 for c in CONCEPTOS_CERTIFICABLES[grupo]]
    en_rango = (Q(obligacion__periodo__gte=desde, obligacion__periodo__lte=hasta)
                | Q(obligacion__periodo__isnull=True, obligacion__fecha_origen__gte=desde,
                    obligacion__fecha_origen__lt=_primero_siguiente(hasta)))
    grupos = (LineaAsiento.objects
              .filter(en_rango, cuenta=cuenta, obligacion__concepto__in=conceptos, haber__gt=0,
                      asiento__tipo=Asiento.Tipo.APLICACION, asiento__reversion__isnull=True)
              .values("asiento__recibo_id", "asiento__recibo__fecha_pago", "asiento__recibo__canal",
                      "asiento__recibo__referencia", "obligacion__periodo", "obligacion__concepto")
              .annotate(monto=Sum("haber"))
              .order_by())
    filas: dict = {}
    for g in grupos:
        clave = (g["obligacion__periodo"], g["asiento__recibo_id"])
        fila = filas.get(clave)
        if fila is None:
            fila = filas[clave] = FilaPago(g["obligacion__periodo"], g["asiento__recibo__fecha_pago"],
                                           g["asiento__recibo__canal"], g["asiento__recibo__referencia"])
        concepto = g["obligacion__concepto"]
        if concepto == Concepto.COTIZACION_LABORAL:
            fila.laboral += g["monto"]
        elif concepto in COTIZACIONES:
            fila.patronal += g["monto"]
        elif concepto == Concepto.RECARGO:
            fila.recargos += g["monto"]
        else:
            fila.multas += g["monto"]
    return sorted(filas.values(), key=lambda f: (f.periodo or date.max, f.fecha_pago, f.canal, f.referencia))


def filas_de_datos(datos: dict) -> list[FilaPago]:
    """The certified rows back from their JSON snapshot (CertificacionPago.datos)."""
    return [FilaPago(periodo=date.fromisoformat(f["periodo"]) if f["periodo"] else None,
                     fecha_pago=date.fromisoformat(f["fecha_pago"]), canal=f["canal"], referencia=f["referencia"],
                     laboral=Decimal(f["laboral"]), patronal=Decimal(f["patronal"]), recargos=Decimal(f["recargos"]),
                     multas=Decimal(f["multas"])) for f in datos.get("filas", [])]


def certificaciones_buscar(*, user, texto: str = "", estado: str = "") -> QuerySet[CertificacionPago]:
    if not user.has_perm("cuentas.view_certificacionpago"):
        return CertificacionPago.objects.none()
    qs = CertificacionPago.objects.select_related("cuenta__deudor", "elaborada_por", "firmada_por", "documento") \
        .defer("datos", "documento__pdf", "documento__datos")
    if estado:
        qs = qs.filter(estado=estado)
    if texto:
        qs = qs.filter(Q(cuenta__numero__startswith=texto) | Q(cuenta__deudor__razon_social__icontains=texto)
                       | Q(cuenta__deudor__nit__startswith=texto.replace("-", "")))
    return qs.order_by("-elaborada_en", "-id")


def certificacion_detalle(*, user, pk: int) -> CertificacionPago:
    return (certificaciones_buscar(user=user).defer(None)
            .select_related("cuenta__deudor", "elaborada_por", "enviada_por", "firmada_por", "documento")
            .defer("documento__pdf").get(pk=pk))


# --- comprobantes contables ----------------------------------------------------------------------

def _comprobantes_para_usuario(*, user) -> QuerySet[Comprobante]:
    if not user.has_perm("cuentas.view_comprobante"):
        return Comprobante.objects.none()
    return Comprobante.objects.all()


def comprobantes_buscar(*, user, mes: date | None = None, texto: str = "", estado: str = "") -> QuerySet[Comprobante]:
    qs = _comprobantes_para_usuario(user=user).select_related("elaborado_por", "revisado_por", "documento").defer(
        "documento__pdf", "documento__datos").annotate(num_asientos=Count("enlaces"))
    if mes:
        qs = qs.filter(mes=mes.replace(day=1))
    if estado:
        qs = qs.filter(estado=estado)
    if texto:
        filtro = Q(descripcion__icontains=texto)
        if texto.isdigit():
            filtro |= Q(numero=int(texto))
        qs = qs.filter(filtro)
    return qs.order_by("-mes", "numero")


def comprobante_detalle(*, user, pk: int) -> Comprobante:
    return (_comprobantes_para_usuario(user=user)
            .select_related("elaborado_por", "revisado_por", "enviado_por", "archivado_por", "documento")
            .defer("documento__pdf", "documento__datos").get(pk=pk))


@dataclass
class LineaComprobante:
    codigo: str
    nombre: str
    debe: Decimal
    haber: Decimal


def comprobante_cuentas(*, comprobante: Comprobante) -> list[LineaComprobante]:
    """The voucher by GL account: debits and credits summed (both sides, as the journal shows them)."""
    filas = (LineaAsiento.objects
             .filter(asiento_id__in=ComprobanteAsiento.objects.filter(comprobante=comprobante).values("asiento_id"))
             .values("cuenta_contable_id", "cuenta_contable__nombre")
             .annotate(debe=Sum("debe"), haber=Sum("haber"))
             .order_by("cuenta_contable_id"))
    return [LineaComprobante(f["cuenta_contable_id"], f["cuenta_contable__nombre"], f["debe"], f["haber"]) for f in filas]


def comprobante_asientos(*, comprobante: Comprobante) -> QuerySet[Asiento]:
    numero = LineaAsiento.objects.filter(asiento=OuterRef("pk"), cuenta__isnull=False).order_by("pk").values("cuenta__numero")[:1]
    total = (LineaAsiento.objects.filter(asiento=OuterRef("pk")).order_by().values("asiento")
             .annotate(s=Sum("debe")).values("s"))
    return (Asiento.objects.filter(pk__in=ComprobanteAsiento.objects.filter(comprobante=comprobante).values("asiento_id"))
            .annotate(numero_cuenta=Subquery(numero), total=Subquery(total, output_field=_DINERO))
            .order_by("pk"))


# --- conformación de cuentas auxiliares ----------------------------------------------------------

@dataclass
class FilaConformacion:
    codigo: str
    nombre: str
    concepto: str | None
    obligaciones: int
    saldo_inicial: Decimal
    cargos: Decimal
    abonos: Decimal
    saldo: Decimal

    @property
    def concepto_nombre(self) -> str:
        return Concepto(self.concepto).label if self.concepto else "—"


# How many obligations of each concept carried a balance at the month's end.
_CON_SALDO_AL_CIERRE = f"WITH {SALDOS_AL} SELECT concepto, count(*) FROM saldos_al WHERE saldo <> 0 GROUP BY concepto"


def conformacion(*, mes: date) -> list[FilaConformacion]:
    """Receivable balances by GL account at the month's end, as the subledger shows them: the totals
    of its legs by account and month that the reconciliation compares with Contabilidad's figures
    (legs that take effect on or before that day), with the month's movement. Each receivable
    account is one concept's (contabilidad.CUENTAS_POR_CONCEPTO)."""
    from .conciliacion import totales_auxiliar

    inicio = mes.replace(day=1)
    fin = mes_fin(inicio)
    conceptos = {cxc: concepto for concepto, (cxc, _) in contabilidad.CUENTAS_POR_CONCEPTO.items()}
    cifras: dict[str, list[Decimal]] = {}  # code -> [saldo inicial, cargos, abonos]
    for codigo, mes_de, debe, haber in totales_auxiliar(desde=date.min, hasta=fin, cuentas=sorted(conceptos)):
        c = cifras.setdefault(codigo, [CERO, CERO, CERO])
        if mes_de < inicio:
            c[0] += debe - haber
        else:
            c[1] += debe
            c[2] += haber
    with connection.cursor() as cursor:
        cursor.execute(_CON_SALDO_AL_CIERRE, {"fecha": fin})
        con_saldo = dict(cursor.fetchall())
    nombres = dict(CuentaContable.objects.filter(codigo__in=cifras).values_list("codigo", "nombre"))
    return [FilaConformacion(codigo, nombres[codigo], conceptos[codigo], con_saldo.get(conceptos[codigo], 0),
                             inicial, cargos, abonos, inicial + cargos - abonos)
            for codigo, (inicial, cargos, abonos) in sorted(cifras.items())]


# --- indicadores de gestión ----------------------------------------------------------------------

@dataclass
class Indicador:
    nombre: str
    cantidad: int = 0
    monto: Decimal | None = None


@dataclass
class IndicadoresUsuario:
    usuario: str
    indicadores: list[Indicador] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(i.cantidad for i in self.indicadores)


@dataclass
class Indicadores:
    mes: date
    usuarios: list[IndicadoresUsuario]
    totales: list[Indicador]

    @property
    def total(self) -> int:
        return sum(i.cantidad for i in self.totales)


SISTEMA = "Proceso automático"


def indicadores_gestion(*, mes: date) -> Indicadores:
    """Procedures done in the month, by kind and by user: documents issued (by type), payments
    applied (compensaciones), payrolls, receipts, charges, adjustments and the accounting paperwork.
    Each count is one GROUP BY query on the table that records the procedure and who did it."""
    desde, hasta = _limites(mes)
    en_mes = {"__gte": desde, "__lt": hasta}

    def rango(campo):
        return {f"{campo}{k}": v for k, v in en_mes.items()}

    # (indicator, queryset grouped by the user column, user column, amount expression or None)
    fuentes = []
    for tipo, nombre in Documento.Tipo.choices:
        fuentes.append((f"Documento emitido: {nombre}", Documento.objects.filter(tipo=tipo, **rango("emitido_en")),
                        "emitido_por", None))
    fuentes += [
        ("Aplicaciones de pago (compensaciones)",
         Asiento.objects.filter(tipo=Asiento.Tipo.APLICACION, **rango("registrado_en")), "actor",
         Sum("lineas__debe", filter=Q(lineas__cuenta_contable_id=contabilidad.RECIBOS_POR_APLICAR))),
        ("Pagos registrados", Recibo.objects.filter(**rango("creado_en")), "creado_por", Sum("monto")),
        ("Pagos identificados",
         RegistroAuditoria.objects.filter(accion="recibo.identificar", **rango("momento")), "actor", None),
        ("Planillas registradas", Planilla.objects.filter(**rango("creado_en")), "creado_por",
         Sum("total_patronal") + Sum("total_laboral") + Sum("total_insaforp")),
        ("Multas y otros cargos registrados",
         Obligacion.objects.filter(planilla__isnull=True, base__isnull=True, **rango("creado_en")), "creado_por",
         Sum("monto")),
        ("Anulaciones propuestas",
         SolicitudAjuste.objects.filter(tipo=SolicitudAjuste.Tipo.ANULACION, **rango("propuesto_en")), "propuesto_por", None),
        ("Exoneraciones propuestas",
         SolicitudAjuste.objects.filter(tipo=SolicitudAjuste.Tipo.EXONERACION, **rango("propuesto_en")), "propuesto_por", None),
        ("Ajustes aprobados o rechazados", SolicitudAjuste.objects.filter(**rango("resuelto_en")), "resuelto_por", None),
        ("Certificaciones de pago elaboradas", CertificacionPago.objects.filter(**rango("elaborada_en")), "elaborada_por", None),
        ("Certificaciones de pago firmadas", CertificacionPago.objects.filter(**rango("firmada_en")), "firmada_por", None),
        ("Partidas de diario elaboradas", Comprobante.objects.filter(**rango("elaborado_en")), "elaborado_por", None),
        ("Partidas de diario revisadas", Comprobante.objects.filter(**rango("revisado_en")), "revisado_por", None),
    ]
    por_usuario: dict = OrderedDict()
    totales = []
    for nombre, qs, columna, monto in fuentes:
        agregados = {"n": Count("pk", distinct=True)}
        if monto is not None:
            agregados["monto"] = Coalesce(monto, Value(CERO), output_field=_DINERO)
        total = Indicador(nombre, 0, CERO if monto is not None else None)
        for fila in qs.order_by().values(columna).annotate(**agregados):
            indicador = Indicador(nombre, fila["n"], fila.get("monto"))
            por_usuario.setdefault(fila[columna], []).append(indicador)
            total.cantidad += indicador.cantidad
            if monto is not None:
                total.monto += indicador.monto
        totales.append(total)
    nombres = {u.pk: (u.get_full_name() or u.username)
               for u in get_user_model().objects.filter(pk__in=[k for k in por_usuario if k is not None])}
    usuarios = [IndicadoresUsuario(nombres[k] if k is not None else SISTEMA, v) for k, v in por_usuario.items()]
    usuarios.sort(key=lambda u: (u.usuario == SISTEMA, u.usuario.lower()))
    return Indicadores(mes=mes.replace(day=1), usuarios=usuarios, totales=totales)
