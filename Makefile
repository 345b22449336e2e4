# PE Platform — see README.md. Every target creates/updates .venv itself.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
MANAGE := $(PY) manage.py
PYTEST_ARGS ?=

.PHONY: run test serve worker beat lint format schema migrate seed messages collectstatic clean help bench

help:
	@echo "make run | test | serve | worker | beat | lint | format | schema | messages | clean"

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

var:
	mkdir -p var

# translations: .po files are source; .mo files are built here (never committed)
messages: $(VENV)/.installed
	$(PY) scripts/compile_translations.py

migrate: $(VENV)/.installed var
	$(MANAGE) migrate --noinput

seed: migrate
	$(MANAGE) seed_demo

run: $(VENV)/.installed var messages migrate
	$(MANAGE) seed_demo
	@echo ""
	@echo "Serving http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	$(MANAGE) runserver $(HOST):$(PORT)

# test-only npm tools (axe-core for the accessibility check); skipped where npm is not installed
NPM := $(shell command -v npm 2>/dev/null)
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# coverage: whole project >= 90% (pytest.ini), the user system (accounts) >= 95%
test: $(VENV)/.installed-dev var messages $(if $(NPM),node_modules/.installed)
	$(PY) -m pytest $(PYTEST_ARGS)
	$(if $(findstring --no-cov,$(PYTEST_ARGS)),,@printf 'accounts (user system) line coverage, must be >= 95%%: ' && $(PY) -m coverage report --include='accounts/*' --fail-under=95 --format=total)

collectstatic: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=config.settings.production $(MANAGE) collectstatic --noinput

# production-style web server (needs DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL, REDIS_URL)
serve: $(VENV)/.installed messages collectstatic
	DJANGO_SETTINGS_MODULE=config.settings.production $(MANAGE) migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.production $(VENV)/bin/gunicorn config.wsgi:application \
		-c config/gunicorn.conf.py --bind $(HOST):$(PORT) --access-logfile - --forwarded-allow-ips="*"

worker: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.production} $(VENV)/bin/celery -A config.celery_app worker --loglevel=INFO

beat: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.production} $(VENV)/bin/celery -A config.celery_app beat --loglevel=INFO

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

schema: $(VENV)/.installed
	$(MANAGE) spectacular --validate --fail-on-warn --file docs/openapi.yaml
	@echo "wrote docs/openapi.yaml"

# benchmarks against a production-like stack (PostgreSQL + Redis on 127.0.0.1, Debian's wrk)
bench: $(VENV)/.installed messages
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/staticfiles .pytest_cache .ruff_cache htmlcov .coverage
