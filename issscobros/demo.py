"""Deterministic synthetic data for demos, browser tests and the bench (CONTRACTS §4).

Same `semilla` (and the same day: the history ends last month) → same rows. The registry and the
monthly history (planillas, worker lines, receipts, surcharges, mora) are written in bulk — COPY,
not the services — so 50,000 employers load in minutes; the database guards still run on every row
(leg trigger moving each saldo, asientos balanced at commit, unique claves, CHECKs), and the rows are
the ones the services would write for the same events (tests/issscobros/test_demo.py replays a
history through the services and compares). The rarer operations (fines, annulment, exoneration,
unidentified receipts, other receivables, a few late payments) go through the services."""
import io
import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection, transaction
from stdnum.sv import nit as stdnum_nit

from cuentas import contabilidad
from cuentas.busqueda import normalizar
from cuentas.identificadores import dui_digito_verificador
from cuentas.models import Asiento, Concepto, Cuenta, Deudor, Obligacion, Parametro, Planilla, SolicitudAjuste
from cuentas.reglas import Reglas

from . import roles
from .auditoria import auditar
from .models import Sucursal, Usuario

SUCURSALES = [
    ("SS01", "Sucursal San Salvador Centro", "San Salvador"),
    ("SS02", "Sucursal Soyapango", "San Salvador"),
    ("SS03", "Sucursal Apopa", "San Salvador"),
    ("LL01", "Sucursal Santa Tecla", "La Libertad"),
    ("SA01", "Sucursal Santa Ana", "Santa Ana"),
    ("SO01", "Sucursal Sonsonate", "Sonsonate"),
    ("AH01", "Sucursal Ahuachapán", "Ahuachapán"),
    ("SM01", "Sucursal San Miguel", "San Miguel"),
    ("US01", "Sucursal Usulután", "Usulután"),
    ("LP01", "Sucursal Zacatecoluca", "La Paz"),
    ("CH01", "Sucursal Chalatenango", "Chalatenango"),
    ("LU01", "Sucursal La Unión", "La Unión"),
]

# (username, role, first name, last name, cargo)
USUARIOS_DEMO = [
    ("tecnico", roles.TECNICO, "Ana María", "Rivas", "Técnico Financiero"),
    ("coordinador", roles.COORDINADOR, "Carlos", "Menjívar", "Coordinador Financiero"),
    ("gestor", roles.GESTOR, "José Luis", "Hernández", "Gestor de Cobros"),
    ("jefe_sucursal", roles.JEFE_SUCURSAL, "Marta Alicia", "Orellana", "Jefe de Sucursal"),
    ("jefe", roles.JEFE_DEPARTAMENTO, "Roberto", "Castañeda", "Jefe Depto. Recuperación Prejudicial"),
    ("auditor", roles.AUDITOR, "Lucía", "Flores", "Auditor Interno"),
    ("admin", roles.ADMINISTRADOR, "Mauricio", "Portillo", "Administrador del sistema"),
]

NOMBRES = ["José", "María", "Juan", "Ana", "Carlos", "Rosa", "Luis", "Carmen", "Jorge", "Marta", "Francisco",
           "Elena", "Miguel", "Sandra", "Óscar", "Gloria", "Ricardo", "Patricia", "Mauricio", "Claudia",
           "Roberto", "Silvia", "Manuel", "Reina", "Salvador", "Dolores", "René", "Yanira", "Wilfredo", "Xiomara"]
APELLIDOS = ["Hernández", "López", "Martínez", "García", "Rodríguez", "Pérez", "Flores", "Ramírez", "Rivas",
             "Sánchez", "Cruz", "Romero", "Mejía", "Ayala", "Orellana", "Portillo", "Menjívar", "Guevara",
             "Alvarado", "Castillo", "Peña", "Quintanilla", "Argueta", "Molina", "Bonilla", "Escobar", "Zelaya",
             "Chávez", "Aguilar", "Villalta"]
RUBROS = ["Textiles", "Panadería", "Distribuidora", "Ferretería", "Construcciones", "Transportes", "Agroindustrias",
          "Farmacia", "Inversiones", "Comercial", "Servicios Médicos", "Restaurante", "Café", "Maquila", "Imprenta",
          "Importadora", "Exportadora", "Colegio", "Laboratorios", "Hotel", "Seguridad", "Talleres", "Plásticos",
          "Lácteos", "Beneficio de Café", "Avícola", "Consultores", "Tecnologías", "Calzado", "Muebles"]
LUGARES = ["San Miguel", "Santa Ana", "Cuscatlán", "El Salvador", "Centroamericana", "del Pacífico", "Izalco",
           "Los Volcanes", "San Jacinto", "La Libertad", "Metapán", "Chalatenango", "Usulután", "San Vicente",
           "Morazán", "La Paz", "Ilobasco", "Suchitoto", "Apaneca", "Juayúa", "Cabañas", "El Rosario"]
SOCIEDADES = ["S.A. de C.V.", "S.A. de C.V.", "S.A. de C.V.", "S. de R.L. de C.V.", "Ltda. de C.V."]
MUNICIPIOS = [("0614", "San Salvador"), ("0511", "Santa Tecla"), ("0210", "Santa Ana"), ("1217", "San Miguel"),
              ("0315", "Sonsonate"), ("0617", "Soyapango"), ("0602", "Apopa"), ("1123", "Usulután"),
              ("0101", "Ahuachapán"), ("0821", "Zacatecoluca"), ("0407", "Chalatenango"), ("1408", "La Unión")]
CALLES = ["Calle Arce", "Avenida España", "Boulevard de los Héroes", "Calle Rubén Darío", "Alameda Roosevelt",
          "Avenida Independencia", "Calle Delgado", "Paseo General Escalón", "Boulevard del Ejército",
          "Carretera Panamericana km"]


@dataclass
class Resumen:
    sucursales: int = 0
    usuarios: int = 0
    deudores: int = 0
    cuentas: int = 0
    planillas: int = 0
    lineas: int = 0
    recibos: int = 0
    segundos_libro: float = 0.0


def nit_generar(rng: random.Random, municipio: str, usados: set) -> str:
    while True:
        fecha = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 60 * 365))
        numero = f"{municipio}{fecha:%d%m%y}{rng.randrange(101, 999):03d}"
        numero += stdnum_nit.calc_check_digit(numero)
        if numero not in usados:
            usados.add(numero)
            return numero


def dui_generar(rng: random.Random, usados: set) -> str:
    while True:
        primeros = f"{rng.randrange(0, 10**8):08d}"
        dui = primeros + dui_digito_verificador(primeros)
        if dui not in usados:
            usados.add(dui)
            return dui


def sucursales_cargar() -> list[Sucursal]:
    for codigo, nombre, departamento in SUCURSALES:
        Sucursal.objects.get_or_create(codigo=codigo, defaults={"nombre": nombre, "departamento": departamento})
    return list(Sucursal.objects.order_by("codigo"))


def usuarios_demo_cargar(sucursal: Sucursal) -> list[Usuario]:
    """The demo users of CONTRACTS §3, one per role, password DEMO_PASSWORD (reset every run)."""
    usuarios = []
    for username, rol, nombre, apellido, cargo in USUARIOS_DEMO:
        usuario, _ = Usuario.objects.get_or_create(username=username)
        usuario.first_name, usuario.last_name, usuario.cargo = nombre, apellido, cargo
        usuario.email = f"{username}@isss.demo"
        usuario.sucursal = sucursal
        usuario.is_active = True
        usuario.is_staff = rol == roles.ADMINISTRADOR
        usuario.set_password(settings.DEMO_PASSWORD)
        usuario.save()
        usuario.groups.set([Group.objects.get(name=rol)])
        usuarios.append(usuario)
    return usuarios


def _razon_social(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.25:  # natural person employer
        nombre = f"{rng.choice(NOMBRES)} {rng.choice(APELLIDOS)} {rng.choice(APELLIDOS)}"
        return nombre, f"{rng.choice(RUBROS)} {rng.choice(APELLIDOS)}"
    comercial = f"{rng.choice(RUBROS)} {rng.choice(LUGARES)}"
    return f"{comercial} {rng.choice(SOCIEDADES)}", comercial


def deudores_cargar(*, n: int, semilla: int, sucursales: list[Sucursal], lote: int = 5000) -> tuple[int, int]:
    """N employers with 1–3 números patronales each, plus a few other kinds of deudor."""
    rng = random.Random(semilla)
    nits, duis = set(Deudor.objects.values_list("nit", flat=True)), set(Deudor.objects.values_list("dui", flat=True))
    siguiente_patronal = 100000001 + Cuenta.objects.filter(tipo=Cuenta.Tipo.PATRONAL).count()
    total_deudores = total_cuentas = 0
    otros = max(2, n // 50)
    # The first two are fixed so even a tiny demo has a rental and a medical-services account.
    tipos = [Deudor.Tipo.PATRONO] * n + [Deudor.Tipo.ARRENDATARIO, Deudor.Tipo.EMPLEADO] + [
        rng.choice([Deudor.Tipo.PROVEEDOR, Deudor.Tipo.ARRENDATARIO, Deudor.Tipo.ASEGURADORA, Deudor.Tipo.EMPLEADO])
        for _ in range(otros - 2)
    ]
    for inicio in range(0, len(tipos), lote):
        deudores, planes = [], []
        for tipo in tipos[inicio:inicio + lote]:
            municipio, nombre_mun = rng.choice(MUNICIPIOS)
            if tipo == Deudor.Tipo.EMPLEADO:
                nombre = f"{rng.choice(NOMBRES)} {rng.choice(APELLIDOS)} {rng.choice(APELLIDOS)}"
                razon, comercial = nombre, ""
                nit, dui = None, dui_generar(rng, duis)
            else:
                razon, comercial = _razon_social(rng)
                nit, dui = nit_generar(rng, municipio, nits), None
            deudor = Deudor(
                tipo=tipo, nit=nit, dui=dui, razon_social=razon, nombre_comercial=comercial,
                direccion=f"{rng.choice(CALLES)} #{rng.randrange(1, 3000)}", municipio=nombre_mun,
                telefono=f"2{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}",
                correo=f"contacto{inicio + len(deudores)}@empresa.demo",
                representante_legal=f"{rng.choice(NOMBRES)} {rng.choice(APELLIDOS)}",
                sucursal=rng.choice(sucursales),
                zona_franca_dpa=tipo == Deudor.Tipo.PATRONO and rng.random() < 0.03,
                regimen_especial=tipo == Deudor.Tipo.PATRONO and rng.random() < 0.01,
            )
            deudor.nombre_normalizado = normalizar(f"{razon} {comercial}")
            deudores.append(deudor)
            planes.append(1 if tipo != Deudor.Tipo.PATRONO else rng.choices([1, 2, 3], weights=[80, 15, 5])[0])
        with transaction.atomic():
            Deudor.objects.bulk_create(deudores, batch_size=2000)
            cuentas = []
            for deudor, cuantas in zip(deudores, planes):
                apertura = date(2008, 1, 1) + timedelta(days=rng.randrange(0, 15 * 365))
                for _ in range(cuantas):
                    if deudor.tipo == Deudor.Tipo.PATRONO:
                        tipo_cuenta, numero = Cuenta.Tipo.PATRONAL, f"{siguiente_patronal:09d}"
                        siguiente_patronal += 1
                    else:
                        tipo_cuenta = {
                            Deudor.Tipo.PROVEEDOR: Cuenta.Tipo.CONTRATO_PROVEEDOR,
                            Deudor.Tipo.ARRENDATARIO: Cuenta.Tipo.ARRENDAMIENTO,
                            Deudor.Tipo.ASEGURADORA: Cuenta.Tipo.SEGURO,
                            Deudor.Tipo.EMPLEADO: Cuenta.Tipo.SERVICIOS_MEDICOS,
                        }[deudor.tipo]
                        numero = f"{tipo_cuenta[:3].upper()}-{deudor.pk:07d}"
                    cuentas.append(Cuenta(deudor=deudor, tipo=tipo_cuenta, numero=numero, fecha_apertura=apertura))
            Cuenta.objects.bulk_create(cuentas, batch_size=5000)
        total_deudores += len(deudores)
        total_cuentas += len(cuentas)
    return total_deudores, total_cuentas


# =================================================================================================
# Ledger history: monthly planillas with worker lines, receipts on time and late, mora.
#
# Two layers: a *plan* per cuenta (pure Python: the events — planillas filed, receipts paid — with the
# amounts the rules give) and a *bulk writer* that turns the events into the rows the services would
# write (same claves, legs in the same order, surcharges by `Reglas.recargo`) and COPYs them.

# Monthly minimum wage, commerce/services/industry (cents): realistic salaries float around it.
SALARIOS_MINIMOS = [(date(2000, 1, 1), 25170), (date(2017, 1, 1), 30417), (date(2021, 8, 1), 36500),
                    (date(2025, 6, 1), 40880)]
CANALES_PAGO = ["AGRICOLA", "CUSCATLAN", "DAVIVIENDA", "BAC", "HIPOTECARIO", "PROMERICA", "SPU", "COLECTURIA"]
PESOS_CANALES = [28, 14, 12, 12, 8, 5, 18, 3]
TIPOS_PLANILLA = [Planilla.Tipo.SPU, Planilla.Tipo.PRE_ELABORADA, Planilla.Tipo.MECANIZADA,
                  Planilla.Tipo.FACTURACION_DIRECTA]
PESOS_TIPOS = [85, 8, 5, 2]
# Above this many employers only the first LINEAS_HASTA keep worker lines (CONTRACTS §6: "worker
# lines for 5,000 employers"); the others' planillas carry the same totals without the lines.
LINEAS_HASTA = 5000
PUNTUAL, IRREGULAR, MOROSO = "puntual", "irregular", "moroso"

_COT = (Concepto.COTIZACION_LABORAL, Concepto.COTIZACION_PATRONAL, Concepto.INSAFORP)
_POR_APLICAR = contabilidad.RECIBOS_POR_APLICAR


def _mes_siguiente(dia: date) -> date:
    return date(dia.year + 1, 1, 1) if dia.month == 12 else date(dia.year, dia.month + 1, 1)


def periodos_hasta(hoy: date, meses: int) -> list[date]:
    """The `meses` periods ending last month, oldest first."""
    anio, mes = hoy.year, hoy.month
    periodos = []
    for _ in range(meses):
        anio, mes = (anio - 1, 12) if mes == 1 else (anio, mes - 1)
        periodos.append(date(anio, mes, 1))
    return periodos[::-1]


def _salario_minimo(periodo: date) -> int:
    minimo = SALARIOS_MINIMOS[0][1]
    for desde, valor in SALARIOS_MINIMOS:
        if periodo >= desde:
            minimo = valor
    return minimo


def _c(centavos: int) -> Decimal:
    return Decimal(centavos).scaleb(-2)


def _d(centavos: int) -> str:
    return f"{centavos // 100}.{centavos % 100:02d}"


class Calculo:
    """The rules (cuentas.reglas) in integer cents, memoised: a roster repeats month after month, so
    each (salary, rates) pair is computed once with the very code the services use."""

    def __init__(self, reglas: Reglas):
        self.reglas = reglas
        self._tasas: dict = {}
        self._cot: dict = {}
        self._venc: dict = {}
        self._insaforp: dict = {}

    def tasas(self, periodo: date, especial: bool) -> tuple:
        clave = (periodo, especial)
        tasas = self._tasas.get(clave)
        if tasas is None:
            C, v = Parametro.Clave, self.reglas.valor
            p, l = ((C.TASA_PATRONAL_ESPECIAL, C.TASA_LABORAL_ESPECIAL) if especial else (C.TASA_PATRONAL, C.TASA_LABORAL))
            tasas = self._tasas[clave] = (v(C.TOPE_COTIZABLE, periodo), v(p, periodo), v(l, periodo), especial)
        return tasas

    def cotizacion(self, salario: int, periodo: date, tasas: tuple) -> tuple[int, int, int]:
        """(afecto, patronal, laboral) in cents for one worker line."""
        clave = (salario, tasas)
        r = self._cot.get(clave)
        if r is None:
            afecto, patronal, laboral = self.reglas.cotizacion(_c(salario), periodo, tasas[3])
            r = self._cot[clave] = (int(afecto * 100), int(patronal * 100), int(laboral * 100))
        return r

    def insaforp(self, afecto: int, trabajadores: int, periodo: date) -> int:
        activo = self._insaforp.get(periodo)
        if activo is None:
            activo = self._insaforp[periodo] = self.reglas.valor(Parametro.Clave.INSAFORP_HABILITADO, periodo) == 1
        return int(self.reglas.insaforp(_c(afecto), trabajadores, periodo) * 100) if activo else 0

    def vencimiento(self, periodo: date) -> date:
        venc = self._venc.get(periodo)
        if venc is None:
            venc = self._venc[periodo] = self.reglas.vencimiento(periodo)
        return venc

    def recargo(self, monto: int, vencimiento: date, fecha: date) -> int:
        if fecha <= vencimiento:
            return 0
        return int(self.reglas.recargo(_c(monto), vencimiento, fecha) * 100)


@dataclass(slots=True)
class PlanPlanilla:
    periodo: date
    tipo: str
    presentacion: date
    vencimiento: date
    trabajadores: int
    salarios: int
    patronal: int
    laboral: int
    insaforp: int
    # (afiliado, dui, nombre, salario, dias, afecto, patronal, laboral); None: totals only
    lineas: list | None


@dataclass(slots=True)
class PlanPago:
    fecha: date
    periodo: date
    monto: int
    canal: str
    referencia: str
    npe: str = ""


@dataclass
class PlanCuenta:
    perfil: str
    eventos: list  # PlanPlanilla | PlanPago, in the order they happen


def _dia_habil(dia: date) -> date:
    while dia.weekday() >= 5:
        dia += timedelta(days=1)
    return dia


class _Plantilla:
    """An employer's workforce: workers come and go, the minimum wage moves, a few earn a lot."""

    def __init__(self, rng: random.Random, n: int):
        self.rng = rng
        self.trabajadores = [self._nuevo() for _ in range(n)]
        self.version = 0

    def _nuevo(self, nuevo=False) -> list:
        rng = self.rng
        nombre = f"{rng.choice(NOMBRES)} {rng.choice(APELLIDOS)} {rng.choice(APELLIDOS)}"
        dui = ""
        if rng.random() < 0.45:
            primeros = f"{rng.randrange(10**6, 10**8):08d}"
            dui = primeros + dui_digito_verificador(primeros)
        tramo = rng.random()
        if tramo < 0.62:  # at or just above the minimum wage
            clase, base = "minimo", 0 if rng.random() < 0.55 else rng.randrange(1, 44) * 100
        elif tramo < 0.95:
            clase, base = "fijo", rng.randrange(500, 1501) * 100
        else:  # above the $1,000 ceiling
            clase, base = "fijo", rng.randrange(1501, 4001) * 100
        # [afiliado, dui, nombre, clase, base, dias del primer mes]
        return [f"{rng.randrange(10**8, 10**9)}", dui, nombre, clase, base, rng.randrange(8, 31) if nuevo else 30]

    def mes(self) -> None:
        rng = self.rng
        for t in self.trabajadores:
            t[5] = 30
        r = rng.random()
        if r < 0.10:
            self.trabajadores[rng.randrange(len(self.trabajadores))] = self._nuevo(nuevo=True)
            self.version += 1
        elif r < 0.13 and len(self.trabajadores) < 45:
            self.trabajadores.append(self._nuevo(nuevo=True))
            self.version += 1
        elif r < 0.16 and len(self.trabajadores) > 3:
            self.trabajadores.pop(rng.randrange(len(self.trabajadores)))
            self.version += 1

    @staticmethod
    def salario(t: list, minimo: int) -> int:
        return minimo + t[4] if t[3] == "minimo" else max(t[4], minimo)


def historia_planear(*, numero: str, semilla: int, periodos: list[date], especial: bool, calculo: Calculo,
                     hoy: date, con_lineas: bool, perfil: str | None = None) -> PlanCuenta:
    """The events of one cuenta: a planilla per period and its receipts. Deterministic per
    (semilla, número): the same employer behaves the same whatever else is loaded."""
    rng = random.Random(semilla * 10**12 + int(numero))
    ruido = random.Random(semilla * 10**12 + int(numero) + 1)  # line-level noise: behaviour must not depend on it
    perfil = perfil or rng.choices([PUNTUAL, IRREGULAR, MOROSO], weights=[68, 20, 12])[0]
    tamano = rng.choices([(3, 10), (11, 20), (21, 40)], weights=[50, 30, 20])[0]
    plantilla = _Plantilla(rng, rng.randint(*tamano))
    tipo = rng.choices(TIPOS_PLANILLA, weights=PESOS_TIPOS)[0]
    canal_habitual = rng.choices(CANALES_PAGO, weights=PESOS_CANALES)[0]
    corte = len(periodos)
    if perfil == MOROSO:  # stops paying: the last 2–18 periods are unpaid (some partly)
        corte = max(0, len(periodos) - rng.randint(2, min(18, max(2, len(periodos)))))
    tardanza = {PUNTUAL: 0.04, IRREGULAR: 0.30, MOROSO: 0.25}[perfil]
    totales_cache = {}
    eventos: list = []
    for i, periodo in enumerate(periodos):
        if i:
            plantilla.mes()
        minimo = _salario_minimo(periodo)
        tasas = calculo.tasas(periodo, especial)
        lineas = None
        clave = (plantilla.version, minimo, tasas)
        if con_lineas:
            lineas, salarios, afecto, patronal, laboral = [], 0, 0, 0, 0
            for t in plantilla.trabajadores:
                salario = _Plantilla.salario(t, minimo)
                a, p, l = calculo.cotizacion(salario, periodo, tasas)
                dias = t[5] if ruido.random() > 0.03 else ruido.randint(10, 29)
                lineas.append((t[0], t[1], t[2], salario, dias, a, p, l))
                salarios += salario
                afecto += a
                patronal += p
                laboral += l
        else:
            totales = totales_cache.get(clave)
            if totales is None:
                salarios = afecto = patronal = laboral = 0
                for t in plantilla.trabajadores:
                    salario = _Plantilla.salario(t, minimo)
                    a, p, l = calculo.cotizacion(salario, periodo, tasas)
                    salarios += salario
                    afecto += a
                    patronal += p
                    laboral += l
                totales = totales_cache[clave] = (salarios, afecto, patronal, laboral)
            salarios, afecto, patronal, laboral = totales
        n = len(plantilla.trabajadores)
        vencimiento = calculo.vencimiento(periodo)
        presentacion = min(hoy, _dia_habil(_mes_siguiente(periodo) + timedelta(days=rng.randrange(0, 8))))
        insaforp = calculo.insaforp(afecto, n, periodo)
        eventos.append(PlanPlanilla(periodo, tipo, presentacion, vencimiento, n, salarios, patronal, laboral,
                                    insaforp, lineas))
        # The receipt(s) of the period.
        partes = [m for m in (laboral, patronal, insaforp) if m > 0]
        total = sum(partes)
        if not total:
            continue
        canal = canal_habitual if rng.random() < 0.85 else rng.choices(CANALES_PAGO, weights=PESOS_CANALES)[0]
        referencia = f"{periodo:%Y%m}{numero}"
        if i >= corte:
            if rng.random() < 0.2:  # a partial payment, late, then nothing
                fecha = vencimiento + timedelta(days=rng.randint(5, 60))
                if fecha <= hoy:
                    monto = total * rng.randint(30, 80) // 100
                    eventos.append(PlanPago(fecha, periodo, monto, canal, referencia + "1"))
            continue
        if rng.random() < tardanza:
            atraso = rng.randint(1, 25) if perfil == PUNTUAL else rng.choice([rng.randint(2, 40), rng.randint(30, 150)])
            fecha = max(presentacion, vencimiento) + timedelta(days=atraso)
            # The bank computes the surcharge (per obligation, as the services do) and collects it too,
            # except for some irregular payers, who leave the surcharge owing.
            con_recargo = perfil == PUNTUAL or rng.random() < 0.5
            monto = total + (sum(calculo.recargo(m, vencimiento, fecha) for m in partes) if con_recargo else 0)
        else:
            ultimo = max(presentacion, vencimiento)
            fecha = presentacion + timedelta(days=rng.randint(0, (ultimo - presentacion).days))
            monto = total
        if fecha > hoy:
            continue  # not paid yet
        npe = f"0313{numero}{periodo:%Y%m}{monto:010d}" if canal == "SPU" else ""
        eventos.append(PlanPago(fecha, periodo, monto, canal, referencia + "1", npe))
    # In date order; on the same day a planilla before the receipts.
    eventos.sort(key=lambda e: (e.presentacion, 0) if isinstance(e, PlanPlanilla) else (e.fecha, 1))
    return PlanCuenta(perfil, eventos)


class _Ids:
    """Primary keys handed out in blocks from the tables' sequences, so rows can reference each
    other (and claves can name them) before they are copied in."""

    BLOQUE = 20000

    def __init__(self):
        self._libres: dict[str, list[int]] = {}
        self._secuencias: dict[str, str] = {}

    def __call__(self, tabla: str) -> int:
        libres = self._libres.get(tabla)
        if not libres:
            with connection.cursor() as cursor:
                if tabla not in self._secuencias:
                    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [tabla])
                    self._secuencias[tabla] = cursor.fetchone()[0]
                cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [self._secuencias[tabla], self.BLOQUE])
                libres = self._libres[tabla] = [fila[0] for fila in cursor.fetchall()][::-1]
        return libres.pop()


def _texto(valor: str) -> str:
    return valor.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


class _Ob:
    __slots__ = ("id", "concepto", "saldo", "vencimiento", "origen")

    def __init__(self, id_, concepto, saldo, vencimiento, origen):
        self.id, self.concepto, self.saldo, self.vencimiento, self.origen = id_, concepto, saldo, vencimiento, origen


_NULO = "\\N"  # NULL in COPY text format
COLUMNAS = {
    "cuentas_planilla": "id, cuenta_id, periodo, tipo, fecha_presentacion, vencimiento, trabajadores, total_salarios, "
                        "total_patronal, total_laboral, total_insaforp, creado_por_id",
    "cuentas_lineaplanilla": "planilla_id, numero_afiliado, dui, nombre, salario, dias, salario_afecto, "
                             "cotizacion_patronal, cotizacion_laboral",
    "cuentas_obligacion": "id, cuenta_id, concepto, periodo, fecha_origen, vencimiento, monto, saldo, planilla_id, "
                          "base_id, documento_numero, descripcion, soporte, creado_por_id",
    "cuentas_recibo": "id, canal, referencia, fecha_pago, monto, numero_patronal, periodo, npe, cuenta_id, creado_por_id",
    "cuentas_asiento": "id, clave, tipo, fecha_valor, descripcion, actor_id, recibo_id",
    "cuentas_lineaasiento": "asiento_id, fecha_valor, cuenta_contable_codigo, cuenta_id, obligacion_id, recibo_id, debe, haber",
}


class EscritorLibro:
    """Turns plans into rows, as cuentas.services would write them, and copies them in.

    Mirrors: planilla_registrar (planilla, lines, obligations laboral/patronal/INSAFORP, asiento
    `planilla:<id>`), recibo_registrar (receipt, asiento `recibo:<canal>:<ref>`) and cuenta_compensar
    for a receipt naming its period (contributions in imputation order, each late one raising its
    recargo, then the period's recargos; asiento `aplicacion:<recibo>:1`)."""

    def __init__(self, *, actor_id: int, calculo: Calculo, ids: _Ids | None = None):
        self.actor_id = actor_id
        self.calculo = calculo
        self.ids = ids or _Ids()
        self.filas: dict[str, list[str]] = {tabla: [] for tabla in COLUMNAS}
        self.planillas = self.lineas = self.recibos = 0

    # --- rows ---------------------------------------------------------------------------------
    def _asiento(self, clave, tipo, fecha, descripcion, recibo_id=None) -> int:
        aid = self.ids("cuentas_asiento")
        self.filas["cuentas_asiento"].append(
            f"{aid}\t{_texto(clave)}\t{tipo}\t{fecha}\t{_texto(descripcion[:250])}\t{self.actor_id}\t"
            f"{_NULO if recibo_id is None else recibo_id}")
        self._fecha_de = (aid, fecha)  # its legs follow it at once and carry its date
        return aid

    def _pierna(self, aid, codigo, cuenta_id, *, debe=0, haber=0, obligacion_id=None, recibo_id=None) -> None:
        asiento, fecha = self._fecha_de
        assert asiento == aid, "las líneas se escriben justo después de su asiento"
        self.filas["cuentas_lineaasiento"].append(
            f"{aid}\t{fecha}\t{codigo}\t{_NULO if cuenta_id is None else cuenta_id}\t"
            f"{_NULO if obligacion_id is None else obligacion_id}\t{_NULO if recibo_id is None else recibo_id}\t"
            f"{_d(debe)}\t{_d(haber)}")

    def _obligacion(self, cuenta_id, concepto, periodo, origen, vencimiento, monto, planilla_id=None, base_id=None,
                    descripcion="") -> int:
        oid = self.ids("cuentas_obligacion")
        self.filas["cuentas_obligacion"].append(
            f"{oid}\t{cuenta_id}\t{concepto}\t{periodo}\t{origen}\t{vencimiento}\t{_d(monto)}\t0.00\t"
            f"{_NULO if planilla_id is None else planilla_id}\t{_NULO if base_id is None else base_id}\t\t{_texto(descripcion)}\t\t"
            f"{self.actor_id}")
        return oid

    # --- events -------------------------------------------------------------------------------
    def cuenta(self, *, cuenta_id: int, numero: str, plan: PlanCuenta) -> None:
        abiertas: dict[date, list[_Ob]] = {}
        for evento in plan.eventos:
            if isinstance(evento, PlanPlanilla):
                self._planilla(cuenta_id, numero, evento, abiertas)
            else:
                self._pago(cuenta_id, numero, evento, abiertas)

    def _planilla(self, cuenta_id, numero, p: PlanPlanilla, abiertas) -> None:
        pid = self.ids("cuentas_planilla")
        self.planillas += 1
        self.filas["cuentas_planilla"].append(
            f"{pid}\t{cuenta_id}\t{p.periodo}\t{p.tipo}\t{p.presentacion}\t{p.vencimiento}\t{p.trabajadores}\t"
            f"{_d(p.salarios)}\t{_d(p.patronal)}\t{_d(p.laboral)}\t{_d(p.insaforp)}\t{self.actor_id}")
        if p.lineas:
            filas = self.filas["cuentas_lineaplanilla"]
            for afiliado, dui, nombre, salario, dias, afecto, patronal, laboral in p.lineas:
                filas.append(f"{pid}\t{afiliado}\t{dui}\t{nombre}\t{_d(salario)}\t{dias}\t{_d(afecto)}\t"
                             f"{_d(patronal)}\t{_d(laboral)}")
            self.lineas += len(p.lineas)
        nuevas = []
        for concepto, monto in zip(_COT, (p.laboral, p.patronal, p.insaforp)):
            if monto > 0:
                oid = self._obligacion(cuenta_id, concepto, p.periodo, p.presentacion, p.vencimiento, monto, planilla_id=pid)
                nuevas.append((oid, concepto, monto))
        if not nuevas:
            return
        aid = self._asiento(f"planilla:{pid}", Asiento.Tipo.CARGO, p.presentacion,
                            f"Planilla {p.tipo} {p.periodo:%Y-%m} de {numero}")
        for oid, concepto, monto in nuevas:
            self._pierna(aid, contabilidad.cuenta_por_cobrar(concepto), cuenta_id, debe=monto, obligacion_id=oid)
            self._pierna(aid, contabilidad.cuenta_de_ingreso(concepto), cuenta_id, haber=monto)
        abiertas.setdefault(p.periodo, []).extend(_Ob(oid, c, m, p.vencimiento, p.presentacion) for oid, c, m in nuevas)

    def _pago(self, cuenta_id, numero, r: PlanPago, abiertas) -> None:
        rid = self.ids("cuentas_recibo")
        self.recibos += 1
        self.filas["cuentas_recibo"].append(
            f"{rid}\t{r.canal}\t{r.referencia}\t{r.fecha}\t{_d(r.monto)}\t{numero}\t{r.periodo}\t{r.npe}\t{cuenta_id}\t"
            f"{self.actor_id}")
        aid = self._asiento(f"recibo:{r.canal}:{r.referencia}", Asiento.Tipo.RECIBO, r.fecha,
                            f"Recibo {r.canal} {r.referencia}", rid)
        self._pierna(aid, contabilidad.BANCOS, None, debe=r.monto, recibo_id=rid)
        self._pierna(aid, _POR_APLICAR, cuenta_id, haber=r.monto, recibo_id=rid)
        # cuenta_compensar for a receipt naming its period: that period only.
        cola = [o for o in abiertas.get(r.periodo, ()) if o.saldo > 0]
        disponible = r.monto
        abonos, nuevas, fecha_valor = [], [], r.fecha
        for o in cola:  # contributions: laboral, patronal, INSAFORP (creation order)
            if o.concepto == Concepto.RECARGO or not disponible:
                continue
            monto = min(disponible, o.saldo)
            recargo = self.calculo.recargo(monto, o.vencimiento, r.fecha)
            o.saldo -= monto
            disponible -= monto
            abonos.append((o, monto))
            fecha_valor = max(fecha_valor, o.origen)
            if recargo > 0:
                nuevas.append((o, recargo))
        recargos = sorted((o for o in cola if o.concepto == Concepto.RECARGO), key=lambda o: (o.vencimiento, o.id))
        creadas = []
        for base, monto in nuevas:
            creadas.append(_Ob(None, Concepto.RECARGO, monto, None, None))
        for o in [*recargos, *creadas]:
            if not disponible:
                break
            monto = min(disponible, o.saldo)
            o.saldo -= monto
            disponible -= monto
            abonos.append((o, monto))
            if o.origen is not None:
                fecha_valor = max(fecha_valor, o.origen)
        if not abonos:
            return
        aid = self._asiento(f"aplicacion:{rid}:1", Asiento.Tipo.APLICACION, fecha_valor,
                            f"Aplicación del recibo {r.canal} {r.referencia}", rid)
        pendientes = abiertas.setdefault(r.periodo, [])
        for (base, monto), ob in zip(nuevas, creadas):
            ob.id = self._obligacion(cuenta_id, Concepto.RECARGO, r.periodo, fecha_valor, fecha_valor, monto,
                                     base_id=base.id, descripcion=f"Recargo por pago tardío ({r.canal} {r.referencia})")
            ob.vencimiento = ob.origen = fecha_valor
            self._pierna(aid, contabilidad.cuenta_por_cobrar(Concepto.RECARGO), cuenta_id, debe=monto, obligacion_id=ob.id)
            self._pierna(aid, contabilidad.cuenta_de_ingreso(Concepto.RECARGO), cuenta_id, haber=monto)
            pendientes.append(ob)
        total = 0
        for o, monto in abonos:
            self._pierna(aid, contabilidad.cuenta_por_cobrar(o.concepto), cuenta_id, haber=monto, obligacion_id=o.id)
            total += monto
        self._pierna(aid, _POR_APLICAR, cuenta_id, debe=total, recibo_id=rid)
        abiertas[r.periodo] = [o for o in pendientes if o.saldo > 0]

    # --- output -------------------------------------------------------------------------------
    def pendiente(self) -> int:
        return len(self.filas["cuentas_lineaasiento"])

    def tomar(self) -> dict[str, list[str]]:
        filas, self.filas = self.filas, {tabla: [] for tabla in COLUMNAS}
        return filas


def copiar(filas: dict[str, list[str]]) -> None:
    """COPY the rows in dependency order (the leg trigger reads each obligation), in one
    transaction: the deferred checks (balance, foreign keys) run at its commit."""
    with transaction.atomic(), connection.cursor() as cursor:
        for tabla, columnas in COLUMNAS.items():
            if filas[tabla]:
                datos = io.StringIO("\n".join(filas[tabla]) + "\n")
                cursor.copy_expert(f"COPY {tabla} ({columnas}) FROM STDIN", datos)


@dataclass
class ResumenLibro:
    planillas: int = 0
    lineas: int = 0
    recibos: int = 0
    cuentas: int = 0
    perfiles: dict = field(default_factory=dict)  # perfil -> [cuenta ids] (a sample, for the services part)


def _copiar_en_hilo(filas: dict[str, list[str]]) -> None:
    try:
        copiar(filas)
    finally:
        connection.close()  # this thread's own connection


def historia_cargar(*, semilla: int, meses: int, hoy: date | None = None, cuentas=None,
                    meses_de: Callable[[int], int] | None = None, lineas_hasta: int = LINEAS_HASTA,
                    hilos: int = 0, avisar: Callable[[str], None] | None = None,
                    filas_por_lote: int = 60_000) -> ResumenLibro:
    """Give each patronal cuenta `meses` months of history ending last month.

    `cuentas`: a queryset of patronal cuentas (default: all); `meses_de(i)` overrides the months of
    the i-th employer (by deudor id); employers beyond `lineas_hasta` get planillas without lines.
    Most of the cost is PostgreSQL running the guards on every leg, so with `hilos` > 0 batches are
    copied by that many threads (each its own connection and transaction) while this one generates
    the next; ids are still handed out here, in order, so the rows do not depend on it. Only outside
    a test transaction (`hilos=0` there)."""
    from issscobros.models import Usuario

    hoy = hoy or date.today()
    actor = Usuario.objects.get(username="tecnico")
    calculo = Calculo(Reglas.cargar())
    escritor = EscritorLibro(actor_id=actor.pk, calculo=calculo)
    cuentas = cuentas if cuentas is not None else Cuenta.objects.all()
    filas = list(cuentas.filter(tipo=Cuenta.Tipo.PATRONAL).order_by("deudor_id", "numero")
                 .values_list("pk", "numero", "deudor_id", "deudor__regimen_especial"))
    # Employer rank among all patronos, so "the first 5,000" does not depend on what is loaded now.
    rango = {d: i for i, d in enumerate(Deudor.objects.filter(tipo=Deudor.Tipo.PATRONO).order_by("pk")
                                        .values_list("pk", flat=True))}
    resumen = ResumenLibro(cuentas=len(filas))
    periodos_por_meses: dict[int, list[date]] = {}
    ejecutor = ThreadPoolExecutor(max_workers=hilos) if hilos > 0 else None
    pendientes: list = []
    avisado = 0

    def volcar():
        lote = escritor.tomar()
        if ejecutor is None:
            copiar(lote)
            return
        while len(pendientes) >= hilos:
            pendientes.pop(0).result()
        pendientes.append(ejecutor.submit(_copiar_en_hilo, lote))

    try:
        for hechas, (cuenta_id, numero, deudor_id, especial) in enumerate(filas, start=1):
            i = rango.get(deudor_id, len(rango))
            n_meses = meses_de(i) if meses_de else meses
            periodos = periodos_por_meses.get(n_meses) or periodos_por_meses.setdefault(n_meses, periodos_hasta(hoy, n_meses))
            plan = historia_planear(numero=numero, semilla=semilla, periodos=periodos, especial=especial,
                                    calculo=calculo, hoy=hoy, con_lineas=i < lineas_hasta)
            escritor.cuenta(cuenta_id=cuenta_id, numero=numero, plan=plan)
            muestra = resumen.perfiles.setdefault(plan.perfil, [])
            if len(muestra) < 500:
                muestra.append(cuenta_id)
            if escritor.pendiente() >= filas_por_lote:
                volcar()
                if avisar and hechas * 20 // len(filas) > avisado:  # every 5 %
                    avisado = hechas * 20 // len(filas)
                    avisar(f"historia: {hechas}/{len(filas)} cuentas, {escritor.planillas} planillas")
        volcar()
        for futuro in pendientes:
            futuro.result()
    finally:
        if ejecutor is not None:
            ejecutor.shutdown(wait=True)
    resumen.planillas, resumen.lineas, resumen.recibos = escritor.planillas, escritor.lineas, escritor.recibos
    return resumen


# -------------------------------------------------------------------------------------------------
# The rarer operations, through the services (each one audited, as a user would do them).

MOTIVOS_MULTA = [
    "No inscribir oportunamente a trabajadores en el régimen del Seguro Social",
    "Presentar la planilla de cotizaciones fuera del plazo legal",
    "No proporcionar a Inspección la información requerida",
    "Declarar en planilla salarios inferiores a los devengados",
    "No permitir la inspección en el centro de trabajo",
]
LUGARES_ARRENDAMIENTO = ["cafetería del Hospital General", "local comercial del Hospital Médico Quirúrgico",
                         "espacio para cajero automático, Unidad Médica Ilopango", "kiosko del Hospital de Oncología",
                         "local de fotocopias, Consultorio de Especialidades"]
SERVICIOS = ["Atención de emergencia a no derechohabiente", "Hospitalización de beneficiario no cubierto",
             "Exámenes de laboratorio a ex empleado", "Consulta de especialidad a no derechohabiente",
             "Cirugía ambulatoria a beneficiario con derechos vencidos"]


def _cerca(n: int, divisor: int, minimo: int, maximo: int) -> int:
    return max(minimo, min(maximo, n // divisor))


def operaciones_cargar(*, semilla: int, perfiles: dict, hoy: date | None = None) -> dict:
    """Fines, an annulment and an exoneration under four eyes, late payments of mora, unidentified
    receipts and other receivables, all through cuentas.services."""
    from cuentas.services.ajustes import solicitud_aprobar, solicitud_proponer
    from cuentas.services.cargos import cargo_registrar
    from cuentas.services.pagos import recibo_registrar
    from issscobros.models import Usuario

    hoy = hoy or date.today()
    rng = random.Random(semilla * 7919 + 17)
    tecnico = Usuario.objects.get(username="tecnico")
    coordinador = Usuario.objects.get(username="coordinador")
    reglas = Reglas.cargar()
    hechos = {"multas": 0, "anulaciones": 0, "exoneraciones": 0, "pagos_tardios": 0, "sin_identificar": 0, "otros": 0}
    cuentas = {c.pk: c for c in Cuenta.objects.select_related("deudor").filter(
        pk__in=[pk for lista in perfiles.values() for pk in lista])}
    puntuales = sorted(pk for pk in perfiles.get(PUNTUAL, []) if pk in cuentas)
    morosos = sorted(pk for pk in perfiles.get(MOROSO, []) + perfiles.get(IRREGULAR, []) if pk in cuentas)
    total = len(cuentas)
    anio = hoy.year

    # Fines (LSS Art. 95, $1.14–$57.14), by resolution; about half paid at the cashier.
    multas = []
    for k, pk in enumerate(rng.sample(puntuales, min(len(puntuales), _cerca(total, 40, 3, 40)))):
        origen = hoy - timedelta(days=rng.randint(20, 300))
        monto = Decimal(rng.choice([114, 571, 1143, 2286, 3429, 5714, rng.randint(114, 5714)])).scaleb(-2)
        resolucion = f"RES-INSP-{origen.year}-{k + 1:04d}"
        multa = cargo_registrar(
            actor=tecnico, cuenta=cuentas[pk], concepto=Concepto.MULTA, monto=monto, periodo=None,
            fecha_origen=origen, vencimiento=origen + timedelta(days=30), documento_numero=resolucion,
            documento_fecha=origen, descripcion=rng.choice(MOTIVOS_MULTA))
        multas.append(multa)
        hechos["multas"] += 1
        if k % 2 == 1:
            recibo_registrar(actor=tecnico, canal="COLECTURIA", referencia=f"COL-{resolucion}",
                             fecha_pago=min(hoy, origen + timedelta(days=rng.randint(3, 40))), monto=monto,
                             numero_patronal=cuentas[pk].numero, reglas=reglas)

    # Annulment of a fine imposed by mistake: proposed by the technician, approved by the coordinator.
    abiertas = [m for m in multas if Obligacion.objects.get(pk=m.pk).saldo > 0]
    for multa in abiertas[:_cerca(total, 500, 1, 5)]:
        solicitud = solicitud_proponer(
            actor=tecnico, tipo=SolicitudAjuste.Tipo.ANULACION, cuenta=cuentas[multa.cuenta_id], obligaciones=[multa],
            fecha_corte=min(hoy, multa.fecha_origen + timedelta(days=15)),
            motivo=f"La resolución {multa.documento_numero} fue revocada: el patrono demostró la inscripción oportuna.")
        solicitud_aprobar(actor=coordinador, solicitud=solicitud, nota="Verificado con la resolución de revocatoria.")
        hechos["anulaciones"] += 1

    # Late payments of periods in mora, through the service: it posts the surcharges.
    en_mora = []
    for pk in morosos:
        periodos = sorted({p for p in Obligacion.objects.filter(cuenta_id=pk, concepto__in=_COT, saldo__gt=0,
                                                               vencimiento__lt=hoy - timedelta(days=30))
                           .values_list("periodo", flat=True)})
        if periodos:
            en_mora.append((pk, periodos))
    rng.shuffle(en_mora)
    cantidad = _cerca(total, 60, 2, 20)
    for k, (pk, periodos) in enumerate(en_mora[:cantidad]):
        periodo = periodos[0]
        adeudado = sum(Obligacion.objects.filter(cuenta_id=pk, periodo=periodo, concepto__in=_COT)
                       .values_list("saldo", flat=True))
        recibo_registrar(actor=tecnico, canal=rng.choice(CANALES_PAGO[:6]), referencia=f"MORA{periodo:%Y%m}{cuentas[pk].numero}",
                         fecha_pago=hoy - timedelta(days=rng.randint(1, 10)), monto=adeudado,
                         numero_patronal=cuentas[pk].numero, periodo=periodo, reglas=reglas)
        hechos["pagos_tardios"] += 1

    # Exoneration of surcharges (LSS Art. 14 r, transacción) for employers still in mora: the
    # posted recargos and those accrued to the cut-off date.
    for k, (pk, periodos) in enumerate(en_mora[cantidad:cantidad + _cerca(total, 300, 1, 5)]):
        cuenta = cuentas[pk]
        recargos = list(Obligacion.objects.filter(cuenta=cuenta, concepto=Concepto.RECARGO, saldo__gt=0))
        corte = hoy - timedelta(days=rng.randint(1, 20))
        solicitud = solicitud_proponer(
            actor=tecnico, tipo=SolicitudAjuste.Tipo.EXONERACION, cuenta=cuenta, obligaciones=recargos,
            incluye_recargos_devengados=True, fecha_corte=corte, porcentaje=Decimal(rng.choice([100, 100, 50])),
            motivo="Transacción extrajudicial: el patrono pagará las cotizaciones adeudadas en convenio.",
            acuerdo_numero=f"CD-{corte.year}-{k + 101:04d}", acuerdo_fecha=corte)
        solicitud_aprobar(actor=coordinador, solicitud=solicitud, nota="Acuerdo del Consejo Directivo.")
        hechos["exoneraciones"] += 1

    # Receipts nobody can identify yet (no número or a mistyped one): the technicians' queue.
    for k in range(_cerca(total, 50, 3, 25)):
        fecha = hoy - timedelta(days=rng.randint(1, 45))
        numero = "" if k % 2 == 0 else f"9{rng.randrange(10**7, 10**8)}"
        recibo_registrar(actor=tecnico, canal=rng.choice(CANALES_PAGO), referencia=f"{fecha:%Y%m%d}{rng.randrange(10**5, 10**6)}{k}",
                         fecha_pago=fecha, monto=Decimal(rng.randint(3000, 250000)).scaleb(-2), numero_patronal=numero,
                         reglas=reglas)
        hechos["sin_identificar"] += 1

    # Other receivables: rent of ISSS premises, medical services to non-beneficiaries, supplier fines.
    otras = list(Cuenta.objects.exclude(tipo=Cuenta.Tipo.PATRONAL).order_by("pk"))
    periodos = periodos_hasta(hoy, 12)
    for k, cuenta in enumerate([c for c in otras if c.tipo == Cuenta.Tipo.ARRENDAMIENTO][:4]):
        canon = Decimal(rng.choice([350, 450, 600, 850, 1200])).quantize(Decimal("0.01"))
        contrato = f"ARR-{periodos[0].year}-{k + 11:03d}"
        lugar = rng.choice(LUGARES_ARRENDAMIENTO)
        impagos = rng.randint(0, 3)
        for j, periodo in enumerate(periodos):
            vence = periodo + timedelta(days=9)
            cargo_registrar(actor=tecnico, cuenta=cuenta, concepto=Concepto.ARRENDAMIENTO, monto=canon, periodo=periodo,
                            fecha_origen=periodo, vencimiento=vence, documento_numero=f"{contrato}/{periodo:%Y-%m}",
                            documento_fecha=periodo, descripcion=f"Canon de arrendamiento, {lugar}")
            if j < len(periodos) - impagos:
                recibo_registrar(actor=tecnico, canal="COLECTURIA", referencia=f"{contrato}-{periodo:%Y%m}",
                                 fecha_pago=vence - timedelta(days=rng.randint(0, 8)), monto=canon,
                                 numero_patronal=cuenta.numero, periodo=periodo, reglas=reglas)
        hechos["otros"] += 1
    for k, cuenta in enumerate([c for c in otras if c.tipo == Cuenta.Tipo.SERVICIOS_MEDICOS][:6]):
        # Billed two months to a year ago: already due when the demo's payroll deduction is signed.
        origen = hoy - timedelta(days=rng.randint(75, 400))
        monto = Decimal(rng.randint(4500, 90000)).scaleb(-2)
        cargo_registrar(actor=tecnico, cuenta=cuenta, concepto=Concepto.SERVICIOS_MEDICOS, monto=monto, periodo=None,
                        fecha_origen=origen, vencimiento=origen + timedelta(days=30),
                        documento_numero=f"FAC-SM-{origen.year}-{k + 1:05d}", documento_fecha=origen,
                        descripcion=rng.choice(SERVICIOS))
        if k % 3 != 2:  # paid in part
            recibo_registrar(actor=tecnico, canal="COLECTURIA", referencia=f"SM-{origen:%Y%m%d}-{k + 1}",
                             fecha_pago=origen + timedelta(days=rng.randint(5, 25)),
                             monto=(monto * Decimal(rng.choice([25, 50, 75])) / 100).quantize(Decimal("0.01")),
                             numero_patronal=cuenta.numero, reglas=reglas)
        hechos["otros"] += 1
    otros_conceptos = {Cuenta.Tipo.CONTRATO_PROVEEDOR: (Concepto.MULTA_CONTRACTUAL, "Multa por entrega tardía de insumos médicos"),
                       Cuenta.Tipo.SEGURO: (Concepto.RECUPERACION_SEGURO, "Recuperación por siniestro de vehículo institucional")}
    for tipo, (concepto, descripcion) in otros_conceptos.items():
        for k, cuenta in enumerate([c for c in otras if c.tipo == tipo][:2]):
            origen = hoy - timedelta(days=rng.randint(30, 200))
            cargo_registrar(actor=tecnico, cuenta=cuenta, concepto=concepto, monto=Decimal(rng.randint(50000, 900000)).scaleb(-2),
                            periodo=None, fecha_origen=origen, vencimiento=origen + timedelta(days=30),
                            documento_numero=f"{concepto[:3].upper()}-{origen.year}-{k + 1:04d}", documento_fecha=origen,
                            descripcion=descripcion)
            hechos["otros"] += 1
    return hechos


def cargar(*, deudores: int, meses: int, semilla: int, hoy: date | None = None, hilos: int = 2,
           avisar: Callable[[str], None] | None = None) -> Resumen:
    """Load the demo data once: users always (their password is reset), the rest only into an
    empty registry so a second `make run` keeps what the first loaded. `hilos`: threads copying the
    ledger history (0 inside a test transaction, which other connections cannot see)."""
    resumen = Resumen()
    sucursales = sucursales_cargar()
    resumen.sucursales = len(sucursales)
    central = next(s for s in sucursales if s.codigo == "SS01")
    resumen.usuarios = len(usuarios_demo_cargar(central))
    if not Deudor.objects.exists():
        resumen.deudores, resumen.cuentas = deudores_cargar(n=deudores, semilla=semilla, sucursales=sucursales)
        inicio = time.perf_counter()
        hilos = 0 if connection.in_atomic_block else hilos  # other connections would not see our rows
        libro = historia_cargar(semilla=semilla, meses=meses, hoy=hoy, hilos=hilos, avisar=avisar)
        operaciones = operaciones_cargar(semilla=semilla, perfiles=libro.perfiles, hoy=hoy)
        from mora.demo import mora_demo_cargar  # cases, actions, plan, correspondence (after the ledger)
        operaciones["mora"] = mora_demo_cargar(semilla=semilla, hoy=hoy)
        from convenios.demo import convenios_demo_cargar  # agreements in every state (after the cases)
        operaciones["convenios"] = convenios_demo_cargar(semilla=semilla, hoy=hoy)
        from solvencias.demo import solvencias_demo_cargar  # some issued, one annulled, electronic ones
        operaciones["solvencias"] = solvencias_demo_cargar(semilla=semilla)
        from mora.demo import mora_demo_cerrar  # SLA review and dashboard snapshot, once every app has data
        operaciones["mora"].update(mora_demo_cerrar(hoy=hoy))
        resumen.planillas, resumen.lineas, resumen.recibos = libro.planillas, libro.lineas, libro.recibos
        resumen.segundos_libro = time.perf_counter() - inicio
        auditar(actor=None, accion="demo.cargar",
                despues={"deudores": deudores, "meses": meses, "semilla": semilla, "planillas": libro.planillas,
                         "lineas": libro.lineas, "recibos": libro.recibos, **operaciones})
    return resumen
