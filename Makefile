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

## make test: install, run every test (SQLite unless DATABASE_URL is set)
test: dev
	$(BIN)/python -m pytest -q

test-pg: dev
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest -q

lint: dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/citysoc makemigrations --check --dry-run

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
