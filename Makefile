# `make demo` and `make test` do all the set-up on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/planner plan scenarios/voorbeeld/voorbeeld.toml

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check planner tests
	$(BIN)/mypy planner

clean:
	rm -rf $(VENV) reports/*/ .pytest_cache

bench: $(STAMP)
	PYTHONPATH=. $(BIN)/python -m benchmarks.run S,M,L
