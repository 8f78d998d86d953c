"""Demo data of the collection work (called by issscobros.demo.cargar after the ledger history):
a gestor per sucursal, the portfolio generated from the ledger, actions and promises (some broken,
some due today) on the demo gestor's cases, a referral to the Unidad Jurídica, the year's recovery
plan, correspondence; then (mora_demo_cerrar, after the other apps) the SLA review and the dashboard
snapshot — so every screen shows data.

Deterministic for a seed and a day; everything goes through the services (a few hundred rows)."""
import random
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models import Sum
from django.utils import timezone

from cuentas.models import Obligacion, Recibo
from issscobros import roles
from issscobros.models import Sucursal, Usuario

from . import services
from .generacion import cartera_generar
from .kpi import kpi_instantanea
from .models import CasoCobro, Correspondencia, Gestion
from .sla import casos_revisar_sla

CASOS_CON_GESTIONES = 40
CONTACTOS = ["Contador", "Gerente general", "Representante legal", "Encargada de planillas", "Recepción"]


def _gestores(sede: Sucursal, *, central: bool) -> list[Usuario]:
    """A second gestor in the central branch (central=True) or one in each other branch."""
    grupo = Group.objects.get(name=roles.GESTOR)
    creados = []
    sucursales = Sucursal.objects.filter(pk=sede.pk) if central else Sucursal.objects.exclude(pk=sede.pk)
    for s in sucursales.order_by("codigo"):
        username = "gestor2" if central else f"gestor_{s.codigo.lower()}"
        u, nuevo = Usuario.objects.get_or_create(username=username, defaults={
            "first_name": "Gestor", "last_name": s.nombre.replace("Sucursal ", ""), "sucursal": s,
            "cargo": "Gestor de Cobros", "email": f"{username}@isss.demo"})
        if nuevo:
            u.set_password(settings.DEMO_PASSWORD)
            u.save()
        u.groups.add(grupo)
        creados.append(u)
    return creados


def _saldo(caso: CasoCobro) -> Decimal:
    return Obligacion.objects.filter(cuenta__deudor_id=caso.deudor_id).aggregate(t=Sum("saldo"))["t"] or Decimal("0")


def mora_demo_cargar(*, semilla: int, hoy: date | None = None) -> dict:
    hoy = hoy or timezone.localdate()
    rng = random.Random(semilla * 7919 + 6)
    gestor = Usuario.objects.get(username="gestor")
    jefe = Usuario.objects.get(username="jefe")
    # One gestor per other branch before the generation; the central branch's second gestor after it,
    # so the demo gestor's portfolio is the whole central branch (and the jefe has someone to reassign to).
    _gestores(gestor.sucursal, central=False)
    # Two nightly runs: two months ago (the cases worked since then) and today.
    antes = cartera_generar(actor=None, fecha=hoy - timedelta(days=60))
    generados = cartera_generar(actor=None, fecha=hoy)
    _gestores(gestor.sucursal, central=True)
    casos = list(CasoCobro.objects.filter(gestor=gestor, abierto_en__lte=hoy - timedelta(days=60))
                 .order_by("id")[:CASOS_CON_GESTIONES])
    gestiones = promesas = con_saldo = 0
    for i, caso in enumerate(casos):
        saldo = _saldo(caso)
        inicio = hoy - timedelta(days=rng.randint(25, 45))
        services.gestion_registrar(actor=gestor, caso=caso, tipo="carta", fecha=inicio, resultado="no_contactado",
                                   comentario="Aviso de cobro enviado al domicilio registrado.",
                                   proxima_accion=inicio + timedelta(days=7))
        gestiones += 1
        if i % 5 == 4:  # some cases get no second action: they show the 30-day SLA alert later on
            continue
        fecha = inicio + timedelta(days=rng.randint(7, 12))
        datos = {"actor": gestor, "caso": caso, "tipo": rng.choice(["llamada", "visita", "correo", "reunion"]),
                 "fecha": fecha, "contacto": rng.choice(CONTACTOS)}
        # Of the cases with a balance, in turn: a promise already due, one still to come, none. (By
        # their count, not their position: which cases owe depends on the demo's dates.) A promise
        # made today goes to a deudor who has not paid today: today's receipt would already keep it.
        turno = con_saldo % 3 if saldo > 0 else 2
        if turno == 1 and Recibo.objects.filter(cuenta__deudor_id=caso.deudor_id, fecha_pago__gte=hoy).exists():
            turno = 2
        else:
            con_saldo += saldo > 0
        if turno == 0:
            # A promise whose date has passed: broken unless the employer paid (the ledger says).
            monto = max((saldo * Decimal("0.3")).quantize(Decimal("0.01")), Decimal("10.00"))
            services.gestion_registrar(**datos, resultado="promesa", promesa_fecha=fecha + timedelta(days=10),
                                       promesa_monto=monto, proxima_accion=hoy - timedelta(days=rng.randint(0, 3)),
                                       comentario="Se compromete a pagar una parte.")
            promesas += 1
        elif turno == 1:
            # Made today: a payment the demo recorded earlier cannot already have kept it.
            monto = max((saldo * Decimal("0.5")).quantize(Decimal("0.01")), Decimal("10.00"))
            services.gestion_registrar(**{**datos, "fecha": hoy}, resultado="promesa", promesa_fecha=hoy + timedelta(days=rng.randint(1, 15)),
                                       promesa_monto=monto, proxima_accion=hoy + timedelta(days=rng.randint(0, 5)))
            promesas += 1
        else:
            services.gestion_registrar(**datos, resultado=rng.choice(["contactado", "solicita_convenio", "se_niega"]),
                                       proxima_accion=hoy + timedelta(days=rng.randint(0, 10)),
                                       comentario="Se explicaron las opciones de pago.")
        gestiones += 1
    remitidos = _remitir_uno(casos, jefe=jefe, hoy=hoy)
    publicados = _publicacion(gestor=gestor, jefe=jefe, hoy=hoy)
    _depuracion_y_lote(gestor=gestor, jefe=jefe, hoy=hoy)
    metas = _plan(jefe=jefe, hoy=hoy, rng=rng)
    cartas = _correspondencia(jefe=jefe, gestor=gestor, hoy=hoy)
    return {"casos": antes.abiertos + generados.abiertos, "gestiones": gestiones, "promesas": promesas, "remitidos": remitidos,
            "metas": metas, "correspondencia": cartas, "publicacion": publicados}


def mora_demo_cerrar(*, hoy: date | None = None) -> dict:
    """After the other apps' demo data (agreements, solvencies): the nightly SLA review and the
    dashboard's snapshot, so the dashboard counts them."""
    hoy = hoy or timezone.localdate()
    propuestos = casos_revisar_sla(actor=None, fecha=hoy)
    kpi_instantanea(fecha=hoy)
    return {"propuestos_juridico": propuestos}


def _remitir_uno(casos, *, jefe, hoy) -> int:
    """The last case with a balance and no promise goes to the Unidad Jurídica, with a first step."""
    for caso in reversed(casos):
        caso.refresh_from_db()
        if caso.estado == CasoCobro.Estado.EN_GESTION and _saldo(caso) > 0 and not Gestion.objects.filter(
                caso=caso, promesa_fecha__isnull=False).exists():
            services.caso_remitir_juridico(actor=jefe, caso=caso, motivo="Cobro administrativo agotado sin respuesta.")
            services.paso_judicial_registrar(actor=jefe, caso=caso, tipo="demanda_presentada", fecha=hoy,
                                             referencia="JC-" + str(caso.pk), nota="Demanda presentada por la Unidad Jurídica.")
            return 1
    return 0


def _publicacion(*, gestor, jefe, hoy) -> int:
    """Two employers with old debt who refuse: three failed actions each, proposed by the gestor for
    the publication list; the jefe approves the first."""
    from .selectors import publicacion_candidatos

    deuda_vieja = Obligacion.objects.filter(saldo__gt=0, vencimiento__lte=hoy - timedelta(days=200))
    viejos = list(CasoCobro.objects.filter(gestor=gestor, estado__in=["asignado", "en_gestion", "compromiso"],
                                           deudor__cuentas__in=deuda_vieja.values("cuenta_id"))
                  .distinct().order_by("-id")[:2])
    for caso in viejos:
        for atras, resultado in ((12, "no_contactado"), (8, "direccion_erronea"), (3, "se_niega")):
            services.gestion_registrar(actor=gestor, caso=caso, tipo="visita" if atras == 8 else "llamada",
                                       fecha=max(hoy - timedelta(days=atras), caso.abierto_en), resultado=resultado,
                                       comentario="El patrono no atiende los requerimientos.")
    propuestas = [services.publicacion_proponer(actor=gestor, caso=c, motivo="Renuente al cobro administrativo.")
                  for c in publicacion_candidatos(user=gestor)[:2]]
    if propuestas:
        services.publicacion_resolver(actor=jefe, propuesta=propuestas[0], aprobar=True, nota="Aprobado para publicación.")
    return len(propuestas)


def _depuracion_y_lote(*, gestor, jefe, hoy) -> None:
    """A clean-up request on a case, and a batch from Control de Ingresos checked against the ledger
    (its last line with a different amount, so the screen shows a discrepancy)."""
    from django.core.files.base import ContentFile

    caso = CasoCobro.objects.filter(gestor=gestor).order_by("id").first()
    if caso is not None:
        services.depuracion_solicitar(actor=gestor, caso=caso, area="control_ingresos",
                                      descripcion="Verificar un pago de la planilla más antigua que el patrono dice haber hecho.")
    vencidas = (Obligacion.objects.filter(cuenta__deudor__sucursal=gestor.sucursal, saldo__gt=0, vencimiento__lt=hoy,
                                          periodo__isnull=False)
                .values("cuenta__numero", "periodo").annotate(s=Sum("saldo")).order_by("cuenta__numero", "periodo")[:6])
    if not vencidas:
        return
    lineas = ["numero_patronal,periodo,monto"] + [
        f"{v['cuenta__numero']},{v['periodo']:%Y-%m},{v['s'] + (Decimal('10.00') if i == len(vencidas) - 1 else 0):.2f}"
        for i, v in enumerate(vencidas)]
    archivo = ContentFile(("\n".join(lineas) + "\n").encode(), name="lote-control-ingresos.csv")
    services.lote_registrar(actor=jefe, origen="control_ingresos", sucursal=gestor.sucursal, recibido_el=hoy,
                            archivo=archivo, referencia="CI-LOTE-09")


def _plan(*, jefe, hoy, rng) -> int:
    metas = {}
    for s in Sucursal.objects.filter(activa=True):
        base = Decimal(rng.randint(40, 160) * 100)
        for mes in range(1, 13):
            metas[(s.pk, mes)] = (base + Decimal(mes * 100), rng.randint(3, 12))
    return services.plan_guardar(actor=jefe, anio=hoy.year, metas=metas)


def _correspondencia(*, jefe, gestor, hoy) -> int:
    filas = [
        ("fiscalia", "FGR-UDP-1187", "Solicitud de certificación de cuenta individual de un trabajador", 20, 10, "pendiente"),
        ("upisss", "UPISSS-445", "Reporte de días y salarios para trámite de pensión", 12, 15, "en_proceso"),
        ("juridica", "UJ-2031", "Estado de casos remitidos para cobro judicial", 8, -2, "pendiente"),
        ("control_ingresos", "CI-LOTE-09", "Lote de planillas en mora de la sucursal central", 5, 10, "pendiente"),
        ("otra", "DRH-77", "Consulta de saldos de ex empleados", 30, 5, "respondida"),
    ]
    for remitente, referencia, asunto, hace, plazo, estado in filas:
        if Correspondencia.objects.filter(referencia=referencia).exists():
            continue
        recibida = hoy - timedelta(days=hace)
        c = services.correspondencia_registrar(actor=jefe, datos={
            "recibida_el": recibida, "remitente": remitente, "referencia": referencia, "asunto": asunto,
            "sucursal": gestor.sucursal, "asignada_a": gestor if remitente != "juridica" else jefe,
            "vence_el": max(recibida, hoy + timedelta(days=plazo))})
        if estado != "pendiente":
            services.correspondencia_responder(actor=jefe, correspondencia=c, estado=estado,
                                               respuesta="Se remitió la información solicitada." if estado == "respondida" else "")
    return len(filas)
