#!/usr/bin/env python3
"""Generate Jornada's raw channel exports from one simulated world.

By default it writes the small demo world (2,000 persons, 90 days, every
source) as dbt seeds under seeds/raw/, which `make build` loads. With --out
it writes the same exports as files, <out>/<source>/<table>/<file>.<ext>, for
the `raw_path` mode (`dbt build --vars '{raw_path: <out>}'`).

Every source folder gets a planted_defects.json with the number of raw rows,
re-delivered and overlapping duplicates, late rows and malformed rows by
quarantine reason, so tests can account for every raw row.
"""

from __future__ import annotations

import argparse
import importlib
import random
import sys
from datetime import date
from pathlib import Path

from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent))

from jornada_gen import exports
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
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
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
