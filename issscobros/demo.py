"""Deterministic synthetic data for demos, browser tests and the bench (CONTRACTS §4).

Same `semilla` → same rows. Bulk inserts (not the services) so 50,000 employers load in seconds;
the registry's constraints still apply because they live in the database. Later issues add their
planillas, payments and cases through `cargar`'s hooks."""
import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from stdnum.sv import nit as stdnum_nit

from cuentas.busqueda import normalizar
from cuentas.identificadores import dui_digito_verificador
from cuentas.models import Cuenta, Deudor

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
    otros = max(1, n // 50)
    tipos = [Deudor.Tipo.PATRONO] * n + [
        rng.choice([Deudor.Tipo.PROVEEDOR, Deudor.Tipo.ARRENDATARIO, Deudor.Tipo.ASEGURADORA, Deudor.Tipo.EMPLEADO])
        for _ in range(otros)
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


def cargar(*, deudores: int, meses: int, semilla: int) -> Resumen:
    """Load the demo data once: users always (their password is reset), the rest only into an
    empty registry so a second `make run` keeps what the first loaded."""
    resumen = Resumen()
    sucursales = sucursales_cargar()
    resumen.sucursales = len(sucursales)
    central = next(s for s in sucursales if s.codigo == "SS01")
    resumen.usuarios = len(usuarios_demo_cargar(central))
    if not Deudor.objects.exists():
        resumen.deudores, resumen.cuentas = deudores_cargar(n=deudores, semilla=semilla, sucursales=sucursales)
        auditar(actor=None, accion="demo.cargar",
                despues={"deudores": deudores, "meses": meses, "semilla": semilla})
    return resumen
