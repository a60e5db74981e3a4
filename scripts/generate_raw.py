#!/usr/bin/env python3
"""Generate Jornada's raw channel exports from one simulated world.

By default it writes the small demo world (2,000 persons, 90 days, every
source) as dbt seeds under seeds/raw/, which `make build` loads. With --out
it writes the same exports as files, <out>/<source>/<table>/<file>.<ext>, for
the `raw_path` mode (`dbt build --vars '{raw_path: <out>}'`).

Every source folder gets a planted_defects.json with the number of raw rows,
re-delivered and overlapping duplicates, late rows and malformed rows by
quarantine reason, so tests can account for every raw row.

Large worlds (vectorised, DuckDB SQL, Parquet only): --events sizes a world by
its raw event rows (SendGrid events, WhatsApp statuses, Twilio status
callbacks, GA4 events) and writes it into --out; --append-days adds the next
days of that world as new files, late rows of earlier days included:

  generate_raw.py --events 10M --out /data/jornada_10m
  generate_raw.py --append-days 7 --out /data/jornada_10m
"""

from __future__ import annotations

import argparse
import importlib
import random
import sys
import time
from datetime import date
from pathlib import Path

from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent))

from jornada_gen import bulk, exports
from jornada_gen.world import build_world

PROJECT_DIR = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_DIR / "seeds" / "raw"

# One renderer module per source, in jornada_gen/sources/.
SOURCES = [
    "sendgrid",
    "whatsapp",
    "twilio",
    "ga4",
    "zendesk",
    "shopify",
    "stripe",
    "hubspot",
    "chat",
    "surveys",
    "reviews",
    "social",
    "workforce",
    "ad_spend",
    "campaigns",
    "platform_reports",
]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=2000, help="persons in the world (default 2000)")
    parser.add_argument("--days", type=int, default=90, help="days of activity (default 90)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument(
        "--start",
        type=date.fromisoformat,
        default=date(2026, 8, 3),
        help="first local day of the window (default 2026-08-03)",
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="write files into this directory instead of the dbt seeds"
    )
    parser.add_argument(
        "--format",
        nargs="+",
        choices=["parquet", "csv", "ndjson"],
        default=["parquet"],
        help="file formats with --out (default parquet)",
    )
    parser.add_argument("--only", nargs="+", choices=SOURCES, default=None, help="render only these sources")
    parser.add_argument(
        "--seeds-dir",
        type=Path,
        default=SEEDS_DIR,
        help="where seed CSVs go when --out is not given (default seeds/raw)",
    )
    large = parser.add_argument_group("large worlds (vectorised; Parquet files in --out)")
    mode = large.add_mutually_exclusive_group()
    mode.add_argument(
        "--events",
        type=_count,
        default=None,
        metavar="COUNT",
        help="write a new large world of about COUNT raw event rows (e.g. 1M, 10M, 100M) over --days from --start "
        "with --seed; persons follow from COUNT (--persons is not used)",
    )
    mode.add_argument(
        "--append-days",
        type=int,
        default=None,
        metavar="N",
        help="add the next N days to the large world in --out as new files (late rows of earlier days included)",
    )
    large.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all cores)")
    large.add_argument("--memory-limit", default="12GB", help="DuckDB memory limit, spilling past it (default 12GB)")
    args = parser.parse_args(argv)
    if (args.events is not None or args.append_days is not None) and args.out is None:
        parser.error("--events and --append-days write files: give --out")
    if (args.events is not None or args.append_days is not None) and args.format != ["parquet"]:
        parser.error("large worlds are written as Parquet only")
    if args.append_days is not None and args.only:
        parser.error("--append-days continues every source of the world")
    return args


def _count(text: str) -> int:
    try:
        return bulk.parse_count(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def run_bulk(args: argparse.Namespace) -> int:
    """The large-world path: generate or append, then check the files against the plan."""
    started = time.perf_counter()
    options = {"threads": args.threads, "memory_limit": args.memory_limit}
    if args.events is not None:
        plan = bulk.generate(
            args.out, args.events, seed=args.seed, start=args.start, days=args.days, sources=args.only, **options
        )
    else:
        plan = bulk.append_days(args.out, args.append_days, **options)
    problems = bulk.verify(args.out)
    for problem in problems:
        print(f"verify: {problem}", file=sys.stderr)
    rows = sum(sum(files.values()) for files in plan.files.values())
    events = sum(sum(plan.files.get(t, {}).values()) for t in bulk.EVENT_TABLES)
    print(
        f"{args.out}: {plan.persons:,} persons, days 0-{plan.days}, {rows:,} raw rows "
        f"({events:,} event rows) in {time.perf_counter() - started:.1f} s"
    )
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.events is not None or args.append_days is not None:
        return run_bulk(args)
    world = build_world(persons=args.persons, days=args.days, seed=args.seed, start=args.start)
    sources = args.only or SOURCES
    progress = tqdm(sources, desc="sources", unit="source", disable=None)
    for source in progress:
        progress.set_postfix_str(source)
        module = importlib.import_module(f"jornada_gen.sources.{source}")
        rng = random.Random(f"{args.seed}:{source}")
        tables = module.render(world, rng)
        finals = [exports.finalize(table, rng, world.start_at) for table in tables]
        if args.out is None:
            for final in finals:
                exports.write_seed(final, args.seeds_dir)
            exports.write_seed_properties(tables, args.seeds_dir / source / f"_{source}__seeds.yml")
            exports.write_manifest(finals, args.seeds_dir / source / "planted_defects.json")
        else:
            for final in finals:
                exports.write_files(final, args.out, args.format)
            exports.write_manifest(finals, args.out / source / "planted_defects.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
