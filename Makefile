# Jornada: two commands on a fresh machine: `make build`, then `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export PYTHONPATH := $(CURDIR)/scripts

.PHONY: build test venv deps seeds generate lint sqlfluff ruff dbt-build pytest clean docs freshness \
	venv-spark test-spark clean-spark semantic browser quality alerts conventions coverage dashboard export bench

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
# What test-spark builds: empty, the whole project (seeds, staging, intermediate,
# marts, semantic) with every dbt test and unit test. Narrow it while iterating,
# e.g. SPARK_SELECT="--select +models/marts/sales".
SPARK_SELECT ?=

$(VENV)/.installed-spark: $(VENV)/.installed requirements-spark.txt
	$(BIN)/pip install --quiet -r requirements-spark.txt
	touch $@

venv-spark: $(VENV)/.installed-spark

## build: make the venv, install pinned requirements, build the warehouse on the demo data
build: venv
	$(DBT) build --fail-fast

## test: every check CI runs (lint, dbt build with its tests, semantic layer,
## great-expectations on the marts, conventions, coverage, pytest with the browser test)
test: venv browser lint dbt-build semantic quality conventions coverage
	$(MAKE) pytest JORNADA_REQUIRE_BROWSER=1

dbt-build: venv
	$(DBT) build

## test-spark: the whole project (seeds to marts and semantic) with all its dbt tests and unit tests on a local Spark session (needs Java 17)
test-spark: venv-spark
	@command -v java >/dev/null || { echo "test-spark needs Java 17 or later (java -version)" >&2; exit 1; }
	mkdir -p $(SPARK_DIR)
	$(SPARK_ENV) $(DBT) build --target spark --vars '{jornada_store_failures: false}' $(SPARK_SELECT)

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
	$(BIN)/ruff check scripts pytests dashboard conventions
	$(BIN)/ruff format --check scripts pytests dashboard conventions

sqlfluff: venv
	$(BIN)/sqlfluff lint models macros tests analyses

pytest: venv
	$(BIN)/pytest

## generate: rewrite the committed demo seeds from the generator (deterministic)
generate: venv
	$(BIN)/python scripts/generate_raw.py

freshness: venv
	$(DBT) source freshness

## docs: generate dbt docs (models, columns, KPIs, lineage) and serve them on http://localhost:8080
docs: venv
	$(DBT) docs generate && $(DBT) docs serve --port 8080 --no-browser

# Where dbt writes manifest.json and catalog.json (DBT_TARGET_PATH when set).
ARTIFACTS := $(abspath $(or $(DBT_TARGET_PATH),target))

## browser: Debian's chromium and chromium-driver for the dashboard's browser test (apt-get, once)
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then \
		echo "chromium and chromedriver: $$(command -v chromium) $$(command -v chromedriver)"; \
	else \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			chromium chromium-driver; \
	fi

## quality: great-expectations suite over the built marts; Data Docs in quality/data_docs/
quality: venv
	$(BIN)/python scripts/quality_check.py

## alerts: print the open KPI alerts of the last day; exit 1 on an alert of severity error
alerts: venv
	$(BIN)/python scripts/alerts.py --last-days 1

## conventions: dbt-score with the project's rules (conventions/): names per layer, descriptions, keys, contracts
conventions: venv
	$(DBT) parse --quiet
	cd conventions && $(abspath $(BIN))/dbt-score lint --manifest $(ARTIFACTS)/manifest.json

# Coverage floors: doc coverage of model columns must stay complete; column test
# coverage must not fall below the figure in the README.
DOC_COVERAGE_MIN ?= 1.0
TEST_COVERAGE_MIN ?= 0.35

## coverage: dbt-coverage of docs and tests over every model column (needs the built warehouse)
coverage: venv
	$(DBT) docs generate --quiet
	$(BIN)/dbt-coverage compute doc --run-artifacts-dir $(ARTIFACTS) --model-path-exclusion-filter seeds/ \
		--cov-report $(ARTIFACTS)/coverage-doc.json --cov-fail-under $(DOC_COVERAGE_MIN) | tail -n 3
	$(BIN)/dbt-coverage compute test --run-artifacts-dir $(ARTIFACTS) --model-path-exclusion-filter seeds/ \
		--cov-report $(ARTIFACTS)/coverage-test.json --cov-fail-under $(TEST_COVERAGE_MIN) | tail -n 3

DASHBOARD_PORT ?= 8501

## dashboard: the Streamlit KPI dashboard on http://localhost:8501, read-only on the warehouse
dashboard: venv
	$(BIN)/streamlit run dashboard/app.py --server.headless true --server.port $(DASHBOARD_PORT) \
		--browser.gatherUsageStats false

## export: every mart as Parquet in exports/marts/ (with manifest.json), for BI tools that cannot read DuckDB 2
export: venv
	$(BIN)/python scripts/export_marts.py

# Options of scripts/benchmark.py, e.g. BENCH_ARGS="--sizes 1M,10M --with-100m" (see its --help).
BENCH_ARGS ?=

## bench: full and incremental builds, a raw-file scan and a pandas baseline on generated 1M and 10M worlds; writes BENCHMARKS.md
bench: venv
	$(BIN)/python scripts/benchmark.py $(BENCH_ARGS)

clean: clean-spark
	rm -rf $(VENV) target logs jornada.duckdb .duckdb_tmp
