# Jornada: two commands on a fresh machine: `make build`, then `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export PYTHONPATH := $(CURDIR)/scripts

.PHONY: build test venv deps seeds generate lint sqlfluff ruff dbt-build pytest clean docs freshness \
	venv-spark test-spark clean-spark semantic

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

venv: $(VENV)/.installed

# Spark: dbt-spark + pyspark on top of the pinned venv (requirements-spark.txt).
# Everything a Spark build writes (warehouse, Derby metastore, dbt target and
# logs) stays in SPARK_DIR, so it never mixes with the DuckDB build's target/.
SPARK_DIR ?= $(CURDIR)/.spark
SPARK_ENV := JORNADA_SPARK_DIR=$(SPARK_DIR) DBT_TARGET_PATH=$(SPARK_DIR)/target DBT_LOG_PATH=$(SPARK_DIR)/logs
# What test-spark builds: all but the marts and what depends on them (models/semantic),
# until the marts run on Spark (then SPARK_SELECT= builds everything).
SPARK_SELECT ?= --exclude models/marts+

$(VENV)/.installed-spark: $(VENV)/.installed requirements-spark.txt
	$(BIN)/pip install --quiet -r requirements-spark.txt
	touch $@

venv-spark: $(VENV)/.installed-spark

## build: make the venv, install pinned requirements, build the warehouse on the demo data
build: venv
	$(DBT) build --fail-fast

## test: every check CI runs (lint, dbt build with its tests, semantic layer, pytest)
test: venv lint dbt-build semantic pytest

dbt-build: venv
	$(DBT) build

## test-spark: seeds, staging and intermediate with all their dbt tests on a local Spark session (needs Java 17)
test-spark: venv-spark
	@command -v java >/dev/null || { echo "test-spark needs Java 17 or later (java -version)" >&2; exit 1; }
	mkdir -p $(SPARK_DIR)
	$(SPARK_ENV) $(DBT) build --target spark $(SPARK_SELECT)

## clean-spark: drop the local Spark warehouse and metastore (the next Spark build starts empty)
clean-spark:
	rm -rf $(SPARK_DIR) spark-warehouse metastore_db derby.log

MF := $(BIN)/mf
# mf reads <project dir>/target/semantic_manifest.json whatever DBT_TARGET_PATH
# says: with DBT_TARGET_PATH set, it runs from a folder beside that target
# with dbt_project.yml and target/ linked.
MF_PROJECT_DIR := $(if $(DBT_TARGET_PATH),$(abspath $(DBT_TARGET_PATH))_mf,$(CURDIR))

## semantic: parse, then validate the semantic layer (models/semantic) against the built warehouse
semantic: venv
	$(DBT) parse --quiet
	@if [ "$(MF_PROJECT_DIR)" != "$(CURDIR)" ]; then mkdir -p "$(MF_PROJECT_DIR)" \
		&& ln -sfn "$(CURDIR)/dbt_project.yml" "$(MF_PROJECT_DIR)/dbt_project.yml" \
		&& ln -sfn "$(abspath $(DBT_TARGET_PATH))" "$(MF_PROJECT_DIR)/target"; fi
	cd "$(MF_PROJECT_DIR)" && DBT_PROJECT_DIR="$(MF_PROJECT_DIR)" \
		JORNADA_DUCKDB_PATH="$(abspath $(or $(JORNADA_DUCKDB_PATH),jornada.duckdb))" \
		JORNADA_TEMP_DIR="$(abspath $(or $(JORNADA_TEMP_DIR),.duckdb_tmp))" \
		$(abspath $(MF)) validate-configs

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

clean: clean-spark
	rm -rf $(VENV) target logs jornada.duckdb .duckdb_tmp
