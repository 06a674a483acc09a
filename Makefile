# paimai — the two commands: `make run` (the product, SQLite, demo data) and `make test` (everything CI runs).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PYTEST_WORKERS ?= 2

.PHONY: run test install install-test lint typecheck unit bench mutate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	bash scripts/install-browser.sh

run: install
	$(BIN)/paimai demo
	$(BIN)/paimai serve --host 127.0.0.1 --port 8000

lint: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

typecheck: install-test
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup -q

bench: install-test
	$(BIN)/python bench/hot_lot.py

# The mutation run over the domain core (docs/testing.md): a developer's measure, not part of `make test` or CI.
# Takes 7-25 min on two cores; MUTATE_CHILDREN sets how many mutants run at once.
MUTATE_CHILDREN ?= 2
mutate: install-test
	$(BIN)/pip install -q -e '.[test,mutate]'
	rm -rf mutants
	$(BIN)/mutmut run --max-children $(MUTATE_CHILDREN)
	$(BIN)/python scripts/mutation-report.py

clean:
	rm -rf $(VENV) var mutants .pytest_cache .mypy_cache .ruff_cache
