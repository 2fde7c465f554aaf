# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ADMIN_EMAIL ?= admin@example.org
# `make run` serves here; links printed by the app must use the same host.
run: export SITE_ROOT ?= http://127.0.0.1:8000

.PHONY: run test lint install install-dev

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt requirements-mysql.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt -r requirements-mysql.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Serve the app on http://127.0.0.1:8000 with a local admin account (SQLite).
run: $(VENV)/.installed
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py collectstatic --no-input -v0
	@test -s .local-admin-password || $(PY) -c "import secrets; print(secrets.token_urlsafe(12))" > .local-admin-password
	@$(PY) manage.py bootstrap --email $(ADMIN_EMAIL) --password "$$(cat .local-admin-password)" \
		--superuser --check "My First Check" --json > .local-bootstrap.json
	@$(PY) scripts/print-welcome .local-bootstrap.json "$$(cat .local-admin-password)"
	$(VENV)/bin/uwsgi --ini docker/uwsgi.ini

# Lint, type-check, then the whole suite on SQLite, PostgreSQL and MariaDB.
test: $(VENV)/.installed-dev
	scripts/run-tests

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy hc
