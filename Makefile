# The two commands a newcomer needs: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := demo

PYTHON_BIN := $(shell scripts/find-python)
TOOLS := var/tools
UV := $(or $(shell command -v uv 2>/dev/null),$(TOOLS)/bin/uv)
VENV_PY := .venv/bin/python
MANAGE := $(VENV_PY) manage.py
DEMO_PORT ?= 8000
# The demo clock (docs/demo.md): the date the demo lives at, inside its plan. The Sarthe's
# PDALPD 2008-2012 at the last day of its data: deadlines, work queues and the winter truce
# as its users saw them then. `make demo DEMO_TODAY=` runs at the real date.
DEMO_TODAY ?= 2012-12-31
DEMO_SECOND_TODAY ?= 2022-12-31
export UV_PYTHON_DOWNLOADS := never

.PHONY: demo demo-data demo-second test install lint pytest bench clean-demo serve load-test

$(TOOLS)/bin/uv:
	@echo "uv introuvable : installation locale dans $(TOOLS)"
	@mkdir -p var
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	@test -n "$(PYTHON_BIN)" || { echo "Python >= 3.12 introuvable (voir scripts/find-python)"; exit 1; }
	$(UV) sync --frozen --python "$(PYTHON_BIN)"
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

var/.system-deps: scripts/system-deps
	@mkdir -p var
	scripts/system-deps
	@touch $@

install: var/.system-deps .venv/.synced node_modules/.package-lock.json

demo: export TOIT_DEMO_TODAY = $(DEMO_TODAY)
demo: demo-data
	@bash scripts/serve-demo $(DEMO_PORT)

# The Sarthe's plan and its synthetic département (what `make demo` serves).
demo-data: export TOIT_DEMO_TODAY = $(DEMO_TODAY)
demo-data: install
	@mkdir -p var
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) toit_territory load data/territory/cog-72.json
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) toit_plan load plans/pdalpd-sarthe-2008-2012.yaml
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) toit_demo

# A second synthetic département next to the first: the Orne's territory read from the COG
# package at run time, a fictitious plan (plans/demo/), data at half the Sarthe's volumes
# (about half its population) and its own demo accounts (agent.caf.61…). See README.md.
# It runs at a date inside the second plan (DEMO_SECOND_TODAY); the Sarthe's data is the same.
demo-second: export TOIT_DEMO_TODAY = $(DEMO_SECOND_TODAY)
demo-second: demo-data
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) toit_territory import 61
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) toit_plan load plans/demo/pdalhpd-orne-2017-2022.yaml
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) toit_demo --plan demo-pdalhpd-orne-2017-2022 --seed 61 --scale 0.5
	@bash scripts/serve-demo $(DEMO_PORT)

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/bandit --quiet --configfile pyproject.toml --severity-level medium --recursive toit config

test: lint
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	$(VENV_PY) -m pytest

# Production-like local run: production settings under gunicorn (see docs/deployment.md).
serve: install
	@bash scripts/serve $(DEMO_PORT)

# Load test: two gunicorn servers on two ports against one PostgreSQL, locust headless
# (bench/load/run says how). DATABASE_URL defaults to the benchmark database toit_bench.
load-test: install
	@bash bench/load/run

bench: install
	@for script in bench/*.py; do echo "== $$script"; $(VENV_PY) $$script || exit 1; done

clean-demo:
	rm -f var/demo.sqlite3
