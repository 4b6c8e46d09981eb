# Gongjian: the two commands are `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed-dev

.PHONY: run test install lint migrations-check pytest test-pg run-prod clean bench-search

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(STAMP)

## Set up the embedded default (SQLite, database search) with the demo data and serve it.
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) setup_site
	@if [ "$$($(MANAGE) shell -c 'from plugins.orgs.models import OrganisationPage; print(OrganisationPage.objects.exists())')" = "False" ]; then \
		$(MANAGE) load_demo; \
	fi
	$(MANAGE) runserver 127.0.0.1:8000

## Lint, check migrations and run the whole suite (on DATABASE_URL, SQLite by default).
test: install lint migrations-check pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

migrations-check: install
	DJANGO_SETTINGS_MODULE=gongjian_site.settings.test $(MANAGE) makemigrations --check --dry-run

pytest: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## The suite against the PostgreSQL on this machine, in a throwaway database.
test-pg: install
	bash .ci/with-postgres.sh $(VENV)/bin/pytest $(PYTEST_ARGS)

## Production on this machine: gunicorn, PostgreSQL database `gongjian`, Redis (see README).
run-prod: install
	$(PY) -m pip install --quiet -e '.[production]'
	bash scripts/run-prod.sh

clean:
	rm -rf $(VENV) .test-media

## Benchmarks (not part of `make test`): tables with ratios against a baseline measured in the same run.
bench-search: install
	$(PY) tests/benchmarks/bench_search.py $(BENCH_ARGS)
