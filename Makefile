# One command to try the app, one to test it. Needs only Python 3.11+ (SQLite, Celery tasks run eagerly).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
SCALE ?= district

.PHONY: demo run test lint format migrate messages worker beat bench clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

demo: migrate  ## set up, load the Bắc Sơn demo district, serve at http://127.0.0.1:8000
	$(PY) manage.py load_demo
	@echo "Open http://$(HOST)/ — accounts: binh, lanhdao, dongy, rum, admin"
	$(PY) manage.py runserver $(HOST)

run: migrate  ## serve without reloading demo data
	$(PY) manage.py runserver $(HOST)

test: $(VENV)/.installed-dev  ## lint, architecture contracts, the migrations check and the whole test suite
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: $(VENV)/.installed-dev  ## refresh and compile translations (needs GNU gettext)
	$(PY) manage.py makemessages -l en -l vi --ignore=.venv --ignore=static/vendor
	$(PY) manage.py compilemessages --ignore=.venv

worker: $(VENV)/.installed
	$(VENV)/bin/celery -A bacson worker --loglevel=INFO

beat: $(VENV)/.installed
	$(VENV)/bin/celery -A bacson beat --loglevel=INFO

bench: $(VENV)/.installed  ## benchmarks: make bench SCALE=district|province|national [BENCH_ARGS="--reuse --deadline"] (DATABASE_URL=postgres://…/bacson_bench; Redis on 127.0.0.1:6379, dbs 10-11)
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
	*) echo "make bench needs PostgreSQL: DATABASE_URL=postgres://USER@HOST:5432/bacson_bench (a database whose name contains 'bench'; it is dropped and re-created). SQLite is not measured." >&2; exit 2;; esac
	$(PY) -m bench.run --scale $(SCALE) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
