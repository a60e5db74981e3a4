"""The plan of a large world: its size, seed, window and export batches.

A bulk world is a pure function of (seed, persons, start): every person,
campaign, message and session is derived from hashes of its own key, never
from a running random stream, so a world built for 90 days and the same world
built for 97 days agree on everything that happened in the first 90. What
changes with the window is only which rows have been *exported* yet.

Exports come in batches. Batch 0 (`--events`) holds every row loaded before
the end of its last day; each `--append-days` run adds a batch with the rows
loaded during the new days, late rows of earlier days included. The plan is
kept in `<out>/_bulk_world.json` so an append continues the same world.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

from jornada_gen.world import BUSINESS_TZ

PLAN_FILE = "_bulk_world.json"
FORMAT_VERSION = 1

# Raw event rows (SendGrid events, WhatsApp statuses, Twilio status callbacks,
# GA4 events) one person produces per day of the window, measured on generated
# worlds (see pytests/test_generator_bulk.py); used to size a world from --events.
EVENT_ROWS_PER_PERSON_DAY = 0.564

MIN_PERSONS = 500

_COUNT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmMbB]?)\s*$")
_UNITS = {"": 1, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000}


def parse_count(text: str) -> int:
    """'1M' -> 1000000, '2.5k' -> 2500, '10000' -> 10000 (k, M and B suffixes)."""
    match = _COUNT.match(text.replace("_", ""))
    if match is None:
        raise ValueError(f"not a count: {text!r} (use e.g. 50000, 50k, 1M, 10M, 100M)")
    value = float(match.group(1)) * _UNITS[match.group(2).lower()]
    if value < 1:
        raise ValueError(f"count must be positive: {text!r}")
    return int(value)


def persons_for(events: int, days: int) -> int:
    """Persons whose activity over `days` produces about `events` raw event rows."""
    return max(MIN_PERSONS, round(events / (EVENT_ROWS_PER_PERSON_DAY * days)))


def local_midnight(day: date) -> int:
    """Epoch seconds of 00:00 in São Paulo on `day`."""
    return int(datetime.combine(day, time(0), BUSINESS_TZ).astimezone(UTC).timestamp())


@dataclass(frozen=True)
class Batch:
    """One export run: rows loaded in [lo, hi) (epoch seconds; lo None for the first)."""

    number: int
    lo: int | None
    hi: int

    @property
    def suffix(self) -> str:
        """File names of later batches get a suffix, so no earlier file is ever rewritten."""
        return "" if self.number == 0 else f"_a{self.number:02d}"


@dataclass
class WorldPlan:
    seed: int
    start: date
    persons: int
    events_target: int
    cut_days: list[int] = field(default_factory=list)  # window end (day offset) of each batch
    files: dict[str, dict[str, int]] = field(default_factory=dict)  # "source/table" -> file -> rows

    @property
    def days(self) -> int:
        return self.cut_days[-1]

    @property
    def t0(self) -> int:
        """Epoch seconds of the first local midnight of the window."""
        return local_midnight(self.start)

    def batch(self, number: int) -> Batch:
        lo = None if number == 0 else self.t0 + self.cut_days[number - 1] * 86_400
        return Batch(number, lo, self.t0 + self.cut_days[number] * 86_400)

    @property
    def batches(self) -> list[Batch]:
        return [self.batch(number) for number in range(len(self.cut_days))]

    def save(self, out: Path) -> None:
        data = asdict(self)
        data["start"] = self.start.isoformat()
        data["format_version"] = FORMAT_VERSION
        (out / PLAN_FILE).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, out: Path) -> WorldPlan:
        path = out / PLAN_FILE
        if not path.exists():
            raise FileNotFoundError(f"{path} not found: --append-days needs a world written with --events")
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.pop("format_version", None) != FORMAT_VERSION:
            raise ValueError(f"{path}: unsupported bulk world format")
        data["start"] = date.fromisoformat(data["start"])
        return cls(**data)
