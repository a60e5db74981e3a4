"""The loader of the bulk world: export files, planted defects, Parquet writing, manifests.

Each raw table is a SQL query over the world tables giving the tool's columns
(text) plus `__at`, the moment the row was exported (epoch seconds), and
`__k`, a BIGINT unique to the row. The loader then behaves like the demo's
(`jornada_gen.exports.finalize`), as set-based SQL:

- load time: `__at` (or the window start, for history) plus 1-89 minutes;
  `late_share` of the rows are loaded 2-8 days late, in a later file;
- weekly files `<source>__<table>__<monday>` by load time (later batches add
  a suffix `_aNN`, so an append never rewrites a file);
- re-deliveries: a share of the rows is written twice, identical;
- overlapping files: a share of the rows loaded in the last hours before a
  file (or batch) boundary is exported again at the start of the next file;
- malformed rows: for each planted defect, copies of a few hash-chosen rows
  with a new id and exactly one defect, which staging must quarantine.

A first pass counts what a batch will hold (the manifest); then each file is
written by its own `COPY ... (FORMAT parquet)` of the rows loaded in its week,
the source queries pruned to the drivers that can reach it. Every pass
evaluates the same deterministic query, so the counts are exact.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from jornada_gen.bulk.plan import Batch, WorldPlan
from jornada_gen.bulk.sqlkit import lit, lst, q

MONDAY0 = 345_600  # 1970-01-05T00:00:00Z, a Monday: weekly files start on Mondays (UTC)
WEEK = 604_800
LATE_MAX = 9 * 86_400 + 90 * 60  # the latest a row can be loaded after it happened
PICK_SAMPLE = 20_000  # candidate rows fetched at once to choose malformed rows from
SLICE_ROWS = 10_000_000  # rows computed and held at once while writing (about 4 GB)


@dataclass(frozen=True)
class Defect:
    """`count` malformed copies with `changes` (column -> SQL over the clean row), quarantined as `reason`."""

    reason: str
    count: int
    changes: dict[str, str]
    where: str = "true"  # which clean rows may be copied


@dataclass(frozen=True)
class Window:
    """The export times (`__at`) a batch needs: [lo, hi), lo None for everything before hi."""

    lo: int | None
    hi: int

    def where(self, column: str, spread: int = 0) -> str:
        """Keeps the drivers whose rows may fall in the window: rows happen in [column, column + spread]."""
        low = "" if self.lo is None else f" and {column} >= {self.lo - spread}"
        return f"({column} < {self.hi}{low})"


@dataclass(frozen=True)
class BulkTable:
    source: str
    name: str
    columns: tuple[str, ...]
    query: Callable[[Window], str]
    key: tuple[str, ...]  # the natural key staging deduplicates on
    redeliver: float  # share of rows delivered twice
    overlap: float  # share of the rows near a file boundary exported again in the next file
    defects: tuple[Defect, ...]
    overlap_window: int = 2 * 3600  # seconds before a file boundary whose rows may be exported again
    late_share: float = 0.01
    # Rows with the same load key are loaded together (a parent and its children: a ticket, its
    # metrics and metric events), so a batch never holds a child without its parent.
    load_key: str = "__k"
    load_delay: bool = True  # False: loaded one minute after `__at`, never late (users before their tickets)

    @property
    def seed_name(self) -> str:
        return f"{self.source}__{self.name}"

    @property
    def folder(self) -> str:
        return f"{self.source}/{self.name}"


@dataclass
class BatchResult:
    manifest: dict[str, object]
    files: dict[str, int] = field(default_factory=dict)


def _monday(week: int) -> str:
    return datetime.fromtimestamp(MONDAY0 + week * WEEK, UTC).strftime("%Y%m%d")


class TableExport:
    """The SQL of one table in one batch and its passes: choose malformed rows, count, write."""

    def __init__(self, con: duckdb.DuckDBPyConnection, plan: WorldPlan, batch: Batch, table: BulkTable) -> None:
        self.con = con
        self.plan = plan
        self.batch = batch
        self.table = table
        lo = batch.lo
        self.lo_ext = None if lo is None else lo - table.overlap_window
        first_load = plan.t0 if lo is None else lo
        self.week0 = (first_load - MONDAY0) // WEEK
        last_week = (batch.hi - 1 - MONDAY0) // WEEK + 1
        self.file_names = [
            f"{table.seed_name}__{_monday(week)}{batch.suffix}" for week in range(self.week0, last_week + 1)
        ]
        self.picks: dict[int, int] = {}  # row key -> index of its defect in table.defects

    # ------------------------------------------------------------ SQL pieces
    def _load_range(self, low: int | None = None, high: int | None = None) -> tuple[int, int, Window]:
        """Rows loaded in [low, high) (default: the batch and its overlap margin) and the export times they need."""
        low = (self.plan.t0 if self.lo_ext is None else self.lo_ext) if low is None else low
        high = self.batch.hi if high is None else high
        earliest = low - LATE_MAX
        return low, high, Window(None if earliest <= self.plan.t0 else earliest, high)

    def _loaded(self, low: int | None = None, high: int | None = None) -> str:
        t = self.table
        lk = t.load_key
        low, high, window = self._load_range(low, high)
        delay = f"60 * (1 + rint({lk}, 201, 89))" if t.load_delay else "60"
        late = f"u({lk}, 202) < {t.late_share}" if t.load_delay and t.late_share > 0 else "false"
        at_low = "" if window.lo is None else f" and __at >= {window.lo}"
        return f"""
            select
                *,
                (__load - {MONDAY0}) // {WEEK} as __wk,
                {MONDAY0} + ((__load - {MONDAY0}) // {WEEK} + 1) * {WEEK} as __wk_end
            from (
                select
                    s.*,
                    greatest(__at, {self.plan.t0}) + {delay}
                        + case when {late} then 86400 * (2 + rint({lk}, 203, 7)) else 0 end as __load,
                    {late} as __late
                from ({t.query(window)}) as s
                where __at < {high}{at_low}
            )
            where __load < {high} and __load >= {low}
        """

    def _in_batch(self, alias: str = "") -> str:
        return "true" if self.batch.lo is None else f"{alias}__load >= {self.batch.lo}"

    def _flagged(self, low: int | None = None, high: int | None = None) -> str:
        t = self.table
        lo = self.batch.lo
        interior = (
            f"__load >= __wk_end - {t.overlap_window} and __wk_end + 3600 < {self.batch.hi}"
            f" and u(__k, 204) < {t.overlap}"
        )
        if lo is None:
            overlap = interior
        else:
            overlap = f"case when __load < {lo} then u(__k, 204) < {t.overlap} else {interior} end"
        if self.picks:
            whens = " ".join(f"when {k} then {index}" for k, index in sorted(self.picks.items()))
            pick = f"case __k {whens} end"
        else:
            pick = "NULL::INTEGER"
        return f"""
            select
                *,
                {overlap} as __ovl,
                {self._in_batch()} and u(__k, 205) < {t.redeliver} as __red,
                {pick} as __pick
            from ({self._loaded(low, high)})
        """

    def _final(self, low: int | None = None, high: int | None = None) -> str:
        lo = self.batch.lo
        copies = (
            "case when __red or __ovl or __pick is not null then list_filter([0, case when __red then 1 end, "
            "case when __ovl then 2 end, case when __pick is not null then 3 end], lambda x: x is not null) "
            "else [0] end"
        )
        if lo is not None:
            copies = f"case when __load < {lo} then [2] else {copies} end"
        keep = "true" if lo is None else f"__load >= {lo} or __ovl"
        return f"select *, unnest({copies}) as __copy from ({self._flagged(low, high)}) where {keep}"

    def _file_name(self) -> str:
        lo = self.batch.lo
        names = lst(self.file_names)
        own = f"{names}[(__wk - {self.week0} + 1)::INTEGER]"
        following = f"{names}[(__wk - {self.week0} + 2)::INTEGER]"
        if lo is not None:
            following = f"case when __load < {lo} then {names}[1] else {following} end"
        return f"case when __copy = 2 then {following} else {own} end"

    def _loaded_at(self) -> str:
        lo = self.batch.lo
        start = "__wk_end" if lo is None else f"case when __load < {lo} then {lo} else __wk_end end"
        return f"iso(case when __copy = 2 then {start} + 1800 + rint(__k, 207, 1800) else __load end)"

    def _output_columns(self) -> list[str]:
        changed: dict[str, list[tuple[int, str]]] = {}
        for index, defect in enumerate(self.table.defects):
            for column, expression in defect.changes.items():
                changed.setdefault(column, []).append((index, expression))
        out = []
        for column in self.table.columns:
            value = q(column)
            if column in changed:
                whens = " ".join(f"when {index} then {expr}" for index, expr in changed[column])
                value = f"case when __copy = 3 then (case __pick {whens} else {q(column)} end) else {q(column)} end"
            out.append(f"({value})::VARCHAR as {q(column)}")
        out.append(f"{self._file_name()} as _file_name")
        out.append(f"{self._loaded_at()} as _loaded_at")
        return out

    # ---------------------------------------------------------------- passes
    def choose_malformed(self) -> None:
        """Hash-chosen clean rows of this batch to copy as malformed rows, per defect."""
        defects = list(enumerate(self.table.defects))
        if not defects:
            return
        flags = ", ".join(f"({d.where}) as w{i}" for i, (_, d) in enumerate(defects))
        rows = self.con.execute(
            f"select __k, {flags} from ({self._loaded()}) where {self._in_batch()} "
            f"order by h(__k, 206), __k limit {PICK_SAMPLE}"
        ).fetchall()
        used: set[int] = set()
        for i, (index, defect) in enumerate(defects):
            chosen = [row[0] for row in rows if row[1 + i] and row[0] not in used][: defect.count]
            if len(chosen) < defect.count:
                taken = ", ".join(str(k) for k in used | set(chosen)) or "NULL"
                extra = self.con.execute(
                    f"select __k from ({self._loaded()}) where {self._in_batch()} and ({defect.where}) "
                    f"and __k not in ({taken}) order by h(__k, 206), __k limit {defect.count - len(chosen)}"
                ).fetchall()
                chosen += [row[0] for row in extra]
            for k in chosen:
                used.add(k)
                self.picks[k] = index

    def count(self) -> BatchResult:
        rows = self.con.execute(
            f"select _file_name, __copy, __pick, __late, count(*) from ("
            f"select {self._file_name()} as _file_name, __copy, __pick, __late from ({self._final()})"
            f") group by all"
        ).fetchall()
        t = self.table
        files: Counter[str] = Counter()
        kinds: Counter[int] = Counter()
        reasons: Counter[str] = Counter()
        late = 0
        for file_name, copy, pick, is_late, n in rows:
            files[file_name] += n
            kinds[copy] += n
            if copy == 3:
                reasons[t.defects[pick].reason] += n
            if copy == 0 and is_late:
                late += n
        manifest = {
            "source": t.source,
            "table": t.name,
            "raw_rows": sum(files.values()),
            "files": len(files),
            "redelivered_rows": kinds[1],
            "overlap_rows": kinds[2],
            "duplicate_rows": kinds[1] + kinds[2],
            "late_rows": late,
            "malformed_rows": kinds[3],
            "malformed_by_reason": dict(sorted(reasons.items())),
        }
        return BatchResult(manifest, dict(sorted(files.items())))

    def write(self, out: Path, expected: dict[str, int]) -> None:
        """Writes the files of the batch, a slice of consecutive weeks at a time (bounded memory)."""
        folder = out / self.table.source / self.table.name
        folder.mkdir(parents=True, exist_ok=True)
        for name in expected:
            if (folder / f"{name}.parquet").exists():
                raise FileExistsError(f"{folder / name}.parquet exists: bulk exports never rewrite a file")
        names = sorted(expected, key=self.file_names.index)
        slices: list[list[str]] = []
        for name in names:
            if not slices or sum(expected[n] for n in slices[-1]) + expected[name] > SLICE_ROWS:
                slices.append([])
            slices[-1].append(name)
        columns = ",\n".join(self._output_columns())
        for part in slices:
            first = self.week0 + self.file_names.index(part[0])
            last = self.week0 + self.file_names.index(part[-1])
            start = max(MONDAY0 + first * WEEK, self.plan.t0 if self.batch.lo is None else self.batch.lo)
            end = min(MONDAY0 + (last + 1) * WEEK, self.batch.hi)
            self.con.execute(
                f"create or replace temp table __slice as select * from ("
                f"select {columns} from ({self._final(start - self.table.overlap_window, end)})"
                f") where _file_name in ({', '.join(lit(n) for n in part)})"
            )
            for name in part:
                target = lit(str(folder / f"{name}.parquet"))
                self.con.execute(
                    f"copy (select * from __slice where _file_name = {lit(name)}) to {target} (format parquet)"
                )
            self.con.execute("drop table __slice")


def merge_manifest(old: dict[str, object] | None, new: dict[str, object]) -> dict[str, object]:
    """The counts of a table over all batches written so far."""
    if old is None:
        return new
    merged = dict(old)
    for name in ("raw_rows", "files", "redelivered_rows", "overlap_rows", "duplicate_rows", "late_rows"):
        merged[name] = int(old[name]) + int(new[name])  # type: ignore[call-overload]
    reasons = Counter(old["malformed_by_reason"])  # type: ignore[arg-type]
    reasons.update(new["malformed_by_reason"])  # type: ignore[arg-type]
    merged["malformed_by_reason"] = dict(sorted(reasons.items()))
    merged["malformed_rows"] = sum(reasons.values())
    return merged


def write_manifest(path: Path, manifests: dict[str, dict[str, object]]) -> None:
    """planted_defects.json of one source, in the demo generator's format."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifests, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def read_manifest(path: Path) -> dict[str, dict[str, object]]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
