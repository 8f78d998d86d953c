"""Reads of the department's instruments, scoped by user: the dashboard (from the KPI snapshot), the
recovery plan, correspondence, the publication list and the batches of planillas en mora. A jefe de
sucursal sees their branch; the roles of VEN_TODO see every branch."""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from cuentas.models import Obligacion
from cuentas.reglas import Reglas
from issscobros import roles

from ..models import CasoCobro, Gestion
from .casos import PROMESA_INCUMPLIDA, VEN_TODO, cartera_buscar, casos_para_usuario, gestiones_de_caso


# --- dashboard ------------------------------------------------------------------------------------

def snapshot_vigente():
    from ..models import SnapshotKPI

    return SnapshotKPI.objects.order_by("-fecha").first()


def sucursales_en_alcance(*, user) -> set[int] | None:
    """None: every sucursal; otherwise the ids the user's dashboard covers."""
    suyos = set(roles.roles_de(user))
    if suyos & VEN_TODO:
        return None
    return {user.sucursal_id} if user.sucursal_id else set()


def sucursales_para_usuario(*, user) -> QuerySet:
    """The active sucursales the user's dashboard, plan and registers cover."""
    from issscobros.models import Sucursal

    alcance = sucursales_en_alcance(user=user)
    qs = Sucursal.objects.filter(activa=True).order_by("nombre")
    return qs if alcance is None else qs.filter(pk__in=alcance)


@dataclass
class Tablero:
    fecha: date
    tramos: list[Decimal]
    facturado_12m: Decimal
    recuperado_mes: Decimal
    meta_mes: Decimal
    casos_abiertos: int
    alertas_sin_gestion: int
    propuestos_juridico: int
    solvencias_mes: int
    convenios: list[tuple[str, int]]
    gestores: list[dict]
    tendencia: list[dict]
    por_sucursal: list[dict]

    @property
    def mora(self) -> Decimal:
        return sum(self.tramos, Decimal("0.00"))

    @property
    def indice_morosidad(self) -> Decimal | None:
        return (self.mora * 100 / self.facturado_12m).quantize(Decimal("0.01")) if self.facturado_12m else None

    @property
    def cumplimiento(self) -> Decimal | None:
        return (self.recuperado_mes * 100 / self.meta_mes).quantize(Decimal("0.1")) if self.meta_mes else None


def tablero(*, user, snapshot) -> Tablero:
    """The snapshot's figures summed over the sucursales in the user's scope, with the plan's targets
    of the snapshot's month (read live: a target edited today shows today)."""
    from ..models import MetaPlan

    alcance = sucursales_en_alcance(user=user)
    datos = snapshot.datos
    filas = {int(s): v for s, v in datos["sucursales"].items() if alcance is None or int(s) in alcance}
    D = Decimal
    n_tramos = len(next(iter(filas.values()))["tramos"]) if filas else 6
    tramos = [sum((D(v["tramos"][i]) for v in filas.values()), D("0.00")) for i in range(n_tramos)]
    convenios: dict[str, int] = {}
    for v in filas.values():
        for estado, n in v["convenios"].items():
            convenios[estado] = convenios.get(estado, 0) + n
    mes = snapshot.fecha.replace(day=1)
    metas = MetaPlan.objects.filter(mes=mes)
    if alcance is not None:
        metas = metas.filter(sucursal_id__in=alcance)
    for g in datos["gestores"]:
        g["porcentaje_promesas"] = round(g["promesas_cumplidas"] * 100 / g["promesas"]) if g["promesas"] else None
    return Tablero(
        fecha=snapshot.fecha, tramos=tramos,
        facturado_12m=sum((D(v["facturado_12m"]) for v in filas.values()), D("0.00")),
        recuperado_mes=sum((D(v["recuperado_mes"]) for v in filas.values()), D("0.00")),
        meta_mes=metas.aggregate(t=Sum("monto"))["t"] or D("0.00"),
        casos_abiertos=sum(v["casos_abiertos"] for v in filas.values()),
        alertas_sin_gestion=sum(v["alertas_sin_gestion"] for v in filas.values()),
        propuestos_juridico=sum(v["propuestos_juridico"] for v in filas.values()),
        solvencias_mes=sum(v["solvencias_mes"] for v in filas.values()),
        convenios=sorted(convenios.items()),
        gestores=[g for g in datos["gestores"] if alcance is None or g["sucursal"] in alcance],
        tendencia=[{"fecha": p["fecha"], "total": sum((D(x) for s, x in p["sucursales"].items()
                                                       if alcance is None or int(s) in alcance), D("0.00"))}
                   for p in datos["tendencia"]],
        por_sucursal=sorted(({"id": s, "nombre": v["nombre"], "mora": sum((D(x) for x in v["tramos"]), D("0.00")),
                              "recuperado": D(v["recuperado_mes"]), "casos": v["casos_abiertos"]}
                             for s, v in filas.items()), key=lambda r: r["nombre"]),
    )


# --- Plan Anual de Recuperación ------------------------------------------------------------------

@dataclass
class CeldaPlan:
    mes: date
    meta: Decimal
    casos_meta: int
    recuperado: Decimal
    casos_cerrados: int
    futuro: bool = False

    @property
    def cumplimiento(self) -> Decimal | None:
        """None for a month that has not begun (nothing to compare yet) or without a target."""
        if self.futuro or not self.meta:
            return None
        return (self.recuperado * 100 / self.meta).quantize(Decimal("0.1"))


def plan_anual(*, user, anio: int) -> list[tuple]:
    """[(sucursal, [CeldaPlan × 12])] for the sucursales in scope: the targets, the amounts recovered
    from mora (ledger, as on the dashboard) and the cases ended each month."""
    from django.db import connection

    from ..models import MetaPlan

    sucursales = sucursales_para_usuario(user=user)
    metas = {(m.sucursal_id, m.mes.month): m for m in MetaPlan.objects.filter(mes__year=anio)}
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT d.sucursal_id, EXTRACT(MONTH FROM a.fecha_valor)::int, SUM(l.haber) FROM cuentas_lineaasiento l
            JOIN cuentas_asiento a ON a.id = l.asiento_id JOIN cuentas_obligacion o ON o.id = l.obligacion_id
            JOIN cuentas_cuenta c ON c.id = l.cuenta_id JOIN cuentas_deudor d ON d.id = c.deudor_id
            WHERE a.tipo = 'aplicacion' AND l.haber > 0 AND a.fecha_valor > o.vencimiento
              AND a.fecha_valor >= %s AND a.fecha_valor < %s GROUP BY 1, 2""", [date(anio, 1, 1), date(anio + 1, 1, 1)])
        recuperado = {(s, m): v for s, m, v in cursor.fetchall()}
        cursor.execute("""
            SELECT k.sucursal_id, EXTRACT(MONTH FROM x.momento)::int, COUNT(DISTINCT k.id) FROM mora_cambioestadocaso x
            JOIN mora_casocobro k ON k.id = x.caso_id
            WHERE x.estado_nuevo IN ('cumplido', 'cerrado') AND x.momento >= %s AND x.momento < %s GROUP BY 1, 2""",
                       [date(anio, 1, 1), date(anio + 1, 1, 1)])
        cerrados = {(s, m): n for s, m, n in cursor.fetchall()}
    filas = []
    for s in sucursales:
        celdas = []
        for mes in range(1, 13):
            meta = metas.get((s.pk, mes))
            celdas.append(CeldaPlan(mes=date(anio, mes, 1), meta=meta.monto if meta else Decimal("0.00"),
                                    casos_meta=meta.casos if meta else 0,
                                    recuperado=recuperado.get((s.pk, mes), Decimal("0.00")),
                                    casos_cerrados=cerrados.get((s.pk, mes), 0),
                                    futuro=date(anio, mes, 1) > timezone.localdate().replace(day=1)))
        filas.append((s, celdas))
    return filas


# --- correspondence -------------------------------------------------------------------------------

def correspondencia_para_usuario(*, user) -> QuerySet:
    """Jefes see their scope's register; anyone else only what is assigned to them."""
    from ..models import Correspondencia

    qs = Correspondencia.objects.select_related("asignada_a", "sucursal", "deudor")
    if not user.has_perm("mora.view_correspondencia"):
        return qs.filter(asignada_a=user)
    alcance = sucursales_en_alcance(user=user)
    return qs if alcance is None else qs.filter(sucursal_id__in=alcance)


# --- publication list ------------------------------------------------------------------------------

FALLIDAS = (Gestion.Resultado.NO_CONTACTADO, Gestion.Resultado.SE_NIEGA, Gestion.Resultado.DIRECCION_ERRONEA)


@dataclass
class CriteriosPublicacion:
    dias_mora: int
    convenio_vigente: bool
    gestiones_fallidas: int
    faltan: list[str]


def _criterios(hoy: date) -> tuple[int, int]:
    reglas = Reglas.cargar()
    return int(reglas.valor("mora_publicacion_dias", hoy)), int(reglas.valor("mora_publicacion_gestiones_fallidas", hoy))


def publicacion_criterios(*, caso: CasoCobro, hoy: date | None = None) -> CriteriosPublicacion:
    """Whether a case meets the publication criteria (parameters): days in mora of its oldest unpaid
    obligation, no current agreement, failed actions (no contact, refusal, wrong address, broken
    promises)."""
    from convenios.models import Convenio

    hoy = hoy or timezone.localdate()
    dias_min, fallidas_min = _criterios(hoy)
    vencida = (Obligacion.objects.filter(cuenta__deudor_id=caso.deudor_id, saldo__gt=0, vencimiento__lt=hoy)
               .order_by("vencimiento").values_list("vencimiento", flat=True).first())
    dias = (hoy - vencida).days if vencida else 0
    vigente = Convenio.objects.filter(deudor_id=caso.deudor_id, estado=Convenio.Estado.VIGENTE).exists()
    gestiones = list(gestiones_de_caso(caso=caso, hoy=hoy))
    fallidas = sum(1 for g in gestiones if g.resultado in FALLIDAS or g.promesa_estado == PROMESA_INCUMPLIDA)
    faltan = []
    if dias < dias_min:
        faltan.append(f"tiene {dias} días de mora y se requieren {dias_min}")
    if vigente:
        faltan.append("tiene un convenio de pago vigente")
    if fallidas < fallidas_min:
        faltan.append(f"tiene {fallidas} gestiones fallidas y se requieren {fallidas_min}")
    return CriteriosPublicacion(dias_mora=dias, convenio_vigente=vigente, gestiones_fallidas=fallidas, faltan=faltan)


def publicacion_candidatos(*, user, hoy: date | None = None) -> QuerySet[CasoCobro]:
    """Open cases of the user's scope that meet the publication criteria and are not proposed yet."""
    from convenios.models import Convenio

    from ..models import PropuestaPublicacion

    hoy = hoy or timezone.localdate()
    dias_min, fallidas_min = _criterios(hoy)
    qs = cartera_buscar(user=user, hoy=hoy).filter(vencida_desde__lte=hoy - timedelta(days=dias_min)).exclude(
        deudor_id__in=Convenio.objects.filter(estado=Convenio.Estado.VIGENTE).values("deudor_id")).exclude(
        pk__in=PropuestaPublicacion.objects.filter(estado__in=["propuesta", "aprobada"]).values("caso_id"))
    qs = qs.annotate(fallidas=Coalesce(Subquery(
        Gestion.objects.filter(caso_id=OuterRef("pk"), resultado__in=FALLIDAS).order_by().values("caso_id")
        .annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0) + F("promesas_rotas"))
    return qs.filter(fallidas__gte=fallidas_min)


def propuestas_publicacion(*, user, estado: str = "") -> QuerySet:
    from ..models import PropuestaPublicacion

    qs = (PropuestaPublicacion.objects.filter(caso__in=casos_para_usuario(user=user))
          .select_related("caso__deudor", "caso__sucursal", "propuesto_por", "resuelto_por"))
    return qs.filter(estado=estado) if estado else qs


def lotes_para_usuario(*, user) -> QuerySet:
    from ..models import LotePlanillas

    if not user.has_perm("mora.view_loteplanillas"):
        return LotePlanillas.objects.none()
    alcance = sucursales_en_alcance(user=user)
    qs = LotePlanillas.objects.select_related("sucursal", "registrado_por")
    return qs if alcance is None else qs.filter(sucursal_id__in=alcance)
