# The commands everybody runs, CI included.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: hub dev run demo test test-pg lint typecheck fmt messages clean

# `make run` needs only the hub's own dependencies: a first start on a fresh machine does
# not wait for PySpark, Playwright and the test tools. `make dev` (and test, lint...) adds them.
# setup.py and the C source: a changed kernel is rebuilt by the editable install.
$(BIN)/citysoc: pyproject.toml setup.py $(wildcard src/citysoc/engine/kernel/c/*)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(BIN)/citysoc

$(VENV)/.dev-installed: $(BIN)/citysoc
	$(BIN)/python -m pip install --quiet -e ".[dev]" -e ./agent
	touch $(VENV)/.dev-installed

hub: $(BIN)/citysoc

dev: $(VENV)/.dev-installed

# The served host and port, so that the demo's printout names the address actually served.
SERVED := CITYSOC_SERVE_HOST=$(HOST) CITYSOC_SERVE_PORT=$(PORT)

## make run: install, migrate, load the demo city, start the hub on 127.0.0.1:8000
## (DEBUG stays off; the app's own error pages are shown. CITYSOC_DEBUG=1 make run for tracebacks.)
run: hub
	$(BIN)/citysoc migrate --no-input
	$(SERVED) $(BIN)/citysoc demo
	$(BIN)/citysoc serve --host $(HOST) --port $(PORT)

demo: hub
	$(BIN)/citysoc migrate --no-input
	$(SERVED) $(BIN)/citysoc demo

## make test: install, run every test (SQLite unless DATABASE_URL is set), one worker per
## core (TEST_WORKERS=1 for a serial run), and print the 15 slowest
TEST_WORKERS ?= auto
# pytest keeps each test module it rewrites (for its assert messages) as bytecode in
# __pycache__ (ignored by git), as Python keeps the hub's own modules for every `citysoc`
# process the tests start. A shell with PYTHONDONTWRITEBYTECODE set would have each worker
# rewrite all of them again on every run (about 6 s of CPU per worker).
unexport PYTHONDONTWRITEBYTECODE
PYTEST := $(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadgroup --durations=15

test: dev
	$(PYTEST)

# On PostgreSQL, only the tests that can reach the database: the others give the same
# answer on any database and `make test` runs them (tests/support/database_only.py).
test-pg: dev
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(PYTEST) --database-only

lint: dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/citysoc makemigrations --check --dry-run
	$(MAKE) typecheck

## make typecheck: mypy over the whole package (config in pyproject.toml): strict on the rules and
## every registry's entries, mypy's classic default level (django-stubs) everywhere else.
TYPED := src/citysoc
typecheck: dev
	PYTHONPATH=src $(BIN)/mypy $(TYPED)

fmt: dev
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

## make messages: refresh the Vietnamese catalogue (django.po) from the source, compile it.
## django.po is the catalogue: translate in it (by hand, Poedit or Weblate), then run this.
messages: dev
	cd src/citysoc && ../../$(BIN)/citysoc makemessages -l vi --no-obsolete --add-location file --ignore 'engine/*'
	cd src/citysoc && ../../$(BIN)/citysoc compilemessages -l vi

clean:
	rm -rf $(VENV) var
