"""Shared helpers of the bench: figures, timing, statistics, output (CONTRACTS §6)."""
import json
import math
import os
import statistics
import time
from contextlib import contextmanager
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


# --- a real server under concurrent clients ---------------------------------------------------------

def puerto_libre() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def servidor(*, ajustes: str = "tests.bench.ajustes_servidor", trabajadores: int = 3, espera: float = 60.0):
    """gunicorn (sync workers, as the production image) on a free loopback port, against the bench
    database (DATABASE_URL is already pointed at it). Yields the base URL; stops only the process it
    started."""
    import subprocess
    import sys
    import tempfile
    import urllib.request

    raiz = Path(__file__).resolve().parents[2]
    puerto = puerto_libre()
    entorno = {**os.environ, "DJANGO_SETTINGS_MODULE": ajustes}
    registro = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)
    proceso = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "issscobros.wsgi:application", "--bind", f"127.0.0.1:{puerto}",
         "--workers", str(trabajadores), "--timeout", "120", "--log-level", "warning"],
        cwd=raiz, env=entorno, stdout=registro, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{puerto}"
    try:
        limite = time.monotonic() + espera
        while True:
            if proceso.poll() is not None:
                raise RuntimeError(f"gunicorn terminó ({proceso.returncode}); ver {registro.name}")
            try:
                with urllib.request.urlopen(f"{base}/healthz/", timeout=5) as respuesta:
                    if respuesta.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > limite:
                raise RuntimeError(f"gunicorn no respondió en {espera:.0f} s; ver {registro.name}")
            time.sleep(0.2)
        yield base
    finally:
        proceso.terminate()
        try:
            proceso.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proceso.kill()
            proceso.wait()
        registro.close()


def carga_concurrente(url: str, *, cabeceras: dict | None = None, clientes: int = 8, peticiones: int = 80) -> list[float]:
    """`peticiones` GETs of `url` by `clientes` threads at once (each its own connection, no
    keep-alive, like independent callers); milliseconds per request. Any non-200 fails the bench."""
    import threading
    import urllib.request

    tiempos: list[float] = []
    errores: list[str] = []
    turno = iter(range(peticiones))
    candado = threading.Lock()

    def cliente():
        while True:
            with candado:
                if next(turno, None) is None:
                    return
            pedido = urllib.request.Request(url, headers=cabeceras or {})
            inicio = time.perf_counter()
            try:
                with urllib.request.urlopen(pedido, timeout=60) as respuesta:
                    respuesta.read()
                    # urllib follows redirects: a page that sent us to the login form is a failure.
                    estado = respuesta.status if respuesta.geturl() == url else f"redirigida a {respuesta.geturl()}"
            except Exception as exc:  # noqa: BLE001 - reported below
                errores.append(f"{url}: {exc}")
                return
            ms = (time.perf_counter() - inicio) * 1000
            with candado:
                if estado != 200:
                    errores.append(f"{url}: {estado}")
                tiempos.append(ms)

    hilos = [threading.Thread(target=cliente) for _ in range(clientes)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    if errores:
        raise RuntimeError(errores[0])
    return tiempos
