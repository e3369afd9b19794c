# Two commands for a fresh machine: `make run` serves the product, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-fast lint format check schema fuzz worker beat bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest -m "not e2e and not celery_worker"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

schema: install
	$(PY) manage.py spectacular --validate --fail-on-warn --file var/openapi.yaml

# Fuzz the API from its OpenAPI schema against gunicorn on loopback (needs DATABASE_URL on PostgreSQL).
fuzz: install
	$(PY) .ci/fuzz_api.py

worker: install
	$(VENV)/bin/celery -A config worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A config beat --loglevel=INFO

clean:
	rm -rf $(VENV) var/db.sqlite3 .pytest_cache
