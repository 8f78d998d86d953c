"""Developer machine and `make run`: debug on by default, an insecure key that is only for here."""
import os

from .base import *  # noqa: F401,F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "solo-para-desarrollo-local-no-usar-en-produccion"
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]  # noqa: F405
# Static files come straight from the finders (whitenoise with DEBUG); collectstatic is for production.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
