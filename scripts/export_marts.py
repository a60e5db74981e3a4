"""Export every mart of the warehouse to Parquet, for BI tools that cannot open a DuckDB 2 file.

Reads the DuckDB warehouse read-only and writes one Parquet file per table (or
view) of a schema (default `marts`) into a directory, plus `manifest.json`
with each file's row count and columns (name and DuckDB type). Every file is
read back after writing and its row count checked against the warehouse.

    .venv/bin/python scripts/export_marts.py                       # every mart to exports/marts/
    .venv/bin/python scripts/export_marts.py --out /data/bi --tables kpi_daily kpi_catalog
    JORNADA_DUCKDB_PATH=/tmp/other.duckdb .venv/bin/python scripts/export_marts.py

A file is written under a temporary name and renamed when complete, so a
reader never sees half a file. A full export removes the files its previous
manifest listed for tables that no longer exist; a partial one (`--tables`)
keeps the other tables of the previous manifest.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from tqdm import tqdm

from jornada_quality.warehouse import default_warehouse_path, quote_identifier

PROJECT_DIR = Path(__file__).resolve().parent.parent
MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT_VERSION = 1
COMPRESSIONS = ("zstd", "snappy", "gzip", "uncompressed")


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    type: str


@dataclass
class TableExport:
    table: str
    table_type: str
    file: str
    rows: int
    bytes: int
    columns: list[ColumnInfo] = field(default_factory=list)


@dataclass
class ExportManifest:
    format_version: int
    exported_at: str
    database: str
    schema: str
    duckdb_version: str
    compression: str
    tables: list[TableExport]


class ExportError(RuntimeError):
    """The export cannot be done as asked (missing warehouse, schema or table, a row count mismatch)."""


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def list_relations(connection: duckdb.DuckDBPyConnection, schema: str) -> dict[str, str]:
    """Table or view name -> its type ('BASE TABLE' or 'VIEW'), for every relation of the schema."""
    rows = connection.execute(
        """
        select table_name, table_type
        from information_schema.tables
        where table_schema = ? and table_catalog = current_database()
        order by table_name
        """,
        [schema],
    ).fetchall()
    return {str(name): str(table_type) for name, table_type in rows}


def describe_columns(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[ColumnInfo]:
    rows = connection.execute(
        """
        select column_name, data_type
        from information_schema.columns
        where table_schema = ? and table_name = ? and table_catalog = current_database()
        order by ordinal_position
        """,
        [schema, table],
    ).fetchall()
    return [ColumnInfo(name=str(name), type=str(data_type)) for name, data_type in rows]


def parquet_row_count(connection: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Rows of a Parquet file, from its footer."""
    row = connection.execute("select num_rows from parquet_file_metadata(?)", [str(path)]).fetchone()
    return int(row[0]) if row else 0


def export_table(
    connection: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    table_type: str,
    out_dir: Path,
    compression: str,
) -> TableExport:
    """Writes one relation to <out_dir>/<table>.parquet and checks the file's row count."""
    relation = f"{quote_identifier(schema)}.{quote_identifier(table)}"
    columns = describe_columns(connection, schema, table)
    count_row = connection.execute(f"select count(*) from {relation}").fetchone()
    rows = int(count_row[0]) if count_row else 0

    final_path = out_dir / f"{table}.parquet"
    partial_path = out_dir / f".{table}.parquet.partial"
    connection.execute(
        f"copy (select * from {relation}) to {quote_literal(str(partial_path))} "
        f"(format parquet, compression {compression})"
    )
    written = parquet_row_count(connection, partial_path)
    if written != rows:
        partial_path.unlink(missing_ok=True)
        raise ExportError(f"{schema}.{table}: {rows} rows in the warehouse but {written} in the Parquet file")
    partial_path.replace(final_path)
    return TableExport(
        table=table,
        table_type=table_type,
        file=final_path.name,
        rows=rows,
        bytes=final_path.stat().st_size,
        columns=columns,
    )


def previous_entries(out_dir: Path) -> list[TableExport]:
    """Tables the last export into out_dir listed in its manifest (none when there is none or it cannot be read)."""
    try:
        manifest = json.loads((out_dir / MANIFEST_NAME).read_text())
        return [
            TableExport(
                table=str(entry["table"]),
                table_type=str(entry["table_type"]),
                file=str(entry["file"]),
                rows=int(entry["rows"]),
                bytes=int(entry["bytes"]),
                columns=[ColumnInfo(name=str(c["name"]), type=str(c["type"])) for c in entry["columns"]],
            )
            for entry in manifest["tables"]
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def export_marts(
    database: Path,
    out_dir: Path,
    schema: str = "marts",
    tables: Sequence[str] | None = None,
    compression: str = "zstd",
    threads: int | None = None,
    progress: bool = True,
) -> ExportManifest:
    """Exports the schema's relations (all, or `tables`) to Parquet and writes the manifest."""
    if compression not in COMPRESSIONS:
        raise ExportError(f"unknown compression {compression!r}; one of {', '.join(COMPRESSIONS)}")
    if not database.is_file():
        raise ExportError(f"no warehouse at {database} (build it with `make build`, or set JORNADA_DUCKDB_PATH)")

    config: dict[str, str | int | bool | float] = {}
    if threads is not None:
        config["threads"] = threads
    connection = duckdb.connect(str(database), read_only=True, config=config)
    try:
        relations = list_relations(connection, schema)
        if not relations:
            raise ExportError(f"schema {schema!r} has no tables in {database}")
        if tables:
            unknown = sorted(set(tables) - set(relations))
            if unknown:
                raise ExportError(f"not in schema {schema!r}: {', '.join(unknown)}")
            selected = sorted(set(tables))
        else:
            selected = sorted(relations)

        out_dir.mkdir(parents=True, exist_ok=True)
        previous = previous_entries(out_dir)
        exported: list[TableExport] = []
        bar = tqdm(selected, desc="export", unit="table", disable=not progress, file=sys.stderr)
        for table in bar:
            bar.set_postfix_str(table)
            exported.append(export_table(connection, schema, table, relations[table], out_dir, compression))
    finally:
        connection.close()

    exported_files = {entry.file for entry in exported}
    if tables:
        # A partial export keeps the other tables of the last export that are still on disk.
        kept = [e for e in previous if e.file not in exported_files and (out_dir / e.file).is_file()]
        exported = sorted([*exported, *kept], key=lambda entry: entry.table)
    else:
        # A full export replaces the last one: files of relations that are gone are removed.
        for entry in previous:
            candidate = out_dir / entry.file
            if entry.file not in exported_files and candidate.parent == out_dir and candidate.suffix == ".parquet":
                candidate.unlink(missing_ok=True)

    manifest = ExportManifest(
        format_version=MANIFEST_FORMAT_VERSION,
        exported_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        database=str(database.resolve()),
        schema=schema,
        duckdb_version=duckdb.__version__,
        compression=compression,
        tables=exported,
    )
    manifest_path = out_dir / MANIFEST_NAME
    partial_manifest = out_dir / f".{MANIFEST_NAME}.partial"
    partial_manifest.write_text(json.dumps(asdict(manifest), indent=2) + "\n")
    partial_manifest.replace(manifest_path)
    return manifest


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Export every table of the warehouse's marts schema to Parquet (one file per table) "
            "plus manifest.json with row counts and columns, for BI tools that cannot open a DuckDB 2 file. "
            "The warehouse is opened read-only."
        ),
    )
    parser.add_argument(
        "--database",
        type=Path,
        default=default_warehouse_path(),
        help="DuckDB warehouse to read (default: $JORNADA_DUCKDB_PATH, else jornada.duckdb in the project folder)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=PROJECT_DIR / "exports" / "marts",
        help="directory to write the Parquet files and manifest.json into (default: exports/marts)",
    )
    parser.add_argument("--schema", default="marts", help="schema to export (default: marts)")
    parser.add_argument(
        "--tables",
        nargs="+",
        metavar="TABLE",
        help="export only these tables (default: all); the manifest keeps the other tables of the last export",
    )
    parser.add_argument(
        "--compression", choices=COMPRESSIONS, default="zstd", help="Parquet compression (default: zstd)"
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=int(os.environ["JORNADA_THREADS"]) if os.environ.get("JORNADA_THREADS") else None,
        help="DuckDB threads (default: $JORNADA_THREADS, else DuckDB's default)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        manifest = export_marts(
            database=args.database,
            out_dir=args.out,
            schema=args.schema,
            tables=args.tables,
            compression=args.compression,
            threads=args.threads,
            progress=not args.no_progress,
        )
    except (ExportError, duckdb.Error) as error:
        print(f"export_marts: {error}", file=sys.stderr)
        return 1
    written = [entry for entry in manifest.tables if not args.tables or entry.table in args.tables]
    total_rows = sum(entry.rows for entry in written)
    print(f"exported {len(written)} tables ({total_rows:,} rows) of {manifest.schema} to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
