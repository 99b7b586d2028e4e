# Two entry points, both idempotent (a second run reuses .venv):
#   make demo  - venv, install, sample data -> ETL -> scores -> PDF reports -> serve the app
#   make test  - venv, install (with dev extras), ruff check + format check, mypy --strict, the suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HASH   := $(shell cat pyproject.toml requirements.lock | sha256sum | cut -c1-12)
STAMP  := $(VENV)/.installed-run-$(HASH)
DEV    := $(VENV)/.installed-dev-$(HASH)
PORT   ?= 8501

.PHONY: demo test install install-dev lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# the demo needs the runtime only; the tests add the dev extras (pytest, ruff, mypy, playwright)
$(STAMP): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c requirements.lock -e .
	rm -f $(VENV)/.installed-run-* && touch $@

$(DEV): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	rm -f $(VENV)/.installed-dev-* && touch $(STAMP) $@

install: $(STAMP)

install-dev: $(DEV)

demo: install
	$(BIN)/smartindex demo --port $(PORT)

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m mypy --strict smartindex
	$(BIN)/python -m pytest -q -n 2

lint: install-dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/python -m mypy --strict smartindex

bench: install-dev
	for b in benchmarks/*.py; do $(BIN)/python $$b; done

clean:
	rm -rf $(VENV) data/warehouse.duckdb reports/*.pdf .pytest_cache
