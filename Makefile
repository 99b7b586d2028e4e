# Two entry points, both idempotent (a second run reuses .venv):
#   make demo  - venv, install, sample data -> ETL -> scores -> PDF reports -> serve the app
#   make test  - venv, install (with dev extras), ruff check + format check, mypy --strict, the suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | sha256sum | cut -c1-12)
PORT   ?= 8501

.PHONY: demo test install lint bench clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

demo: install
	$(BIN)/smartindex demo --port $(PORT)

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m mypy --strict smartindex
	$(BIN)/python -m pytest -q -n 2

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/python -m mypy --strict smartindex

bench: install
	for b in benchmarks/*.py; do $(BIN)/python $$b; done

clean:
	rm -rf $(VENV) data/warehouse.duckdb reports/*.pdf .pytest_cache
