"""raw_path mode: the same staging models read the exports from files.

The generator writes the demo world as Parquet into a temp directory; dbt
builds the staging layer from those files through dbt-duckdb external
locations (no seeds), and every staged, quarantined and accounted count
equals the seed-mode warehouse's. CSV and NDJSON are checked on one source.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_DIR, query, run_dbt
from generate_raw import SOURCES


def generate(out: Path, formats: list[str], only: list[str] | None = None) -> None:
    command = [
        sys.executable,
        str(PROJECT_DIR / "scripts" / "generate_raw.py"),
        "--out",
        str(out),
        "--format",
        *formats,
    ]
    if only:
        command += ["--only", *only]
    subprocess.run(command, check=True, cwd=PROJECT_DIR, capture_output=True)


def staged_counts(connection: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = query(
        connection,
        "select table_name from information_schema.tables "
        "where table_schema = 'staging' and table_name like 'stg\\_%' escape '\\' order by 1",
    )
    return {name: connection.execute(f"select count(*) from staging.{name}").fetchone()[0] for (name,) in tables}


@pytest.fixture(scope="module")
def parquet_warehouse(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    root = tmp_path_factory.mktemp("raw_path")
    generate(root / "exports", ["parquet"])
    database = root / "raw_path.duckdb"
    run_dbt(
        [
            "build",
            "--select",
            "path:models/staging",
            "--indirect-selection",
            "cautious",
            "--vars",
            json.dumps({"raw_path": str(root / "exports")}),
        ],
        duckdb_path=database,
        target_path=root / "target",
    )
    return duckdb.connect(str(database), read_only=True)


def test_parquet_mode_stages_the_same_rows_as_seed_mode(warehouse, parquet_warehouse) -> None:
    seed_counts = staged_counts(warehouse)
    file_counts = staged_counts(parquet_warehouse)
    assert len(seed_counts) >= 30
    assert file_counts == seed_counts


def test_parquet_mode_accounts_for_every_raw_row_like_seed_mode(warehouse, parquet_warehouse) -> None:
    sql = (
        "select raw_table_id, raw_rows, staged_rows, quarantined_rows, duplicate_rows "
        "from staging.stg_audit__row_counts order by 1"
    )
    assert query(parquet_warehouse, sql) == query(warehouse, sql)


def test_parquet_mode_loads_no_seeds(parquet_warehouse) -> None:
    raw_tables = query(parquet_warehouse, "select count(*) from information_schema.tables where table_schema = 'raw'")
    assert raw_tables == [(0,)]


@pytest.mark.parametrize("file_format", ["csv", "ndjson"])
def test_csv_and_ndjson_exports_stage_like_seeds(warehouse, tmp_path: Path, file_format: str) -> None:
    generate(tmp_path / "exports", [file_format], only=["sendgrid"])
    off = {f"jornada__using_{source}": False for source in SOURCES if source != "sendgrid"}
    variables = {"raw_path": str(tmp_path / "exports"), "raw_format": file_format, **off}
    database = tmp_path / "warehouse.duckdb"
    run_dbt(
        [
            "build",
            "--select",
            "path:models/staging",
            "--indirect-selection",
            "cautious",
            "--vars",
            json.dumps(variables),
        ],
        duckdb_path=database,
        target_path=tmp_path / "target",
    )
    connection = duckdb.connect(str(database), read_only=True)
    sql = (
        "select raw_table_id, raw_rows, staged_rows, quarantined_rows, duplicate_rows "
        "from staging.stg_audit__row_counts where source_name = 'sendgrid'"
    )
    assert query(connection, sql) == query(warehouse, sql)
    events = (
        "select count(*), count(distinct email_hash), min(occurred_at), max(occurred_at) "
        "from staging.stg_sendgrid__events"
    )
    assert query(connection, events) == query(warehouse, events)
