"""Workforce: agent roster, schedules and presence from the contact-center tool.

Exported in a format Jornada documents itself (no vendor): the
specification, field by field, is in models/staging/workforce/_workforce__docs.md
and models/staging/workforce/_workforce__sources.yml. Three tables:

- `agents`: one row per agent (a roster snapshot taken at the start of the window);
- `shifts`: one row per scheduled shift (6-8 h, Monday to Saturday, business
  hours in America/Sao_Paulo), written when the schedule is published;
- `presence_events`: one row per presence change of an agent in the tool
  (login, logout, pause_start, pause_end), written as it happens.

The world knows the agents (`world.agents`); schedules and adherence are not
world facts, so this renderer simulates them with its own rng: most agents
log in within minutes of the shift start, some late, a few not at all; a few
leave early; lunch and short personal pauses, occasional training. Agent ids
are `agt_NNN`, NNN the 1-based position of the agent in `world.agents`, the
same ids as the chat export. Timestamps are ISO 8601 UTC with a `Z`.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import UTC, date, datetime, time, timedelta

from jornada_gen.exports import RawTable
from jornada_gen.world import BUSINESS_TZ, World

AGENT_COLUMNS = ["agent_id", "agent_name", "team", "email", "hired_at", "is_active"]
SHIFT_COLUMNS = [
    "shift_id",
    "agent_id",
    "shift_date",
    "scheduled_start_at",
    "scheduled_end_at",
    "planned_break_minutes",
]
PRESENCE_COLUMNS = ["event_id", "agent_id", "occurred_at", "state", "pause_reason"]

Row = dict[str, str | None]


def iso(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def local(day: date, hour: float) -> datetime:
    """UTC instant of a local São Paulo clock time (hour may have a fraction)."""
    return (datetime.combine(day, time(0), BUSINESS_TZ) + timedelta(hours=hour)).astimezone(UTC)


def work_email(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    first, *_, last = plain.split()
    return f"{first}.{last}@jornadacafe.com.br"


def _agents(world: World, rng: random.Random) -> tuple[RawTable, list[str]]:
    table = RawTable(
        "workforce",
        "agents",
        AGENT_COLUMNS,
        "Jornada workforce export: one row per contact-center agent (roster snapshot).",
        redeliveries=1,
    )
    ids = []
    for index, name in enumerate(world.agents, start=1):
        agent_id = f"agt_{index:03d}"
        ids.append(agent_id)
        hired_day = world.start - timedelta(days=rng.randrange(60, 1500))
        table.add(
            world.start_at,
            {
                "agent_id": agent_id,
                "agent_name": name,
                "team": "sales" if index % 4 == 0 else "support",
                "email": work_email(name),
                "hired_at": iso(local(hired_day, 9)),
                "is_active": "true",
            },
        )
    picks = [dict(row) for _, row in rng.sample(table.rows, 2)]
    picks[0].update(agent_id=None)
    table.add_malformed(world.start_at, picks[0], "missing_id")
    picks[1].update(is_active="sim")
    table.add_malformed(world.start_at, picks[1], "invalid_value")
    return table, ids


def _schedule(world: World, agent_ids: list[str], rng: random.Random) -> list[tuple[str, date, float, float, int]]:
    """(agent_id, local date, local start hour, length in hours, planned break minutes) per shift."""
    shifts = []
    for number, agent_id in enumerate(agent_ids):
        start_hour = rng.choice([7, 8, 8, 9, 10, 12, 13, 14])
        saturday_parity = number % 2  # half the team works even Saturdays, half odd
        vacation_start = rng.randrange(0, world.days) if rng.random() < 0.4 else None
        weekly_day_off = None
        for offset in range(world.days):
            day = world.start + timedelta(days=offset)
            week = offset // 7
            if day.weekday() == 0:
                # In a week with a Saturday shift the agent takes one weekday off.
                weekly_day_off = rng.randrange(0, 5) if week % 2 == saturday_parity else None
            if vacation_start is not None and vacation_start <= offset < vacation_start + 10:
                continue
            if day.weekday() == 6:
                continue
            if day.weekday() == 5:
                if week % 2 != saturday_parity:
                    continue
                shifts.append((agent_id, day, 9.0, 6.0, 15))
                continue
            if day.weekday() == weekly_day_off:
                continue
            length, break_minutes = (8.0, 60) if rng.random() < 0.85 else (7.0, 60)
            shift_start = start_hour + (rng.choice([-1, 1]) if rng.random() < 0.1 else 0)
            shifts.append((agent_id, day, float(shift_start), length, break_minutes))
    return shifts


def _presence(
    start: datetime, end: datetime, break_minutes: int, rng: random.Random
) -> list[tuple[datetime, str, str | None]]:
    """The presence changes of one agent during one scheduled shift."""
    if rng.random() < 0.015:
        return []  # no-show
    roll = rng.random()
    if roll < 0.80:
        login = start + timedelta(seconds=rng.randrange(-12 * 60, 3 * 60))
    elif roll < 0.95:
        login = start + timedelta(seconds=rng.randrange(4 * 60, 20 * 60))
    else:
        login = start + timedelta(seconds=rng.randrange(20 * 60, 75 * 60))
    roll = rng.random()
    if roll < 0.85:
        logout = end + timedelta(seconds=rng.randrange(-3 * 60, 12 * 60))
    elif roll < 0.95:
        logout = end - timedelta(seconds=rng.randrange(15 * 60, 120 * 60))
    else:
        logout = end + timedelta(seconds=rng.randrange(15 * 60, 45 * 60))

    middle = start + (end - start) / 2
    candidates: list[tuple[datetime, datetime, str]] = []
    if break_minutes >= 60:
        lunch = middle + timedelta(minutes=rng.randrange(-60, 45))
        candidates.append((lunch, lunch + timedelta(minutes=max(40, min(100, rng.gauss(62, 9)))), "lunch"))
    else:
        pause = middle + timedelta(minutes=rng.randrange(-45, 45))
        candidates.append((pause, pause + timedelta(minutes=rng.randrange(10, 21)), "personal"))
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        at = login + (logout - login) * rng.random()
        candidates.append((at, at + timedelta(minutes=rng.randrange(3, 16)), "personal"))
    if rng.random() < 0.06:
        at = login + (logout - login) * rng.uniform(0.1, 0.6)
        candidates.append((at, at + timedelta(minutes=rng.randrange(30, 91)), "training"))

    # The planned break first, then the others where they fit: pauses never
    # overlap (5 minutes apart) and lie inside the session.
    gap = timedelta(minutes=5)
    accepted: list[tuple[datetime, datetime, str]] = []
    for pause_start, pause_end, reason in candidates:
        inside = login + gap <= pause_start and pause_end <= logout - gap
        if inside and all(pause_end + gap <= s or e + gap <= pause_start for s, e, _ in accepted):
            accepted.append((pause_start, pause_end, reason))
    events: list[tuple[datetime, str, str | None]] = [(login, "login", None)]
    for pause_start, pause_end, reason in accepted:
        events.append((pause_start, "pause_start", reason))
        events.append((pause_end, "pause_end", reason))
    last_pause_end = max((e for _, e, _ in accepted), default=login)
    if rng.random() < 0.03 and logout - last_pause_end > timedelta(minutes=60):
        # A dropped connection after the last pause: logged out and back in minutes later.
        drop = last_pause_end + timedelta(minutes=rng.randrange(5, 30))
        events.append((drop, "logout", None))
        events.append((drop + timedelta(minutes=rng.randrange(2, 16)), "login", None))
    if rng.random() >= 0.01:  # about 1% of sessions are never logged out
        events.append((logout, "logout", None))
    return sorted(events, key=lambda event: event[0])


def render(world: World, rng: random.Random) -> list[RawTable]:
    agents, agent_ids = _agents(world, rng)
    shifts = RawTable(
        "workforce",
        "shifts",
        SHIFT_COLUMNS,
        "Jornada workforce export: one row per scheduled agent shift.",
        redeliveries=6,
        overlap=5,
    )
    presence = RawTable(
        "workforce",
        "presence_events",
        PRESENCE_COLUMNS,
        "Jornada workforce export: one row per agent presence change (login, logout, pauses).",
        redeliveries=20,
        overlap=15,
    )
    event_number = 0
    for agent_id, day, start_hour, length, break_minutes in sorted(_schedule(world, agent_ids, rng)):
        start = local(day, start_hour)
        end = start + timedelta(hours=length)
        shift_id = f"shf_{day:%Y%m%d}_{agent_id.removeprefix('agt_')}"
        shifts.add(
            # Schedules are published on the Thursday before the shift week.
            start - timedelta(days=day.weekday() + 4),
            {
                "shift_id": shift_id,
                "agent_id": agent_id,
                "shift_date": day.isoformat(),
                "scheduled_start_at": iso(start),
                "scheduled_end_at": iso(end),
                "planned_break_minutes": str(break_minutes),
            },
        )
        for at, state, reason in _presence(start, end, break_minutes, rng):
            event_number += 1
            presence.add(
                at,
                {
                    "event_id": f"pev_{event_number:07d}",
                    "agent_id": agent_id,
                    "occurred_at": iso(at),
                    "state": state,
                    "pause_reason": reason,
                },
            )

    # Malformed rows, in known counts, that staging must quarantine: copies of
    # real rows with a new id and exactly one defect.
    start_at = world.start_at
    picks = [dict(row) for _, row in rng.sample(shifts.rows, 6)]
    for n, row in enumerate(picks[:2], start=1):
        row.update(shift_id=f"shf_x{n:03d}", scheduled_start_at="2026-08-32T08:00:00Z")
        shifts.add_malformed(start_at, row, "unparseable_timestamp")
    for n, row in enumerate(picks[2:3], start=3):
        row.update(shift_id=f"shf_x{n:03d}", planned_break_minutes="uma hora")
        shifts.add_malformed(start_at, row, "invalid_value")
    for n, row in enumerate(picks[3:4], start=4):
        row.update(shift_id=f"shf_x{n:03d}", scheduled_end_at=row["scheduled_start_at"])
        shifts.add_malformed(start_at, row, "invalid_value")
    for row in picks[4:6]:
        row.update(shift_id=None)
        shifts.add_malformed(start_at, row, "missing_id")

    picks = [dict(row) for _, row in rng.sample(presence.rows, 8)]
    for n, row in enumerate(picks, start=1):
        row["event_id"] = f"pev_x{n:05d}"
    for row in picks[:2]:
        row.update(occurred_at="2026-08-03 25:61")
        presence.add_malformed(start_at, row, "unparseable_timestamp")
    for row in picks[2:4]:
        row.update(state="on_call")
        presence.add_malformed(start_at, row, "unknown_status")
    for row in picks[4:5]:
        row.update(agent_id=None)
        presence.add_malformed(start_at, row, "invalid_value")
    for row in picks[5:6]:
        row.update(state="pause_start", pause_reason="coffee")
        presence.add_malformed(start_at, row, "invalid_value")
    for row in picks[6:8]:
        row.update(event_id="")
        presence.add_malformed(start_at, row, "missing_id")
    return [agents, shifts, presence]
