"""Figures of the collection work (issue 6): portfolio generation over every employer, Mi cartera of
a gestor with 500 cases, the dashboard (from its nightly snapshot) and the aging report for all
employers, today and as of six months ago. Targets at 50,000 employers: dashboard ≤ 300 ms,
Mi cartera (500 cases) ≤ 150 ms, aging ≤ 5 s.

The cases are generated once (idempotent) and a bench gestor is given exactly 500 of them; the rest
of the state is reused from one run to the next."""
import time
from datetime import timedelta

from .contexto import Contexto
from .medicion import Figura, alternar, cronometrar, figura_con_piso, mediana, p95

CASOS_BENCH = 500
PETICIONES = 30
GESTOR_BENCH = "gestor_bench"


def _preparar() -> tuple[list[Figura], object, object, int]:
    """Cases for every employer in mora, a gestor with 500 of them (fewer at a small scale: all
    there are), the KPI snapshot of today."""
    from django.contrib.auth.models import Group
    from django.db import connection

    from issscobros import roles
    from issscobros.models import Usuario
    from mora.generacion import cartera_generar
    from mora.kpi import kpi_instantanea
    from mora.models import CasoCobro

    figuras = []
    jefe = Usuario.objects.get(username="jefe")
    inicio = time.perf_counter()
    resultado = cartera_generar(actor=None)
    segundos = time.perf_counter() - inicio
    if resultado.abiertos:
        figuras.append(Figura("mora_generacion_cartera_segundos", segundos, "s"))
        figuras.append(Figura("mora_generacion_cartera_casos", resultado.abiertos, "casos"))
    abiertos = CasoCobro.objects.exclude(estado__in=CasoCobro.TERMINALES)
    casos = min(CASOS_BENCH, abiertos.count())
    if not casos:
        raise SystemExit("mora: no hay casos abiertos (¿el libro no tiene mora?)")
    gestor = Usuario.objects.filter(username=GESTOR_BENCH).first()
    if gestor is None:
        gestor = Usuario.objects.create_user(GESTOR_BENCH, sucursal_id=abiertos.order_by("id").first().sucursal_id,
                                             first_name="Gestor", last_name="Bench")
        gestor.groups.add(Group.objects.get(name=roles.GESTOR))
    if CasoCobro.objects.filter(gestor=gestor).count() != casos:
        # Set-up, not a service: the bench gestor takes the first open cases (a gestor's scope is
        # the cases assigned to them, whatever their branch).
        ids = list(abiertos.order_by("id").values_list("pk", flat=True)[:casos])
        CasoCobro.objects.filter(gestor=gestor).exclude(pk__in=ids).update(gestor=None)
        CasoCobro.objects.filter(pk__in=ids).update(gestor=gestor)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE mora_casocobro")
    inicio = time.perf_counter()
    kpi_instantanea()
    figuras.append(Figura("mora_kpi_instantanea", (time.perf_counter() - inicio) * 1000, "ms"))
    figuras.append(Figura("mora_cartera_casos", casos, "casos"))
    return figuras, gestor, jefe, casos


def figuras_mora(ctx: Contexto) -> list[Figura]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from mora.antiguedad import antiguedad_saldos

    figuras, gestor, jefe, casos = _preparar()
    como_gestor, como_jefe = Client(), Client()
    como_gestor.force_login(gestor)
    como_jefe.force_login(jefe)
    url_cartera, url_tablero, url_piso = reverse("mora:cartera"), reverse("mora:tablero"), reverse("healthz")
    ordenes = iter(range(10**9))

    def cartera():
        orden = ["seguimiento", "saldo", "antiguedad"][next(ordenes) % 3]
        r = como_gestor.get(url_cartera, {"orden": orden})
        assert r.status_code == 200 and f"{casos} registro".encode() in r.content, r.status_code

    def tablero():
        r = como_jefe.get(url_tablero)
        assert r.status_code == 200, r.status_code

    def piso():
        assert como_jefe.get(url_piso).status_code == 200

    tiempos = alternar({"cartera": cartera, "tablero": tablero, "piso": piso}, veces=PETICIONES, calentamiento=3)
    piso_fig = Figura("mora_piso_peticion_minima", mediana(tiempos["piso"]), "ms")
    with CaptureQueriesContext(connection) as consultas:
        cartera()
    figuras += [
        piso_fig,
        figura_con_piso("mora_cartera_500_mediana", mediana(tiempos["cartera"]), "ms", piso_fig),
        figura_con_piso("mora_cartera_500_p95", p95(tiempos["cartera"]), "ms", piso_fig),
        Figura("mora_cartera_consultas", len(consultas), "consultas"),
        figura_con_piso("mora_tablero_mediana", mediana(tiempos["tablero"]), "ms", piso_fig),
        figura_con_piso("mora_tablero_p95", p95(tiempos["tablero"]), "ms", piso_fig),
    ]
    hoy = timezone.localdate()
    for nombre, fecha in (("hoy", hoy), ("hace_6_meses", hoy - timedelta(days=182))):
        veces = [cronometrar(lambda: antiguedad_saldos(user=jefe, fecha=fecha, dimension="sucursal")) for _ in range(3)]
        figuras.append(Figura(f"mora_antiguedad_todos_{nombre}", mediana(veces) * 1000, "ms"))
    return figuras


FIGURAS = [figuras_mora]
