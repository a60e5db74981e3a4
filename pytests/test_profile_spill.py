"""The project's DuckDB profile keeps building after a node spilled to disk.

dbt-duckdb opens the database file once (with the profile's `config_options`) and then a cursor per node, on
which it re-runs `SET key = value` for every entry of the profile's `settings`. Once a query has spilled, DuckDB
refuses to set temp_directory again, even to the same folder, so a temp_directory under `settings` made the node
after a spill fail (found by `make bench`'s spill check at 10M events under memory_limit 2GB). The profile now
gives the database-wide options as `config_options`.

A tiny dbt project uses the project's own `dev` output (copied from profiles.yml, env_var defaults and all) with
a small memory limit: the first model sorts more rows than the limit holds, so DuckDB spills (its temp_directory
is created and used), the second is built on a new cursor after it. Then the same project with the options moved
back under `settings` shows the failure this guards against, so the first half is known to have spilled.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import yaml

from conftest import DBT, PROJECT_DIR

MEMORY_LIMIT = "100MB"
# ~6M rows x (bigint + 32-character md5) sorted by the string: several hundred MB, well past the limit.
SPILLING_MODEL = """
{{ config(materialized='table') }}
select i as row_number, md5(cast(i as varchar)) as digest
from range(6000000) as numbers (i)
order by digest
"""
AFTER_SPILL_MODEL = """
{{ config(materialized='table') }}
select count(*) as rows_sorted from {{ ref('spilled') }}
"""
SWITCH_ERROR = "Cannot switch temporary directory"


def project_dev_output() -> dict[str, object]:
    profiles = yaml.safe_load((PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8"))
    return dict(profiles["jornada"]["outputs"]["dev"])


def build(root: Path, output: dict[str, object], run: str) -> tuple[int, dict[str, dict], str]:
    """Runs `dbt run` of the two models with `output` as the profile's only target: its exit code, results by
    model name (empty when dbt stopped before writing them) and its output."""
    project = root / "project"
    (project / "models").mkdir(parents=True, exist_ok=True)
    (project / "dbt_project.yml").write_text(
        "name: spill_check\nversion: '1.0'\nconfig-version: 2\nprofile: spill_check\n", encoding="utf-8"
    )
    (project / "models" / "spilled.sql").write_text(SPILLING_MODEL, encoding="utf-8")
    (project / "models" / "after_spill.sql").write_text(AFTER_SPILL_MODEL, encoding="utf-8")
    profiles_dir = root / f"profiles_{run}"
    profiles_dir.mkdir(exist_ok=True)
    profile = {"spill_check": {"target": "dev", "outputs": {"dev": output}}}
    (profiles_dir / "profiles.yml").write_text(yaml.safe_dump(profile), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBT_", "JORNADA_"))}
    env |= {
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "JORNADA_DUCKDB_PATH": str(root / f"{run}.duckdb"),
        "JORNADA_TEMP_DIR": str(root / f"duckdb_tmp_{run}"),
        "JORNADA_MEMORY_LIMIT": MEMORY_LIMIT,
        "JORNADA_THREADS": "1",
    }
    target = root / f"target_{run}"
    command = [DBT, "run", "--project-dir", str(project), "--profiles-dir", str(profiles_dir)]
    command += ["--target-path", str(target), "--log-path", str(root / f"logs_{run}")]
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    results_file = target / "run_results.json"
    results = json.loads(results_file.read_text(encoding="utf-8"))["results"] if results_file.exists() else []
    by_name = {r["unique_id"].split(".")[-1]: r for r in results}
    return result.returncode, by_name, result.stdout + result.stderr


def test_profile_gives_database_wide_options_once() -> None:
    output = project_dev_output()
    assert "temp_directory" in output["config_options"]
    assert "temp_directory" not in (output.get("settings") or {})


def test_a_node_after_a_spill_builds(tmp_path: Path) -> None:
    returncode, results, output = build(tmp_path, project_dev_output(), "profile")
    statuses = {name: r["status"] for name, r in results.items()}
    assert (returncode, statuses) == (0, {"spilled": "success", "after_spill": "success"}), output[-3000:]


def test_the_same_spill_with_temp_directory_under_settings_fails(tmp_path: Path) -> None:
    output = project_dev_output()
    output["settings"] = {**output.pop("config_options"), **(output.get("settings") or {})}
    returncode, _, output = build(tmp_path, output, "settings")
    assert returncode != 0
    assert SWITCH_ERROR in output
    assert "1 of 2 OK created sql table model main.spilled" in output
