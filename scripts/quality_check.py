#!/usr/bin/env python3
"""Validate the marts of a built Jornada warehouse with great-expectations (pandas path).

Run after `dbt build`. Reads the marts from the DuckDB warehouse over a read-only
connection into pandas DataFrames and validates them with great-expectations 1.x:

- KPI bounds by unit (kpi_daily joined with kpi_catalog): ratio in [0, 1], nps_points in
  [-100, 100], change_ratio from -1, rates, counts, durations, scores and multiples from 0;
- keys: kpi_daily and kpi_catalog keys non-null and unique, kpi_daily one row per
  KPI x date x period x channel x campaign x breakdown, and the primary key of every
  other mart (the column its yml tests unique and not_null);
- distributions on kpi_daily: per KPI, the share of headline rows with a null value
  (zero denominator) under --max-null-share; period, channel and journey stage within
  their vocabularies; rows per journey stage from --min-stage-rows; mean daily
  delivery_rate within --delivery-rate-band; every documented KPI published with values;
- kpi_catalog names (and stages) equal to those of docs/KPIS.md.

It writes Data Docs (HTML) to --docs-dir, prints a summary, and exits 1 when any
expectation is not met (0 when all are; 2 when the warehouse cannot be read).

The pandas path is used because great-expectations' SQL path over duckdb-engine fails
with duckdb 2 (MetricResolutionError: list index out of range; see README).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from jornada_quality.warehouse import PROJECT_DIR, WarehouseError, default_warehouse_path

DEFAULT_DOCS_DIR = PROJECT_DIR / "quality" / "data_docs"

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_UNREADABLE = 2


def _share(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not a share between 0 and 1")
    return value


def _band(text: str) -> tuple[float, float]:
    try:
        low, high = (float(part) for part in text.split(","))
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not LOW,HIGH") from error
    if low > high:
        raise argparse.ArgumentTypeError(f"{text}: LOW is above HIGH")
    return low, high


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        epilog="Exit status: 0 every expectation met, 1 some not met, 2 warehouse unreadable.",
    )
    parser.add_argument(
        "--database",
        type=Path,
        default=None,
        help="DuckDB warehouse (default: $JORNADA_DUCKDB_PATH, else jornada.duckdb in the project)",
    )
    parser.add_argument(
        "--docs-dir",
        type=Path,
        default=DEFAULT_DOCS_DIR,
        help=f"folder the Data Docs site is written to, emptied first (default: {DEFAULT_DOCS_DIR})",
    )
    parser.add_argument("--no-docs", action="store_true", help="do not write Data Docs")
    parser.add_argument(
        "--kpis-doc",
        type=Path,
        default=None,
        help="KPI catalog document whose names kpi_catalog must equal (default: docs/KPIS.md)",
    )
    parser.add_argument(
        "--max-null-share",
        type=_share,
        default=None,
        help="largest share of a KPI's headline rows with a null value (default 0.30;"
        " cost_per_acquisition, null on days without first orders, has its own 0.85)",
    )
    parser.add_argument(
        "--min-stage-rows", type=int, default=None, help="fewest kpi_daily rows per journey stage (default 20)"
    )
    parser.add_argument(
        "--delivery-rate-band",
        type=_band,
        default=None,
        metavar="LOW,HIGH",
        help="plausible band of the mean daily delivery_rate, all channels (default 0.85,1.0)",
    )
    progress = parser.add_mutually_exclusive_group()
    progress.add_argument("--progress", dest="progress", action="store_true", default=None, help="always show progress")
    progress.add_argument("--no-progress", dest="progress", action="store_false", help="never show progress")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    warehouse = args.database or default_warehouse_path()
    # great-expectations takes seconds to import: only after the arguments are read.
    import great_expectations as gx

    from jornada_quality.report import summary
    from jornada_quality.runner import DocsFolderError, run_suite
    from jornada_quality.spec import KPIS_DOC, documented_kpis, mart_primary_keys
    from jornada_quality.suite import Thresholds, build_datasets
    from jornada_quality.warehouse import connect_read_only

    defaults = Thresholds()
    thresholds = Thresholds(
        max_null_share=defaults.max_null_share if args.max_null_share is None else args.max_null_share,
        min_stage_rows=defaults.min_stage_rows if args.min_stage_rows is None else args.min_stage_rows,
        delivery_rate_band=args.delivery_rate_band or defaults.delivery_rate_band,
    )
    documented = documented_kpis(args.kpis_doc or KPIS_DOC)
    datasets = build_datasets(documented, mart_primary_keys(), thresholds)
    try:
        connection = connect_read_only(warehouse)
    except WarehouseError as error:
        print(f"quality_check: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        run = run_suite(datasets, connection, None if args.no_docs else args.docs_dir, progress=args.progress)
    except DocsFolderError as error:
        print(f"quality_check: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    finally:
        connection.close()
    print(summary(run, warehouse, gx.__version__))
    return EXIT_OK if run.success else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
