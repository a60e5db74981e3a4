"""Read-only access to the DuckDB warehouse.

Every query opens its own read-only connection and closes it at once, so the
dashboard never holds the file between queries and a dbt build can take its
write lock (DuckDB lets one writer or any number of readers hold the file).
Results are cached for a minute and keyed by the file's modification time,
so a rebuilt warehouse is read again at the next rerun.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

DEFAULT_PATH = "jornada.duckdb"
CACHE_SECONDS = 60

Params = Mapping[str, str | date | int | float | None]
PARAMETER = re.compile(r"\$([a-z_]+)")


class WarehouseUnavailable(RuntimeError):
    """The warehouse file is missing, or a dbt build holds its write lock."""


def warehouse_path() -> Path:
    """JORNADA_DUCKDB_PATH, or jornada.duckdb in the working directory (the project folder)."""
    return Path(os.environ.get("JORNADA_DUCKDB_PATH", DEFAULT_PATH)).expanduser().resolve()


def _modified_at(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError as error:
        raise WarehouseUnavailable(f"No warehouse at {path}: run `make build` first.") from error


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def _cached_query(path: str, modified_at: float, sql: str, params: dict[str, object]) -> pd.DataFrame:
    # modified_at is part of the cache key only: a rebuilt warehouse is a new key.
    del modified_at
    try:
        connection = duckdb.connect(path, read_only=True)
    except duckdb.Error as error:
        raise WarehouseUnavailable(f"Cannot open {path} read-only (a dbt build may be writing it): {error}") from error
    try:
        return connection.execute(sql, params).df()
    finally:
        connection.close()


def query(sql: str, params: Params | None = None) -> pd.DataFrame:
    """Runs one SELECT on a fresh read-only connection.

    Parameters are written `$name` in the SQL; params may hold more than the SQL uses (DuckDB
    refuses unused ones, so only those the SQL names are passed).
    """
    given = dict(params or {})
    used = set(PARAMETER.findall(sql))
    missing = used - given.keys()
    if missing:
        raise KeyError(f"query parameters not given: {sorted(missing)}")
    path = warehouse_path()
    return _cached_query(str(path), _modified_at(path), sql, {name: given[name] for name in sorted(used)})
