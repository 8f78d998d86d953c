"""CSV imports of CONTRACTS §5: planillas and pagos. All or nothing: every row is validated first and
every error is reported as `línea N, columna C: mensaje`; only a clean file is applied, in one
transaction. A file already imported (same SHA-256) is not applied again."""
import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from operator import eq, itemgetter

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.expressions import RawSQL

from issscobros.auditoria import auditar
from issscobros.errores import ErrorDeNegocio
from issscobros.models import Sucursal
from issscobros.recolector import sin_recolector

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


def _leer_columnas(contenido: bytes, columnas: list[str]) -> tuple[int, dict[str, tuple[str, ...]]]:
    """(rows, column -> its stripped values, one per row; row i is line i + 2). csv.reader rather
    than DictReader, and the work done column by column, in C loops over the file's tens of
    thousands of rows. The rules: blank rows skipped (not counted), short rows padded with "",
    longer ones refused; a repeated header: the last one wins, as in a dict."""
    try:
        texto = contenido.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ErroresDeArchivo(["línea 1, columna -: el archivo no está en UTF-8"])
    lector = csv.reader(io.StringIO(texto, newline=""))
    claves = [c.strip() for c in next(lector, None) or []]
    faltan = [c for c in columnas if c not in claves]
    if faltan:
        raise ErroresDeArchivo([f"línea 1, columna {c}: falta la columna" for c in faltan])
    indice = {c: i for i, c in enumerate(claves)}
    ancho = len(claves)
    filas = list(filter(None, lector))
    if not filas:
        raise ErroresDeArchivo(["línea 2, columna -: el archivo no tiene filas"])
    if min(map(len, filas)) != ancho or max(map(len, filas)) != ancho:
        for numero, fila in enumerate(filas, start=2):
            if len(fila) > ancho:
                raise ErroresDeArchivo([f"línea {numero}, columna -: la fila tiene más columnas que el encabezado"])
            fila += [""] * (ancho - len(fila))
    todas = list(zip(*filas))
    return len(filas), {c: tuple(map(str.strip, todas[indice[c]])) for c in columnas}


def _leer(contenido: bytes, columnas: list[str]) -> list[tuple[int, dict]]:
    _, valores = _leer_columnas(contenido, columnas)
    return [(n, dict(zip(columnas, fila))) for n, fila in enumerate(zip(*valores.values()), start=2)]


def _convertir(convertir, texto: str) -> tuple:
    """(value, None), or (None, message) when `convertir` refuses the text."""
    try:
        return convertir(texto), None
    except ValidationError as exc:
        return None, exc.messages[0]
    except ValueError as exc:
        return None, str(exc)


class _Validador:
    def __init__(self):
        self.errores: list = []
        self._vistos: dict[tuple, tuple] = {}  # (kind, text) -> (value, error)

    def error(self, linea, columna, mensaje):
        self.errores.append(f"línea {linea}, columna {columna}: {mensaje}")

    def _memo(self, linea, columna, tipo, valor, convertir):
        visto = self._vistos.get((tipo, valor))
        if visto is None:
            visto = self._vistos[(tipo, valor)] = _convertir(convertir, valor)
        if visto[1] is not None:
            self.error(linea, columna, visto[1])
        return visto[0]

    def fecha(self, linea, columna, valor) -> date | None:
        return self._memo(linea, columna, "fecha", valor, _fecha)

    def periodo(self, linea, columna, valor, opcional=False) -> date | None:
        if opcional and not valor:
            return None
        return self._memo(linea, columna, "periodo", valor, periodo_de)

    def monto(self, linea, columna, valor, positivo=False) -> Decimal | None:
        monto, mensaje = _monto(valor, positivo)
        if mensaje:
            self.error(linea, columna, mensaje)
        return monto


def _fecha(texto: str) -> date:
    try:
        return date.fromisoformat(texto)
    except ValueError:
        raise ValueError(f"'{texto}' no es una fecha AAAA-MM-DD")


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


def _afiliado(valor: str) -> tuple[str | None, str | None]:
    if not valor.isdigit() or len(valor) > 15:
        return None, f"'{valor}' debe ser de dígitos (hasta 15)"
    return valor, None


def _dui(valor: str) -> tuple[str | None, str | None]:
    return ("", None) if not valor else _convertir(identificadores.dui_validar, valor)


_LARGO_NOMBRE = LineaPlanilla._meta.get_field("nombre").max_length
_LARGO_RAZON = Deudor._meta.get_field("razon_social").max_length


def _nombre(valor: str) -> tuple[str | None, str | None]:
    if not valor:
        return None, "no puede estar vacío"
    if len(valor) > _LARGO_NOMBRE:
        return None, f"tiene más de {_LARGO_NOMBRE} caracteres"
    return valor, None


# The worker columns of §5.1 and how each text is checked and converted, in the order errors are listed.
_COLUMNAS_TRABAJADOR = (("numero_afiliado", _afiliado), ("dui", _dui), ("nombre", _nombre), ("salario", _monto),
                        ("dias", _dias))


def _sha(contenido: bytes) -> str:
    return hashlib.sha256(contenido).hexdigest()


@sin_recolector()  # a file's rows and tuples made full collections a quarter of its Python time
def planillas_importar(*, actor, contenido: bytes, nombre_archivo: str) -> Resultado:
    """A file brings tens of thousands of rows but few distinct texts per column (a planilla repeats
    its employer columns on every row; salaries repeat): each distinct text is checked once, and
    only a file with errors is walked row by row to name them, in row then column order."""
    from .services.planillas import LineaTrabajador, NuevaPlanilla, PlanillasRepetidas, planillas_registrar

    sha = _sha(contenido)
    previa = Importacion.objects.filter(tipo=Importacion.Tipo.PLANILLAS, sha256=sha).first()
    if previa:
        return Resultado(True, f"El archivo ya fue importado el {previa.creado_en:%d/%m/%Y %H:%M} ({previa.nombre_archivo}); no se guardó nada nuevo.", previa)
    filas, columnas = _leer_columnas(contenido, COLUMNAS_PLANILLAS)
    encabezados = list(zip(*(columnas[c] for c in COLUMNAS_PLANILLAS[:6])))
    primeras = dict(zip(reversed(encabezados), range(filas + 1, 1, -1)))  # text -> its first line
    vistos: dict[tuple, tuple] = {}
    empleadores: dict[str, tuple[str, str, int]] = {}  # número patronal -> (NIT, razón social, first line)
    tipos = set(Planilla.Tipo.values)

    def campo(columna, texto, convertir, errores):
        visto = vistos.get((columna, texto))
        if visto is None:
            visto = vistos[(columna, texto)] = _convertir(convertir, texto)
        if visto[1] is not None:
            errores.append((columna, visto[1]))
        return visto[0]

    def encabezado(n, numero, nit, razon, periodo, tipo, presentacion):
        """The planilla part of a row (its first six columns), once per distinct text: (group key or
        None, presentación, errors before the worker columns, errors after them)."""
        antes = []
        numero = campo("numero_patronal", numero, identificadores.numero_patronal_validar, antes)
        nit = campo("nit", nit, identificadores.nit_validar, antes)
        if not razon:
            antes.append(("razon_social", "no puede estar vacía"))
        elif len(razon) > _LARGO_RAZON:
            antes.append(("razon_social", f"tiene más de {_LARGO_RAZON} caracteres"))
        periodo = campo("periodo", periodo, periodo_de, antes)
        if tipo.upper() not in tipos:
            antes.append(("tipo_planilla", f"'{tipo}' no es uno de {', '.join(sorted(tipos))}"))
        presentacion = campo("fecha_presentacion", presentacion, _fecha, antes)
        despues = []
        if nit and numero:  # the first row of a número patronal fixes its NIT for the file
            anterior = empleadores.setdefault(numero, (nit, razon, n))
            if anterior[0] != nit:
                despues.append(("nit", f"el número patronal {numero} aparece con otro NIT en la línea {anterior[2]}"))
        return (None if antes else (numero, periodo, tipo.upper())), presentacion, antes, despues

    cabeceras = {texto: encabezado(n, *texto) for texto, n in sorted(primeras.items(), key=itemgetter(1))}
    valores, mensajes = {}, {}  # column -> {text: value} (None: every value is its text), {text: error}
    for c, convertir in _COLUMNAS_TRABAJADOR:
        distintos = list(set(columnas[c]))
        convertidos, problemas = zip(*map(convertir, distintos))
        mensajes[c] = {t: m for t, m in zip(distintos, problemas) if m} if any(problemas) else {}
        valores[c] = None if all(map(eq, distintos, convertidos)) else dict(zip(distintos, convertidos))
    errores = []
    if any(antes or despues for _, _, antes, despues in cabeceras.values()) or any(mensajes.values()):
        for n, texto, *celdas in zip(range(2, filas + 2), encabezados, *(columnas[c] for c, _ in _COLUMNAS_TRABAJADOR)):
            _, _, antes, despues = cabeceras[texto]
            errores += [f"línea {n}, columna {c}: {m}" for c, m in antes]
            errores += [f"línea {n}, columna {c}: {mensajes[c][t]}"
                        for (c, _), t in zip(_COLUMNAS_TRABAJADOR, celdas) if t in mensajes[c]]
            errores += [f"línea {n}, columna {c}: {m}" for c, m in despues]
    # A known número patronal must belong to the same NIT.
    # IN over a subquery of an array: an IN list would prepare each of thousands of values in Python.
    existentes = {numero: (pk, nit, especial) for numero, pk, nit, especial in Cuenta.objects
                  .filter(numero__in=RawSQL("SELECT unnest(%s::text[])", [list(empleadores)]))
                  .values_list("numero", "pk", "deudor__nit", "deudor__regimen_especial")}
    for numero, (nit, _, linea) in empleadores.items():
        cuenta = existentes.get(numero)
        if cuenta and cuenta[1] != nit:
            errores.append(f"línea {linea}, columna nit: el número patronal {numero} pertenece a otro NIT "
                           f"({identificadores.nit_formatear(cuenta[1])})")
    if errores:
        raise ErroresDeArchivo(errores)
    # Plain tuples in LineaTrabajador's order, built in C.
    lineas = zip(*(columnas[c] if valores[c] is None else map(valores[c].__getitem__, columnas[c])
                   for c in LineaTrabajador._fields))
    primera_de: dict[tuple, tuple] = {}  # (número, periodo, tipo) -> the text of its first row
    for texto, (clave, *_) in cabeceras.items():  # in the order of their first row
        primera_de.setdefault(clave, texto)
    grupos = {clave: [] for clave in primera_de}  # -> its rows' lines, in file order
    for clave, linea in zip(map({t: e[0] for t, e in cabeceras.items()}.__getitem__, encabezados), lineas):
        grupos[clave].append(linea)
    reglas = Reglas.cargar()
    with transaction.atomic():
        importacion = Importacion.objects.create(tipo=Importacion.Tipo.PLANILLAS, nombre_archivo=nombre_archivo,
                                                 sha256=sha, filas=filas, actor=actor)
        cuentas = _cuentas_para(actor=actor, empleadores=empleadores, existentes=existentes)
        claves = list(grupos)
        nuevas = [NuevaPlanilla(cuenta_id=cuentas[clave[0]][0], numero_patronal=clave[0],
                                regimen_especial=cuentas[clave[0]][1], periodo=clave[1], tipo=clave[2],
                                fecha_presentacion=cabeceras[primera_de[clave]][1], lineas=grupos[clave])
                  for clave in claves]
        try:
            planillas_registrar(actor=actor, nuevas=nuevas, importacion=importacion, reglas=reglas)
        except PlanillasRepetidas as exc:  # leaving the atomic block by exception undoes the whole file
            raise ErroresDeArchivo([f"línea {primeras[primera_de[claves[i]]]}, columna tipo_planilla: {mensaje}"
                                    for i, mensaje in sorted(exc.errores.items())])
        except ErrorDeNegocio as exc:
            raise ErroresDeArchivo([f"línea {primeras[primera_de[claves[0]]]}, columna tipo_planilla: {exc.mensaje}"])
        planillas = len(nuevas)
        resumen = f"{planillas} planillas, {filas} líneas de trabajadores importadas de {nombre_archivo}."
        importacion.resumen = {"planillas": planillas, "lineas": filas}
        importacion.save(update_fields=["resumen"])
        auditar(actor=actor, accion="importacion.planillas", objeto=importacion, despues=importacion.resumen)
    return Resultado(False, resumen, importacion, importacion.resumen)


def _cuentas_para(*, actor, empleadores, existentes) -> dict[str, tuple[int, bool]]:
    """número patronal -> (cuenta id, régimen especial). Unknown employers are created from the
    file's NIT and name (CONTRACTS §5.1): what services.registro's deudor_crear / cuenta_crear do
    for one, set-wise for a file that may bring hundreds (same fields, same normalised name, one
    audit entry each)."""
    from issscobros.auditoria import instantanea
    from issscobros.models import RegistroAuditoria

    from .services.registro import CAMPOS_CUENTA, CAMPOS_DEUDOR

    cuentas = {numero: (pk, especial) for numero, (pk, _, especial) in existentes.items()}
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
        cuentas[cuenta.numero] = (cuenta.pk, cuenta.deudor.regimen_especial)
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
