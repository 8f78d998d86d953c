"""Settings shared by every environment; each value that differs comes from the environment
(CONTRACTS.md §2). `local`, `test` and `production` import this and override."""
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "axes",
    "csp",
    "django_celery_beat",
    "issscobros",
    "cuentas",
    "solvencias",
    "mora",
    "convenios",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a signed-in user unless its view says @login_not_required (CONTRACTS §7).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "issscobros.sesion.RenovarSesionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "issscobros.urls"
WSGI_APPLICATION = "issscobros.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "issscobros.menu.menu",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/issscobros"),
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# The working set (registry, open items) lives in memory on an SSD-backed server: tell the planner
# random reads are cheap, or it prefers full scans over the full-text and prefix indexes
# (measured with `make bench`, docs/decisions.md). JIT off: compiling a plan costs ~1 s, more than it
# saves on the reports that scan millions of legs (aging as of a past date) and always on page reads.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c random_page_cost=1.1 -c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "issscobros.Usuario"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "inicio"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 minutes without activity: renewed at most once a minute (issscobros.sesion).
SESSION_COOKIE_AGE = 30 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Five wrong passwords for one username lock that username (not the IP: the branch offices share
# one NAT address) for an hour; an administrator can unlock earlier (`axes_reset_username`).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_LOCKOUT_TEMPLATE = "registration/bloqueado.html"
AXES_RESET_ON_SUCCESS = True
# axes.W006 warns that locking by username alone lets an attacker rotate usernames from one IP; here
# locking by IP would lock a whole branch office (one NAT address) after five typos by different
# people, so username lockout is the deliberate choice (docs/decisions.md).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Spanish, Salvadoran conventions: dd/mm/aaaa and $1,234.56 (issscobros/formats/es).
LANGUAGE_CODE = "es"
LANGUAGES = [("es", "Español")]
TIME_ZONE = "America/El_Salvador"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["issscobros.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The institution's network is closed: everything is served from 'self', nothing from a CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# "limites": counters that must hold across every web process (solvencias.limites: the public
# verification page per IP). The default cache stays per process.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "limites": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                "KEY_PREFIX": "issscobros", "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}},
}
# The address the public reaches (printed and in the QR of every solvency); empty: the issuing request's.
URL_PUBLICA = os.environ.get("ISSSCOBROS_URL_PUBLICA", "")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Long idempotent work (docs/procesos.md). Every task may run twice: the runner records each item in
# the same transaction as its work, so redelivery redoes at most the chunk that was interrupted.
# Acknowledge after the task ends, not when it starts: a worker that dies mid-task leaves the message
# on the broker to be delivered again.
CELERY_TASK_ACKS_LATE = True
# A child killed by the OOM killer or kill -9 (WorkerLostError) re-queues its message instead of
# marking the task failed.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Take one message at a time: a chunk waits on the broker, where another worker can take it, not in
# the memory of a busy one (and a killed worker loses no queued chunks with it).
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis re-delivers an unacknowledged message after the visibility timeout: it must exceed the
# longest task (hard limit 30 min, below) or a slow chunk would run twice at once; one hour is also
# how long a chunk of a worker killed outright waits to be redone (a killed pool child is re-queued
# at once, a warm shutdown re-queues at once). Workers look for such messages every
# unacked_restore_interval × throttle seconds (kombu: 10 × 10). The kill -9 test shortens both.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", 3600))}
if os.environ.get("CELERY_RESTAURAR_CADA"):
    CELERY_BROKER_TRANSPORT_OPTIONS.update(unacked_restore_interval=int(os.environ["CELERY_RESTAURAR_CADA"]),
                                           unacked_restore_throttle=1)
# Soft limit: the task gets SoftTimeLimitExceeded and can stop cleanly; hard limit: the child is
# killed (and its message re-queued). Chunk tasks set their own; these bound anything else.
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_TIME_LIMIT = 30 * 60
# Recycle children: WeasyPrint and fontTools keep caches that grow with every render; a fresh child
# after 200 tasks, or once it passes ~350 MB resident (checked after each task), keeps a worker
# under the 400 MB the batch issue allows.
CELERY_WORKER_MAX_TASKS_PER_CHILD = 200
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 350_000  # KiB

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every render at INFO; only their problems matter.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "issscobros-demo")
# seed_demo creates users with a known password: never allowed under production settings.
DEMO_PERMITIDO = True
