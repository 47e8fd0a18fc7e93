# The commands everybody runs, CI included.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: dev run demo test test-pg lint fmt messages clean

$(BIN)/citysoc: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(BIN)/citysoc

dev: $(BIN)/citysoc

## make run: install, migrate, load the demo city, start the hub on 127.0.0.1:8000
run: dev
	$(BIN)/citysoc migrate --no-input
	$(BIN)/citysoc demo
	$(BIN)/citysoc serve --host $(HOST) --port $(PORT)

demo: dev
	$(BIN)/citysoc migrate --no-input
	$(BIN)/citysoc demo

## make test: install, run every test (SQLite unless DATABASE_URL is set), one worker per
## core (TEST_WORKERS=1 for a serial run), and print the 15 slowest
TEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadgroup --durations=15

test: dev
	$(PYTEST)

test-pg: dev
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(PYTEST)

lint: dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/citysoc makemigrations --check --dry-run

fmt: dev
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

## make messages: refresh the Vietnamese catalogue, fill it from translate_vi.py, compile it
messages: dev
	cd src/citysoc && ../../$(BIN)/citysoc makemessages -l vi --no-obsolete --ignore 'engine/*'
	$(BIN)/python src/citysoc/locale/translate_vi.py
	cd src/citysoc && ../../$(BIN)/citysoc compilemessages -l vi

clean:
	rm -rf $(VENV) var
