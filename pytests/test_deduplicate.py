"""jornada.deduplicate on DuckDB keeps exactly the rows of the window it replaces.

On DuckDB the macro ranks only the rows of repeated keys (macros/staging/deduplicate.sql); on other adapters it is
one `row_number()` window over every row. A tiny dbt project named jornada (so the macro's dispatch finds both
implementations) holds a fixture of 11 rows with the cases that matter: a key loaded twice, a tie on the load time
broken by the file name, null in one or both key columns (a window puts null keys in one partition), a descending
order (the latest row wins, as for snapshot exports), and keys seen once. Each case is built with the DuckDB macro
and with the window (`default__deduplicate`), and both must equal the rows picked by hand.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
import yaml

from conftest import DBT, PROJECT_DIR

# key_a, key_b, loaded_at (day of November 2026), source_file_name, payload
FIXTURE_ROWS = [
    ("a", "x", 1, "f1", "a-x-first"),
    ("a", "x", 2, "f1", "a-x-later"),
    ("a", "y", 1, "f2", "a-y-only"),
    ("b", "x", 1, "f2", "b-x-file2"),
    ("b", "x", 1, "f1", "b-x-file1"),
    (None, "x", 1, "f1", "null-x-first"),
    (None, "x", 3, "f1", "null-x-later"),
    (None, None, 1, "f1", "null-null-only"),
    ("c", None, 2, "f1", "c-null-later"),
    ("c", None, 1, "f2", "c-null-first"),
    ("d", "z", 1, "f1", "d-z-only"),
]
# case -> (partition_by, order_by, payloads kept, picked by hand from FIXTURE_ROWS)
CASES = {
    "two_keys": (
        "key_a, key_b",
        "loaded_at, source_file_name",
        {"a-x-first", "a-y-only", "b-x-file1", "null-x-first", "null-null-only", "c-null-first", "d-z-only"},
    ),
    "one_key_latest": (
        "key_a",
        "loaded_at desc, source_file_name desc",
        {"a-x-later", "b-x-file2", "null-x-later", "c-null-later", "d-z-only"},
    ),
}


def sql_literal(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, int):
        return f"timestamp '2026-11-{value:02d} 12:00:00'"
    return f"'{value}'"


def fixture_model() -> str:
    rows = ",\n    ".join("(" + ", ".join(sql_literal(v) for v in row) + ")" for row in FIXTURE_ROWS)
    return (
        "{{ config(materialized='table') }}\n"
        "select * from (values\n    " + rows + "\n) as fixture (key_a, key_b, loaded_at, source_file_name, payload)\n"
    )


def case_model(macro: str, partition_by: str, order_by: str) -> str:
    return (
        "{{ config(materialized='table') }}\n"
        "with fixture as (select * from {{ ref('fixture_rows') }}),\n"
        f"deduplicated as ({{{{ jornada.{macro}('fixture', '{partition_by}', '{order_by}') }}}})\n"
        "select * from deduplicated\n"
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Builds the fixture and every case with both implementations; returns the warehouse file."""
    root = tmp_path_factory.mktemp("deduplicate")
    project = root / "project"
    (project / "models").mkdir(parents=True)
    (project / "macros").mkdir()
    shutil.copy(PROJECT_DIR / "macros" / "staging" / "deduplicate.sql", project / "macros" / "deduplicate.sql")
    (project / "dbt_project.yml").write_text(
        "name: jornada\nversion: '1.0'\nconfig-version: 2\nprofile: deduplicate\n", encoding="utf-8"
    )
    (project / "models" / "fixture_rows.sql").write_text(fixture_model(), encoding="utf-8")
    for case, (partition_by, order_by, _) in CASES.items():
        for name, macro in (("duckdb", "deduplicate"), ("window", "default__deduplicate")):
            model = case_model(macro, partition_by, order_by)
            (project / "models" / f"{case}_{name}.sql").write_text(model, encoding="utf-8")
    warehouse = root / "deduplicate.duckdb"
    profile = {"deduplicate": {"target": "dev", "outputs": {"dev": {"type": "duckdb", "path": str(warehouse)}}}}
    (root / "profiles.yml").write_text(yaml.safe_dump(profile), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DBT_")}
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "False"
    command = [DBT, "run", "--project-dir", str(project), "--profiles-dir", str(root)]
    command += ["--target-path", str(root / "target"), "--log-path", str(root / "logs")]
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    return warehouse


def table(warehouse: Path, name: str) -> tuple[list[str], list[tuple]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        relation = connection.sql(f"select * from main.{name}")
        return relation.columns, sorted(relation.fetchall(), key=repr)


def test_the_duckdb_macro_renders_the_split_and_the_window_model_one_window(built: Path) -> None:
    compiled = next(built.parent.glob("target/compiled/jornada/models/two_keys_duckdb.sql")).read_text()
    assert "is not distinct from" in compiled and "having count(*) > 1" in compiled
    window = next(built.parent.glob("target/compiled/jornada/models/two_keys_window.sql")).read_text()
    assert "having" not in window and window.count("row_number()") == 1


@pytest.mark.parametrize("case", sorted(CASES))
def test_keeps_the_rows_picked_by_hand(built: Path, case: str) -> None:
    columns, rows = table(built, f"{case}_duckdb")
    assert columns == ["key_a", "key_b", "loaded_at", "source_file_name", "payload", "dedup_row_number"]
    assert {row[columns.index("payload")] for row in rows} == CASES[case][2]
    assert len(rows) == len(CASES[case][2])
    assert {row[-1] for row in rows} == {1}


@pytest.mark.parametrize("case", sorted(CASES))
def test_equals_the_window(built: Path, case: str) -> None:
    assert table(built, f"{case}_duckdb") == table(built, f"{case}_window")
