# issscobros — the commands of README.md (CONTRACTS §1). Each one sets up what it needs.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.instalado

.PHONY: run test bench e2e check clean-venv

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Se necesita $(PYTHON) (Python 3.11)."; exit 1; }
	$(PYTHON) -m venv $(VENV) || { echo "No se pudo crear $(VENV): en Debian/Ubuntu instale python3.11-venv."; exit 1; }

$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

run: $(STAMP)
	$(PY) -m issscobros.devstack run

test: $(STAMP)
	$(PY) -m issscobros.devstack test $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) -m issscobros.devstack bench

# Browser tests only (they also run inside `make test` when Chromium is installed).
e2e: $(STAMP)
	$(PY) -m issscobros.devstack test tests/e2e $(PYTEST_ARGS)

check: $(STAMP)
	DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') DJANGO_ALLOWED_HOSTS=cobros.isss.gob.sv \
		$(PY) manage.py check --deploy --fail-level WARNING --settings=issscobros.settings.production
	$(PY) manage.py makemigrations --check --dry-run

clean-venv:
	rm -rf $(VENV)
