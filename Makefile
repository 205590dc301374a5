# Two entry points that work on a fresh machine with only Python 3.11+:
#   make demo   set up, run the conformance suite against the reference simulators, write the report
#   make test   set up, run the project's own tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/ocpp-harness demo

test: $(STAMP)
	$(BIN)/ruff check harness tests testcases benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/unit tests/plugin tests/rig
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 4 tests/quality

lint: $(STAMP)
	$(BIN)/ruff check harness tests testcases benchmarks
	$(BIN)/ruff format --check harness tests testcases benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/roundtrip.py

clean:
	rm -rf $(VENV) reports/*/ reports/latest
