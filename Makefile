# Two commands for a fresh machine with Python 3.11+ and make: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck pytest bench mutation fooddb clean system-packages system-packages-tests

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Rugwijzer needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

# Debian packages outside Python (scripts/system_packages.sh): Pango and a font for the PDF
# report, and pdftotext for the tests; installed when missing. Where there is no apt-get, install
# them with the system's own package manager (docs/operating.md, "System packages").
# `make run` goes on without them (only the PDF report needs them); `make test` does not.
system-packages:
	@if command -v apt-get >/dev/null 2>&1; then scripts/system_packages.sh \
	  || echo "Warning: the PDF report will not work until these packages are installed" >&2; fi

system-packages-tests:
	@if command -v apt-get >/dev/null 2>&1; then scripts/system_packages.sh --tests; fi

run: $(VENV)/.installed system-packages
	$(BIN)/rugwijzer init
	$(BIN)/rugwijzer serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-dev lint typecheck pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

pytest: $(VENV)/.installed-dev system-packages-tests
	$(BIN)/pytest

bench: $(VENV)/.installed-dev system-packages
	$(BIN)/python bench/bench_fooddb.py
	$(BIN)/python bench/bench_meals.py
	$(BIN)/python bench/bench_progress.py
	$(BIN)/python bench/bench_api.py
	$(BIN)/python bench/bench_hosting.py
	$(BIN)/python bench/bench_web.py
	$(BIN)/python bench/bench_report.py
	$(BIN)/python bench/bench_aids_import.py
	$(BIN)/python bench/bench_nevo_import.py
	$(BIN)/python bench/bench_planner.py
	$(BIN)/python bench/bench_soak.py

# Mutation testing of the access checks, the supplement limits and hard stops, and triage
# (docs/testing.md). Too slow for `make test` and CI: on 2 shared cores the 38 must-catch
# mutations took 28 min and mutmut's 1,059 mutants about an hour (docs/testing.md); the normal
# suite only checks the configuration. Integration tests need PostgreSQL as in `make test`.
# MUTATION_ARGS=must-catch runs only the hand-written mutations; MUTATION_ARGS=mutmut only mutmut.
MUTATION_ARGS ?= all
mutation: $(VENV)/.installed-dev
	$(BIN)/python scripts/mutation.py $(MUTATION_ARGS)

# Rebuild the bundled food database from Debian's cronometer package (needs apt-get).
fooddb: $(VENV)/.installed
	scripts/fetch_sr24.sh .cache/cronometer
	$(BIN)/rugwijzer foods build --sr24 .cache/cronometer/usr/share/cronometer/usda_sr24.jar

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache mutants
