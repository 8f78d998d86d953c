"""Test suite: real PostgreSQL (DATABASE_URL), fast hashing, files under a temp folder."""
import os
import tempfile

from .base import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = "clave-de-pruebas"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="issscobros-media-")
# Persistent connections would outlive the test database between live-server threads.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
