# Civic Commons — development commands. `make run` and `make test` work from a fresh clone.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Prefer an interpreter named for the version in .python-version, then any python3.
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	command -v $$p; break; fi; done)
# Every dependency, dependencies of dependencies included, pinned with the hashes of its files
# (`make lock` writes it from pyproject.toml; docs/development.md).
LOCK := requirements.lock
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | md5sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
OIDC_E2E := tests/e2e/oidc

.PHONY: help python venv lock run serve migrate seed test lint format test-only run-cluster proxy-deps bench messages clean check-deploy browser-deps faults audit

help:
	@echo "make run          set up and serve the demo site on http://$(HOST):$(PORT) (web + task worker)"
	@echo "make test         set up, lint and run every test"
	@echo "make run-cluster  nginx on :8080, HTTP on gunicorn, websockets on daphne, a task worker (WEB_PROCESSES=2)"
	@echo "make proxy-deps   Debian's nginx for run-cluster and bench (apt, as root)"
	@echo "make bench        benchmarks (not part of make test); BENCH_ARGS=\"--quick relay_fanout\""
	@echo "make faults       Redis killed and database cut under mixed load, worker killed (needs PostgreSQL, redis-server)"
	@echo "make audit        pip-audit of the pinned dependencies (says clearly if it could not check)"
	@echo "make lock         rewrite requirements.lock (hashed pins) after changing pyproject.toml"

python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "error: Python 3.12 or newer is required (found: $$(python3 --version 2>&1)). Install it, or set PYTHON=/path/to/python3.12." >&2; \
	  exit 1; fi

$(STAMP): pyproject.toml $(LOCK) | python
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { echo "error: $(VENV) uses Python < 3.12; remove it and retry" >&2; exit 1; }
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m pip check
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

venv: $(STAMP)

# Rewrite requirements.lock from pyproject.toml after changing a pin there (keeps every other
# package at its locked version unless the change needs another; UPGRADE=1 takes the newest).
lock: | python
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -c 'import piptools' 2>/dev/null || $(PY) -m pip install --quiet "$$(grep -o 'pip-tools==[0-9.]*' pyproject.toml)"
	CUSTOM_COMPILE_COMMAND="make lock" $(PY) -m piptools compile --quiet --generate-hashes \
	  --allow-unsafe --extra dev --all-build-deps --strip-extras --no-emit-index-url --no-emit-find-links \
	  $(if $(UPGRADE),--upgrade) --output-file $(LOCK) pyproject.toml

migrate: venv
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo
	$(PY) manage.py build_open_data

# daphne (HTTP + websockets) and the task worker (emails, texts, search indexing, webhooks),
# stopped together on Ctrl-C; emails print to this terminal (config/devserver.py).
run: seed
	HOST=$(HOST) PORT=$(PORT) $(PY) -m config.devserver

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    (apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; }) \
	      || echo "warning: could not install chromium; browser tests will be skipped" >&2; \
	  else echo "note: chromium is not installed; browser tests will be skipped" >&2; fi; }
	@# The OpenID provider of the federated sign-in journey (tests/e2e/oidc): npm ci only when
	@# the lock file changed since the last install.
	@if command -v npm >/dev/null 2>&1; then \
	  if ! cmp -s $(OIDC_E2E)/package-lock.json $(OIDC_E2E)/node_modules/.installed-lock; then \
	    echo "Installing the test OpenID provider ($(OIDC_E2E))"; \
	    (npm ci --prefix $(OIDC_E2E) --no-audit --no-fund --loglevel=error \
	      && cp $(OIDC_E2E)/package-lock.json $(OIDC_E2E)/node_modules/.installed-lock) \
	      || echo "warning: npm ci failed; the OpenID provider journey will be skipped" >&2; fi; \
	else echo "note: npm is not installed; the OpenID provider journey will be skipped" >&2; fi

test: venv lint browser-deps
	$(BIN)/pytest $(PYTEST_ARGS)

test-only: venv
	$(BIN)/pytest $(PYTEST_ARGS)

messages: venv
	$(PY) manage.py makemessages -l es --ignore=.venv --ignore=staticfiles --ignore=node_modules
	$(PY) manage.py compilemessages --ignore=.venv

# The cluster's proxy (config/cluster.py): Debian's nginx, installed as browser-deps installs
# chromium; without it run-cluster falls back to daphne peers on their own ports.
proxy-deps:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's nginx for make run-cluster"; \
	    (apt-get install -y -qq nginx >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq nginx; }) \
	      || echo "warning: could not install nginx; run-cluster will serve daphne peers without a proxy" >&2; \
	  else echo "note: nginx is not installed; run-cluster will serve daphne peers without a proxy" >&2; fi; }

# WEB_PROCESSES=4 make run-cluster: four gunicorn workers and four daphne processes.
run-cluster: venv proxy-deps
	$(PY) -m config.cluster

check-deploy: venv
	DJANGO_DEBUG=false SECRET_KEY=$$(openssl rand -hex 40) ALLOWED_HOSTS=civic.example STARTUP_CHECK=false \
	  WEBHOOK_SECRET_KEYS=$$(openssl rand -base64 32 | tr "+/" "-_") \
	  $(PY) manage.py check --deploy --fail-level WARNING

# Fault tests: own redis-server and a TCP proxy in front of PostgreSQL (never the shared ones).
FAULTS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/civic_faults
faults: venv
	RUN_FAULTS=1 FAULTS_DATABASE_URL=$(FAULTS_DATABASE_URL) $(BIN)/pytest tests/faults -p no:randomly -q -s $(PYTEST_ARGS)

audit: venv
	$(PY) .ci/pip_audit.py

bench: venv proxy-deps
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache $(OIDC_E2E)/node_modules
