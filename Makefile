# Jornada: two commands on a fresh machine: `make build`, then `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export PYTHONPATH := $(CURDIR)/scripts

.PHONY: build test venv deps seeds generate lint sqlfluff ruff dbt-build pytest clean docs freshness

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

venv: $(VENV)/.installed

## build: make the venv, install pinned requirements, build the warehouse on the demo data
build: venv
	$(DBT) build --fail-fast

## test: every check CI runs (lint, dbt build with its tests, pytest)
test: venv lint dbt-build pytest

dbt-build: venv
	$(DBT) build

lint: ruff sqlfluff

ruff: venv
	$(BIN)/ruff check scripts pytests
	$(BIN)/ruff format --check scripts pytests

sqlfluff: venv
	$(BIN)/sqlfluff lint models macros tests analyses

pytest: venv
	$(BIN)/pytest

## generate: rewrite the committed demo seeds from the generator (deterministic)
generate: venv
	$(BIN)/python scripts/generate_raw.py

freshness: venv
	$(DBT) source freshness

docs: venv
	$(DBT) docs generate && $(DBT) docs serve --port 8080

clean:
	rm -rf $(VENV) target logs jornada.duckdb .duckdb_tmp
