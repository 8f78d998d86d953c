"""CSV imports of CONTRACTS §5: planillas and pagos. All or nothing: every row is validated first and
every error is reported as `línea N, columna C: mensaje`; only a clean file is applied, in one
transaction. A file already imported (same SHA-256) is not applied again."""
import csv
import hashlib
import io
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from issscobros.auditoria import auditar
from issscobros.errores import ErrorDeNegocio
from issscobros.models import Sucursal

from . import identificadores
from .busqueda import normalizar
from .models import Canal, Cuenta, Deudor, Importacion, Planilla
from .reglas import Reglas, periodo_de

COLUMNAS_PLANILLAS = ["numero_patronal", "nit", "razon_social", "periodo", "tipo_planilla", "fecha_presentacion",
                      "numero_afiliado", "dui", "nombre", "salario", "dias"]
COLUMNAS_PAGOS = ["referencia", "fecha_pago", "monto", "numero_patronal", "periodo", "npe", "canal"]


class ErroresDeArchivo(Exception):
    def __init__(self, errores: list[str]):
        super().__init__("\n".join(errores))
        self.errores = errores


@dataclass
class Resultado:
    ya_importado: bool
    resumen: str
    importacion: Importacion | None = None
    detalle: dict = field(default_factory=dict)


def _leer(contenido: bytes, columnas: list[str]) -> list[tuple[int, dict]]:
    try:
        texto = contenido.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ErroresDeArchivo(["línea 1, columna -: el archivo no está en UTF-8"])
    lector = csv.DictReader(io.StringIO(texto, newline=""))
    encabezado = [c.strip() for c in (lector.fieldnames or [])]
    faltan = [c for c in columnas if c not in encabezado]
    if faltan:
        raise ErroresDeArchivo([f"línea 1, columna {c}: falta la columna" for c in faltan])
    filas = []
    for numero, fila in enumerate(lector, start=2):
        if None in fila:
            raise ErroresDeArchivo([f"línea {numero}, columna -: la fila tiene más columnas que el encabezado"])
        filas.append((numero, {k.strip(): (v or "").strip() for k, v in fila.items()}))
    if not filas:
        raise ErroresDeArchivo(["línea 2, columna -: el archivo no tiene filas"])
    return filas


class _Validador:
    def __init__(self):
        self.errores: list[str] = []

    def error(self, linea, columna, mensaje):
        self.errores.append(f"línea {linea}, columna {columna}: {mensaje}")

    def fecha(self, linea, columna, valor) -> date | None:
        try:
            return date.fromisoformat(valor)
        except ValueError:
            self.error(linea, columna, f"'{valor}' no es una fecha AAAA-MM-DD")

    def periodo(self, linea, columna, valor, opcional=False) -> date | None:
        if opcional and not valor:
            return None
        try:
            return periodo_de(valor)
        except ValueError as exc:
            self.error(linea, columna, str(exc))

    def monto(self, linea, columna, valor, positivo=False) -> Decimal | None:
        try:
            monto = Decimal(valor)
            if not monto.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.error(linea, columna, f"'{valor}' no es un número")
            return None
        if monto.as_tuple().exponent < -2:
            self.error(linea, columna, f"'{valor}' tiene más de 2 decimales")
        elif positivo and monto <= 0:
            self.error(linea, columna, f"{valor} debe ser mayor que cero")
        elif monto < 0:
            self.error(linea, columna, f"{valor} no puede ser negativo")
        else:
            return monto


def _sha(contenido: bytes) -> str:
    return hashlib.sha256(contenido).hexdigest()


def planillas_importar(*, actor, contenido: bytes, nombre_archivo: str) -> Resultado:
    from .services.planillas import LineaTrabajador, planilla_registrar

    sha = _sha(contenido)
    previa = Importacion.objects.filter(tipo=Importacion.Tipo.PLANILLAS, sha256=sha).first()
    if previa:
        return Resultado(True, f"El archivo ya fue importado el {previa.creado_en:%d/%m/%Y %H:%M} ({previa.nombre_archivo}); no se guardó nada nuevo.", previa)
    filas = _leer(contenido, COLUMNAS_PLANILLAS)
    v = _Validador()
    grupos: OrderedDict = OrderedDict()
    empleadores: dict[str, tuple[str, str, int]] = {}
    tipos = set(Planilla.Tipo.values)
    for n, f in filas:
        antes = len(v.errores)
        numero = f["numero_patronal"]
        try:
            numero = identificadores.numero_patronal_validar(numero)
        except ValidationError as exc:
            v.error(n, "numero_patronal", exc.messages[0])
        try:
            nit = identificadores.nit_validar(f["nit"])
        except ValidationError as exc:
            v.error(n, "nit", exc.messages[0])
            nit = None
        if not f["razon_social"]:
            v.error(n, "razon_social", "no puede estar vacía")
        periodo = v.periodo(n, "periodo", f["periodo"])
        tipo = f["tipo_planilla"].upper()
        if tipo not in tipos:
            v.error(n, "tipo_planilla", f"'{f['tipo_planilla']}' no es uno de {', '.join(sorted(tipos))}")
        presentacion = v.fecha(n, "fecha_presentacion", f["fecha_presentacion"])
        afiliado = f["numero_afiliado"]
        if not afiliado.isdigit() or len(afiliado) > 15:
            v.error(n, "numero_afiliado", f"'{afiliado}' debe ser de dígitos (hasta 15)")
        dui = ""
        if f["dui"]:
            try:
                dui = identificadores.dui_validar(f["dui"])
            except ValidationError as exc:
                v.error(n, "dui", exc.messages[0])
        if not f["nombre"]:
            v.error(n, "nombre", "no puede estar vacío")
        salario = v.monto(n, "salario", f["salario"])
        try:
            dias = int(f["dias"])
            if not 0 <= dias <= 31:
                v.error(n, "dias", f"{dias} está fuera del rango 0–31")
        except ValueError:
            v.error(n, "dias", f"'{f['dias']}' no es un número entero")
            dias = None
        if nit and numero:
            anterior = empleadores.setdefault(numero, (nit, f["razon_social"], n))
            if anterior[0] != nit:
                v.error(n, "nit", f"el número patronal {numero} aparece con otro NIT en la línea {anterior[2]}")
        if len(v.errores) == antes:
            grupos.setdefault((numero, periodo, tipo), {"presentacion": presentacion, "lineas": [], "linea": n})
            grupos[(numero, periodo, tipo)]["lineas"].append(
                LineaTrabajador(numero_afiliado=afiliado, nombre=f["nombre"], salario=salario, dias=dias, dui=dui))
    # A known número patronal must belong to the same NIT.
    existentes = {c.numero: c for c in Cuenta.objects.select_related("deudor").filter(numero__in=empleadores)}
    for numero, (nit, _, linea) in empleadores.items():
        cuenta = existentes.get(numero)
        if cuenta and cuenta.deudor.nit != nit:
            v.error(linea, "nit", f"el número patronal {numero} pertenece a otro NIT ({cuenta.deudor.nit_formateado})")
    if v.errores:
        raise ErroresDeArchivo(v.errores)
    reglas = Reglas.cargar()
    with transaction.atomic():
        importacion = Importacion.objects.create(tipo=Importacion.Tipo.PLANILLAS, nombre_archivo=nombre_archivo,
                                                 sha256=sha, filas=len(filas), actor=actor)
        cuentas = _cuentas_para(actor=actor, empleadores=empleadores, existentes=existentes)
        errores = []
        planillas = 0
        for (numero, periodo, tipo), grupo in grupos.items():
            try:
                with transaction.atomic():
                    planilla_registrar(actor=actor, cuenta=cuentas[numero], periodo=periodo, tipo=tipo,
                                       fecha_presentacion=grupo["presentacion"], lineas=grupo["lineas"],
                                       importacion=importacion, reglas=reglas)
                planillas += 1
            except ErrorDeNegocio as exc:
                errores.append(f"línea {grupo['linea']}, columna tipo_planilla: {exc.mensaje}")
        if errores:  # leaving the atomic block by exception undoes the whole file
            raise ErroresDeArchivo(errores)
        resumen = f"{planillas} planillas, {len(filas)} líneas de trabajadores importadas de {nombre_archivo}."
        importacion.resumen = {"planillas": planillas, "lineas": len(filas)}
        importacion.save(update_fields=["resumen"])
        auditar(actor=actor, accion="importacion.planillas", objeto=importacion, despues=importacion.resumen)
    return Resultado(False, resumen, importacion, importacion.resumen)


def _cuentas_para(*, actor, empleadores, existentes) -> dict[str, Cuenta]:
    """Unknown employers are created from the file's NIT and name (CONTRACTS §5.1)."""
    from .services.registro import cuenta_crear, deudor_crear

    cuentas = dict(existentes)
    faltan = {n: d for n, d in empleadores.items() if n not in cuentas}
    if not faltan:
        return cuentas
    sucursal = getattr(actor, "sucursal", None) or Sucursal.objects.order_by("pk").first()
    if sucursal is None:
        sucursal = Sucursal.objects.create(codigo="SS01", nombre="Sucursal San Salvador Centro")
    deudores = {d.nit: d for d in Deudor.objects.filter(nit__in=[nit for nit, *_ in faltan.values()])}
    for numero, (nit, razon, _) in faltan.items():
        deudor = deudores.get(nit)
        if deudor is None:
            deudor = deudores[nit] = deudor_crear(actor=actor, datos={
                "tipo": Deudor.Tipo.PATRONO, "nit": nit, "razon_social": razon, "sucursal": sucursal})
        cuentas[numero] = cuenta_crear(actor=actor, deudor=deudor, datos={
            "tipo": Cuenta.Tipo.PATRONAL, "numero": numero, "fecha_apertura": date.today()})
    return cuentas


def pagos_importar(*, actor, contenido: bytes, nombre_archivo: str) -> Resultado:
    from .services.pagos import recibo_registrar

    sha = _sha(contenido)
    previa = Importacion.objects.filter(tipo=Importacion.Tipo.PAGOS, sha256=sha).first()
    if previa:
        return Resultado(True, f"El archivo ya fue importado el {previa.creado_en:%d/%m/%Y %H:%M} ({previa.nombre_archivo}); no se guardó nada nuevo.", previa)
    filas = _leer(contenido, COLUMNAS_PAGOS)
    v = _Validador()
    canales = set(Canal.objects.filter(activo=True).values_list("codigo", flat=True))
    vistos: dict[tuple[str, str], int] = {}
    validas = []
    for n, f in filas:
        antes = len(v.errores)
        if not f["referencia"]:
            v.error(n, "referencia", "no puede estar vacía")
        fecha = v.fecha(n, "fecha_pago", f["fecha_pago"])
        monto = v.monto(n, "monto", f["monto"], positivo=True)
        numero = f["numero_patronal"]
        if numero and not identificadores.solo_digitos(numero).isdigit():
            v.error(n, "numero_patronal", f"'{numero}' debe ser de dígitos")
        periodo = v.periodo(n, "periodo", f["periodo"], opcional=True)
        npe = f["npe"]
        if npe and (not npe.isdigit() or len(npe) > 34):
            v.error(n, "npe", "debe ser de dígitos, hasta 34")
        canal = f["canal"].upper()
        if canal not in canales:
            v.error(n, "canal", f"'{f['canal']}' no es un canal conocido ({', '.join(sorted(canales))})")
        clave = (canal, f["referencia"])
        if clave in vistos:
            v.error(n, "referencia", f"repetida en la línea {vistos[clave]} para el canal {canal}")
        vistos.setdefault(clave, n)
        if len(v.errores) == antes:
            validas.append((canal, f["referencia"], fecha, monto, identificadores.solo_digitos(numero), periodo, npe))
    if v.errores:
        raise ErroresDeArchivo(v.errores)
    reglas = Reglas.cargar()
    with transaction.atomic():
        importacion = Importacion.objects.create(tipo=Importacion.Tipo.PAGOS, nombre_archivo=nombre_archivo,
                                                 sha256=sha, filas=len(filas), actor=actor)
        nuevos = repetidos = sin_identificar = 0
        for canal, referencia, fecha, monto, numero, periodo, npe in validas:
            registro = recibo_registrar(actor=actor, canal=canal, referencia=referencia, fecha_pago=fecha, monto=monto,
                                        numero_patronal=numero, periodo=periodo, npe=npe, importacion=importacion,
                                        reglas=reglas)
            if not registro.creado:
                repetidos += 1
            else:
                nuevos += 1
                sin_identificar += registro.recibo.cuenta_id is None
        importacion.resumen = {"recibos": nuevos, "ya_registrados": repetidos, "sin_identificar": sin_identificar}
        importacion.save(update_fields=["resumen"])
        auditar(actor=actor, accion="importacion.pagos", objeto=importacion, despues=importacion.resumen)
    resumen = (f"{nuevos} recibos importados de {nombre_archivo} ({sin_identificar} sin identificar, "
               f"{repetidos} ya registrados antes).")
    return Resultado(False, resumen, importacion, importacion.resumen)
