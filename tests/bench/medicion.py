"""Shared helpers of the bench: figures, timing, statistics, output (CONTRACTS §6)."""
import json
import math
import statistics
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable


@dataclass
class Figura:
    name: str
    value: float
    unit: str
    ratio: float | None = None  # figure ÷ a floor measured in the same run

    def linea(self) -> str:
        valor = f"{self.value:.0f}" if self.unit != "ms" else f"{self.value:.2f}"
        texto = f"{self.name} {valor} {self.unit}"
        return texto if self.ratio is None else f"{texto} ratio={self.ratio:.2f}"


def figura_con_piso(name: str, value: float, unit: str, piso: Figura) -> Figura:
    return Figura(name, value, unit, ratio=value / piso.value if piso.value else None)


def cronometrar(fn: Callable[[], object]) -> float:
    """Seconds one call takes."""
    inicio = time.perf_counter()
    fn()
    return time.perf_counter() - inicio


def alternar(funciones: dict[str, Callable[[], object]], veces: int, calentamiento: int = 10) -> dict[str, list[float]]:
    """Time each function `veces` times, round-robin, so a figure and its floor see the same
    machine load; the first `calentamiento` rounds are discarded. Returns milliseconds."""
    tiempos = {nombre: [] for nombre in funciones}
    for ronda in range(calentamiento + veces):
        for nombre, fn in funciones.items():
            ms = cronometrar(fn) * 1000
            if ronda >= calentamiento:
                tiempos[nombre].append(ms)
    return tiempos


def mediana(valores: list[float]) -> float:
    return statistics.median(valores)


def p95(valores: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordenados = sorted(valores)
    return ordenados[max(0, math.ceil(0.95 * len(ordenados)) - 1)]


def imprimir(figura: Figura) -> None:
    print(figura.linea(), flush=True)


def escribir_json(ruta: Path, figuras: list[Figura], parametros: dict) -> None:
    ruta.parent.mkdir(parents=True, exist_ok=True)
    datos = {
        "figuras": [
            {**asdict(f), "value": round(f.value, 3), "ratio": None if f.ratio is None else round(f.ratio, 2)}
            for f in figuras
        ],
        "parametros": parametros,
        "fecha": datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    ruta.write_text(json.dumps(datos, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
