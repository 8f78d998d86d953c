"""CSV imports of CONTRACTS §5: planillas and pagos. All or nothing: every row is validated first and
every error is reported as `línea N, columna C: mensaje`; only a clean file is applied, in one
transaction. A file already imported (same SHA-256) is not applied again."""
import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.expressions import RawSQL

from issscobros.auditoria import auditar
from issscobros.errores import ErrorDeNegocio
from issscobros.models import Sucursal

from . import identificadores
from .busqueda import normalizar
from .models import Canal, Cuenta, Deudor, Importacion, LineaPlanilla, Planilla
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


def _leer_listas(contenido: bytes, columnas: list[str]) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    """(column -> index, [(line number, stripped values)]). csv.reader rather than DictReader (pure
    Python per row); the same rules: blank rows skipped, short rows padded with "", longer refused."""
    try:
        texto = contenido.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ErroresDeArchivo(["línea 1, columna -: el archivo no está en UTF-8"])
    lector = csv.reader(io.StringIO(texto, newline=""))
    claves = [c.strip() for c in next(lector, None) or []]
    faltan = [c for c in columnas if c not in claves]
    if faltan:
        raise ErroresDeArchivo([f"línea 1, columna {c}: falta la columna" for c in faltan])
    indice = {c: i for i, c in enumerate(claves)}  # a repeated header: the last one wins, as in a dict
    ancho = len(claves)
    filas = []
    numero = 1
    for fila in lector:
        if not fila:
            continue
        numero += 1
        if len(fila) != ancho:
            if len(fila) > ancho:
                raise ErroresDeArchivo([f"línea {numero}, columna -: la fila tiene más columnas que el encabezado"])
            fila += [""] * (ancho - len(fila))
        filas.append((numero, list(map(str.strip, fila))))
    if not filas:
        raise ErroresDeArchivo(["línea 2, columna -: el archivo no tiene filas"])
    return indice, filas


def _leer(contenido: bytes, columnas: list[str]) -> list[tuple[int, dict]]:
    indice, filas = _leer_listas(contenido, columnas)
    return [(n, {c: fila[i] for c, i in indice.items()}) for n, fila in filas]


class _Validador:
    def __init__(self, vistos: dict | None = None):
        self.errores: list = []
        self._vistos: dict[tuple, tuple] = {} if vistos is None else vistos  # (kind, text) -> (value, error)

    def error(self, linea, columna, mensaje):
        self.errores.append(f"línea {linea}, columna {columna}: {mensaje}")

    def _memo(self, linea, columna, tipo, valor, convertir):
        clave = (tipo, valor)
        visto = self._vistos.get(clave)
        if visto is None:
            try:
                visto = (convertir(valor), None)
            except ValidationError as exc:
                visto = (None, exc.messages[0])
            except ValueError as exc:
                visto = (None, str(exc))
            self._vistos[clave] = visto
        if visto[1] is not None:
            self.error(linea, columna, visto[1])
        return visto[0]

    def fecha(self, linea, columna, valor) -> date | None:
        def convertir(texto):
            try:
                return date.fromisoformat(texto)
            except ValueError:
                raise ValueError(f"'{texto}' no es una fecha AAAA-MM-DD")
        return self._memo(linea, columna, "fecha", valor, convertir)

    def periodo(self, linea, columna, valor, opcional=False) -> date | None:
        if opcional and not valor:
            return None
        return self._memo(linea, columna, "periodo", valor, periodo_de)

    def identificador(self, linea, columna, valor, validar):
        """NIT / número patronal / DUI through their validators (ValidationError), memoised."""
        return self._memo(linea, columna, validar.__name__, valor, validar)

    def monto(self, linea, columna, valor, positivo=False) -> Decimal | None:
        monto, mensaje = _monto(valor, positivo)
        if mensaje:
            self.error(linea, columna, mensaje)
        return monto


class _Anotador(_Validador):
    """Keeps (columna, mensaje) to be repeated on every row that brings the same text."""

    def error(self, linea, columna, mensaje):
        self.errores.append((columna, mensaje))


def _monto(valor: str, positivo=False) -> tuple[Decimal | None, str | None]:
    try:
        monto = Decimal(valor)
        if not monto.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        return None, f"'{valor}' no es un número"
    if monto.as_tuple().exponent < -2:
        return None, f"'{valor}' tiene más de 2 decimales"
    if positivo and monto <= 0:
        return None, f"{valor} debe ser mayor que cero"
    if monto < 0:
        return None, f"{valor} no puede ser negativo"
    return monto, None


def _dias(valor: str) -> tuple[int | None, str | None]:
    try:
        dias = int(valor)
    except ValueError:
        return None, f"'{valor}' no es un número entero"
    return (dias, None) if 0 <= dias <= 31 else (None, f"{dias} está fuera del rango 0–31")


def _sha(contenido: bytes) -> str:
    return hashlib.sha256(contenido).hexdigest()


def planillas_importar(*, actor, contenido: bytes, nombre_archivo: str) -> Resultado:
    from .services.planillas import LineaTrabajador, NuevaPlanilla, PlanillasRepetidas, planillas_registrar

    sha = _sha(contenido)
    previa = Importacion.objects.filter(tipo=Importacion.Tipo.PLANILLAS, sha256=sha).first()
    if previa:
        return Resultado(True, f"El archivo ya fue importado el {previa.creado_en:%d/%m/%Y %H:%M} ({previa.nombre_archivo}); no se guardó nada nuevo.", previa)
    indice, filas = _leer_listas(contenido, COLUMNAS_PLANILLAS)
    (c_numero, c_nit, c_razon, c_periodo, c_tipo, c_presentacion, c_afiliado, c_dui, c_nombre, c_salario,
     c_dias) = (indice[c] for c in COLUMNAS_PLANILLAS)
    v = _Validador()
    grupos: dict = {}
    empleadores: dict[str, tuple[str, str, int]] = {}
    tipos = set(Planilla.Tipo.values)
    largo_razon = Deudor._meta.get_field("razon_social").max_length
    largo_nombre = LineaPlanilla._meta.get_field("nombre").max_length
    dui_validar = identificadores.dui_validar

    def encabezado(n, numero, nit, razon, periodo, tipo, presentacion):
        """The planilla part of a row, checked once per distinct text (a planilla's rows repeat it):
        (group key or None, presentación, errors before the worker columns, errors after them)."""
        a = _Anotador(v._vistos)
        numero = a.identificador(n, "numero_patronal", numero, identificadores.numero_patronal_validar)
        nit = a.identificador(n, "nit", nit, identificadores.nit_validar)
        if not razon:
            a.error(n, "razon_social", "no puede estar vacía")
        elif len(razon) > largo_razon:
            a.error(n, "razon_social", f"tiene más de {largo_razon} caracteres")
        periodo = a.periodo(n, "periodo", periodo)
        if tipo.upper() not in tipos:
            a.error(n, "tipo_planilla", f"'{tipo}' no es uno de {', '.join(sorted(tipos))}")
        presentacion = a.fecha(n, "fecha_presentacion", presentacion)
        despues = []
        if nit and numero:  # the first row of a número patronal fixes its NIT for the file
            anterior = empleadores.setdefault(numero, (nit, razon, n))
            if anterior[0] != nit:
                despues.append(("nit", f"el número patronal {numero} aparece con otro NIT en la línea {anterior[2]}"))
        return (None if a.errores else (numero, periodo, tipo.upper())), presentacion, a.errores, despues

    encabezados: dict[tuple, tuple] = {}
    salarios: dict[str, tuple] = {}  # text -> (value, error)
    dias_de: dict[str, tuple] = {}
    for n, f in filas:
        texto = (f[c_numero], f[c_nit], f[c_razon], f[c_periodo], f[c_tipo], f[c_presentacion])
        e = encabezados.get(texto)
        if e is None:
            e = encabezados[texto] = encabezado(n, *texto)
        clave, presentacion, antes, despues = e
        for columna, mensaje in antes:
            v.error(n, columna, mensaje)
        valida = clave is not None and not despues
        afiliado, dui, nombre = f[c_afiliado], f[c_dui], f[c_nombre]
        if not afiliado.isdigit() or len(afiliado) > 15:
            v.error(n, "numero_afiliado", f"'{afiliado}' debe ser de dígitos (hasta 15)")
            valida = False
        if dui:
            try:
                dui = dui_validar(dui)
            except ValidationError as exc:
                v.error(n, "dui", exc.messages[0])
                valida = False
        if not nombre:
            v.error(n, "nombre", "no puede estar vacío")
            valida = False
        elif len(nombre) > largo_nombre:
            v.error(n, "nombre", f"tiene más de {largo_nombre} caracteres")
            valida = False
        salario = salarios.get(f[c_salario])
        if salario is None:
            salario = salarios[f[c_salario]] = _monto(f[c_salario])
        if salario[1]:
            v.error(n, "salario", salario[1])
            valida = False
        dias = dias_de.get(f[c_dias])
        if dias is None:
            dias = dias_de[f[c_dias]] = _dias(f[c_dias])
        if dias[1]:
            v.error(n, "dias", dias[1])
            valida = False
        for columna, mensaje in despues:
            v.error(n, columna, mensaje)
        if valida:
            grupo = grupos.get(clave)
            if grupo is None:
                grupo = grupos[clave] = {"presentacion": presentacion, "lineas": [], "linea": n}
            grupo["lineas"].append(LineaTrabajador(afiliado, nombre, salario[0], dias[0], dui))
    # A known número patronal must belong to the same NIT.
    # IN over a subquery of an array: an IN list would prepare each of thousands of values in Python.
    existentes = {c.numero: c for c in Cuenta.objects.select_related("deudor")
                  .filter(numero__in=RawSQL("SELECT unnest(%s::text[])", [list(empleadores)]))
                  .defer("deudor__busqueda", "deudor__nombre_normalizado")}
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
        claves = list(grupos)
        nuevas = [NuevaPlanilla(cuentas[numero], periodo, tipo, grupos[(numero, periodo, tipo)]["presentacion"],
                                grupos[(numero, periodo, tipo)]["lineas"]) for numero, periodo, tipo in claves]
        try:
            planillas_registrar(actor=actor, nuevas=nuevas, importacion=importacion, reglas=reglas)
        except PlanillasRepetidas as exc:  # leaving the atomic block by exception undoes the whole file
            raise ErroresDeArchivo([f"línea {grupos[claves[i]]['linea']}, columna tipo_planilla: {mensaje}"
                                    for i, mensaje in sorted(exc.errores.items())])
        except ErrorDeNegocio as exc:
            raise ErroresDeArchivo([f"línea {grupos[claves[0]]['linea']}, columna tipo_planilla: {exc.mensaje}"])
        planillas = len(nuevas)
        resumen = f"{planillas} planillas, {len(filas)} líneas de trabajadores importadas de {nombre_archivo}."
        importacion.resumen = {"planillas": planillas, "lineas": len(filas)}
        importacion.save(update_fields=["resumen"])
        auditar(actor=actor, accion="importacion.planillas", objeto=importacion, despues=importacion.resumen)
    return Resultado(False, resumen, importacion, importacion.resumen)


def _cuentas_para(*, actor, empleadores, existentes) -> dict[str, Cuenta]:
    """Unknown employers are created from the file's NIT and name (CONTRACTS §5.1): what
    services.registro's deudor_crear / cuenta_crear do for one, set-wise for a file that may bring
    hundreds (same fields, same normalised name, one audit entry each)."""
    from issscobros.auditoria import instantanea
    from issscobros.models import RegistroAuditoria

    from .services.registro import CAMPOS_CUENTA, CAMPOS_DEUDOR

    cuentas = dict(existentes)
    faltan = {n: d for n, d in empleadores.items() if n not in cuentas}
    if not faltan:
        return cuentas
    sucursal = getattr(actor, "sucursal", None) or Sucursal.objects.order_by("pk").first()
    if sucursal is None:
        sucursal = Sucursal.objects.create(codigo="SS01", nombre="Sucursal San Salvador Centro")
    deudores = {d.nit: d for d in Deudor.objects.filter(nit__in=[nit for nit, *_ in faltan.values()])}
    nuevos_deudores = {}
    for nit, razon, _ in faltan.values():
        if nit not in deudores and nit not in nuevos_deudores:
            deudor = Deudor(tipo=Deudor.Tipo.PATRONO, nit=nit, razon_social=razon, sucursal=sucursal)
            deudor.nombre_normalizado = normalizar(f"{deudor.razon_social} {deudor.nombre_comercial}")
            nuevos_deudores[nit] = deudor
    hoy = date.today()
    try:
        with transaction.atomic():
            Deudor.objects.bulk_create(list(nuevos_deudores.values()), batch_size=2000)
            deudores.update(nuevos_deudores)
            nuevas = [Cuenta(deudor=deudores[nit], tipo=Cuenta.Tipo.PATRONAL, numero=numero, fecha_apertura=hoy)
                      for numero, (nit, _, _) in faltan.items()]
            Cuenta.objects.bulk_create(nuevas, batch_size=2000)
    except IntegrityError:  # created by someone else meanwhile
        linea = min(l for *_, l in faltan.values())
        raise ErroresDeArchivo([f"línea {linea}, columna numero_patronal: otra operación registró al mismo tiempo "
                                "uno de estos patronos; importe de nuevo."])
    con_actor = actor if actor is not None and actor.is_authenticated else None
    tipos = ContentType.objects.get_for_models(Deudor, Cuenta)
    RegistroAuditoria.objects.bulk_create(
        [RegistroAuditoria(actor=con_actor, accion="deudor.crear", tipo_objeto=tipos[Deudor], objeto_id=str(d.pk),
                           objeto_repr=str(d)[:250], despues=instantanea(d, CAMPOS_DEUDOR))
         for d in nuevos_deudores.values()]
        + [RegistroAuditoria(actor=con_actor, accion="cuenta.crear", tipo_objeto=tipos[Cuenta], objeto_id=str(c.pk),
                             objeto_repr=str(c)[:250], despues=instantanea(c, CAMPOS_CUENTA)) for c in nuevas],
        batch_size=2000)
    for cuenta in nuevas:
        cuentas[cuenta.numero] = cuenta
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
