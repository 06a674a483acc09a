# paimai — the two commands: `make run` (the product, SQLite, demo data) and `make test` (everything CI runs).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PYTEST_WORKERS ?= 2
PORT ?= 8000

.PHONY: run test install install-test lint typecheck unit bench mutate clean messages compile-messages simulate-ci

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .
	$(MAKE) compile-messages

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	$(MAKE) compile-messages
	bash scripts/install-browser.sh

# The string catalogue (docs/i18n.md): `messages` finds every key in the code and templates and updates the
# .pot and the .po files; `compile-messages` builds the .mo files the app reads (build output, not committed).
LOCALE := src/paimai/locale
I18N_KEYWORDS := -k t -k both -k N_

messages:
	$(BIN)/pybabel extract -F babel.cfg --no-default-keywords $(I18N_KEYWORDS) --no-location --sort-output \
		--no-wrap --project paimai --version 0.1.0 --copyright-holder "paimai contributors" -o $(LOCALE)/messages.pot .
	$(BIN)/pybabel update -i $(LOCALE)/messages.pot -d $(LOCALE) -D messages --no-fuzzy-matching --ignore-obsolete \
		--no-wrap

compile-messages:
	$(BIN)/pybabel compile -d $(LOCALE) -D messages --statistics

run: install
	$(BIN)/paimai demo
	$(BIN)/paimai serve --host 127.0.0.1 --port $(PORT)

lint: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

typecheck: install-test
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup -q
	$(simulate_ci)

# The simulator (docs/testing.md): SIM_OPS steps with every fault on SQLite and on PostgreSQL at once (in a
# scratch database it makes beside SIM_POSTGRES_URL's and drops). The seed is fixed, so CI's outcome depends on
# the code alone; other seeds explore (`make simulate-ci SIM_SEED=7`), and a failure prints the seed that replays
# it: `paimai simulate --seed S --ops N --faults`.
SIM_SEED ?= 20261202
SIM_OPS ?= 20000
SIM_POSTGRES_URL ?= $(or $(PAIMAI_TEST_POSTGRES_URL),postgresql://postgres@127.0.0.1:5432/test)
define simulate_ci
	bash scripts/simulate-ci.sh $(BIN) $(SIM_SEED) $(SIM_OPS) $(SIM_POSTGRES_URL)
endef

simulate-ci: install-test
	$(simulate_ci)

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
