"""The large-world generator (scripts/jornada_gen/bulk): deterministic, complete, honest about its defects.

A small bulk world (about 50,000 event rows over five weeks) is generated
twice with the same seed and once more appended with a week: the files must
hold what planted_defects.json says, every raw table of the registry must be
there with the columns the staging models read, and an append must only add
files.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_DIR, SEEDS_RAW
from jornada_gen import bulk

GENERATOR = str(PROJECT_DIR / "scripts" / "generate_raw.py")
EVENTS = 50_000
DAYS = 35
START = date(2026, 8, 3)
LOADER_COLUMNS = ["_file_name", "_loaded_at"]


def registry_tables() -> list[tuple[str, str]]:
    """(source, table) of every raw table in macros/staging/raw_tables.sql."""
    text = (PROJECT_DIR / "macros" / "staging" / "raw_tables.sql").read_text()
    return re.findall(r"\('(\w+)', '(\w+)'\)", text)


def glob(world: Path, source: str, table: str) -> str:
    return f"read_parquet('{world / source / table}/*.parquet')"


def row_fingerprints(world: Path) -> dict[str, tuple[int, int]]:
    """Per file: (rows, sum of row hashes): the same multiset of rows gives the same fingerprint."""
    con = duckdb.connect()
    prints = {}
    for path in sorted(world.rglob("*.parquet")):
        rows, total = con.execute(
            f"select count(*), sum(hash(*columns(*))::HUGEINT) from read_parquet('{path}')"
        ).fetchone()
        prints[str(path.relative_to(world))] = (rows, int(total or 0))
    con.close()
    return prints


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bulk") / "world"
    bulk.generate(out, EVENTS, seed=7, start=START, days=DAYS, progress=False)
    return out


@pytest.fixture(scope="module")
def manifests(world: Path) -> dict[tuple[str, str], dict]:
    planted = {}
    for path in sorted(world.glob("*/planted_defects.json")):
        for table, manifest in json.loads(path.read_text()).items():
            planted[(manifest["source"], table)] = manifest
    return planted


def test_parse_count_accepts_suffixes() -> None:
    assert bulk.parse_count("1M") == 1_000_000
    assert bulk.parse_count("10m") == 10_000_000
    assert bulk.parse_count("2.5k") == 2_500
    assert bulk.parse_count("100_000") == 100_000
    for bad in ("", "ten", "-5", "0"):
        with pytest.raises(ValueError):
            bulk.parse_count(bad)


def test_cli_documents_and_checks_the_bulk_options() -> None:
    help_text = subprocess.run([sys.executable, GENERATOR, "--help"], capture_output=True, text=True, check=True).stdout
    assert "--events" in help_text and "--append-days" in help_text
    without_out = subprocess.run([sys.executable, GENERATOR, "--events", "1M"], capture_output=True, text=True)
    assert without_out.returncode != 0 and "--out" in without_out.stderr


def test_every_registry_table_has_the_seed_columns(world: Path) -> None:
    """Same raw tables, same column names (all text) as the demo exports the staging models read."""
    con = duckdb.connect()
    tables = registry_tables()
    assert len(tables) == 33
    for source, table in tables:
        described = con.execute(f"describe select * from {glob(world, source, table)}").fetchall()
        seed_header = (SEEDS_RAW / source / f"{source}__{table}.csv").open(encoding="utf-8").readline().strip()
        assert [name for name, *_ in described] == seed_header.split(","), f"{source}.{table}"
        assert {kind for _, kind, *_ in described} == {"VARCHAR"}, f"{source}.{table}"
        assert con.execute(f"select count(*) from {glob(world, source, table)}").fetchone()[0] > 0


def test_planted_counts_are_what_the_files_hold(world: Path, manifests: dict[tuple[str, str], dict]) -> None:
    """raw rows, files, identical re-deliveries and cross-file overlaps, counted from the files themselves."""
    con = duckdb.connect()
    assert set(manifests) == set(registry_tables())
    by_name = {(t.source, t.name): t for t in bulk.registry(bulk.WorldPlan.load(world))}
    for (source, table), planted in sorted(manifests.items()):
        files = len(list((world / source / table).glob("*.parquet")))
        columns = by_name[(source, table)].columns
        data = ", ".join(f'"{c}"' for c in columns)
        rows, distinct_rows, distinct_data, file_names = con.execute(
            f"select count(*), count(distinct ({data}, _file_name, _loaded_at)), count(distinct ({data})), "
            f"count(distinct _file_name) from {glob(world, source, table)}"
        ).fetchone()
        label = f"{source}.{table}"
        assert rows == planted["raw_rows"], label
        assert files == planted["files"] == file_names, label
        assert rows - distinct_rows == planted["redelivered_rows"], label
        assert distinct_rows - distinct_data == planted["overlap_rows"], label
        assert planted["duplicate_rows"] == planted["redelivered_rows"] + planted["overlap_rows"], label
        assert planted["malformed_rows"] == sum(planted["malformed_by_reason"].values()) > 0, label


def test_natural_keys_are_unique_apart_from_the_planted_duplicates(world: Path) -> None:
    """Staging deduplicates on the natural key: distinct rows must have distinct keys (null keys are malformed)."""
    con = duckdb.connect()
    for table in bulk.registry(bulk.WorldPlan.load(world)):
        if table.folder in ("platform_reports/campaign_summaries", "ad_spend/daily_spend"):
            continue  # some malformed copies keep the key of the row they copy, as the demo's do
        data = ", ".join(f'"{c}"' for c in table.columns)
        key = ", ".join(f'"{c}"' for c in table.key)
        no_null_key = " and ".join(f'"{c}" is not null' for c in table.key)
        rows, keys = con.execute(
            f"select count(distinct ({data})), count(distinct ({key})) "
            f"from {glob(world, table.source, table.name)} where {no_null_key}"
        ).fetchone()
        assert rows == keys, table.folder


def test_malformed_and_late_rows_of_sendgrid_are_the_planted_ones(
    world: Path, manifests: dict[tuple[str, str], dict]
) -> None:
    planted = manifests[("sendgrid", "events")]
    con = duckdb.connect()
    source = glob(world, "sendgrid", "events")
    missing, unknown, unparseable = con.execute(
        f"select count(*) filter (sg_event_id is null), count(*) filter (event = 'opened'), "
        f"count(*) filter (try_cast(timestamp as bigint) is null) from {source}"
    ).fetchone()
    assert planted["malformed_by_reason"] == {
        "missing_id": missing,
        "unknown_status": unknown,
        "unparseable_timestamp": unparseable,
    }
    # Late rows: loaded days after they happened (the usual delay is under 90 minutes); copies of one
    # row count once, malformed copies (no id, or a fresh id with an F as eleventh character) not at all.
    late = con.execute(
        f"select count(distinct (sg_event_id, event, timestamp)) from {source} "
        f"where sg_event_id[11] = '1' and event <> 'opened' "
        f"and try_cast(_loaded_at as timestamptz) > to_timestamp(timestamp::bigint) + interval 1 day"
    ).fetchone()[0]
    assert late == planted["late_rows"] > 0


def test_the_event_tables_hold_the_volume(world: Path) -> None:
    plan = bulk.WorldPlan.load(world)
    events = sum(sum(plan.files[table].values()) for table in bulk.EVENT_TABLES)
    assert 0.8 * EVENTS <= events <= 1.25 * EVENTS


def test_same_seed_same_rows(world: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    bulk.generate(again, EVENTS, seed=7, start=START, days=DAYS, progress=False)
    assert row_fingerprints(again) == row_fingerprints(world)
    for name in ("_bulk_world.json", "sendgrid/planted_defects.json", "zendesk/planted_defects.json"):
        assert (again / name).read_bytes() == (world / name).read_bytes(), name


def test_append_days_only_adds_files_with_later_loads_and_late_rows(world: Path, tmp_path: Path) -> None:
    appended = tmp_path / "appended"
    shutil.copytree(world, appended)
    before = {p.relative_to(appended): hashlib.sha256(p.read_bytes()).hexdigest() for p in appended.rglob("*.parquet")}
    bulk.append_days(appended, 7, progress=False)
    after = {p.relative_to(appended): hashlib.sha256(p.read_bytes()).hexdigest() for p in appended.rglob("*.parquet")}
    assert {path: after[path] for path in before} == before  # no file rewritten
    new_files = sorted(set(after) - set(before))
    assert new_files and all(path.name.endswith("_a01.parquet") for path in new_files)
    assert {path.parent.as_posix() for path in new_files} >= {"sendgrid/events", "ga4/events", "whatsapp/statuses"}

    plan = bulk.WorldPlan.load(appended)
    assert plan.cut_days == [DAYS, DAYS + 7]
    cut, end = plan.batch(1).lo, plan.batch(1).hi
    con = duckdb.connect()
    first_load, last_load, rows, earlier, late = con.execute(
        f"select min(epoch(_loaded_at::timestamptz)), max(epoch(_loaded_at::timestamptz)), count(*), "
        f"count(*) filter (timestamp::bigint < {cut}), "
        f"count(*) filter (timestamp::bigint < {cut} - 86400 "
        f"and epoch(_loaded_at::timestamptz) - timestamp::bigint > 86400) "
        f"from read_parquet('{appended}/sendgrid/events/*_a01.parquet') where try_cast(timestamp as bigint) is not null"
    ).fetchone()
    assert cut <= first_load and last_load < end + 3600
    assert rows > earlier > 0 and late > 0  # earlier days' events loaded after the cut, some of them late
    assert (
        con.execute(
            f"select max(timestamp::bigint) from read_parquet('{appended}/sendgrid/events/*_a01.parquet') "
            f"where try_cast(timestamp as bigint) is not null"
        ).fetchone()[0]
        >= cut + 86400
    )  # and events of the new days

    old = json.loads((world / "sendgrid" / "planted_defects.json").read_text())["events"]
    new = json.loads((appended / "sendgrid" / "planted_defects.json").read_text())["events"]
    added = sum(plan.files["sendgrid/events"][path.stem] for path in new_files if path.parent.name == "events"
                and path.parent.parent.name == "sendgrid")  # fmt: skip
    assert new["raw_rows"] == old["raw_rows"] + added
    assert new["files"] > old["files"] and new["malformed_rows"] > old["malformed_rows"]
    assert bulk.verify(appended) == []
    assert datetime.fromtimestamp(cut, UTC).date() == START + timedelta(days=DAYS)
