# Two commands for a fresh machine: `make run` serves the product, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist): one per CPU by default; TEST_PROCESSES=0 runs the suite in this process alone.
TEST_PROCESSES ?= auto

.PHONY: install run test test-fast test-shifted lint format typecheck lock check schema fuzz worker beat bench clean

# The versions in requirements-dev.lock, the same ones CI and every developer get (the Dockerfile installs
# requirements.lock, with hashes).
$(VENV)/.installed: pyproject.toml requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]' -c requirements-dev.lock
	touch $@

# The OpenID Connect provider the single sign-on tests run (tests/sso/provider), from its lock file. Without npm
# (a developer machine without Node.js) it is left out and those tests skip, saying why.
PROVIDER := tests/sso/provider
$(PROVIDER)/node_modules/.package-lock.json: $(PROVIDER)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix $(PROVIDER) --prefer-offline --no-audit --no-fund --loglevel=error; \
	else \
		echo "npm not found: the single sign-on tests will skip (install Node.js 20 or later)"; \
	fi

install: $(VENV)/.installed $(PROVIDER)/node_modules/.package-lock.json

run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest -n $(TEST_PROCESSES)

test-fast: install
	$(PY) -m pytest -n $(TEST_PROCESSES) -m "not e2e and not celery_worker and not sso"

# The suite with the clock moved a year ahead (time-machine in the test process): no test may depend on today.
# SHIFT_DAYS=730 moves it two years; the browser and worker tests run processes the shift does not reach.
SHIFT_DAYS ?= 365
test-shifted: install
	$(PY) -m pytest -n $(TEST_PROCESSES) --clock-shift-days=$(SHIFT_DAYS) -m "not e2e and not celery_worker and not sso"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy

# Pin every dependency again after changing pyproject.toml (needs the package index).
lock: install
	$(VENV)/bin/pip-compile --quiet --no-emit-index-url --strip-extras --generate-hashes --allow-unsafe -o requirements.lock pyproject.toml
	$(VENV)/bin/pip-compile --quiet --no-emit-index-url --strip-extras --allow-unsafe --extra dev -o requirements-dev.lock pyproject.toml

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
	rm -rf $(VENV) var/db.sqlite3 .pytest_cache $(PROVIDER)/node_modules
