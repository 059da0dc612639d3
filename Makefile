# ITA Portal: `make run` serves the demo, `make test` runs every check. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export DEBUG ?= true

.PHONY: run test check lint format pytest migrate demo messages clean system-packages bench \
	bench-load bench-national docs-images

$(VENV)/.installed: requirements.txt requirements-dev.txt node_modules/.installed
	@PYTHON=$(PYTHON) bin/ensure-system-packages run test
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

# Bootstrap for the portal's pages, served by the portal itself.
node_modules/.installed: package.json package-lock.json
	@PYTHON=$(PYTHON) bin/ensure-system-packages run
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

system-packages:
	@PYTHON=$(PYTHON) bin/ensure-system-packages run test

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --verbosity 0

demo: migrate
	$(PY) manage.py load_demo

run: system-packages demo
	@echo "Serving on http://127.0.0.1:8000 (the logins are listed above)"
	$(PY) manage.py runserver 127.0.0.1:8000

check: $(VENV)/.installed
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run --verbosity 0
	$(PY) manage.py check_catalog
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

pytest: $(VENV)/.installed
	$(VENV)/bin/pytest

test: system-packages check pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

format: lint

messages: $(VENV)/.installed
	$(PY) manage.py makemessages --locale th --no-obsolete --ignore '.venv/*' --ignore 'staticfiles/*'
	$(PY) manage.py compilemessages --locale th --ignore '.venv/*'

bench: $(VENV)/.installed
	@PYTHON=$(PYTHON) bin/ensure-system-packages run test browser
	$(PY) bench/render_reports.py

# Readers, editors and a reviewer against gunicorn on PostgreSQL (docs/benchmarks.md). It drops
# and recreates its own database: LOAD_ARGS="--database-url postgres://…/other" to change it.
LOAD_ARGS ?= --seconds 120 --readers 10 --editors 4 --workers 2
bench-load: $(VENV)/.installed
	@PYTHON=$(PYTHON) bin/ensure-system-packages run
	$(PY) bench/load.py $(LOAD_ARGS)

# Every public page and API answer at national scale (docs/benchmarks.md): SCALE=100 (83
# agencies × 5 years), 10 or 1 (all 8,306). It drops and recreates ita_nat_<SCALE> and generates
# the data (NATIONAL_ARGS="--reuse" keeps it); --write-docs puts the table into the docs.
SCALE ?= 100
NATIONAL_ARGS ?= --runs 3 --write-docs
bench-national: $(VENV)/.installed
	@PYTHON=$(PYTHON) bin/ensure-system-packages run
	nice -n 10 $(PY) bench/national.py --scale $(SCALE) $(NATIONAL_ARGS)

docs-images: demo
	bin/layout-images

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
