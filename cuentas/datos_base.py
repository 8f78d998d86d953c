"""Reference data the rules need from the first day: parameters (DOMAIN.md, with their legal source),
national holidays 2000–2040 (fixed dates plus Holy Thursday and Good Friday), payment channels and the
chart of accounts. After that, administrators keep them (new vigencias, holidays, channels)."""
from datetime import date, timedelta
from decimal import Decimal

from dateutil.easter import easter
from django.apps import apps as django_apps

DESDE_SIEMPRE = date(2000, 1, 1)
PARAMETROS = [
    ("tasa_patronal", "7.50", DESDE_SIEMPRE, "Ley del Seguro Social, Art. 29"),
    ("tasa_laboral", "3.00", DESDE_SIEMPRE, "Ley del Seguro Social, Art. 29"),
    ("tasa_patronal_especial", "6.68", DESDE_SIEMPRE, "Ley del Seguro Social, Art. 99"),
    ("tasa_laboral_especial", "2.67", DESDE_SIEMPRE, "Ley del Seguro Social, Art. 99"),
    ("tope_cotizable", "685.71", DESDE_SIEMPRE, "Reglamento para la Aplicación del Régimen del Seguro Social, Art. 3"),
    ("tope_cotizable", "1000.00", date(2015, 8, 1), "Consejo Directivo 2015; RARSS Art. 3"),
    ("tasa_recargo", "1.00", DESDE_SIEMPRE, "Ley del Seguro Social, Art. 33 inc. 3"),
    ("multa_minima", "1.14", DESDE_SIEMPRE, "LSS Art. 95; RARSS Art. 49 (¢10 a ¢8.75 por dólar)"),
    ("multa_maxima", "57.14", DESDE_SIEMPRE, "LSS Art. 95; RARSS Art. 49 (¢500 a ¢8.75 por dólar)"),
    ("dia_habil_vencimiento", "10", DESDE_SIEMPRE, "Ley Integral del Sistema de Pensiones, Art. 21 (planilla única); configurable"),
    ("insaforp_habilitado", "0", DESDE_SIEMPRE, "D. 554 (fuentes secundarias); desactivado hasta que la institución lo habilite"),
    ("tasa_insaforp", "1.00", DESDE_SIEMPRE, "D. 554 (fuentes secundarias)"),
    ("insaforp_min_trabajadores", "10", DESDE_SIEMPRE, "D. 554 (fuentes secundarias)"),
    # Convenios de pago (DOMAIN.md defaults; ISSS internal rules not found: configurable).
    ("convenio_prima_minima", "20.00", DESDE_SIEMPRE, "Normativa interna ISSS de convenios (no publicada); configurable"),
    ("convenio_cuotas_maximas", "12", DESDE_SIEMPRE, "Normativa interna ISSS de convenios (no publicada); configurable"),
    ("convenio_umbral_deuda_mayor", "10000.00", DESDE_SIEMPRE, "Normativa interna ISSS de convenios; configurable"),
    ("convenio_cuotas_maximas_deuda_mayor", "12", DESDE_SIEMPRE, "Normativa interna ISSS de convenios; configurable"),
    ("convenio_recargos_congelados", "1", DESDE_SIEMPRE, "Normativa interna ISSS de convenios; configurable (1 = sí)"),
    ("convenio_cuotas_incumplimiento", "2", DESDE_SIEMPRE, "LISP Art. 23 (análogo, R14); configurable"),
    # Casos de cobro (R14, analogue of the pension side; configurable) and the publication list.
    ("mora_dias_apertura", "30", DESDE_SIEMPRE, "LISP Art. 23 (análogo, R14): días de mora para abrir caso; configurable"),
    ("mora_sla_dias_sin_gestion", "30", DESDE_SIEMPRE, "LISP Art. 23 (análogo, R14); configurable"),
    ("mora_sla_dias_sin_pago", "90", DESDE_SIEMPRE, "LISP Art. 23 (análogo, R14); configurable"),
    ("mora_sla_promesas_incumplidas", "2", DESDE_SIEMPRE, "LISP Art. 23 (análogo, R14); configurable"),
    ("mora_publicacion_dias", "180", DESDE_SIEMPRE, "Criterio institucional de publicación de morosos; configurable"),
    ("mora_publicacion_gestiones_fallidas", "3", DESDE_SIEMPRE, "Criterio institucional de publicación de morosos; configurable"),
    # Solvencias (R11): validity counted from the day after issue; a current convenio counts as solvent.
    ("solvencia_vigencia_dias", "30", DESDE_SIEMPRE, "ISSS, Guía del usuario del sistema de emisión de solvencias (R11)"),
    ("solvencia_convenio_solvente", "1", DESDE_SIEMPRE, "Normativa interna ISSS (no publicada); configurable (1 = sí)"),
]

FERIADOS_FIJOS = [
    (1, 1, "Año Nuevo"), (5, 1, "Día del Trabajo"), (5, 10, "Día de la Madre"), (6, 17, "Día del Padre"),
    (8, 6, "Fiestas Agostinas"), (9, 15, "Día de la Independencia"), (11, 2, "Día de los Difuntos"),
    (12, 25, "Navidad"),
]

CANALES = [
    ("COLECTURIA", "Colecturía ISSS"), ("AGRICOLA", "Banco Agrícola"), ("CUSCATLAN", "Banco Cuscatlán"),
    ("DAVIVIENDA", "Banco Davivienda"), ("BAC", "BAC Credomatic"), ("HIPOTECARIO", "Banco Hipotecario"),
    ("PROMERICA", "Banco Promerica"), ("SPU", "Sistema de Planilla Única"),
]


def cargar(apps=None) -> None:
    """Load each reference table that is empty. Called by the migration and on post_migrate (a
    test flush empties them); a table that has rows is left as the administrator keeps it."""
    from cuentas.contabilidad import PLAN

    apps = apps or django_apps
    CuentaContable = apps.get_model("cuentas", "CuentaContable")
    if not CuentaContable.objects.exists():
        CuentaContable.objects.bulk_create([CuentaContable(codigo=c, nombre=n) for c, n in PLAN])
    Parametro = apps.get_model("cuentas", "Parametro")
    # Per key, so a parameter added by a later release reaches a database that has the others.
    existentes = set(Parametro.objects.values_list("clave", flat=True).distinct())
    Parametro.objects.bulk_create([
        Parametro(clave=c, valor=Decimal(v), vigente_desde=d, fuente=f) for c, v, d, f in PARAMETROS
        if c not in existentes])
    Feriado = apps.get_model("cuentas", "Feriado")
    if not Feriado.objects.exists():
        Feriado.objects.bulk_create([Feriado(fecha=f, nombre=n) for f, n in sorted(_feriados().items())])
    Canal = apps.get_model("cuentas", "Canal")
    if not Canal.objects.exists():
        Canal.objects.bulk_create([Canal(codigo=c, nombre=n) for c, n in CANALES])


def _feriados() -> dict:
    feriados = {}
    for anio in range(2000, 2041):
        for mes, dia, nombre in FERIADOS_FIJOS:
            if (mes, dia) == (6, 17) and anio < 2013:
                continue  # Día del Padre: feriado nacional desde 2013
            feriados[date(anio, mes, dia)] = nombre
        pascua = easter(anio)
        feriados[pascua - timedelta(days=3)] = "Jueves Santo"
        feriados[pascua - timedelta(days=2)] = "Viernes Santo"
    return feriados
