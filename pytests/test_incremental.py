"""Incremental models: a new day built incrementally equals a full rebuild of the same files.

One small bulk world in raw_path mode (tmp dirs, Parquet) is built into a first
warehouse; `generate_raw.py --append-days 1` adds the next day (late rows of
earlier days included). Part of that day is held back and lands only after an
incremental run, as a file whose rows were loaded before the latest load
already staged (a loader that finished late): the lookback
(`incremental_lookback_hours`) must still pick it up. A second warehouse is
built with `--full-refresh` from the same files; every staging, intermediate
and mart table must hold the same rows (EXCEPT ALL both ways through DuckDB
ATTACH). A further incremental run with no new file must change nothing.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_DIR, run_dbt

INCREMENTAL_MODELS = (
    "stg_sendgrid__events",
    "stg_whatsapp__messages",
    "stg_whatsapp__statuses",
    "stg_twilio__status_callbacks",
    "stg_ga4__events",
    "int_message_events_unioned",
    "int_message_lifecycles_pivoted",
)
# Raw tables whose appended file is split: its earlier-loaded half arrives after an incremental run.
HELD_BACK_TABLES = ("sendgrid/events", "whatsapp/statuses", "ga4/events")
# Columns that record when a row was computed (not what it holds) and differ between warehouses.
RUN_STAMP_COLUMNS = ("computed_at", "first_assigned_at")
# Identity history is an append-only log that a full refresh never wipes (full_refresh=false):
# the incremental warehouse remembers the person ids of the first build, by design.
RUN_HISTORY_TABLES = ("int_identity_person_id_history", "int_identity_person_merges")
GENERATE = [sys.executable, str(PROJECT_DIR / "scripts" / "generate_raw.py"), "--threads", "1", "--memory-limit", "1GB"]


def generate(*args: str) -> None:
    subprocess.run([*GENERATE, *args], check=True, cwd=PROJECT_DIR, capture_output=True)


def dbt(args: list[str], database: Path, exports: Path) -> str:
    # One target folder per warehouse keeps dbt's partial parsing between the runs on it.
    target = database.with_suffix(".target")
    return run_dbt([*args, "--vars", json.dumps({"raw_path": str(exports)})], duckdb_path=database, target_path=target)


def build(database: Path, exports: Path, full_refresh: bool = False) -> str:
    if not database.exists():
        dbt(["seed", "--select", "path:seeds/reference"], database, exports)
    return dbt(["run", *(["--full-refresh"] if full_refresh else [])], database, exports)


def hold_back(exports: Path, held: Path) -> dict[str, int]:
    """Moves the earlier-loaded half of each appended file of HELD_BACK_TABLES out of the exports."""
    held.mkdir()
    counts: dict[str, int] = {}
    with duckdb.connect() as connection:
        for folder in HELD_BACK_TABLES:
            (appended,) = sorted((exports / folder).glob("*_a01.parquet"))
            source = f"read_parquet('{appended}')"
            (middle,) = connection.execute(f"select quantile_disc(_loaded_at, 0.5) from {source}").fetchone()
            early = held / folder.replace("/", "__") / f"{appended.stem}_held.parquet"
            early.parent.mkdir()
            early_rows = f"select * from {source} where _loaded_at < '{middle}'"
            connection.execute(f"copy ({early_rows}) to '{early}' (format parquet)")
            rest = appended.with_suffix(".rest")
            later_rows = f"select * from {source} where _loaded_at >= '{middle}'"
            connection.execute(f"copy ({later_rows}) to '{rest}' (format parquet)")
            rest.replace(appended)
            (counts[folder],) = connection.execute(f"select count(*) from read_parquet('{early}')").fetchone()
    return counts


def release(exports: Path, held: Path) -> None:
    for folder in HELD_BACK_TABLES:
        for path in (held / folder.replace("/", "__")).glob("*.parquet"):
            shutil.copy(path, exports / folder / path.name)


def table_rows(database: Path, name: str) -> int:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(f"select count(*) from {name}").fetchone()[0]


def differences(left: Path, right: Path, ignore: tuple[str, ...] = RUN_STAMP_COLUMNS) -> dict[str, tuple[int, int]]:
    """Per staging, intermediate and mart table: rows only in left, rows only in right (EXCEPT ALL).

    Doubles are compared at 9 decimals: a sum of doubles depends on the order rows are read in.
    """
    found: dict[str, tuple[int, int]] = {}
    with duckdb.connect() as connection:
        connection.execute(f"attach '{left}' as lhs (read_only)")
        connection.execute(f"attach '{right}' as rhs (read_only)")
        tables = connection.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where database_name = 'rhs' and schema_name in ('staging', 'intermediate', 'marts') order by 1, 2"
        ).fetchall()
        assert len(tables) > 50, tables
        for schema, table in tables:
            columns = connection.execute(
                "select column_name, data_type from duckdb_columns() "
                f"where database_name = 'rhs' and schema_name = '{schema}' and table_name = '{table}' "
                "order by column_index"
            ).fetchall()
            select = ", ".join(
                f'round("{name}", 9)' if data_type == "DOUBLE" else f'"{name}"'
                for name, data_type in columns
                if name not in ignore
            )
            counts = []
            for first, second in (("lhs", "rhs"), ("rhs", "lhs")):
                sql = (
                    f"select count(*) from (select {select} from {first}.{schema}.{table} "
                    f"except all select {select} from {second}.{schema}.{table})"
                )
                counts.append(connection.execute(sql).fetchone()[0])
            found[f"{schema}.{table}"] = (counts[0], counts[1])
    return found


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("incremental")
    exports = root / "exports"
    generate("--events", "30k", "--days", "21", "--out", str(exports))
    incremental = root / "incremental.duckdb"
    build(incremental, exports)
    first = {model: table_rows(incremental, f"staging.{model}") for model in INCREMENTAL_MODELS[:5]}

    generate("--append-days", "1", "--out", str(exports))
    late_rows = sum(
        json.loads((exports / folder.split("/")[0] / "planted_defects.json").read_text())[folder.split("/")[1]][
            "late_rows"
        ]
        for folder in HELD_BACK_TABLES
    )
    held_counts = hold_back(exports, root / "held")
    first_run_log = build(incremental, exports)
    before_release = {model: table_rows(incremental, f"staging.{model}") for model in INCREMENTAL_MODELS[:5]}
    release(exports, root / "held")
    build(incremental, exports)
    compiled_dir = incremental.with_suffix(".target") / "compiled" / "jornada" / "models"
    compiled = (compiled_dir / "staging" / "sendgrid" / "stg_sendgrid__events.sql").read_text()
    after = {model: table_rows(incremental, f"staging.{model}") for model in INCREMENTAL_MODELS[:5]}

    snapshot = root / "before_no_op.duckdb"
    shutil.copy(incremental, snapshot)
    build(incremental, exports)

    full = root / "full.duckdb"
    build(full, exports, full_refresh=True)
    return {
        "incremental": incremental,
        "full": full,
        "snapshot": snapshot,
        "exports": exports,
        "first": first,
        "after": after,
        "before_release": before_release,
        "held": held_counts,
        "late_rows": late_rows,
        "compiled": compiled,
        "first_run_log": first_run_log,
    }


def test_the_appended_day_has_late_rows_and_a_held_back_file(worlds) -> None:
    assert worlds["late_rows"] > 0
    assert all(count > 0 for count in worlds["held"].values()), worlds["held"]


def test_event_staging_is_incremental_and_appended(worlds) -> None:
    log = worlds["first_run_log"]
    for model in INCREMENTAL_MODELS:
        assert f"incremental model {'staging' if model.startswith('stg') else 'intermediate'}.{model}" in log
    # The incremental run compiled the lookback filter and the anti-join on staged keys.
    assert "as staged" in worlds["compiled"]
    assert "interval" in worlds["compiled"].lower()
    grown = [model for model in INCREMENTAL_MODELS[:5] if worlds["after"][model] > worlds["first"][model]]
    assert {"stg_sendgrid__events", "stg_whatsapp__statuses", "stg_ga4__events"} <= set(grown), worlds["after"]


def test_incremental_warehouse_equals_a_full_refresh_of_the_same_files(worlds) -> None:
    found = differences(worlds["incremental"], worlds["full"])
    for name in ("staging.stg_sendgrid__events", "marts.kpi_daily", "marts.fct_messages", "marts.fct_web_sessions"):
        assert name in found
    for model in INCREMENTAL_MODELS[:5]:
        assert table_rows(worlds["incremental"], f"staging.{model}") == table_rows(worlds["full"], f"staging.{model}")
    differing = {
        name: counts
        for name, counts in found.items()
        if counts != (0, 0) and name.split(".")[1] not in RUN_HISTORY_TABLES
    }
    assert differing == {}


def test_held_back_rows_loaded_before_the_latest_load_are_staged(worlds) -> None:
    # The held-back rows were loaded before the latest load already staged: only the lookback reads them.
    for folder in HELD_BACK_TABLES:
        model = "stg_" + folder.replace("/", "__")
        assert worlds["after"][model] > worlds["before_release"][model], (model, worlds["before_release"])


def test_an_incremental_run_without_new_files_changes_nothing(worlds) -> None:
    # Rows re-read inside the lookback are recomputed identically; only their run stamp moves.
    found = differences(worlds["snapshot"], worlds["incremental"])
    assert {name: counts for name, counts in found.items() if counts != (0, 0)} == {}
    staging_only = differences(worlds["snapshot"], worlds["incremental"], ignore=())
    changed = {name: counts for name, counts in staging_only.items() if counts != (0, 0)}
    assert {name: counts for name, counts in changed.items() if name.startswith("staging.")} == {}


def test_incremental_models_pass_their_data_tests(worlds) -> None:
    output = dbt(
        ["test", "--select", *INCREMENTAL_MODELS, "--exclude", "test_type:unit"],
        worlds["incremental"],
        worlds["exports"],
    )
    done = re.search(r"Done\. PASS=(\d+) WARN=\d+ ERROR=(\d+)", output)
    assert done is not None, output[-2000:]
    assert int(done.group(1)) > 50 and int(done.group(2)) == 0
