# 调解通 — the two commands: `make run` and `make test`. Each creates .venv first and checks the
# system libraries, fonts and tools first (packaging/check_system.py; MEDIATOR_SKIP_SYSTEM_CHECK=1 skips).
# `make dist` builds the one-folder program into dist/mediator/; `make dist-check` tests that build.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint clean dist dist-check
DIST_STAMP := $(VENV)/.installed-dist

# rapidocr-onnxruntime (读取身份证照片) asks for opencv-python, which bundles Qt 5 and shares cv2/ with
# the headless wheel we list: keep only the headless one (README, 读取身份证照片).
OPENCV_HEADLESS_ONLY = $(BIN)/python -m pip uninstall --quiet -y opencv-python && \
	$(BIN)/python -m pip install --quiet --force-reinstall --no-deps opencv-python-headless

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(OPENCV_HEADLESS_ONLY)
	touch $(STAMP)

$(DIST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,dist]'
	$(OPENCV_HEADLESS_ONLY)
	touch $(DIST_STAMP)

run: $(STAMP)
	$(BIN)/python packaging/check_system.py gui
	$(BIN)/python main.py

test: $(STAMP)
	$(BIN)/python packaging/check_system.py test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

# PyInstaller, one folder: dist/mediator/ with mediator (GUI) and mediator-cli
dist: $(DIST_STAMP)
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build packaging/mediator.spec

# The built program run as a user would: --version, a database, an agreement PDF, the GUI offscreen
dist-check: dist
	$(BIN)/python packaging/smoke_check.py dist/mediator

# ruff (pyflakes, pycodestyle, isort, bugbear) and the import-linter contracts in pyproject.toml
lint: $(STAMP)
	$(BIN)/ruff check mediator tests packaging main.py
	$(BIN)/lint-imports

# Benchmarks at 100,000 cases (builds the county once into .bench-cache/); BENCH_ARGS="--runs 3 --only list"
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache build dist
