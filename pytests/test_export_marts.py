"""scripts/export_marts.py: one Parquet file per mart with the warehouse's rows and columns, and a true manifest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from conftest import PROJECT_DIR, warehouse_path

SCRIPT = PROJECT_DIR / "scripts" / "export_marts.py"


def run_export(*args: str) -> subprocess.CompletedProcess[str]:
    """Runs the script as a user would (its own process opens the warehouse read-only)."""
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--database", str(warehouse_path()), "--no-progress", *args],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
    )


def mart_tables(warehouse: duckdb.DuckDBPyConnection) -> list[str]:
    rows = warehouse.execute(
        "select table_name from information_schema.tables "
        "where table_schema = 'marts' and table_catalog = current_database() order by 1"
    ).fetchall()
    return [row[0] for row in rows]


def warehouse_columns(warehouse: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return warehouse.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'marts' and table_name = ? and table_catalog = current_database() "
        "order by ordinal_position",
        [table],
    ).fetchall()


@pytest.fixture(scope="module")
def export(
    warehouse: duckdb.DuckDBPyConnection, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, Any]]:
    """A full export of the demo warehouse: (directory, manifest)."""
    out_dir = tmp_path_factory.mktemp("marts_export")
    result = run_export("--out", str(out_dir))
    assert result.returncode == 0, result.stderr
    assert "exported" in result.stdout
    return out_dir, json.loads((out_dir / "manifest.json").read_text())


def test_help_describes_the_options() -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for option in ("--database", "--out", "--schema", "--tables", "--compression", "--no-progress"):
        assert option in result.stdout


def test_one_file_per_mart_table(warehouse: duckdb.DuckDBPyConnection, export: tuple[Path, dict[str, Any]]) -> None:
    out_dir, manifest = export
    tables = mart_tables(warehouse)
    assert {"kpi_daily", "kpi_catalog", "kpi_alerts", "fct_messages"} <= set(tables)
    assert sorted(path.stem for path in out_dir.glob("*.parquet")) == tables
    assert [entry["table"] for entry in manifest["tables"]] == tables
    assert manifest["schema"] == "marts"
    assert manifest["duckdb_version"] == duckdb.__version__
    assert Path(manifest["database"]) == warehouse_path().resolve()
    assert not list(out_dir.glob(".*.partial")), "no partial file is left behind"


def test_row_counts_match_the_warehouse(
    warehouse: duckdb.DuckDBPyConnection, export: tuple[Path, dict[str, Any]]
) -> None:
    out_dir, manifest = export
    for entry in manifest["tables"]:
        table = entry["table"]
        in_warehouse = warehouse.execute(f'select count(*) from marts."{table}"').fetchone()[0]
        in_file = warehouse.execute("select count(*) from read_parquet(?)", [str(out_dir / entry["file"])]).fetchone()[
            0
        ]
        assert entry["rows"] == in_warehouse == in_file, table
        assert entry["bytes"] == (out_dir / entry["file"]).stat().st_size
    assert sum(entry["rows"] for entry in manifest["tables"]) > 0


def test_columns_and_types_match_the_warehouse(
    warehouse: duckdb.DuckDBPyConnection, export: tuple[Path, dict[str, Any]]
) -> None:
    out_dir, manifest = export
    for entry in manifest["tables"]:
        expected = warehouse_columns(warehouse, entry["table"])
        assert [(column["name"], column["type"]) for column in entry["columns"]] == expected, entry["table"]
        in_file = warehouse.execute("describe select * from read_parquet(?)", [str(out_dir / entry["file"])]).fetchall()
        # Every mart column type (string, date, timestamp, boolean, bigint, double, decimal) survives Parquet.
        assert [(row[0], row[1]) for row in in_file] == expected, entry["table"]


def test_file_contents_equal_the_tables(
    warehouse: duckdb.DuckDBPyConnection, export: tuple[Path, dict[str, Any]]
) -> None:
    out_dir, manifest = export
    for entry in manifest["tables"]:
        path = str(out_dir / entry["file"])
        relation = f'marts."{entry["table"]}"'
        for left, right in ((relation, "read_parquet(?)"), ("read_parquet(?)", relation)):
            differing = warehouse.execute(
                f"select count(*) from (select * from {left} except all select * from {right})", [path]
            ).fetchone()[0]
            assert differing == 0, f"{entry['table']}: {differing} rows of {left} missing from {right}"


def test_kpi_daily_reads_the_same_from_parquet(
    warehouse: duckdb.DuckDBPyConnection, export: tuple[Path, dict[str, Any]]
) -> None:
    """A BI tool reading the Parquet file gets the README's open rate by channel and week."""
    out_dir, _ = export
    query = """
        select date_trunc('week', metric_date) as week, channel, sum(numerator) / sum(denominator) as open_rate
        from {relation}
        where kpi_name = 'open_rate' and period = 'day' and campaign_id is null and dimension = 'all'
        group by 1, 2 order by 1, 2
    """
    from_warehouse = warehouse.execute(query.format(relation="marts.kpi_daily")).fetchall()
    from_parquet = warehouse.execute(
        query.format(relation="read_parquet(?)"), [str(out_dir / "kpi_daily.parquet")]
    ).fetchall()
    assert from_warehouse and from_parquet == from_warehouse
    assert all(0 <= rate <= 1 for _, _, rate in from_parquet if rate is not None)


def test_partial_export_keeps_the_manifest_whole(warehouse: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    assert run_export("--out", str(tmp_path)).returncode == 0
    (tmp_path / "kpi_daily.parquet").unlink()
    result = run_export("--out", str(tmp_path), "--tables", "kpi_daily")
    assert result.returncode == 0, result.stderr
    assert "exported 1 tables" in result.stdout
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert [entry["table"] for entry in manifest["tables"]] == mart_tables(warehouse)
    assert (tmp_path / "kpi_daily.parquet").is_file()


def test_full_export_removes_files_of_tables_that_are_gone(tmp_path: Path) -> None:
    assert run_export("--out", str(tmp_path)).returncode == 0
    manifest_path = tmp_path / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    gone = dict(manifest["tables"][0], table="fct_dropped_mart", file="fct_dropped_mart.parquet")
    manifest["tables"].append(gone)
    manifest_path.write_text(json.dumps(manifest))
    (tmp_path / "fct_dropped_mart.parquet").write_bytes(b"stale")
    (tmp_path / "notes.txt").write_text("not ours")
    assert run_export("--out", str(tmp_path)).returncode == 0
    assert not (tmp_path / "fct_dropped_mart.parquet").exists()
    assert (tmp_path / "notes.txt").exists(), "files the manifest never listed are left alone"


def test_unknown_table_and_missing_warehouse_fail_clearly(tmp_path: Path) -> None:
    result = run_export("--out", str(tmp_path), "--tables", "no_such_mart")
    assert result.returncode == 1
    assert "no_such_mart" in result.stderr
    missing = subprocess.run(
        [sys.executable, str(SCRIPT), "--database", str(tmp_path / "absent.duckdb"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 1
    assert "no warehouse" in missing.stderr
    assert not (tmp_path / "absent.duckdb").exists(), "a missing warehouse is never created"
