"""Email: SendGrid Event Webhook.

One row per webhook event, fields as SendGrid posts them
(https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event),
with `smtp-id` flattened to `smtp_id` the way dlt normalises names and the
custom args our sender sets on every message (`campaign_id`, `ab_variant`)
at the top level, where SendGrid puts custom args. `timestamp` is epoch
seconds; `category` is a JSON array.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta

from jornada_gen.exports import RawTable
from jornada_gen.identifiers import email_as_written
from jornada_gen.world import Message, World

COLUMNS = [
    "email",
    "timestamp",
    "smtp_id",
    "event",
    "category",
    "sg_event_id",
    "sg_message_id",
    "response",
    "attempt",
    "reason",
    "status",
    "type",
    "bounce_classification",
    "url",
    "useragent",
    "ip",
    "tls",
    "sg_machine_open",
    "asm_group_id",
    "campaign_id",
    "ab_variant",
]

USER_AGENTS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (Linux; Android 15; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0 Mobile",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0 Safari/537.36",
]


def _event_id(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def _events(message: Message, rng: random.Random) -> list[tuple[datetime, dict[str, str | None]]]:
    """The webhook events one email produced, in the order they happened."""
    smtp_id = f"<{message.message_id}.{rng.getrandbits(32):08x}@ismtpd0001p1gru1.sendgrid.net>"
    base = {
        "email": email_as_written(message.person, rng),
        "smtp_id": smtp_id,
        "category": json.dumps([message.campaign.journey, message.campaign.campaign_id]),
        "sg_message_id": f"{message.message_id}.filterdrecv-{rng.getrandbits(24):06x}-1-0",
        "asm_group_id": "21107",
        "campaign_id": message.campaign.campaign_id,
        "ab_variant": message.variant,
    }
    events: list[tuple[datetime, dict[str, str | None]]] = []

    def emit(at: datetime, event: str, **fields: str | None) -> None:
        row = dict(base, event=event, timestamp=str(int(at.timestamp())), sg_event_id=_event_id(rng), **fields)
        events.append((at, row))

    sent = message.sent_at
    if message.outcome == "dropped":
        emit(sent, "dropped", reason="Bounced Address", status="5.0.0")
        return events
    emit(sent, "processed")
    if message.outcome == "bounce_hard":
        emit(
            sent + timedelta(seconds=rng.randrange(2, 60)),
            "bounce",
            type="bounce",
            reason="550 5.1.1 The email account that you tried to reach does not exist.",
            status="5.1.1",
            bounce_classification="Invalid Address",
        )
        return events
    if message.outcome == "bounce_soft":
        emit(
            sent + timedelta(seconds=rng.randrange(2, 60)),
            "bounce",
            type="blocked",
            reason="452 4.2.2 The email account that you tried to reach is over quota.",
            status="4.2.2",
            bounce_classification="Mailbox Unavailable",
        )
        return events
    assert message.delivered_at is not None
    if message.deferred:
        emit(sent + timedelta(seconds=30), "deferred", response="400 try again later", attempt="1")
    emit(message.delivered_at, "delivered", response="250 2.0.0 OK", tls="1", ip="168.245.12.10")
    for at in message.open_times:
        emit(
            at,
            "open",
            useragent=rng.choice(USER_AGENTS),
            ip=f"177.{rng.randrange(256)}.{rng.randrange(256)}.1",
            sg_machine_open="true" if message.machine_open else "false",
        )
    for at in message.click_times:
        emit(at, "click", url=message.click_url, useragent=rng.choice(USER_AGENTS))
    if message.unsubscribed_at is not None:
        kind = "group_unsubscribe" if rng.random() < 0.5 else "unsubscribe"
        emit(message.unsubscribed_at, kind)
    if message.spam_at is not None:
        emit(message.spam_at, "spamreport")
    return events


def render(world: World, rng: random.Random) -> list[RawTable]:
    table = RawTable(
        "sendgrid",
        "events",
        COLUMNS,
        "SendGrid Event Webhook events, one row per delivery (re-deliveries included).",
        redeliveries=120,
        overlap=80,
    )
    for message in world.messages:
        if message.channel != "email":
            continue
        for at, row in _events(message, rng):
            table.add(at, row)
    # Malformed rows, in known counts, that staging must quarantine.
    samples = [row for _, row in rng.sample(table.rows, 12)]
    for row in samples[:4]:
        table.add_malformed(
            world.start_at, dict(row, sg_event_id=_event_id(rng), timestamp="1.7e9x"), "unparseable_timestamp"
        )
    for row in samples[4:7]:
        table.add_malformed(world.start_at, dict(row, sg_event_id=_event_id(rng), event="opened"), "unknown_status")
    for row in samples[7:12]:
        table.add_malformed(world.start_at, dict(row, sg_event_id=None), "missing_id")
    return [table]
