"""Shared fixtures: the project, its dbt, and the demo warehouse.

`make test` builds the demo warehouse (`dbt build`) before pytest runs; when
the warehouse file is missing (pytest run on its own), the `warehouse`
fixture builds it first.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from jornada_gen.world import World, build_world

PROJECT_DIR = Path(__file__).resolve().parent.parent
SEEDS_RAW = PROJECT_DIR / "seeds" / "raw"
DBT = str(Path(sys.executable).parent / "dbt")


def dbt_env(duckdb_path: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["DBT_PROFILES_DIR"] = str(PROJECT_DIR)
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "False"
    if duckdb_path is not None:
        env["JORNADA_DUCKDB_PATH"] = str(duckdb_path)
    return env


def run_dbt(args: list[str], duckdb_path: Path | None = None, target_path: Path | None = None) -> str:
    """Runs dbt in the project; fails the test with dbt's output when dbt fails."""
    command = [DBT, *args]
    if target_path is not None:
        command += ["--target-path", str(target_path)]
    result = subprocess.run(command, cwd=PROJECT_DIR, env=dbt_env(duckdb_path), capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"dbt {' '.join(args)} failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")
    return result.stdout


def warehouse_path() -> Path:
    return Path(os.environ.get("JORNADA_DUCKDB_PATH", PROJECT_DIR / "jornada.duckdb"))


@pytest.fixture(scope="session")
def warehouse() -> Iterator[duckdb.DuckDBPyConnection]:
    """Read-only connection to the demo warehouse, built when missing."""
    path = warehouse_path()
    if not path.exists():
        run_dbt(["build"], duckdb_path=path)
    connection = duckdb.connect(str(path), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def world() -> World:
    """The simulated world the demo seeds were rendered from (the truth tests compare with)."""
    return build_world()


def planted_manifests() -> dict[tuple[str, str], dict]:
    """(source, table) -> what the generator planted, from seeds/raw/*/planted_defects.json."""
    planted: dict[tuple[str, str], dict] = {}
    for path in sorted(SEEDS_RAW.glob("*/planted_defects.json")):
        for table, manifest in json.loads(path.read_text()).items():
            planted[(manifest["source"], table)] = manifest
    return planted


def query(connection: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return connection.execute(sql).fetchall()
