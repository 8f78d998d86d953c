# issscobros production image: one image for web (gunicorn), Celery worker and beat.
# docker-compose.yml picks the process per service; the default CMD is the web server.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# WeasyPrint renders the PDFs through Pango/HarfBuzz; DejaVu gives it fonts on a slim base.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

# The processes never run as root; a home lets fontconfig and friends keep their caches.
RUN groupadd --system app \
 && useradd --system --gid app --create-home --home-dir /home/app --shell /usr/sbin/nologin app

WORKDIR /app

# Requirements first, so a code change does not reinstall every package.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .

ENV DJANGO_SETTINGS_MODULE=issscobros.settings.production \
    DJANGO_MEDIA_ROOT=/app/var/media \
    WEB_CONCURRENCY=3

# Static files are baked into the image (whitenoise serves them). Production settings refuse to
# load without a secret and allowed hosts, so throwaway values are given to this step only.
# The media folder is created here owned by `app` so a fresh named volume inherits that owner.
RUN DJANGO_SECRET_KEY=collectstatic-only DJANGO_ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput \
 && mkdir -p /app/var/media \
 && chown app:app /app/var/media

USER app

EXPOSE 8000

# Gunicorn reads its worker count from WEB_CONCURRENCY (default above); logs go to stdout/stderr.
CMD ["gunicorn", "issscobros.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--access-logfile", "-", \
     "--error-logfile", "-", \
     "--worker-tmp-dir", "/dev/shm", \
     "--timeout", "60"]
