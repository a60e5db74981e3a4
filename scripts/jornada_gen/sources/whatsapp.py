"""WhatsApp: WhatsApp Business Cloud API webhooks.

The Cloud API posts a `whatsapp_business_account` notification per change
(https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components,
status and message payloads in the webhooks reference). The loader flattens
`entry[].changes[].value` the way dlt does, nested objects joined with `__`:

- `statuses`: one row per `value.statuses[]` item, with `value.metadata`
  (`metadata__phone_number_id`, `metadata__display_phone_number`, the
  business's own number). `conversation` and `pricing` ride on the `sent`
  status and on one of `delivered` or `read` (conversation-based pricing,
  `pricing_model` CBP); `conversation.expiration_timestamp` only on `sent`.
  A failed message carries its first `errors[]` item as `errors__*`. The
  `biz_opaque_callback_data` our sender sets on every send
  (`campaign_id=cmp_0007;ab_variant=B`) is echoed on every status.
  Timestamps are epoch seconds as text. As the reference documents, a
  message read while the chat is open gets no `delivered` webhook (about 5%
  of read messages here), and a few messages have `delivered` and `read` at
  the same second.
- `messages`: one row per inbound `value.messages[]` item (replies), with the
  sender's `value.contacts[]` entry (`contacts__wa_id`,
  `contacts__profile__name`). Quick-reply button taps are `type` button
  (`button__text`, `button__payload`) and always carry `context`; typed
  replies are `type` text and carry `context` only when the customer swiped
  to reply.

Simplification: real wamids are base64 of a protobuf that embeds the
recipient's number; these are random base64 after the usual prefix.
"""

from __future__ import annotations

import base64
import random
from datetime import datetime, timedelta

from jornada_gen.exports import RawTable
from jornada_gen.identifiers import whatsapp_id
from jornada_gen.world import Message, World

STATUS_COLUMNS = [
    "id",
    "status",
    "timestamp",
    "recipient_id",
    "biz_opaque_callback_data",
    "conversation__id",
    "conversation__expiration_timestamp",
    "conversation__origin__type",
    "pricing__billable",
    "pricing__pricing_model",
    "pricing__category",
    "errors__code",
    "errors__title",
    "errors__message",
    "errors__error_data__details",
    "metadata__display_phone_number",
    "metadata__phone_number_id",
]

MESSAGE_COLUMNS = [
    "id",
    "from",
    "timestamp",
    "type",
    "text__body",
    "button__text",
    "button__payload",
    "context__from",
    "context__id",
    "contacts__wa_id",
    "contacts__profile__name",
    "metadata__display_phone_number",
    "metadata__phone_number_id",
]

DISPLAY_PHONE_NUMBER = "551140045280"  # the business's WhatsApp number (not a customer)
PHONE_NUMBER_ID = "109873265431902"

ERRORS = {
    "131026": ("Message undeliverable", "Unable to deliver message. Reasons can include: the recipient's phone number "
               "is not a WhatsApp phone number; the recipient has not accepted the new Terms of Service."),
    "131049": ("This message was not delivered to maintain healthy ecosystem engagement.",
               "In order to maintain a healthy ecosystem engagement, the message failed to be delivered."),
    "131050": ("User has stopped marketing messages", "Unable to deliver the marketing message because the "
               "user has chosen to stop receiving marketing messages from this business."),
}  # fmt: skip

Row = dict[str, str | None]


def wamid(rng: random.Random) -> str:
    """A Cloud API message id: `wamid.` and base64 text."""
    payload = rng.getrandbits(8 * 36).to_bytes(36, "big")
    return "wamid.HBgM" + base64.b64encode(payload).decode()


def epoch(at: datetime) -> str:
    return str(int(at.timestamp()))


def _statuses(
    message: Message, message_wamid: str, conversation: tuple[str, datetime], error_code: str | None, rng: random.Random
) -> list[tuple[datetime, Row]]:
    """The status webhooks one outbound message produced."""
    base: Row = {
        "id": message_wamid,
        "recipient_id": whatsapp_id(message.person),
        "biz_opaque_callback_data": f"campaign_id={message.campaign.campaign_id};ab_variant={message.variant}",
        "metadata__display_phone_number": DISPLAY_PHONE_NUMBER,
        "metadata__phone_number_id": PHONE_NUMBER_ID,
    }
    conversation_id, expires_at = conversation
    priced = {
        "conversation__id": conversation_id,
        "conversation__origin__type": "marketing",
        "pricing__billable": "true",
        "pricing__pricing_model": "CBP",
        "pricing__category": "marketing",
    }
    if message.outcome == "failed":
        at = message.sent_at + timedelta(seconds=rng.randrange(1, 30))
        assert error_code is not None
        title, details = ERRORS[error_code]
        row = dict(
            base,
            status="failed",
            timestamp=epoch(at),
            errors__code=error_code,
            errors__title=title,
            errors__message=title,
            errors__error_data__details=details,
        )
        return [(at, row)]
    sent_at = message.sent_at + timedelta(seconds=rng.randrange(0, 3))
    events = [(sent_at, dict(base, status="sent", timestamp=epoch(sent_at), **priced))]
    events[0][1]["conversation__expiration_timestamp"] = epoch(expires_at)
    assert message.delivered_at is not None
    read_at = message.open_times[0] if message.open_times else None
    delivered_at: datetime | None = message.delivered_at
    roll = rng.random()
    if read_at is not None and roll < 0.05:
        delivered_at = None  # read in the open chat: no delivered webhook
    elif read_at is not None and roll < 0.08:
        delivered_at = read_at  # delivered and read reported at the same second
    if delivered_at is not None:
        events.append((delivered_at, dict(base, status="delivered", timestamp=epoch(delivered_at), **priced)))
    if read_at is not None:
        fields = priced if delivered_at is None else {}
        events.append((read_at, dict(base, status="read", timestamp=epoch(read_at), **fields)))
    return events


def _reply(message: Message, message_wamid: str, rng: random.Random) -> tuple[datetime, Row]:
    """The inbound message a reply to `message` arrived as."""
    assert message.reply_at is not None
    wa_id = whatsapp_id(message.person)
    row: Row = {
        "id": wamid(rng),
        "from": wa_id,
        "timestamp": epoch(message.reply_at),
        "contacts__wa_id": wa_id,
        "contacts__profile__name": message.person.first_name
        if rng.random() < 0.5
        else f"{message.person.first_name} {message.person.last_name}",
        "metadata__display_phone_number": DISPLAY_PHONE_NUMBER,
        "metadata__phone_number_id": PHONE_NUMBER_ID,
    }
    if message.reply_text == "Quero saber mais":
        row.update(type="button", button__text=message.reply_text, button__payload="QUERO_SABER_MAIS")
        row.update(context__from=DISPLAY_PHONE_NUMBER, context__id=message_wamid)
    else:
        row.update(type="text", text__body=message.reply_text)
        if rng.random() < 0.3:
            row.update(context__from=DISPLAY_PHONE_NUMBER, context__id=message_wamid)
    return message.reply_at, row


def render(world: World, rng: random.Random) -> list[RawTable]:
    statuses = RawTable(
        "whatsapp",
        "statuses",
        STATUS_COLUMNS,
        "WhatsApp Cloud API status webhooks (value.statuses[] flattened), one row per delivery.",
        redeliveries=60,
        overlap=40,
    )
    inbound = RawTable(
        "whatsapp",
        "messages",
        MESSAGE_COLUMNS,
        "WhatsApp Cloud API inbound message webhooks (value.messages[] with value.contacts[]), one row per delivery.",
        redeliveries=6,
        overlap=4,
    )
    messages = sorted((m for m in world.messages if m.channel == "whatsapp"), key=lambda m: m.sent_at)
    opted_out: dict[int, datetime] = {}  # person key -> when they sent a stop keyword
    conversations: dict[int, tuple[str, datetime]] = {}  # person key -> open marketing conversation
    for message in messages:
        message_wamid = wamid(rng)
        key = message.person.key
        error_code = None
        if message.outcome == "failed":
            if key in opted_out and opted_out[key] < message.sent_at:
                error_code = "131050"
            else:
                error_code = rng.choices(["131026", "131049"], [80, 20])[0]
        else:
            current = conversations.get(key)
            if current is None or current[1] <= message.sent_at:
                expires = message.sent_at + timedelta(hours=24)
                current = (f"{rng.getrandbits(128):032x}", expires.replace(second=0, microsecond=0))
                conversations[key] = current
        conversation = conversations.get(key, ("", message.sent_at))
        for at, row in _statuses(message, message_wamid, conversation, error_code, rng):
            statuses.add(at, row)
        if message.reply_at is not None:
            inbound.add(*_reply(message, message_wamid, rng))
        if message.unsubscribed_at is not None:
            opted_out.setdefault(key, message.unsubscribed_at)

    # Malformed rows, in known counts, that staging must quarantine.
    samples = [row for _, row in rng.sample(statuses.rows, 9)]
    for row in samples[:3]:
        statuses.add_malformed(world.start_at, dict(row, id=None), "missing_id")
    for row in samples[3:5]:
        statuses.add_malformed(
            world.start_at, dict(row, id=wamid(rng), timestamp="17545O2400"), "unparseable_timestamp"
        )
    for row in samples[5:7]:
        statuses.add_malformed(world.start_at, dict(row, id=wamid(rng), status="pending"), "unknown_status")
    for row in samples[7:9]:
        priced = dict(row, id=wamid(rng), pricing__billable="yes", pricing__pricing_model="CBP")
        statuses.add_malformed(world.start_at, priced, "invalid_value")
    replies = [row for _, row in rng.sample(inbound.rows, 6)]
    for row in replies[:2]:
        inbound.add_malformed(world.start_at, dict(row, id=""), "missing_id")
    for row in replies[2:4]:
        inbound.add_malformed(
            world.start_at, dict(row, id=wamid(rng), timestamp="2026-08-10 14:03"), "unparseable_timestamp"
        )
    for row in replies[4:6]:
        broken = dict(row, id=wamid(rng), **{"from": "55119ABC"}, contacts__wa_id="55119ABC")
        inbound.add_malformed(world.start_at, broken, "invalid_value")
    return [statuses, inbound]
