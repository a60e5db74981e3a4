"""Platform reports: Jornada's own export of each messaging platform's dashboard.

What SendGrid, the WhatsApp Cloud API (template analytics) and Twilio show
on their own dashboards per campaign and send day, copied into one layout of
the project's own, specified field by field in
models/staging/platform_reports/_platform_reports__docs.md (doc blocks
`platform_reports__format`, `platform_reports__campaign_summaries_format`).
Used downstream to detect divergence between what a platform claims and the
event-level counts of its webhooks.

Raw table `campaign_summaries`, one row per platform x campaign_id x
report_date (the local America/Sao_Paulo date the messages were sent; a
triggered journey has one row per day it sent), exported seven days after
the send day. Counts come from `world.messages` of that campaign and day,
whenever the event happened:

- sent: every message (SendGrid "requests", dropped included);
- delivered: outcome delivered;
- opens: messages with at least one open (email: unique opens, and
  SendGrid's dashboard counts machine opens too, e.g. Apple Mail Privacy
  Protection, so this is NOT comparable to a machine-open-free open count)
  or read (whatsapp); empty for sms (no such metric);
- clicks: messages with at least one click (unique clickers);
- bounces: email hard and soft bounces (drops not included), whatsapp
  failed, sms failed and undelivered;
- unsubscribes: messages followed by an opt-out (unsubscribe link, STOP
  keyword, block);
- spam_reports: email spam reports; empty for whatsapp and sms.

Planted divergences (deterministic, documented): every other row matches the
world exactly. For each channel, the first scheduled campaign (lowest
campaign number, with a fixed send time) with at least 100 delivered
messages reports `delivered` 5% low (floor of 95%); the second such email
campaign reports `opens` 10% low (floor of 90%). Every planted difference is
at least 5% of the true count, above the 2% divergence tolerance. With the
default world (seed 42, 2,000 persons, 90 days from 2026-08-03) these are:

- cmp_0001 (sendgrid, email): delivered
- cmp_0020 (whatsapp_cloud_api, whatsapp): delivered
- cmp_0030 (twilio, sms): delivered
- cmp_0002 (sendgrid, email): opens

`planted_divergences(world)` returns the list for any world.

Other planted defects: a few re-exported rows (identical, and repeated in the
next weekly file) and four malformed rows (a missing campaign id, an
unreadable export time, a non-existent report date, a count written `1.2k`).
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from jornada_gen.exports import RawTable
from jornada_gen.world import BUSINESS_TZ, Message, World

COLUMNS = [
    "report_id",
    "platform",
    "campaign_id",
    "report_date",
    "exported_at",
    "sent",
    "delivered",
    "opens",
    "clicks",
    "bounces",
    "unsubscribes",
    "spam_reports",
]

PLATFORM = {"email": "sendgrid", "whatsapp": "whatsapp_cloud_api", "sms": "twilio"}
BOUNCES = {"email": {"bounce_hard", "bounce_soft"}, "whatsapp": {"failed"}, "sms": {"failed", "undelivered"}}
MIN_DELIVERED = 100


def _local_date(at: datetime) -> date:
    return at.astimezone(BUSINESS_TZ).date()


def _true_counts(channel: str, messages: list[Message]) -> dict[str, int | None]:
    return {
        "sent": len(messages),
        "delivered": sum(m.outcome == "delivered" for m in messages),
        "opens": None if channel == "sms" else sum(bool(m.open_times) for m in messages),
        "clicks": sum(bool(m.click_times) for m in messages),
        "bounces": sum(m.outcome in BOUNCES[channel] for m in messages),
        "unsubscribes": sum(m.unsubscribed_at is not None for m in messages),
        "spam_reports": sum(m.spam_at is not None for m in messages) if channel == "email" else None,
    }


def planted_divergences(world: World) -> list[tuple[str, str, str]]:
    """(campaign_id, metric, direction) of the planted platform/event divergences."""
    delivered: dict[str, int] = defaultdict(int)
    for message in world.messages:
        delivered[message.campaign.campaign_id] += message.outcome == "delivered"
    eligible = sorted(
        (c for c in world.campaigns if c.send_at is not None and delivered[c.campaign_id] >= MIN_DELIVERED),
        key=lambda c: c.campaign_id,
    )
    planted = []
    for channel in ("email", "whatsapp", "sms"):
        first = next(c for c in eligible if c.channel == channel)
        planted.append((first.campaign_id, "delivered", "5% low"))
    second_email = [c for c in eligible if c.channel == "email"][1]
    planted.append((second_email.campaign_id, "opens", "10% low"))
    return planted


def render(world: World, rng: random.Random) -> list[RawTable]:
    table = RawTable(
        "platform_reports",
        "campaign_summaries",
        COLUMNS,
        "Jornada export of each messaging platform's own per-campaign dashboard (own format), re-exports included.",
        redeliveries=3,
        overlap=12,
    )
    groups: dict[tuple[str, date], list[Message]] = defaultdict(list)
    for message in world.messages:
        groups[(message.campaign.campaign_id, _local_date(message.sent_at))].append(message)
    planted = {(campaign_id, metric) for campaign_id, metric, _ in planted_divergences(world)}

    rows: list[tuple[datetime, dict[str, str | None]]] = []
    for (campaign_id, day), messages in groups.items():
        channel = messages[0].channel
        counts = _true_counts(channel, messages)
        if (campaign_id, "delivered") in planted:
            counts["delivered"] = math.floor((counts["delivered"] or 0) * 0.95)
        if (campaign_id, "opens") in planted:
            counts["opens"] = math.floor((counts["opens"] or 0) * 0.90)
        export_at = datetime.combine(day + timedelta(days=7), time(6), BUSINESS_TZ) + timedelta(
            minutes=rng.randrange(0, 120), seconds=rng.randrange(60)
        )
        row: dict[str, str | None] = {
            "report_id": f"rpt_{rng.getrandbits(64):016x}",
            "platform": PLATFORM[channel],
            "campaign_id": campaign_id,
            "report_date": day.isoformat(),
            "exported_at": export_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        row.update({name: None if value is None else str(value) for name, value in counts.items()})
        rows.append((export_at, row))

    # Rows in export order, so overlapping files repeat the latest exports.
    rows.sort(key=lambda item: (item[0], item[1]["campaign_id"] or ""))
    for at, row in rows:
        table.add(at, row)

    # Malformed rows, in known counts, that staging must quarantine.
    picks = rng.sample(rows, 4)
    at, row = picks[0]
    table.add_malformed(at, dict(row, campaign_id=None), "missing_id")
    at, row = picks[1]
    local = datetime.fromisoformat(row["exported_at"] or "").astimezone(BUSINESS_TZ)
    table.add_malformed(at, dict(row, exported_at=local.strftime("%d/%m/%Y %H:%M")), "unparseable_timestamp")
    at, row = picks[2]
    day = date.fromisoformat(row["report_date"] or "")
    table.add_malformed(at, dict(row, report_date=f"{day:%Y-%m}-{day.day + 31}"), "unparseable_timestamp")
    at, row = picks[3]
    table.add_malformed(at, dict(row, sent=f"{int(row['sent'] or 0) / 1000:.1f}k"), "invalid_value")
    return [table]
