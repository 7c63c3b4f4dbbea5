# 调解通 — the two commands: `make run` and `make test`. Each creates .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python main.py

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

# ruff (pyflakes, pycodestyle, isort, bugbear) and the import-linter contracts in pyproject.toml
lint: $(STAMP)
	$(BIN)/ruff check mediator tests main.py
	$(BIN)/lint-imports

# Benchmarks at 100,000 cases (builds the county once into .bench-cache/); BENCH_ARGS="--runs 3 --only list"
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
