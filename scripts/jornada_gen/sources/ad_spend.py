"""Spend: Jornada's own daily spend export format, one export per platform.

There is no vendor behind this format: each platform's billing data
(SendGrid, WhatsApp Cloud API, Twilio, Meta Ads, Google Ads, Instagram
boosts) is written by our exporter into one shared layout, specified field by
field in models/staging/ad_spend/_ad_spend__docs.md (doc blocks
`ad_spend__format`, `ad_spend__daily_spend_format`). Conventions: every value
as text, snake_case names, `spend_date` a local (America/Sao_Paulo) date
`YYYY-MM-DD`, `amount` decimal text with a dot and two decimals, `currency`
ISO 4217.

Raw table `daily_spend`, one row per spend_date x platform x campaign_id,
rendered from the world:

- sendgrid / email: every email a campaign sent that local day
  (`messages_sent`, dropped ones included: SendGrid bills requests), at
  BRL 0.004 per email;
- twilio / sms: every SMS sent that day (`messages_sent`); billed per segment
  at BRL 0.07, one segment per message (the demo's texts are one segment),
  messages that `failed` before reaching the carrier are free;
- whatsapp_cloud_api / whatsapp: `billable_conversations` = messages of the
  campaign delivered that day, at BRL 0.35 per marketing conversation;
- meta_ads and google_ads / ads: one row per day for the ad campaigns that
  appear in the world's web sessions (`ads_meta_conversao`,
  `ads_google_search`), BRL 300-900 a day; `impressions` follow from a CPM
  (BRL 12-30 on Meta, 45-90 on Google search) and `clicks` are a little
  above the web sessions those ads brought that day (so CTR and cost per
  click look poor: the demo world is small and its ad traffic with it);
- instagram / social: boosted posts on Fridays and Saturdays
  (`campaign_id` `instagram_boost`), BRL 40-120 a day.

Planted: five Google Ads days exported from the USD-billed account
(`currency` USD, amount in dollars, to be converted by the FX seed; they are
valid rows), re-exported days (the last rows of each weekly file exported
again in the next one), and six malformed rows: two negative amounts (a
credit line written as a negative spend), two unreadable dates (pt-BR
`DD/MM/YYYY` and a non-existent day) and two messaging rows with an empty
campaign id.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from jornada_gen.exports import RawTable
from jornada_gen.world import BUSINESS_TZ, World

COLUMNS = [
    "spend_date",
    "platform",
    "channel",
    "campaign_id",
    "amount",
    "currency",
    "impressions",
    "clicks",
    "billable_conversations",
    "messages_sent",
]

PLATFORM = {"email": "sendgrid", "whatsapp": "whatsapp_cloud_api", "sms": "twilio"}
EMAIL_PRICE = Decimal("0.004")
SMS_SEGMENT_PRICE = Decimal("0.07")
WHATSAPP_CONVERSATION_PRICE = Decimal("0.35")
ADS = [("meta_ads", "ads_meta_conversao"), ("google_ads", "ads_google_search")]
USD_BRL = Decimal("5.40")  # only to write plausible dollar amounts; staging keeps the currency


def money(amount: Decimal) -> str:
    return str(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def local_date(at: datetime) -> date:
    return at.astimezone(BUSINESS_TZ).date()


def export_time(day: date, rng: random.Random) -> datetime:
    """The platform export of a day runs the next morning (local time)."""
    midnight = datetime.combine(day + timedelta(days=1), time(0), BUSINESS_TZ)
    return midnight + timedelta(minutes=rng.randrange(120, 480))


def _row(day: date, platform: str, channel: str, campaign_id: str, amount: Decimal, **counts: int) -> dict:
    row: dict[str, str | None] = dict.fromkeys(COLUMNS)
    row.update(
        spend_date=day.isoformat(),
        platform=platform,
        channel=channel,
        campaign_id=campaign_id,
        amount=money(amount),
        currency="BRL",
    )
    for name, value in counts.items():
        row[name] = str(value)
    return row


def render(world: World, rng: random.Random) -> list[RawTable]:
    table = RawTable(
        "ad_spend",
        "daily_spend",
        COLUMNS,
        "Jornada daily spend export (own format): one row per local day, platform and campaign, re-exports included.",
        redeliveries=0,
        overlap=26,
    )
    rows: list[tuple[date, dict]] = []

    # Messaging: derived from the messages each campaign sent that local day.
    sent: Counter[tuple[date, str, str]] = Counter()
    charged: Counter[tuple[date, str, str]] = Counter()
    for message in world.messages:
        key = (local_date(message.sent_at), message.channel, message.campaign.campaign_id)
        sent[key] += 1
        billed = message.outcome != "failed" if message.channel == "sms" else message.outcome == "delivered"
        if message.channel != "email" and billed:
            charged[key] += 1
    for (day, channel, campaign_id), count in sorted(sent.items()):
        platform = PLATFORM[channel]
        if channel == "email":
            row = _row(day, platform, channel, campaign_id, count * EMAIL_PRICE, messages_sent=count)
        elif channel == "sms":
            segments = charged[(day, channel, campaign_id)]
            row = _row(day, platform, channel, campaign_id, segments * SMS_SEGMENT_PRICE, messages_sent=count)
        else:
            conversations = charged[(day, channel, campaign_id)]
            row = _row(
                day,
                platform,
                channel,
                campaign_id,
                conversations * WHATSAPP_CONVERSATION_PRICE,
                billable_conversations=conversations,
            )
        rows.append((day, row))

    # Paid ads: daily budgets; clicks a little above the sessions the ads brought.
    sessions: dict[str, Counter[date]] = defaultdict(Counter)
    for session in world.sessions:
        if session.campaign in dict(ADS).values():
            sessions[session.campaign][local_date(session.started_at)] += 1
    usd_days = set(rng.sample(range(world.days), 5))
    for offset in range(world.days):
        day = world.start + timedelta(days=offset)
        for platform, campaign_id in ADS:
            amount = Decimal(rng.randrange(30_000, 90_000)) / 100
            clicks = math.ceil(sessions[campaign_id][day] * rng.uniform(1.1, 1.45)) + rng.randrange(0, 4)
            cpm = rng.uniform(12, 30) if platform == "meta_ads" else rng.uniform(45, 90)
            impressions = round(float(amount) / cpm * 1000)
            row = _row(day, platform, "ads", campaign_id, amount, impressions=impressions, clicks=clicks)
            if platform == "google_ads" and offset in usd_days:
                row.update(amount=money(amount / USD_BRL), currency="USD")
            rows.append((day, row))
        if day.weekday() in (4, 5):
            amount = Decimal(rng.randrange(4_000, 12_000)) / 100
            impressions = int(amount * rng.randrange(80, 150))
            clicks = round(impressions * rng.uniform(0.008, 0.015))
            rows.append(
                (
                    day,
                    _row(day, "instagram", "social", "instagram_boost", amount, impressions=impressions, clicks=clicks),
                )
            )

    # Rows in export order (day by day), so overlapping files repeat the latest days.
    rows.sort(key=lambda item: (item[0], item[1]["platform"], item[1]["campaign_id"]))
    for day, row in rows:
        table.add(export_time(day, rng), row)

    # Malformed rows, in known counts, that staging must quarantine.
    ads_rows = [(at, row) for at, row in table.rows if row["channel"] == "ads"]
    messaging = [(at, row) for at, row in table.rows if row["channel"] in PLATFORM]
    for at, row in rng.sample(ads_rows, 2):
        table.add_malformed(at, dict(row, amount="-" + (row["amount"] or "")), "negative_amount")
    at, row = rng.choice(messaging)
    day = date.fromisoformat(row["spend_date"] or "")
    table.add_malformed(at, dict(row, spend_date=day.strftime("%d/%m/%Y")), "unparseable_timestamp")
    at, row = rng.choice(messaging)
    day = date.fromisoformat(row["spend_date"] or "")
    table.add_malformed(at, dict(row, spend_date=f"{day:%Y-%m}-{day.day + 31}"), "unparseable_timestamp")
    for at, row in rng.sample(messaging, 2):
        table.add_malformed(at, dict(row, campaign_id=None), "missing_id")
    return [table]
