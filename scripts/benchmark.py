"""Benchmark Jornada on generated large worlds and write BENCHMARKS.md.

For each size of --sizes (default 1M,10M; 100M with --with-100m), on one
world generated once with `generate_raw.py --events N` (reused when its
marker matches), every step runs as a child process whose whole process
tree is measured (wall time; peak RSS summed over the tree, sampled from
/proc):

1. `dbt parse`, then a full `dbt build --vars '{raw_path: ...}'` (seeds,
   models and every dbt test) into a fresh DuckDB file, and the same build
   without tests (`--exclude-resource-type test unit_test`) into another:
   wall time, peak memory, raw event rows per second;
2. the lower bound: one DuckDB pass over every raw file the build reads
   (per table, count(*) and a hash of every column, so every column is
   decoded), and the build's ratio to it;
3. the alternative without Jornada: scripts/bench_pandas_messaging.py
   computes the messaging KPIs per campaign x channel from the same files;
   its result is compared with the warehouse's (numerators and
   denominators equal, rates within 1e-9) before its time counts, against
   `dbt build --select +int_message_lifecycles_pivoted --indirect-selection
   cautious` (the models those KPIs need, with their tests) in a fresh
   DuckDB file;
4. an incremental day: `generate_raw.py --append-days 1` on the benchmark's
   own copy of the world (hard links, the original stays untouched), then
   the daily job, `dbt build --exclude-resource-type unit_test` without
   --full-refresh (unit tests check SQL logic on fixtures: CI runs them,
   a day's data does not change them), on the full build's DuckDB file:
   its time as a fraction of the full build;
5. the spill check: seeds and models built again into a fresh file under
   a small DuckDB memory_limit (--spill-memory-limit, default 2GB; a 10M
   build peaks near 12 GiB without it, as a 100M build would pass the
   default 16GB): wall time, peak RSS and the peak size of DuckDB's
   temp_directory, to show a build larger than memory completes by
   spilling.

The targets (incremental day <= 10% of the full build, Jornada >= 10x
faster than pandas, full build <= 2 min, all at 10M) are judged at 10M;
at other sizes they are shown as indicative only.

    python scripts/benchmark.py --sizes 200k,1M --note "loaded machine"
    make bench                     # 1M and 10M into /tmp/jornada_bench
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

PROJECT_DIR = Path(__file__).resolve().parent.parent
SCRIPTS_DIR = PROJECT_DIR / "scripts"
BIN_DIR = Path(sys.executable).parent
MARKER = ".jornada_bench_world.json"
GENERATOR_SEED = 42
# Raw event rows, as generate_raw.py --events counts them.
EVENT_TABLES = ("sendgrid/events", "whatsapp/statuses", "twilio/status_callbacks", "ga4/events")
MESSAGING_SUBSET = "+int_message_lifecycles_pivoted"
TARGETS_AT = 10_000_000
TARGET_INCREMENTAL_FRACTION = 0.10
TARGET_SPEEDUP_VS_PANDAS = 10.0
TARGET_FULL_BUILD_SECONDS = 120.0
# From this size dbt runs one node at a time (`--threads 1`, as JORNADA_DBT_THREADS=1 would): at 100M the two heaviest
# models, side by side in DuckDB's one buffer pool, ran out of memory together; each built alone (BENCHMARKS.md).
ONE_NODE_AT_A_TIME_FROM = 100_000_000
# How often the RSS of a process tree is sampled (each sample reads /proc/*/stat once).
SAMPLE_SECONDS = 0.5

sys.path.insert(0, str(SCRIPTS_DIR))
import bench_pandas_messaging as pandas_kpis  # noqa: E402

# --- sizes ----------------------------------------------------------------------------------------------------------


def parse_size(text: str) -> int:
    """'200k', '1M', '10M', '1.5M', '100000' -> rows."""
    text = text.strip().replace("_", "").replace(",", "")
    factor = {"k": 1_000, "m": 1_000_000, "g": 1_000_000_000}.get(text[-1:].lower(), 1)
    number = text[:-1] if factor != 1 else text
    value = int(float(number) * factor)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"not a positive size: {text!r}")
    return value


def size_label(rows: int) -> str:
    for factor, suffix in ((1_000_000_000, "G"), (1_000_000, "M"), (1_000, "k")):
        if rows >= factor and rows % (factor // 10 or 1) == 0:
            value = rows / factor
            return f"{value:g}{suffix}"
    return str(rows)


# --- measuring a process tree ---------------------------------------------------------------------------------------


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        # Fields after the command name (which may hold spaces) start after the last ')'.
        ppid = int(stat[stat.rfind(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def tree_rss_bytes(root: int) -> int:
    """Resident memory of a process and all its descendants (VmRSS summed)."""
    children = _children_map()
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
    return total


@dataclass
class Measure:
    """One child process tree: what ran, how long, how much memory."""

    name: str
    command: list[str]
    seconds: float = 0.0
    peak_tree_rss: int = 0
    max_process_rss: int = 0
    returncode: int = 0
    log: Path | None = None
    timed_out: bool = False
    # Peak size of a watched folder (DuckDB's temp_directory: what the step spilled to disk).
    peak_dir_bytes: int = 0

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def peak_rss(self) -> int:
        # wait4's ru_maxrss counts the forked child before exec (the benchmark's own memory), so it only
        # stands in for a process too short to be sampled.
        return self.peak_tree_rss or self.max_process_rss


def folder_bytes(folder: Path) -> int:
    """Bytes of the files under a folder (0 when it does not exist); files vanishing meanwhile are skipped."""
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.stat(os.path.join(root, name)).st_size
    return total


def run_measured(
    name: str,
    command: list[str],
    env: dict[str, str],
    log: Path,
    interval: float = SAMPLE_SECONDS,
    cwd: Path = PROJECT_DIR,
    timeout: float | None = None,
    watch_dir: Path | None = None,
) -> Measure:
    """Run a command, sampling the RSS of its process tree (and the size of `watch_dir`, if given); show elapsed
    time while it runs. Past `timeout` seconds its process group (its own session) gets SIGTERM and the step counts
    as failed."""
    measure = Measure(name, command, log=log)
    log.parent.mkdir(parents=True, exist_ok=True)
    tty = sys.stderr.isatty()
    with open(log, "w", encoding="utf-8") as out:
        out.write("$ " + " ".join(command) + "\n")
        out.flush()
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True
        )
        done = threading.Event()

        def sample() -> None:
            last_line = started
            while not done.is_set():
                measure.peak_tree_rss = max(measure.peak_tree_rss, tree_rss_bytes(process.pid))
                if watch_dir is not None:
                    measure.peak_dir_bytes = max(measure.peak_dir_bytes, folder_bytes(watch_dir))
                elapsed = time.perf_counter() - started
                if timeout is not None and elapsed > timeout and not measure.timed_out:
                    measure.timed_out = True
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGTERM)
                if tty:
                    print(f"\r  {name}: {elapsed:7.1f} s", end="", file=sys.stderr, flush=True)
                elif time.perf_counter() - last_line >= 30:
                    print(f"  {name}: {elapsed:.0f} s ...", file=sys.stderr, flush=True)
                    last_line = time.perf_counter()
                done.wait(interval)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        measure.seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
    measure.returncode = process.returncode
    measure.max_process_rss = usage.ru_maxrss * 1024  # kilobytes on Linux
    if measure.timed_out and measure.returncode == 0:
        measure.returncode = 124
    state = "ok" if measure.ok else f"FAILED (exit {measure.returncode}, log {log})"
    if measure.timed_out:
        state = f"TIMED OUT after {timeout:g} s (log {log})"
    print(
        f"{chr(13) if tty else ''}  {name}: {measure.seconds:.1f} s, peak RSS {gib(measure.peak_rss)} - {state}",
        file=sys.stderr,
        flush=True,
    )
    if not measure.ok:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
        print("    " + "\n    ".join(tail), file=sys.stderr)
    return measure


def gib(size: int) -> str:
    return f"{size / 1024**3:.2f} GiB"


# --- worlds ---------------------------------------------------------------------------------------------------------


def world_marker(events: int, days: int) -> dict[str, object]:
    return {"events": events, "seed": GENERATOR_SEED, "days": days, "generator": "scripts/generate_raw.py --events"}


def ensure_world(world: Path, events: int, days: int, env: dict[str, str], logs: Path) -> Measure | None:
    """Generate the world once; reuse it when its marker matches (None: reused)."""
    marker = world / MARKER
    expected = world_marker(events, days)
    if marker.exists():
        try:
            if json.loads(marker.read_text(encoding="utf-8")) == expected:
                print(f"  world {world}: reused (marker matches)", file=sys.stderr)
                return None
        except json.JSONDecodeError:
            pass
    if world.exists():
        shutil.rmtree(world)
    command = [
        sys.executable,
        str(SCRIPTS_DIR / "generate_raw.py"),
        "--events",
        str(events),
        "--days",
        str(days),
        "--seed",
        str(GENERATOR_SEED),
        "--out",
        str(world),
    ]
    measure = run_measured("generate world", command, env, logs / "generate.log")
    if not measure.ok:
        raise SystemExit(f"generating {world} failed, see {measure.log}")
    marker.write_text(json.dumps(expected, indent=2) + "\n", encoding="utf-8")
    return measure


def link_copy(source: Path, target: Path) -> None:
    """A working copy of a world: Parquet files hard-linked (never rewritten), other files copied."""
    if target.exists():
        shutil.rmtree(target)
    for path in source.rglob("*"):
        destination = target / path.relative_to(source)
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".parquet":
            try:
                os.link(path, destination)
                continue
            except OSError:
                pass
        shutil.copy2(path, destination)


def raw_tables(world: Path) -> dict[str, list[Path]]:
    """'<source>/<table>' -> its Parquet files: everything the build reads in raw_path mode."""
    tables: dict[str, list[Path]] = {}
    for file in sorted(world.glob("*/*/*.parquet")):
        tables.setdefault(f"{file.parent.parent.name}/{file.parent.name}", []).append(file)
    return tables


def count_rows(world: Path) -> dict[str, int]:
    return {
        table: sum(pq.ParquetFile(file).metadata.num_rows for file in files)
        for table, files in raw_tables(world).items()
    }


# --- the lower bound: one DuckDB pass over every raw file -----------------------------------------------------------


def scan_worker(world: Path) -> int:
    """Read every raw file once with DuckDB (count and a hash of every column); print rows per table."""
    import duckdb

    connection = duckdb.connect(
        config={
            "threads": int(os.environ.get("JORNADA_THREADS", "2")),
            "memory_limit": os.environ.get("JORNADA_MEMORY_LIMIT", "16GB"),
            "temp_directory": os.environ.get("JORNADA_TEMP_DIR", str(PROJECT_DIR / ".duckdb_tmp")),
            "preserve_insertion_order": False,
        }
    )
    total = 0
    for table, files in raw_tables(world).items():
        file_list = ", ".join("'" + str(file).replace("'", "''") + "'" for file in files)
        rows, *_ = connection.execute(
            f"select count(*), bit_xor(hash(columns(*))) from read_parquet([{file_list}], union_by_name=true)"
        ).fetchone()
        total += rows
        print(f"{table}\t{rows}", flush=True)
    print(f"total\t{total}", flush=True)
    return 0


# --- one size -------------------------------------------------------------------------------------------------------


@dataclass
class SizeResult:
    events_requested: int
    label: str
    world: Path
    generated: Measure | None = None
    rows: dict[str, int] = field(default_factory=dict)
    parse: Measure | None = None
    build: Measure | None = None
    run: Measure | None = None
    scan: Measure | None = None
    pandas: Measure | None = None
    subset: Measure | None = None
    append: Measure | None = None
    incremental: Measure | None = None
    spill: Measure | None = None
    rows_after_append: dict[str, int] = field(default_factory=dict)
    lifecycle_diff: pd.DataFrame | None = None
    mart_diff: pd.DataFrame | None = None
    comparison_error: str = ""
    kpi_rows: int = 0
    slowest_nodes: list[tuple[str, float]] = field(default_factory=list)
    build_time_by_kind: dict[str, float] = field(default_factory=dict)
    incremental_time_by_kind: dict[str, float] = field(default_factory=dict)

    @property
    def event_rows(self) -> int:
        return sum(self.rows.get(table, 0) for table in EVENT_TABLES)

    @property
    def raw_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def results_equal(self) -> bool:
        return not self.comparison_error and self.lifecycle_diff is not None and self.lifecycle_diff.empty


def dbt_env(base: dict[str, str], work: Path, name: str, database: Path) -> dict[str, str]:
    env = dict(base)
    env.update(
        {
            "DBT_PROFILES_DIR": str(PROJECT_DIR),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
            "JORNADA_DUCKDB_PATH": str(database),
            "DBT_TARGET_PATH": str(work / f"target_{name}"),
            "DBT_LOG_PATH": str(work / f"logs_{name}"),
            "JORNADA_TEMP_DIR": str(work / f"duckdb_tmp_{name}"),
        }
    )
    return env


def dbt_artifact(target: Path, name: str, key: str) -> Any:
    """One top-level key of a dbt artifact (run_results.json, manifest.json) in a target folder; None when the
    file is missing or unreadable (a step that failed before dbt wrote it)."""
    try:
        return json.loads((target / name).read_text(encoding="utf-8"))[key]
    except (OSError, KeyError, json.JSONDecodeError):
        return None


def slowest_nodes(target: Path, count: int = 5) -> list[tuple[str, float]]:
    """The nodes of the last dbt command in a target folder that took longest (run_results.json)."""
    results = dbt_artifact(target, "run_results.json", "results") or []
    timed = [(r["unique_id"].split(".", 2)[-1], float(r.get("execution_time") or 0)) for r in results]
    return sorted(timed, key=lambda item: item[1], reverse=True)[:count]


def node_time_by_kind(target: Path) -> dict[str, float]:
    """Seconds summed over the nodes of the last dbt command in a target folder, per kind of node (data tests,
    unit tests, seeds, models by materialization), from run_results.json and manifest.json: where a build's time
    goes. Sums of node times, so with more than one dbt thread they add up to more than the wall time."""
    results = dbt_artifact(target, "run_results.json", "results")
    nodes = dbt_artifact(target, "manifest.json", "nodes")
    if results is None or nodes is None:
        return {}
    totals: dict[str, float] = {}
    for result in results:
        unique_id = result["unique_id"]
        resource_type = unique_id.split(".", 1)[0]
        if resource_type == "model":
            kind = f"{nodes.get(unique_id, {}).get('config', {}).get('materialized', 'other')} models"
        else:
            kind = {"test": "data tests", "unit_test": "unit tests", "seed": "seeds"}.get(resource_type, "other")
        totals[kind] = totals.get(kind, 0.0) + float(result.get("execution_time") or 0)
    return dict(sorted(totals.items(), key=lambda item: item[1], reverse=True))


def fmt_time_by_kind(totals: dict[str, float]) -> str:
    return ", ".join(f"{kind} {secs:,.1f}" for kind, secs in totals.items() if secs >= 0.05) or "-"


def fresh_database(path: Path) -> Path:
    for candidate in (path, path.with_name(path.name + ".wal")):
        candidate.unlink(missing_ok=True)
    return path


def dbt_command(*args: str, one_node_at_a_time: bool = False) -> list[str]:
    return [str(BIN_DIR / "dbt"), *args, *(["--threads", "1"] if one_node_at_a_time else [])]


def warehouse_lifecycle_kpis(database: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The warehouse's KPIs per campaign x channel: from the message lifecycles (the pandas script's scope)
    and from the mart fct_campaign_channel_daily (the published KPIs), summed over send dates."""
    import duckdb

    connection = duckdb.connect(str(database), read_only=True)
    try:
        lifecycle = connection.execute(
            f"""
            select
                coalesce(campaign_id, '{pandas_kpis.NO_CAMPAIGN}') as campaign_id,
                channel,
                count(*) as messages_sent,
                sum(case when is_delivered then 1 else 0 end) as messages_delivered,
                sum(case when is_open_tracked and is_opened then 1 else 0 end) as unique_openers,
                sum(case when is_click_tracked and is_clicked then 1 else 0 end) as unique_clickers,
                sum(case when is_unsubscribed then 1 else 0 end) as messages_unsubscribed
            from intermediate.int_message_lifecycles_pivoted
            where is_sent
            group by all
            """
        ).df()
        mart = connection.execute(
            f"""
            select
                coalesce(campaign_id, '{pandas_kpis.NO_CAMPAIGN}') as campaign_id,
                channel,
                sum(messages_sent) as messages_sent,
                sum(messages_delivered) as messages_delivered,
                sum(unique_openers) as unique_openers,
                sum(unique_clickers) as unique_clickers,
                sum(messages_unsubscribed) as messages_unsubscribed
            from marts.fct_campaign_channel_daily
            group by all
            having sum(messages_sent) > 0
            """
        ).df()
    finally:
        connection.close()
    for frame in (lifecycle, mart):
        frame[pandas_kpis.COUNT_COLUMNS] = frame[pandas_kpis.COUNT_COLUMNS].astype("int64")
    lifecycle = pandas_kpis.add_rates(lifecycle)
    mart = pandas_kpis.add_rates(mart)
    # The mart also publishes click_through_rate on whatsapp and sms (GA4 visits): kept as the mart says.
    mart["click_through_rate"] = pandas_kpis.safe_divide(mart["unique_clickers"], mart["messages_delivered"])
    return lifecycle, mart


def bench_size(events: int, args: argparse.Namespace, base_env: dict[str, str]) -> SizeResult:
    label = size_label(events)
    work = args.work_dir / label
    work.mkdir(parents=True, exist_ok=True)
    logs = work / "step_logs"
    result = SizeResult(events, label, args.work_dir / f"world_{label}")
    measured = functools.partial(run_measured, timeout=args.step_timeout)
    print(f"\n== {label} events ==", file=sys.stderr)

    result.generated = ensure_world(result.world, events, args.days, base_env, logs)
    live = work / "world_live"
    print("  preparing a working copy of the world (hard links)", file=sys.stderr)
    link_copy(result.world, live)
    result.rows = count_rows(live)
    print(f"  {result.raw_rows:,} raw rows, {result.event_rows:,} raw event rows", file=sys.stderr)
    vars_arg = json.dumps({"raw_path": str(live)})
    serial = events >= ONE_NODE_AT_A_TIME_FROM

    full_db = fresh_database(work / "full.duckdb")
    env = dbt_env(base_env, work, "full", full_db)
    result.parse = measured("dbt parse", dbt_command("parse", "--vars", vars_arg), env, logs / "parse.log")
    (Path(env["DBT_TARGET_PATH"]) / "run_results.json").unlink(missing_ok=True)  # no stale node timings
    result.build = measured(
        "dbt build (full)",
        dbt_command("build", "--vars", vars_arg, one_node_at_a_time=serial),
        env,
        logs / "build_full.log",
    )
    result.slowest_nodes = slowest_nodes(Path(env["DBT_TARGET_PATH"]))
    result.build_time_by_kind = node_time_by_kind(Path(env["DBT_TARGET_PATH"]))
    if not args.skip_run:
        run_db = fresh_database(work / "run.duckdb")
        result.run = measured(
            "dbt build without tests (seeds and models)",
            dbt_command(
                "build", "--exclude-resource-type", "test", "unit_test", "--vars", vars_arg, one_node_at_a_time=serial
            ),
            {**env, "JORNADA_DUCKDB_PATH": str(run_db)},
            logs / "run_full.log",
        )
        fresh_database(run_db)

    result.scan = measured(
        "lower bound: one DuckDB scan",
        [sys.executable, str(Path(__file__).resolve()), "--scan-worker", str(live)],
        env,
        logs / "scan.log",
    )

    kpi_csv = work / "pandas_kpis.csv"
    result.pandas = measured(
        "pandas messaging KPIs",
        [
            sys.executable,
            str(SCRIPTS_DIR / "bench_pandas_messaging.py"),
            "--raw-path",
            str(live),
            "--out",
            str(kpi_csv),
        ],
        base_env,
        logs / "pandas.log",
    )
    if result.pandas.ok and result.build.ok:
        try:
            computed = pd.read_csv(kpi_csv, dtype={"campaign_id": str, "channel": str})
            result.kpi_rows = len(computed)
            lifecycle, mart = warehouse_lifecycle_kpis(full_db)
            result.lifecycle_diff = pandas_kpis.compare_kpis(computed, lifecycle)
            result.mart_diff = pandas_kpis.compare_kpis(computed, mart)
            result.lifecycle_diff.to_csv(work / "diff_vs_lifecycles.csv", index=False)
            result.mart_diff.to_csv(work / "diff_vs_mart.csv", index=False)
            state = "equal" if result.lifecycle_diff.empty else f"{len(result.lifecycle_diff)} differing values"
            print(f"  pandas vs warehouse lifecycles: {state}", file=sys.stderr)
        except Exception as error:  # the report says what failed instead of losing the other figures
            result.comparison_error = f"{type(error).__name__}: {error}"
            print(f"  comparison failed: {result.comparison_error}", file=sys.stderr)
    else:
        result.comparison_error = "pandas script or full build failed"

    subset_db = fresh_database(work / "subset.duckdb")
    result.subset = measured(
        f"dbt build --select {MESSAGING_SUBSET}",
        dbt_command(
            "build",
            "--select",
            MESSAGING_SUBSET,
            "--indirect-selection",
            "cautious",
            "--vars",
            vars_arg,
            one_node_at_a_time=serial,
        ),
        {**env, "JORNADA_DUCKDB_PATH": str(subset_db)},
        logs / "build_subset.log",
    )
    fresh_database(subset_db)

    if result.build.ok and not args.skip_incremental:
        result.append = measured(
            "append one day (generator, not timed as build)",
            [sys.executable, str(SCRIPTS_DIR / "generate_raw.py"), "--append-days", "1", "--out", str(live)],
            base_env,
            logs / "append.log",
        )
        if result.append.ok:
            result.rows_after_append = count_rows(live)
            result.incremental = measured(
                "dbt build (incremental day)",
                dbt_command(
                    "build", "--exclude-resource-type", "unit_test", "--vars", vars_arg, one_node_at_a_time=serial
                ),
                env,
                logs / "build_incremental.log",
            )
            result.incremental_time_by_kind = node_time_by_kind(Path(env["DBT_TARGET_PATH"]))

    if args.spill_memory_limit:
        spill_db = fresh_database(work / "spill.duckdb")
        spill_env = dbt_env(base_env, work, "spill", spill_db)
        spill_env["JORNADA_MEMORY_LIMIT"] = args.spill_memory_limit
        spill_tmp = Path(spill_env["JORNADA_TEMP_DIR"])
        shutil.rmtree(spill_tmp, ignore_errors=True)
        result.spill = measured(
            f"seeds and models under memory_limit {args.spill_memory_limit} (spill check)",
            dbt_command(
                "build",
                "--exclude-resource-type",
                "test",
                "unit_test",
                "--vars",
                json.dumps({"raw_path": str(result.world)}),
                one_node_at_a_time=serial,
            ),
            spill_env,
            logs / "build_spill.log",
            watch_dir=spill_tmp,
        )
        fresh_database(spill_db)
        shutil.rmtree(spill_tmp, ignore_errors=True)
    if not args.keep:
        fresh_database(full_db)
        shutil.rmtree(live, ignore_errors=True)
    return result


# --- the report -----------------------------------------------------------------------------------------------------


def project_revision() -> str:
    """The commit measured, and whether models, macros or the project file had uncommitted changes."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "models", "macros", "dbt_project.yml"],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{commit}" + (" with uncommitted changes to models/macros" if dirty else "")


def machine_info() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                memory = gib(int(line.split()[1]) * 1024)
    except OSError:
        pass

    def version(package: str) -> str:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return "not installed"

    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "jornada": project_revision(),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "duckdb": version("duckdb"),
        "dbt-core": version("dbt-core"),
        "dbt-duckdb": version("dbt-duckdb"),
        "pandas": version("pandas"),
        "pyarrow": version("pyarrow"),
    }


def seconds(measure: Measure | None) -> str:
    if measure is None:
        return "not run"
    if measure.timed_out:
        return f"stopped at the {measure.seconds:,.0f} s timeout"
    return f"{measure.seconds:,.1f} s" if measure.ok else f"failed after {measure.seconds:,.1f} s"


def memory(measure: Measure | None) -> str:
    return gib(measure.peak_rss) if measure is not None else "-"


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def fmt_ratio(value: float | None, suffix: str = "x") -> str:
    return "-" if value is None else f"{value:,.2f}{suffix}"


def speedup(result: SizeResult) -> float | None:
    if not (result.pandas and result.subset and result.pandas.ok and result.subset.ok and result.results_equal):
        return None
    return ratio(result.pandas.seconds, result.subset.seconds)


def incremental_fraction(result: SizeResult) -> float | None:
    if not (result.incremental and result.build and result.incremental.ok and result.build.ok):
        return None
    return ratio(result.incremental.seconds, result.build.seconds)


def target_rows(results: list[SizeResult]) -> list[str]:
    at_target = [r for r in results if r.events_requested == TARGETS_AT]
    judged = at_target[0] if at_target else (max(results, key=lambda r: r.events_requested) if results else None)
    indicative = not at_target
    where = f"{judged.label}" + (" (indicative only: 10M not run)" if indicative else "") if judged else "-"

    def verdict(value: float | None, good: bool | None) -> str:
        if value is None or good is None:
            return "not measured"
        state = "met" if good else "not met"
        return f"{state} (indicative)" if indicative else state

    fraction = incremental_fraction(judged) if judged else None
    faster = speedup(judged) if judged else None
    # A build stopped by --step-timeout after the target's time has missed it; stopped earlier, it tells nothing.
    build_s = judged.build.seconds if judged and judged.build and (judged.build.ok or judged.build.timed_out) else None
    build_verdict = None if build_s is None else build_s <= TARGET_FULL_BUILD_SECONDS
    if build_verdict and judged is not None and judged.build is not None and judged.build.timed_out:
        build_verdict = None
    return [
        "| target (at 10M events) | measured at | value | verdict |",
        "|---|---|---|---|",
        f"| incremental day <= 10% of the full build | {where} | {fmt_ratio(fraction and fraction * 100, ' %')} "
        f"| {verdict(fraction, None if fraction is None else fraction <= TARGET_INCREMENTAL_FRACTION)} |",
        f"| Jornada >= 10x faster than pandas (messaging KPIs) | {where} | {fmt_ratio(faster)} "
        f"| {verdict(faster, None if faster is None else faster >= TARGET_SPEEDUP_VS_PANDAS)} |",
        f"| full build <= 2 min | {where} | {'-' if build_s is None else f'{build_s:,.1f} s'} "
        f"| {verdict(build_s, build_verdict)} |",
    ]


def comparison_text(result: SizeResult) -> str:
    if result.comparison_error:
        return f"not compared ({result.comparison_error})"
    if result.lifecycle_diff is None:
        return "not compared"
    if result.lifecycle_diff.empty:
        return f"equal on {result.kpi_rows} campaign x channel rows"
    return f"DIFFER: {len(result.lifecycle_diff)} values (see diff_vs_lifecycles.csv); speed not counted"


def mart_gap_text(result: SizeResult) -> str:
    if result.mart_diff is None:
        return "-"
    if result.mart_diff.empty:
        return "none"
    counts = result.mart_diff.groupby(["column", "channel"]).size()
    return ", ".join(f"{column} {channel} ({count} campaigns)" for (column, channel), count in counts.items())


def render(results: list[SizeResult], info: dict[str, str], args: argparse.Namespace, loads: tuple[str, str]) -> str:
    lines = ["# Benchmarks", ""]
    if args.note:
        lines += [f"> **{args.note}**", ""]
    lines += [
        "Written by `scripts/benchmark.py` (`make bench`). Every step is a child process tree, measured for wall "
        f"time and peak resident memory (RSS summed over the tree, sampled every {SAMPLE_SECONDS:g} s from /proc; "
        "or wait4's figure for a process too short to sample). Events per second: raw event rows (SendGrid "
        "events, WhatsApp statuses, Twilio status callbacks, GA4 events, counted from the Parquet files) / wall "
        "seconds.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in info.items()),
        f"| load average (1, 5, 15 min) at start / end | {loads[0]} / {loads[1]} |",
        f"| JORNADA_DBT_THREADS / JORNADA_THREADS (DuckDB) / JORNADA_MEMORY_LIMIT | "
        f"{os.environ.get('JORNADA_DBT_THREADS', '2 (default)')} (from {ONE_NODE_AT_A_TIME_FROM:,} events: 1) / "
        f"{os.environ.get('JORNADA_THREADS', '2 (default)')} / "
        f"{os.environ.get('JORNADA_MEMORY_LIMIT', '16GB (default)')} |",
        "",
        "## Results",
        "",
        "| | " + " | ".join(r.label + " events" for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]

    def row(title: str, values: list[str]) -> None:
        lines.append(f"| {title} | " + " | ".join(values) + " |")

    row("raw event rows / all raw rows", [f"{r.event_rows:,} / {r.raw_rows:,}" for r in results])
    row("world generation", [seconds(r.generated) if r.generated else "reused" for r in results])
    row("dbt parse (before the builds)", [seconds(r.parse) for r in results])
    row("**full `dbt build`** (models + tests), fresh DuckDB file", [seconds(r.build) for r in results])
    row("full `dbt build` peak RSS", [memory(r.build) for r in results])
    row(
        "full `dbt build` events / s",
        [
            f"{r.event_rows / r.build.seconds:,.0f}" if r.build and r.build.ok and r.build.seconds else "-"
            for r in results
        ],
    )
    row("full build without tests (seeds and models), fresh DuckDB file", [seconds(r.run) for r in results])
    row("full build without tests peak RSS", [memory(r.run) for r in results])
    row(
        "dbt tests' share (build - build without tests)",
        [
            f"{r.build.seconds - r.run.seconds:,.1f} s" if r.build and r.run and r.build.ok and r.run.ok else "-"
            for r in results
        ],
    )
    row("lower bound: one DuckDB scan of every raw file", [seconds(r.scan) for r in results])
    row("lower bound peak RSS", [memory(r.scan) for r in results])
    row(
        "full build / lower bound",
        [
            fmt_ratio(ratio(r.build.seconds, r.scan.seconds))
            if r.build and r.scan and r.build.ok and r.scan.ok
            else "-"
            for r in results
        ],
    )
    row(
        "appended day: raw rows added (generator time, not counted)",
        [
            f"{sum(r.rows_after_append.values()) - r.raw_rows:,} ({seconds(r.append)})" if r.rows_after_append else "-"
            for r in results
        ],
    )
    row("**incremental `dbt build`** of the day (no --full-refresh)", [seconds(r.incremental) for r in results])
    row("incremental peak RSS", [memory(r.incremental) for r in results])
    row("incremental / full build", [fmt_ratio((f := incremental_fraction(r)) and f * 100, " %") for r in results])
    row(
        "where the full build's time goes (seconds summed over nodes, per kind)",
        [fmt_time_by_kind(r.build_time_by_kind) for r in results],
    )
    row(
        "where the incremental day's time goes (same)",
        [fmt_time_by_kind(r.incremental_time_by_kind) for r in results],
    )
    spill_limit = args.spill_memory_limit or "-"
    row(f"seeds and models under memory_limit {spill_limit} (spill check)", [seconds(r.spill) for r in results])
    row("spill check peak RSS", [memory(r.spill) for r in results])
    row(
        "spill check peak size of DuckDB's temp_directory",
        [gib(r.spill.peak_dir_bytes) if r.spill else "-" for r in results],
    )
    row("pandas messaging KPIs (scripts/bench_pandas_messaging.py)", [seconds(r.pandas) for r in results])
    row("pandas peak RSS", [memory(r.pandas) for r in results])
    row(
        f"`dbt build --select {MESSAGING_SUBSET}` (tests: cautious), fresh DuckDB file",
        [seconds(r.subset) for r in results],
    )
    row("subset build peak RSS", [memory(r.subset) for r in results])
    row("pandas vs warehouse (message lifecycles)", [comparison_text(r) for r in results])
    row("**Jornada speed-up over pandas** (pandas time / subset build time)", [fmt_ratio(speedup(r)) for r in results])
    row("pandas vs the mart (fct_campaign_channel_daily): expected gaps", [mart_gap_text(r) for r in results])
    row(
        "slowest nodes of the full build (seconds)",
        [", ".join(f"`{name}` {secs:,.1f}" for name, secs in r.slowest_nodes) or "-" for r in results],
    )
    lines += [
        "",
        "## Targets",
        "",
        *target_rows(results),
        "",
        "## How to read it",
        "",
        "- `dbt build` runs every seed, model and dbt test (unit tests, data tests, stored failures); the build "
        "without tests is `dbt build --exclude-resource-type test unit_test` (a bare `dbt run` into a fresh file "
        "lacks the reference seeds). Both follow a `dbt parse` in the same target folder, so neither pays the "
        "first full parse (shown apart). From 100M events every dbt build gets `--threads 1`, so that two heavy "
        "models do not share DuckDB's one buffer pool.",
        "- The incremental day appends one day with `generate_raw.py --append-days 1` to the benchmark's own "
        "working copy of the world (hard links; the generated world is never modified) and runs `dbt build` "
        "without `--full-refresh` on the full build's DuckDB file, as the daily job does: "
        "`--exclude-resource-type unit_test` (unit tests check SQL logic on fixtures; CI runs them on every "
        "change, a new day of data cannot change their result), every data test included. It measures whatever "
        "the project does: models that are not incremental rebuild in full.",
        "- The spill check builds the seeds and models again into a fresh file from the generated world with "
        "DuckDB's memory_limit lowered (JORNADA_MEMORY_LIMIT; the temp_directory is sampled for its size with the "
        "RSS): a build whose data does not fit the limit has to spill to disk to finish, as a 100M world does "
        "under the default 16GB.",
        "- Where the time goes: each node's execution time from dbt's run_results.json, summed per kind of node "
        "(data tests, unit tests, seeds, models by materialization); with more than one dbt thread the sums add up "
        "to more than the wall time.",
        "- The lower bound reads every raw Parquet file the build reads once, per table "
        "`count(*)` and `bit_xor(hash(...))` of every column, with the same DuckDB threads and memory limit.",
        "- The pandas script is what a team would write by hand from the same Parquet files: staging's "
        "validity and de-duplication rules, one lifecycle per message, inbound replies and opt-out keywords "
        "linked to the message they answer by phone. Its counts (sent, delivered, unique openers, unique "
        "clickers, unsubscribed) and rates per campaign x channel are compared with the warehouse's message "
        "lifecycles (`int_message_lifecycles_pivoted`) before its time counts: counts equal, rates within 1e-9. "
        "Its time is compared with `dbt build --select " + MESSAGING_SUBSET + " --indirect-selection cautious`, "
        "the models those KPIs need (staging of every source the identity graph reads, identity resolution, "
        "message events and lifecycles) with their tests (cautious: tests whose parents are all built).",
        "- The mart `fct_campaign_channel_daily` adds, on WhatsApp and SMS, link clicks seen as tagged GA4 "
        "visits tied to the recipient through the identity graph (`fct_messaging_web_clicks`). Reproducing them "
        "by hand means re-implementing GA4 sessions and the identity graph; the pandas script does not, so "
        "differences with the mart in unique_clickers and click_through_rate on whatsapp and sms (and in "
        "unique_openers and open_rate on whatsapp, where a tagged visit is the only sign of a read) are "
        "expected. Any other difference with the mart would be a finding.",
        "",
        "Reproduce: `make bench` (1M and 10M) or `.venv/bin/python scripts/benchmark.py --help`. Working "
        f"files: `{args.work_dir}`.",
        "",
    ]
    return "\n".join(lines)


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text(encoding="ascii").split()[:3])
    except OSError:
        return "unknown"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes",
        default="1M,10M",
        help="comma-separated raw event counts, e.g. 200k,1M,10M (default 1M,10M)",
    )
    parser.add_argument(
        "--with-100m",
        action="store_true",
        help="also run 100M events (needs the default 16GB memory limit, ~90 GB disk: world, warehouse, spill)",
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=Path(os.environ.get("JORNADA_BENCH_DIR", "/tmp/jornada_bench")),
        help="worlds, DuckDB files, dbt targets and logs (default $JORNADA_BENCH_DIR or /tmp/jornada_bench)",
    )
    parser.add_argument("--days", type=int, default=90, help="days of the generated worlds (default 90)")
    parser.add_argument("--output", type=Path, default=PROJECT_DIR / "BENCHMARKS.md", help="the Markdown report")
    parser.add_argument("--note", default="", help="a line shown at the top of the report (e.g. 'loaded machine')")
    parser.add_argument("--skip-run", action="store_true", help="skip the build without tests")
    parser.add_argument("--skip-incremental", action="store_true", help="skip the incremental day")
    parser.add_argument(
        "--spill-memory-limit",
        default="2GB",
        metavar="LIMIT",
        help="DuckDB memory_limit of the spill check, a models-only build (default 2GB; '' skips it)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the full build's DuckDB file and the world copy")
    parser.add_argument(
        "--step-timeout",
        type=float,
        metavar="SECONDS",
        help="stop any step running longer than this and report it as timed out (default: no limit)",
    )
    parser.add_argument("--scan-worker", type=Path, metavar="WORLD", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.scan_worker is None:
        sizes = [parse_size(text) for text in args.sizes.split(",") if text.strip()]
        if args.with_100m:
            sizes.append(100_000_000)
        args.size_list = sorted(set(sizes))
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.scan_worker is not None:
        return scan_worker(args.scan_worker)
    args.work_dir = args.work_dir.resolve()
    args.work_dir.mkdir(parents=True, exist_ok=True)
    base_env = dict(os.environ)
    base_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SCRIPTS_DIR), base_env.get("PYTHONPATH", "")]))
    info = machine_info()
    load_start = load_average()
    print(f"Benchmark {', '.join(size_label(s) for s in args.size_list)} in {args.work_dir}", file=sys.stderr)
    results: list[SizeResult] = []
    for events in args.size_list:
        results.append(bench_size(events, args, base_env))
        # Written after every size, so a long run keeps what it measured so far.
        args.output.write_text(render(results, info, args, (load_start, load_average())), encoding="utf-8")
        print(f"\nwrote {args.output} ({', '.join(r.label for r in results)})", file=sys.stderr)
    failed = [r.label for r in results if not (r.build and r.build.ok)]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
