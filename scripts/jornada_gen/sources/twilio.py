"""SMS: Twilio Programmable Messaging.

Two raw tables, fields as Twilio writes them, PascalCase callback parameters
normalised to snake_case the way dlt does (MessageSid -> message_sid):

- `messages`: the Message resource list export
  (https://www.twilio.com/docs/messaging/api/message-resource), one row per
  message: outbound campaign SMS (`direction` outbound-api, final `status`
  delivered, undelivered or failed) and the customers' inbound replies
  (`direction` inbound, `status` received), STOP/SAIR/PARAR included.
  Dates are RFC 2822 (`Mon, 03 Aug 2026 12:00:00 +0000`); `price` is the
  negative decimal text Twilio reports for a charge, in `price_unit` BRL
  (null on failed messages, which Twilio does not charge). Outbound `to` is
  the number as our CRM holds it, in E.164 (some without the ninth digit);
  inbound `from` is the number the carrier reports. Our sender number
  appears as outbound `from` and inbound `to`.
- `status_callbacks`: one row per StatusCallback POST
  (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status).
  Messages go through a Messaging Service, so the initial `accepted` status
  gets no callback; then `queued`, `sent` and `delivered` or `undelivered`,
  or `failed`. `raw_dlr_done_date` (carrier delivery receipt, YYMMDDhhmm,
  UTC) comes on delivered and undelivered callbacks. Our sender appends
  `campaign_id` and `ab_variant` to the StatusCallback URL; the loader stores
  them as `callback_params__campaign_id` / `callback_params__ab_variant`.
  Twilio posts no event time: the loader's `_loaded_at` is the only other
  clock.

Planted: the status callbacks of the world's last failed and last
undelivered outbound SMS never arrived (our callback endpoint was down).
The Message resources say they were sent and failed, but nothing carries
their campaign: the warehouse counts them in the SMS totals under no
campaign. `callbacks_lost(world)` returns their message ids.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from email.utils import format_datetime

from jornada_gen.exports import RawTable
from jornada_gen.identifiers import phone_as_written
from jornada_gen.world import Message, Person, World

MESSAGE_COLUMNS = [
    "sid",
    "account_sid",
    "messaging_service_sid",
    "from",
    "to",
    "body",
    "status",
    "direction",
    "num_segments",
    "num_media",
    "price",
    "price_unit",
    "error_code",
    "error_message",
    "date_created",
    "date_sent",
    "date_updated",
    "api_version",
    "uri",
]

CALLBACK_COLUMNS = [
    "message_sid",
    "message_status",
    "error_code",
    "to",
    "from",
    "account_sid",
    "messaging_service_sid",
    "sms_sid",
    "sms_status",
    "api_version",
    "raw_dlr_done_date",
    "callback_params__campaign_id",
    "callback_params__ab_variant",
]

API_VERSION = "2010-04-01"
SENDER_NUMBER = "+551130045281"  # the business's own sender number (not a customer)
PRICE_PER_SEGMENT = 0.33  # BRL
INBOUND_PRICE = "-0.0400"

UNDELIVERED = {
    "30003": "Unreachable destination handset",
    "30005": "Unknown destination handset",
    "30006": "Landline or unreachable carrier",
    "30007": "Message filtered",
    "30008": "Unknown error",
}
FAILED = {
    "30004": "Message blocked",
    "30001": "Queue overflow",
    "21610": "Attempt to send to unsubscribed recipient",
}

# GSM 03.38 basic character set: bodies using only these take 160 chars per segment.
GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)

Row = dict[str, str | None]


def rfc2822(at: datetime) -> str:
    return format_datetime(at)


def segments(body: str) -> int:
    single, multi = (160, 153) if set(body) <= GSM7 else (70, 67)
    return 1 if len(body) <= single else -(-len(body) // multi)


def e164_as_held(person: Person, rng: random.Random) -> str:
    """The person's number as our CRM holds it, sent to Twilio in E.164.

    Twilio only takes E.164, so a formatted spelling is reduced to digits;
    a number stored without the ninth digit stays without it.
    """
    digits = "".join(ch for ch in phone_as_written(person, rng) if ch.isdigit())
    if len(digits) in (12, 13) and digits.startswith("55"):
        digits = digits[2:]
    return f"+55{digits}"


def outbound_body(message: Message) -> str:
    campaign = message.campaign
    link = f"https://jornadacafe.com.br/ofertas?utm_source=sms&utm_medium=messaging&utm_campaign={campaign.campaign_id}"
    return f"Jornada Café: {campaign.subject}. {link} Resp. SAIR p/ cancelar"


class Twilio:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.account_sid = "AC" + self.hex32()
        self.service_sid = "MG" + self.hex32()

    def hex32(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def base(self, sid: str) -> Row:
        return {
            "sid": sid,
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "uri": f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{sid}.json",
            "num_media": "0",
        }

    def outbound(
        self, message: Message, error_code: str | None
    ) -> tuple[tuple[datetime, Row], list[tuple[datetime, Row]]]:
        """The Message resource of one campaign SMS and the status callbacks it produced."""
        rng = self.rng
        sid = "SM" + self.hex32()
        to = e164_as_held(message.person, rng)
        body = outbound_body(message)
        n_segments = segments(body)
        created = message.sent_at
        queued_at = created + timedelta(milliseconds=rng.randrange(200, 2000))
        callback: Row = {
            "message_sid": sid,
            "sms_sid": sid,
            "to": to,
            "from": SENDER_NUMBER,
            "account_sid": self.account_sid,
            "messaging_service_sid": self.service_sid,
            "api_version": API_VERSION,
            "callback_params__campaign_id": message.campaign.campaign_id,
            "callback_params__ab_variant": message.variant,
        }
        callbacks: list[tuple[datetime, Row]] = []

        def post(at: datetime, status: str, **fields: str | None) -> None:
            callbacks.append((at, dict(callback, message_status=status, sms_status=status, **fields)))

        row = dict(
            self.base(sid),
            messaging_service_sid=self.service_sid,
            to=to,
            body=body,
            direction="outbound-api",
            num_segments=str(n_segments),
            price_unit="BRL",
            date_created=rfc2822(created),
            **{"from": SENDER_NUMBER},
        )
        if message.outcome == "failed":
            assert error_code is not None
            failed_at = queued_at + timedelta(seconds=rng.randrange(1, 5))
            if error_code != "21610":
                post(queued_at, "queued")
            post(failed_at, "failed", error_code=error_code)
            row.update(status="failed", error_code=error_code, error_message=FAILED[error_code])
            row.update(date_updated=rfc2822(failed_at))
            return (failed_at, row), callbacks
        sent_at = queued_at + timedelta(seconds=rng.randrange(1, 4))
        post(queued_at, "queued")
        post(sent_at, "sent")
        row.update(date_sent=rfc2822(sent_at), price=f"-{PRICE_PER_SEGMENT * n_segments:.4f}")
        if message.outcome == "undelivered":
            done_at = sent_at + timedelta(seconds=rng.randrange(20, 3600))
            code = rng.choice(sorted(UNDELIVERED))
            post(done_at, "undelivered", error_code=code, raw_dlr_done_date=f"{done_at:%y%m%d%H%M}")
            row.update(status="undelivered", error_code=code, error_message=UNDELIVERED[code])
        else:
            assert message.delivered_at is not None
            done_at = max(message.delivered_at, sent_at)
            post(done_at, "delivered", raw_dlr_done_date=f"{done_at:%y%m%d%H%M}")
            row.update(status="delivered")
        row.update(date_updated=rfc2822(done_at))
        return (done_at, row), callbacks

    def inbound(self, message: Message) -> tuple[datetime, Row]:
        """A customer's reply to a campaign SMS, as an inbound Message resource."""
        assert message.reply_at is not None
        sid = "SM" + self.hex32()
        at = message.reply_at
        row = dict(
            self.base(sid),
            messaging_service_sid=self.service_sid,
            to=SENDER_NUMBER,
            body=message.reply_text,
            status="received",
            direction="inbound",
            num_segments=str(segments(message.reply_text)),
            price=INBOUND_PRICE,
            price_unit="BRL",
            date_created=rfc2822(at),
            date_sent=rfc2822(at),
            date_updated=rfc2822(at),
            **{"from": message.person.phone},
        )
        return at, row


def callbacks_lost(world: World) -> set[str]:
    """Message ids of the outbound SMS whose status callbacks never arrived: the last failed and last undelivered."""
    lost = set()
    for outcome in ("failed", "undelivered"):
        sent = [m for m in world.messages if m.channel == "sms" and m.outcome == outcome]
        if sent:
            lost.add(max(sent, key=lambda m: (m.sent_at, m.message_id)).message_id)
    return lost


def render(world: World, rng: random.Random) -> list[RawTable]:
    messages = RawTable(
        "twilio",
        "messages",
        MESSAGE_COLUMNS,
        "Twilio Message resources (list export), outbound SMS and inbound replies, one row per message per export.",
        redeliveries=10,
        overlap=30,
    )
    callbacks = RawTable(
        "twilio",
        "status_callbacks",
        CALLBACK_COLUMNS,
        "Twilio StatusCallback requests for outbound SMS, one row per POST (re-deliveries included).",
        redeliveries=50,
        overlap=30,
    )
    twilio = Twilio(rng)
    lost = callbacks_lost(world)
    opted_out: dict[int, datetime] = {}  # person key -> when they texted a stop keyword
    for message in sorted((m for m in world.messages if m.channel == "sms"), key=lambda m: m.sent_at):
        error_code = None
        if message.outcome == "failed":
            key = message.person.key
            if key in opted_out and opted_out[key] < message.sent_at:
                error_code = "21610"
            else:
                error_code = rng.choices(["30004", "30001"], [80, 20])[0]
        resource, posts = twilio.outbound(message, error_code)
        messages.add(*resource)
        for at, row in posts:
            if message.message_id not in lost:
                callbacks.add(at, row)
        if message.reply_at is not None:
            messages.add(*twilio.inbound(message))
        if message.unsubscribed_at is not None:
            opted_out.setdefault(message.person.key, message.unsubscribed_at)

    # Malformed rows, in known counts, that staging must quarantine.
    samples = [row for _, row in rng.sample(messages.rows, 8)]
    for row in samples[:2]:
        messages.add_malformed(world.start_at, dict(row, sid=None), "missing_id")
    defects = [
        ({"date_created": "03/08/2026 14:05"}, "unparseable_timestamp"),
        ({"status": "pending"}, "unknown_status"),
        ({"num_segments": "two"}, "invalid_value"),
    ]
    for row, (fields, reason) in zip(samples[2:], [d for d in defects for _ in range(2)], strict=True):
        sid = "SM" + twilio.hex32()
        messages.add_malformed(world.start_at, {**row, **twilio.base(sid), **fields}, reason)
    posted = [row for _, row in rng.sample(callbacks.rows, 6)]
    for row in posted[:2]:
        callbacks.add_malformed(world.start_at, dict(row, message_sid="", sms_sid=""), "missing_id")
    for row in posted[2:4]:
        sid = "SM" + twilio.hex32()
        bad = dict(row, message_sid=sid, sms_sid=sid, message_status="delivered", sms_status="delivered")
        bad.update(raw_dlr_done_date="26O8031205", error_code=None)
        callbacks.add_malformed(world.start_at, bad, "unparseable_timestamp")
    for row in posted[4:6]:
        sid = "SM" + twilio.hex32()
        bad = dict(row, message_sid=sid, sms_sid=sid, message_status="delivery_unknown", sms_status="delivery_unknown")
        callbacks.add_malformed(world.start_at, bad, "unknown_status")
    return [messages, callbacks]
