# Two commands for a fresh machine:
#   make serve   build and serve the archive from the sample reports in reports/
#   make test    run the tests
# Both create .venv and install the project into it on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: serve build build-properdocs test lint bench bench-site bench-search bench-tools bench-detect fuzz clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

serve: $(BIN)/.installed
	$(BIN)/mkdocs serve

build: $(BIN)/.installed
	$(BIN)/mkdocs build --strict

build-properdocs: $(BIN)/.installed
	$(BIN)/properdocs build --strict -f mkdocs.yml

test: $(BIN)/.installed
	$(BIN)/python -m pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/zizmor --offline .github/workflows

bench: $(BIN)/.installed
	$(BIN)/python benchmarks/bench_parse.py

bench-site: $(BIN)/.installed
	$(BIN)/python benchmarks/bench_site.py

bench-search: $(BIN)/.installed
	$(BIN)/python benchmarks/bench_search.py

bench-tools: $(BIN)/.installed
	$(BIN)/python benchmarks/bench_tools.py

bench-detect: $(BIN)/.installed
	$(BIN)/python benchmarks/bench_detect.py

fuzz: $(BIN)/.installed
	$(BIN)/python benchmarks/fuzz_reports.py

clean:
	rm -rf $(VENV) site build *.egg-info
