"""Raw export tables: loader metadata, planted defects, and writers.

A renderer builds a `RawTable` from the world: one dict of strings per raw row,
exactly as the tool exports it (all values text, as an untyped loader lands
them). `finalize` then behaves like a loader that picks exports up in weekly
files, and plants the defects real exports have, in known counts:

- webhook re-deliveries: a row delivered twice, identical in every column;
- overlapping export files: the last rows of one weekly file exported again at
  the start of the next one (same event, other `_file_name` and `_loaded_at`);
- late events: loaded days after they happened, in a later file;
- out-of-order rows inside each file.

Malformed rows are planted by the renderers (they know the fields) through
`RawTable.add_malformed`, with the quarantine reason code staging must give.
The counts go to `planted_defects.json`, which the pytest accounting test
reads: raw rows = staged + quarantined + duplicates.
"""

from __future__ import annotations

import csv
import itertools
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

LOADER_COLUMNS = ["_file_name", "_loaded_at"]

Row = dict[str, str | None]


@dataclass
class RawTable:
    source: str  # source folder and dbt source name, e.g. "sendgrid"
    name: str  # table name inside the source, e.g. "events"
    columns: list[str]
    description: str
    redeliveries: int = 0  # rows re-delivered identically
    overlap: int = 0  # rows exported again in the next file
    late_share: float = 0.01  # share of rows loaded days late
    rows: list[tuple[datetime, Row]] = field(default_factory=list)
    malformed: Counter[str] = field(default_factory=Counter)
    malformed_ids: set[int] = field(default_factory=set)

    @property
    def seed_name(self) -> str:
        return f"{self.source}__{self.name}"

    def add(self, event_at: datetime, row: Row) -> None:
        unknown = set(row) - set(self.columns)
        if unknown:
            raise ValueError(f"{self.seed_name}: columns not declared: {sorted(unknown)}")
        self.rows.append((event_at, row))

    def add_malformed(self, event_at: datetime, row: Row, reason: str) -> None:
        """A row staging must quarantine with `reason` (never duplicated)."""
        self.add(event_at, row)
        self.malformed_ids.add(id(row))
        self.malformed[reason] += 1


@dataclass
class FinalTable:
    table: RawTable
    files: dict[str, list[Row]]  # file name -> rows in file order
    manifest: dict[str, object]


def _iso(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def finalize(table: RawTable, rng: random.Random, snapshot_at: datetime) -> FinalTable:
    """Assign rows to weekly export files and plant duplicates, lateness and disorder."""
    by_file: dict[str, list[Row]] = {}
    loaded: dict[str, datetime] = {}
    late_rows = 0
    for event_at, row in table.rows:
        load_at = max(event_at, snapshot_at) + timedelta(minutes=rng.randrange(1, 90))
        if rng.random() < table.late_share:
            load_at += timedelta(days=rng.randrange(2, 9))
            late_rows += 1
        week_start = (load_at - timedelta(days=load_at.weekday())).date()
        file_name = f"{table.seed_name}__{week_start:%Y%m%d}"
        out = {column: row.get(column) for column in table.columns}
        out["_file_name"] = file_name
        out["_loaded_at"] = _iso(load_at)
        by_file.setdefault(file_name, []).append(out)
        loaded[file_name] = max(loaded.get(file_name, load_at), load_at)
        if id(row) in table.malformed_ids:
            out["__malformed__"] = "1"

    names = sorted(by_file)
    clean = [(name, i) for name in names for i, row in enumerate(by_file[name]) if "__malformed__" not in row]
    redelivered = 0
    for name, i in rng.sample(clean, min(table.redeliveries, len(clean))):
        by_file[name].append(dict(by_file[name][i]))
        redelivered += 1
    overlapped = 0
    if table.overlap and len(names) > 1:
        per_file = max(1, table.overlap // (len(names) - 1))
        for previous, following in itertools.pairwise(names):
            candidates = [r for r in by_file[previous][-(per_file * 4) :] if "__malformed__" not in r]
            for row in candidates[-per_file:]:
                if overlapped >= table.overlap:
                    break
                copy = dict(row)
                copy["_file_name"] = following
                copy["_loaded_at"] = _iso(loaded[following])
                by_file[following].insert(0, copy)
                overlapped += 1
    for name in names:
        rng.shuffle(by_file[name])
        for row in by_file[name]:
            row.pop("__malformed__", None)

    raw_rows = sum(len(rows) for rows in by_file.values())
    manifest = {
        "source": table.source,
        "table": table.name,
        "raw_rows": raw_rows,
        "files": len(names),
        "redelivered_rows": redelivered,
        "overlap_rows": overlapped,
        "duplicate_rows": redelivered + overlapped,
        "late_rows": late_rows,
        "malformed_rows": sum(table.malformed.values()),
        "malformed_by_reason": dict(sorted(table.malformed.items())),
    }
    return FinalTable(table, by_file, manifest)


def all_columns(table: RawTable) -> list[str]:
    return table.columns + LOADER_COLUMNS


def write_csv(path: Path, columns: list[str], rows: list[Row]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="raise")
        writer.writeheader()
        writer.writerows(rows)


def write_seed(final: FinalTable, seeds_dir: Path) -> Path:
    """All export files of a table concatenated into one seed CSV."""
    table = final.table
    path = seeds_dir / table.source / f"{table.seed_name}.csv"
    rows = [row for name in sorted(final.files) for row in final.files[name]]
    write_csv(path, all_columns(table), rows)
    return path


def write_files(final: FinalTable, out_dir: Path, formats: list[str]) -> None:
    """One file per export file, as <out_dir>/<source>/<table>/<file>.<ext>."""
    import duckdb

    table = final.table
    folder = out_dir / table.source / table.name
    folder.mkdir(parents=True, exist_ok=True)
    columns = all_columns(table)
    con = duckdb.connect()
    for name, rows in final.files.items():
        csv_path = folder / f"{name}.csv"
        write_csv(csv_path, columns, rows)
        relation = f"read_csv('{csv_path}', header=true, all_varchar=true)"
        if "parquet" in formats:
            con.execute(f"copy (select * from {relation}) to '{folder / (name + '.parquet')}' (format parquet)")
        if "ndjson" in formats:
            con.execute(f"copy (select * from {relation}) to '{folder / (name + '.ndjson')}' (format json)")
        if "csv" not in formats:
            csv_path.unlink()
    con.close()


def write_manifest(finals: list[FinalTable], path: Path) -> None:
    """The planted counts of one source's tables, read by the accounting tests."""
    path.parent.mkdir(parents=True, exist_ok=True)
    manifest = {final.table.name: final.manifest for final in finals}
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def write_seed_properties(tables: list[RawTable], path: Path) -> None:
    """seeds yml: every raw column typed as text, as an untyped loader lands it."""
    lines = [
        "# Written by scripts/generate_raw.py: do not edit by hand.",
        "version: 2",
        "",
        "seeds:",
    ]
    for table in sorted(tables, key=lambda t: t.seed_name):
        lines.append(f"  - name: {table.seed_name}")
        lines.append(f"    description: {json.dumps(table.description, ensure_ascii=False)}")
        lines.append("    config:")
        lines.append("      column_types:")
        for column in all_columns(table):
            lines.append(f"        {column}: string")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
