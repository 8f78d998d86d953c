"""Settings contracts: production refuses to start without a secret; `check --deploy` is clean;
migrations match the models; Spanish formats."""
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    entorno = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    entorno.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=RAIZ, env=entorno, capture_output=True, text=True)


def test_produccion_no_arranca_sin_clave_secreta():
    r = _manage("check", DJANGO_SETTINGS_MODULE="issscobros.settings.production", DJANGO_ALLOWED_HOSTS="x.gob.sv")
    assert r.returncode != 0 and "DJANGO_SECRET_KEY" in r.stderr


def test_check_deploy_sin_advertencias():
    r = _manage("check", "--deploy", "--fail-level", "WARNING",
                DJANGO_SETTINGS_MODULE="issscobros.settings.production",
                DJANGO_SECRET_KEY="una-clave-secreta-larga-y-aleatoria-para-la-prueba-0123456789abcdef",
                DJANGO_ALLOWED_HOSTS="cobros.isss.gob.sv")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "System check identified no issues" in r.stdout


def test_migraciones_al_dia():
    r = _manage("makemigrations", "--check", "--dry-run", DJANGO_SETTINGS_MODULE="issscobros.settings.test")
    assert r.returncode == 0, r.stdout + r.stderr


def test_formatos_salvadorenos(settings):
    from datetime import date

    from django.template import Context, Template
    from django.utils import translation

    with translation.override("es"):
        html = Template("{% load formato %}{{ f|date:'SHORT_DATE_FORMAT' }} {{ m|dinero }}").render(
            Context({"f": date(2025, 4, 14), "m": Decimal("1638.00")}))
    assert html == "14/04/2025 $1,638.00"
    assert settings.TIME_ZONE == "America/El_Salvador" and settings.LANGUAGE_CODE == "es"
