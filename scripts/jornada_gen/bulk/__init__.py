"""Large worlds: the demo's story, vectorised in DuckDB SQL and written as Parquet.

`generate` builds a world sized by the raw event rows wanted (SendGrid
events, WhatsApp statuses, Twilio status callbacks and GA4 events, where real
volume sits) and writes every raw table of the registry as
`<out>/<source>/<table>/<file>.parquet`, with `planted_defects.json` per
source in the demo generator's format. `append_days` adds the next days of
the same world as new files (late rows of earlier days included), never
rewriting a file. `verify` checks the files against the plan.

Modules: `plan` (size, seed, batches), `sqlkit` (DuckDB session, hash-based
randomness, text formats), `world` (persons, campaigns, messages, sessions,
checkouts, orders, chats, tickets, subscriptions as tables), `render/*` (one
query per raw table, the tools' formats), `export` (files, defects, Parquet).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import duckdb
from tqdm import tqdm

from jornada_gen.bulk import export, sqlkit, world
from jornada_gen.bulk.export import BulkTable
from jornada_gen.bulk.plan import PLAN_FILE, WorldPlan, parse_count, persons_for
from jornada_gen.bulk.render import commerce, messaging, operations, service, web

__all__ = ["EVENT_TABLES", "WorldPlan", "append_days", "generate", "parse_count", "registry", "verify"]

SCRATCH = ".bulk_tmp"
# Where real volume sits: the tables --events counts.
EVENT_TABLES = ("sendgrid/events", "whatsapp/statuses", "twilio/status_callbacks", "ga4/events")


def registry(plan: WorldPlan) -> list[BulkTable]:
    """Every raw table of the bulk world, in the order of macros/staging/raw_tables.sql."""
    return [
        *messaging.tables(plan),
        *web.tables(plan),
        *service.zendesk_tables(plan),
        *commerce.tables(plan),
        *service.crm_tables(plan),
        *service.conversation_tables(plan),
        *operations.tables(plan),
    ]


def generate(
    out: Path,
    events: int,
    *,
    seed: int = 42,
    start: date = date(2026, 8, 3),
    days: int = 90,
    sources: Iterable[str] | None = None,
    threads: int | None = None,
    memory_limit: str = "12GB",
    progress: bool | None = None,
) -> WorldPlan:
    """Writes a new world of about `events` raw event rows over `days` days into `out`."""
    if days < 1:
        raise ValueError("--days must be at least 1")
    out.mkdir(parents=True, exist_ok=True)
    if (out / PLAN_FILE).exists():
        raise FileExistsError(f"{out} already holds a bulk world: use --append-days, or write to a new folder")
    plan = WorldPlan(seed=seed, start=start, persons=persons_for(events, days), events_target=events, cut_days=[days])
    _run_batch(out, plan, 0, set(sources) if sources else None, threads, memory_limit, progress)
    return plan


def append_days(
    out: Path, days: int, *, threads: int | None = None, memory_limit: str = "12GB", progress: bool | None = None
) -> WorldPlan:
    """Adds the next `days` days of the world in `out` as new export files."""
    if days < 1:
        raise ValueError("--append-days must be at least 1")
    plan = WorldPlan.load(out)
    plan.cut_days.append(plan.days + days)
    _run_batch(out, plan, len(plan.cut_days) - 1, None, threads, memory_limit, progress)
    return plan


def _run_batch(
    out: Path,
    plan: WorldPlan,
    number: int,
    sources: set[str] | None,
    threads: int | None,
    memory_limit: str,
    progress: bool | None,
) -> None:
    batch = plan.batch(number)
    horizon = world.Horizon(end_day=plan.days, agents=world.team_size(plan.persons))
    tables = [t for t in registry(plan) if sources is None or t.source in sources]
    scratch = out / SCRATCH
    con = sqlkit.connect(
        plan.seed,
        plan.t0,
        plan.start.isoformat(),
        scratch / "duckdb",
        threads or os.cpu_count() or 2,
        memory_limit,
    )
    disable = None if progress is None else not progress  # None: a bar on terminals only
    bar = tqdm(total=len(world.STEPS) + len(tables), desc=f"batch {number}", unit="step", disable=disable)

    def step(name: str) -> None:
        bar.set_postfix_str(name)
        bar.update()

    try:
        world.build(con, plan, horizon, step)
        manifests: dict[str, dict[str, dict[str, object]]] = {}
        for table in tables:
            step(table.folder)
            job = export.TableExport(con, plan, batch, table)
            job.choose_malformed()
            result = job.count()
            job.write(out, result.files)
            plan.files.setdefault(table.folder, {}).update(result.files)
            source = manifests.setdefault(
                table.source, export.read_manifest(out / table.source / "planted_defects.json")
            )
            source[table.name] = export.merge_manifest(source.get(table.name) if number else None, result.manifest)
        for source, tables_manifest in manifests.items():
            export.write_manifest(out / source / "planted_defects.json", tables_manifest)
        plan.save(out)
    finally:
        bar.close()
        con.close()
        shutil.rmtree(scratch, ignore_errors=True)


def verify(out: Path) -> list[str]:
    """Differences between the Parquet files in `out` and the plan (no difference: an empty list)."""
    plan = WorldPlan.load(out)
    problems = []
    con = duckdb.connect()
    for folder, planned in sorted(plan.files.items()):
        found = dict(
            con.execute(
                f"select regexp_extract(file_name, '([^/]+)\\.parquet$', 1), sum(num_rows)::BIGINT "
                f"from (select distinct file_name, row_group_id, row_group_num_rows as num_rows "
                f"from parquet_metadata({sqlkit.lit(str(out / folder / '*.parquet'))})) group by all"
            ).fetchall()
        )
        if found != planned:
            missing = sorted(set(planned) ^ set(found))
            wrong = sorted(name for name in set(planned) & set(found) if planned[name] != found[name])
            problems.append(f"{folder}: files differ {missing[:5]}, row counts differ {wrong[:5]}")
        source, name = folder.split("/")
        manifest = export.read_manifest(out / source / "planted_defects.json").get(name)
        if manifest is None or manifest["raw_rows"] != sum(planned.values()):
            problems.append(f"{folder}: planted_defects.json raw_rows disagrees with the files")
    con.close()
    return problems
