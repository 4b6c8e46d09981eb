# Gongjian: the two commands are `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed-dev

.PHONY: run test install fonts lint migrations-check pytest test-pg run-prod clean bench bench-search bench-load bench-pages test-upstream

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(STAMP) fonts

## PDF exports of compilations embed a CJK font: Debian's fonts-noto-cjk, installed
## here when missing (needs root and apt-get; otherwise say so and carry on: the PDF
## tests then skip with the reason, and CJK_FONT_PATH can point at any CJK font).
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc
fonts:
	@if [ -n "$$CJK_FONT_PATH" ] || [ -f "$(CJK_FONT)" ]; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "Installing fonts-noto-cjk for PDF export ..."; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null) \
			|| echo "WARNING: could not install fonts-noto-cjk; PDF export and its tests are unavailable"; \
	else \
		echo "WARNING: no CJK font for PDF export: install fonts-noto-cjk (sudo apt-get install fonts-noto-cjk) or set CJK_FONT_PATH"; \
	fi

## Set up the embedded default (SQLite, database search) with the demo data and serve it.
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) setup_site
	$(MANAGE) load_demo --if-empty
	$(MANAGE) runserver 127.0.0.1:8000

## Lint, check migrations and run the whole suite (on DATABASE_URL, SQLite by default).
test: install lint migrations-check pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

migrations-check: install
	DJANGO_SETTINGS_MODULE=gongjian_site.settings.test $(MANAGE) makemigrations --check --dry-run

## The suite runs on every core (pytest-xdist), each worker with its own test database;
## PYTEST_WORKERS=0 runs it in this one process.
PYTEST_WORKERS ?= auto
pytest: install
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

## The suite against the PostgreSQL on this machine, in a throwaway database.
test-pg: install
	bash .ci/with-postgres.sh $(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

## Wagtail's own page-permission, explorer and workflow tests, on stock Wagtail and with
## every plugin installed, compared (README: "Wagtail's own tests with our plugins"). Not
## part of `make test`: several minutes. UPSTREAM_ARGS: --parallel, --keep DIR, --labels.
UPSTREAM_STAMP := $(VENV)/.installed-upstream
$(UPSTREAM_STAMP): pyproject.toml | $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,upstream]'
	touch $@

test-upstream: install $(UPSTREAM_STAMP)
	$(PY) -m tests.upstream.run $(UPSTREAM_ARGS)

## Production on this machine: gunicorn, PostgreSQL database `gongjian`, Redis (see README).
run-prod: install
	$(PY) -m pip install --quiet -e '.[production]'
	bash scripts/run-prod.sh

## Benchmarks (not part of `make test`): import throughput and .docx export time.
bench: install
	$(VENV)/bin/pytest tests/benchmarks/bench_publicity.py -q -s $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .test-media

## Benchmarks (not part of `make test`): tables with ratios against a baseline measured in the same run.
bench-search: install
	$(PY) tests/benchmarks/bench_search.py $(BENCH_ARGS)

## Load: gunicorn on a throwaway PostgreSQL database with Redis, driven by locust at 1, 10
## and 50 clients (BENCH_ARGS: --duration, --clients, --workers).
bench-load: install
	$(PY) -m pip install --quiet -e '.[production,bench]'
	bash .ci/with-postgres.sh $(PY) tests/benchmarks/bench_load.py $(BENCH_ARGS)
## Requests/s of the community page under gunicorn (2 workers), uncached and cached,
## beside stock Wagtail's default home page served the same way in the same run.
bench-pages: install
	$(PY) -m pip install --quiet -e '.[production]'
	$(PY) tests/benchmarks/bench_pages.py $(BENCH_ARGS)
