"""Read-only access to the DuckDB warehouse the dbt project builds."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd

PROJECT_DIR = Path(__file__).resolve().parents[2]


class WarehouseError(RuntimeError):
    """The warehouse cannot be read (missing file, missing table)."""


def default_warehouse_path() -> Path:
    """The warehouse dbt builds: `JORNADA_DUCKDB_PATH`, else jornada.duckdb in the project folder."""
    configured = os.environ.get("JORNADA_DUCKDB_PATH")
    if not configured:
        return PROJECT_DIR / "jornada.duckdb"
    path = Path(configured)
    return path if path.is_absolute() else PROJECT_DIR / path


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection (never takes the write lock a running dbt build needs)."""
    if not path.exists():
        raise WarehouseError(f"warehouse {path} does not exist: build it first (make build, or dbt build)")
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        raise WarehouseError(f"cannot open warehouse {path} read-only: {error}") from error


def existing_tables(connection: duckdb.DuckDBPyConnection, schema: str) -> set[str]:
    rows = connection.execute(
        "select table_name from information_schema.tables where table_schema = ?", [schema]
    ).fetchall()
    return {row[0] for row in rows}


def read_frame(connection: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    """The result of one query as a pandas DataFrame."""
    return connection.execute(sql).df()


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
