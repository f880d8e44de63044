# The one entry point: `make demo` brings the product up from a fresh clone, `make test` tests it.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
NHANLUC := $(BIN)/nhanluc
export NHANLUC_DATABASE_URL ?= sqlite:///var/nhanluc.sqlite3
DEMO_COMMUNE ?= 10546


.PHONY: demo install static messages messages-update migrate reference test lint format bench schema clean

$(BIN)/python:
	@PY="$$(scripts/find-python.sh)" && echo "Python: $$PY" && "$$PY" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Front-end packages come from npm and are copied into our static files: never a CDN.
static: node_modules/.package-lock.json
	mkdir -p src/nhanluc/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js src/nhanluc/static/vendor/htmx.min.js
	cp node_modules/echarts/dist/echarts.min.js src/nhanluc/static/vendor/echarts.min.js

# After changing user-facing text: collect the new strings, translate them in the .po, commit it.
messages-update: install
	NHANLUC_TESTING=1 $(NHANLUC) makemessages -l en --ignore=.venv --ignore=node_modules --ignore=tests \
	  --ignore=bench --no-obsolete --no-location

messages: install
	NHANLUC_TESTING=1 $(NHANLUC) compilemessages --ignore=.venv --ignore=node_modules -v 0

migrate: install
	mkdir -p var
	$(NHANLUC) migrate --no-input -v 0

reference: migrate
	$(NHANLUC) load-reference

demo: export NHANLUC_DEMO = 1
demo: install static messages reference
	$(NHANLUC) collectstatic --no-input -v 0
	$(NHANLUC) create-demo-users --commune $(DEMO_COMMUNE)
	$(NHANLUC) generate --province 31 --people 100000 --seed 2026 --if-empty
	$(NHANLUC) create-demo-employers
	$(NHANLUC) create-demo-indicators
	@echo "Nhân Lực: http://127.0.0.1:8000/  (Ctrl+C để dừng / to stop)"
	@trap 'kill 0' EXIT; \
	  $(NHANLUC) db_worker --no-reload --interval 1 & \
	  $(NHANLUC) runserver --noreload 127.0.0.1:8000

test: export NHANLUC_TESTING = 1
test: install static messages
	$(BIN)/pytest -q $(PYTEST_ARGS)

lint: install
	mkdir -p var
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	NHANLUC_TESTING=1 $(NHANLUC) makemigrations --check --dry-run -v 1
	NHANLUC_TESTING=1 $(NHANLUC) check

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# reference.py empties the database it is given: unless one was named, give it its own under var/bench/.
bench: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(if $(filter file,$(origin NHANLUC_DATABASE_URL)),NHANLUC_DATABASE_URL=sqlite:///var/bench/reference.sqlite3) \
	  $(BIN)/python bench/reference.py
	$(BIN)/python bench/import_survey.py
	$(BIN)/python bench/vacancies.py

clean:
	rm -rf $(VENV) node_modules src/nhanluc/static/vendor var/static

schema: install
	NHANLUC_TESTING=1 $(NHANLUC) spectacular --file docs/openapi.yaml --validate
