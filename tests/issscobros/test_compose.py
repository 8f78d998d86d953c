"""docker-compose.yml and Dockerfile (the production shape, CONTRACTS §1) hold together.

No Docker engine is needed: the files are parsed and every module they name is looked up, so a
renamed module or a missing service fails here instead of at `docker compose up`.
"""
import ast
import importlib.util
import re
import shlex
from pathlib import Path

import pytest
import yaml

RAIZ = Path(__file__).resolve().parents[2]
COMPOSE = RAIZ / "docker-compose.yml"
DOCKERFILE = RAIZ / "Dockerfile"
APP = ("web", "worker", "beat")
MEDIA_ROOT = "/app/var/media"


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def servicios(compose):
    return compose["services"]


@pytest.fixture(scope="module")
def dockerfile():
    return DOCKERFILE.read_text(encoding="utf-8")


def comando(servicio: dict) -> list[str]:
    cmd = servicio["command"]
    return shlex.split(cmd) if isinstance(cmd, str) else [str(parte) for parte in cmd]


def valor_de_opcion(args: list[str], *nombres: str) -> str | None:
    """The value of `--opt value` or `--opt=value` (or a short form) in a command line."""
    for i, arg in enumerate(args):
        for nombre in nombres:
            if arg == nombre and i + 1 < len(args):
                return args[i + 1]
            if arg.startswith(nombre + "="):
                return arg.split("=", 1)[1]
    return None


def origen(modulo: str) -> Path:
    spec = importlib.util.find_spec(modulo)
    assert spec is not None and spec.origin, f"no existe el módulo {modulo}"
    return Path(spec.origin)


def define(modulo: str, atributo: str) -> bool:
    """Whether `modulo`'s source defines `atributo` at top level, without importing it."""
    fuente = origen(modulo).read_text(encoding="utf-8")
    patron = rf"^(?:{atributo}\s*(?::[^=\n]+)?=|(?:async\s+)?def\s+{atributo}\b|class\s+{atributo}\b)"
    return re.search(patron, fuente, re.MULTILINE) is not None


def healthcheck_texto(servicio: dict) -> str:
    prueba = servicio["healthcheck"]["test"]
    return prueba if isinstance(prueba, str) else "\n".join(str(p) for p in prueba)


def test_los_cinco_servicios_existen(servicios):
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(servicios)


def test_imagenes_de_postgres_y_redis(servicios):
    assert str(servicios["postgres"]["image"]).startswith("postgres:16")
    assert str(servicios["redis"]["image"]).startswith("redis:7")


def test_web_worker_y_beat_usan_la_misma_imagen(servicios):
    claves = {(repr(servicios[s].get("build")), servicios[s].get("image")) for s in APP}
    assert len(claves) == 1, claves
    build, imagen = next(iter(claves))
    assert build != "None", "la imagen se construye desde el Dockerfile del proyecto"
    contexto = servicios["web"]["build"]
    contexto = contexto if isinstance(contexto, str) else contexto.get("context", ".")
    assert (RAIZ / contexto / "Dockerfile").resolve() == DOCKERFILE
    assert imagen, "una etiqueta común evita tres imágenes distintas"


@pytest.mark.parametrize("nombre", ["postgres", "redis", *APP])
def test_cada_servicio_tiene_healthcheck(servicios, nombre):
    prueba = servicios[nombre].get("healthcheck", {}).get("test")
    assert prueba and prueba not in (["NONE"], "NONE")


def test_healthchecks_de_postgres_y_redis(servicios):
    assert "pg_isready" in healthcheck_texto(servicios["postgres"])
    assert re.search(r"redis-cli\s+ping", healthcheck_texto(servicios["redis"]))


def test_web_sirve_la_aplicacion_wsgi_con_gunicorn(servicios):
    args = comando(servicios["web"])
    assert args[0] == "gunicorn"
    objetivos = [a for a in args[1:] if re.fullmatch(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*", a)]
    assert objetivos == ["issscobros.wsgi:application"]
    modulo, atributo = objetivos[0].split(":")
    assert define(modulo, atributo), f"{modulo} no define {atributo}"
    assert valor_de_opcion(args, "--bind", "-b") == "0.0.0.0:8000"


def test_el_healthcheck_de_web_pide_una_url_que_existe_y_no_redirige(servicios):
    from django.urls import resolve

    texto = healthcheck_texto(servicios["web"])
    url = re.search(r"http://127\.0\.0\.1:8000(/[^\"'\s]*)", texto)
    assert url, "el healthcheck de web debe pedir http://127.0.0.1:8000/..."
    ruta = url.group(1)
    assert resolve(ruta).url_name == "healthz"
    # Production redirects plain HTTP to HTTPS; the healthcheck path must be exempt.
    produccion = RAIZ / "issscobros" / "settings" / "production.py"
    exentas = re.search(r"SECURE_REDIRECT_EXEMPT\s*=\s*(\[.*?\])", produccion.read_text(encoding="utf-8"))
    assert exentas
    assert any(re.search(p, ruta.lstrip("/")) for p in ast.literal_eval(exentas.group(1)))
    # Not curl: python:3.11-slim does not ship it.
    assert "curl" not in texto and "urllib" in texto


@pytest.mark.parametrize("nombre", ["worker", "beat"])
def test_celery_apunta_a_la_app_del_proyecto(servicios, nombre):
    args = comando(servicios[nombre])
    assert args[0] == "celery"
    app = valor_de_opcion(args, "-A", "--app")
    assert app == "issscobros"
    origen(f"{app}.celery")
    assert define(f"{app}.celery", "app")
    assert nombre in args, f"el servicio {nombre} debe correr `celery {nombre}`"


@pytest.mark.parametrize("nombre", ["worker", "beat"])
def test_healthcheck_de_celery_hace_ping_a_su_propio_nodo(servicios, nombre):
    texto = healthcheck_texto(servicios[nombre])
    assert re.search(r"celery\s+-A\s+issscobros\s+inspect\s+ping", texto)
    nodo = {"worker": "celery@", "beat": "celerybeat@"}[nombre]
    assert nodo in texto
    if nombre == "beat":
        # Beat only answers a ping with remote control on.
        assert "--enable-remote-control" in comando(servicios["beat"])


def test_beat_usa_el_planificador_de_base_de_datos(servicios):
    programador = valor_de_opcion(comando(servicios["beat"]), "--scheduler", "-S")
    assert programador == "django_celery_beat.schedulers:DatabaseScheduler"
    modulo, clase = programador.split(":")
    # Importing django_celery_beat.schedulers needs configured settings: read its source instead.
    assert define(modulo, clase), f"{modulo} no define {clase}"


def test_migrate_corre_antes_que_la_aplicacion(servicios):
    migrate = servicios.get("migrate")
    if migrate is None:
        pytest.skip("sin servicio migrate")
    assert comando(migrate)[:3] == ["python", "manage.py", "migrate"]
    assert (RAIZ / "manage.py").is_file()
    for nombre in APP:
        assert servicios[nombre]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


@pytest.mark.parametrize("nombre", APP)
def test_la_aplicacion_espera_a_postgres_y_redis_sanos(servicios, nombre):
    depende = servicios[nombre]["depends_on"]
    for base in ("postgres", "redis"):
        assert depende[base]["condition"] == "service_healthy"


@pytest.mark.parametrize("nombre", APP)
def test_entorno_de_produccion(servicios, nombre):
    entorno = servicios[nombre]["environment"]
    if isinstance(entorno, list):
        entorno = dict(item.split("=", 1) for item in entorno)
    assert entorno["DJANGO_SETTINGS_MODULE"] == "issscobros.settings.production"
    origen(entorno["DJANGO_SETTINGS_MODULE"])
    # `:?` makes compose refuse to start without a secret instead of passing an empty one.
    assert re.fullmatch(r"\$\{DJANGO_SECRET_KEY:\?[^}]+\}", entorno["DJANGO_SECRET_KEY"])
    assert entorno["DATABASE_URL"].startswith("postgres://") and "@postgres:" in entorno["DATABASE_URL"]
    assert entorno["REDIS_URL"].startswith("redis://redis:")
    assert "DJANGO_ALLOWED_HOSTS" in entorno
    assert entorno["DJANGO_MEDIA_ROOT"] == MEDIA_ROOT


def test_los_documentos_subidos_viven_en_un_volumen(compose, servicios):
    for nombre in ("web", "worker"):
        montajes = [str(v) for v in servicios[nombre].get("volumes", [])]
        volumen = [m.split(":")[0] for m in montajes if m.split(":")[1:2] == [MEDIA_ROOT]]
        assert volumen, f"{nombre} no monta {MEDIA_ROOT}"
        assert volumen[0] in (compose.get("volumes") or {}), "debe ser un volumen con nombre"


def test_dockerfile(dockerfile):
    instrucciones = re.sub(r"\\\n", " ", dockerfile)  # join continued lines
    assert re.search(r"^FROM\s+python:3\.11-slim-bookworm\b", instrucciones, re.MULTILINE)
    assert re.search(r"^COPY\s+requirements\.txt\b", instrucciones, re.MULTILINE)
    assert re.search(r"^RUN\s+.*pip install\b.*--no-cache-dir.*-r requirements\.txt", instrucciones, re.MULTILINE)
    for paquete in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core"):
        assert paquete in instrucciones
    assert "--no-install-recommends" in instrucciones
    assert re.search(r"DJANGO_SETTINGS_MODULE=issscobros\.settings\.production\b", instrucciones)
    assert re.search(r"^RUN\s+.*manage\.py collectstatic --noinput", instrucciones, re.MULTILINE)
    usuarios = re.findall(r"^USER\s+(\S+)", instrucciones, re.MULTILINE)
    assert usuarios and usuarios[-1] not in ("root", "0"), "el proceso no corre como root"
    assert re.search(r"^EXPOSE\s+8000\b", instrucciones, re.MULTILINE)
    cmd = re.search(r"^CMD\s+(\[.*\])", instrucciones, re.MULTILINE)
    assert cmd and "issscobros.wsgi:application" in cmd.group(1) and "gunicorn" in cmd.group(1)


def test_lo_que_el_dockerfile_instala_es_el_requirements_del_proyecto():
    requisitos = (RAIZ / "requirements.txt").read_text(encoding="utf-8")
    # The commands above need these three in the image.
    for paquete in ("gunicorn", "celery", "django-celery-beat"):
        assert re.search(rf"^{re.escape(paquete)}(\[[^\]]*\])?==", requisitos, re.MULTILINE | re.IGNORECASE)


def test_dockerignore_deja_fuera_el_estado_local():
    ignorado = {line.strip() for line in (RAIZ / ".dockerignore").read_text(encoding="utf-8").splitlines()}
    for ruta in (".venv", "var", ".git", ".env"):
        assert ruta in ignorado, ruta
    # The build needs these: ignoring them would break collectstatic or the install.
    for ruta in ("static", "requirements.txt", "manage.py", "issscobros"):
        assert ruta not in ignorado, ruta
