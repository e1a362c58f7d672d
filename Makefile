# Kollegium: `make run` serves the demo, `make test` runs everything, `make bench` measures.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export DJANGO_SETTINGS_MODULE := config.settings
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
PYTEST_WORKERS ?= 2
APT_PACKAGES := chromium gettext wrk hunspell-sv-se
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help setup system-packages python-packages npm-packages messages run serve test \
        i18n-check lint typecheck test-sqlite test-postgres bench clean

help:
	@echo "make run    - set up and serve the demo on http://127.0.0.1:8000"
	@echo "make test   - set up and run the whole suite (SQLite, PostgreSQL, browser, lint, types)"
	@echo "make bench  - run the benchmarks; writes bench/results/latest.json"

setup: system-packages python-packages npm-packages messages

system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v wrk >/dev/null || missing="$$missing wrk"; \
	test -f /usr/share/hunspell/sv_SE.dic || missing="$$missing hunspell-sv-se"; \
	ldconfig -p | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	test -d /usr/share/fonts/truetype/dejavu || missing="$$missing fonts-dejavu-core"; \
	command -v pg_dump >/dev/null || missing="$$missing postgresql-client"; \
	command -v xmlsec1 >/dev/null || missing="$$missing xmlsec1"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,s3]'
	touch $@

python-packages: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

npm-packages: node_modules/.installed

messages: python-packages
	@for dir in kollegium/*/locale; do \
	  (cd $$(dirname $$dir) && ../../$(PY) ../../manage.py compilemessages -v0) || exit 1; \
	done

run: setup
	mkdir -p var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py seed_demo
	@echo ""
	@echo "Kollegium is starting on http://127.0.0.1:8000  (Ctrl+C stops it)"
	$(PY) manage.py serve

serve: run

i18n-check: python-packages
	$(PY) scripts/check_translations.py

lint: python-packages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: python-packages
	$(VENV)/bin/mypy kollegium config

test-sqlite: setup
	DATABASE_URL=sqlite:///:memory: $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile -q

test-postgres: setup
	@if $(PY) scripts/database_reachable.py "$(TEST_DATABASE_URL)"; then \
	  DATABASE_URL="$(TEST_DATABASE_URL)" $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile -q; \
	elif [ "$$CI" = "true" ]; then \
	  echo "PostgreSQL at $(TEST_DATABASE_URL) is not reachable, and under CI it is required."; exit 1; \
	else \
	  echo "PostgreSQL at $(TEST_DATABASE_URL) is not reachable: skipping the PostgreSQL run (set TEST_DATABASE_URL)."; \
	fi

test: setup i18n-check lint typecheck
	@echo "manage.py check --deploy with production settings:"
	DEBUG=false HTTPS=true ALLOWED_HOSTS=kollegium.example.org \
	  SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	  $(PY) manage.py check --deploy --fail-level WARNING
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

bench: setup
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf var/static var/bench-* bench/results/latest.json
