"""`make bench` (CONTRACTS §6): one line per figure, `name value unit [ratio=x.xx]`, and
var/bench.json. Knobs: BENCH_DEUDORES (50000), BENCH_MESES (24), BENCH_FULL (0), BENCH_MODULOS (all).

Each module listed in MODULOS exports FIGURAS: functions Contexto -> list[Figura]."""
import os
import sys
import time
from pathlib import Path

from . import basedatos
from .medicion import escribir_json, imprimir

RAIZ = Path(__file__).resolve().parents[2]
SALIDA = RAIZ / "var" / "bench.json"


def _entero(nombre: str, defecto: int) -> int:
    try:
        return int(os.environ.get(nombre) or defecto)
    except ValueError:
        raise SystemExit(f"{nombre} debe ser un número entero.")


def main() -> int:
    base = basedatos.preparar_entorno()  # before Django reads DATABASE_URL

    import django

    django.setup()

    from . import libro, registro
    from .contexto import Contexto, Parametros

    modulos = [registro, libro]  # later issues append their modules here
    from . import conciliacion, documentos  # issue 8
    modulos += [conciliacion, documentos]
    from . import mora  # issue 6
    modulos += [mora]
    from . import solvencias  # issue 5
    modulos += [solvencias]
    from . import convenios  # issue 7
    modulos += [convenios]
    solo = {m.strip() for m in os.environ.get("BENCH_MODULOS", "").split(",") if m.strip()}
    if solo:  # e.g. BENCH_MODULOS=solvencias,mora: measure only these (the database is still checked)
        desconocidos = solo - {m.__name__.rsplit(".", 1)[-1] for m in modulos}
        if desconocidos:
            raise SystemExit(f"BENCH_MODULOS: módulos desconocidos: {', '.join(sorted(desconocidos))}")
        modulos = [m for m in modulos if m.__name__.rsplit(".", 1)[-1] in solo]
    parametros = Parametros(
        deudores=_entero("BENCH_DEUDORES", 50000),
        meses=_entero("BENCH_MESES", 24),
        completo=os.environ.get("BENCH_FULL", "").strip().lower() in {"1", "true", "yes", "on"},
        base_datos=base,
    )
    basedatos.avisar(f"base de datos de bench: {base}")
    ctx = Contexto(parametros=parametros, construccion=basedatos.construir(parametros.deudores))
    ctx.construccion_libro = basedatos.construir_libro(meses=parametros.meses, completo=parametros.completo)

    from cuentas.models import Cuenta, Deudor, LineaPlanilla, Planilla

    inicio = time.perf_counter()
    figuras = []
    for modulo in modulos:
        for funcion in modulo.FIGURAS:
            for figura in funcion(ctx):
                imprimir(figura)
                figuras.append(figura)
    escribir_json(SALIDA, figuras, {
        "BENCH_DEUDORES": parametros.deudores,
        "BENCH_MESES": parametros.meses,
        "BENCH_FULL": parametros.completo,
        "base_datos": base,
        "deudores_en_base": Deudor.objects.count(),
        "patronos_en_base": Deudor.objects.filter(tipo=Deudor.Tipo.PATRONO).count(),
        "cuentas_en_base": Cuenta.objects.count(),
        "construida_en_esta_corrida": ctx.construccion is not None,
        "planillas_en_base": Planilla.objects.count(),
        "lineas_planilla_en_base": LineaPlanilla.objects.count(),
        "libro_construido_en_esta_corrida": ctx.construccion_libro is not None,
        "segundos_construccion_libro": round(ctx.construccion_libro.segundos, 1) if ctx.construccion_libro else None,
        "segundos_medicion": round(time.perf_counter() - inicio, 1),
    })
    basedatos.avisar(f"figuras en {SALIDA.relative_to(RAIZ)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
