"""Campaign catalog: Jornada's own export format (the marketing team's catalog).

There is no vendor behind this source: the format is the project's own and is
specified field by field in models/staging/campaigns/_campaigns__docs.md
(doc blocks `campaigns__format`, `campaigns__campaigns_format`,
`campaigns__variants_format`). Conventions: CSV/Parquet/NDJSON with every
value as text, snake_case field names, ISO 8601 UTC timestamps ending in `Z`,
booleans `true`/`false`, empty fields for "not applicable".

Two raw tables, both rendered from `world.campaigns`:

- `campaigns`: one row per campaign. `is_triggered` is true for journeys
  without a fixed send time (cart_recovery, welcome); their
  `scheduled_send_at` and `send_hour_local` are empty. Status is what the
  world says happened: scheduled campaigns were all sent inside the window
  (`sent`); triggered journeys are `active`, or `draft` when the world never
  fired them (the SMS cart-recovery journey).
- `variants`: one row per campaign and A/B variant; A is the control; the
  world assigns variants uniformly, so allocation is 0.5/0.5 (or 1.0 for a
  campaign without a test).

The export is incremental: a campaign (and its variants) is exported when it
reaches its current status (the send for `sent`, creation for triggered
journeys), so the loader's weekly files split the catalog. Planted defects:
a few identical re-exports and overlapping rows, and malformed rows (a
missing campaign id, an unreadable send time, an unknown status; a missing
campaign id and a pt-BR decimal comma in `allocation_share`).
"""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import datetime, timedelta

from jornada_gen.exports import RawTable
from jornada_gen.world import BUSINESS_TZ, Campaign, World, local_business_time

CAMPAIGN_COLUMNS = [
    "campaign_id",
    "campaign_name",
    "channel",
    "journey",
    "is_triggered",
    "scheduled_send_at",
    "send_hour_local",
    "subject_or_template",
    "owner",
    "created_at",
    "status",
]

VARIANT_COLUMNS = [
    "campaign_id",
    "variant",
    "is_control",
    "allocation_share",
    "description",
]

# Team handles (not persons): who owns each journey in the marketing team.
OWNERS = {
    "promo": "growth_team",
    "newsletter": "content_team",
    "win_back": "crm_team",
    "cart_recovery": "crm_team",
    "welcome": "lifecycle_team",
    "post_purchase": "lifecycle_team",
}

VARIANT_B_CHANGE = {
    "email": "subject line with the first name and an emoji",
    "whatsapp": "template with a quick-reply button instead of a link",
    "sms": "shorter text with the coupon code first",
}


def _iso(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def template_name(text: str, channel: str) -> str:
    """WhatsApp/SMS template name: lowercase ASCII letters, digits and underscores."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "_", plain).strip("_")
    return f"{channel}_{slug}_v1"


def _status(campaign: Campaign, sent_campaigns: set[str]) -> str:
    if campaign.send_at is not None:
        return "sent"
    return "active" if campaign.campaign_id in sent_campaigns else "draft"


def render(world: World, rng: random.Random) -> list[RawTable]:
    campaigns = RawTable(
        "campaigns",
        "campaigns",
        CAMPAIGN_COLUMNS,
        "Jornada campaign catalog (own format): one row per campaign export (re-exports included).",
        redeliveries=2,
        overlap=3,
    )
    variants = RawTable(
        "campaigns",
        "variants",
        VARIANT_COLUMNS,
        "Jornada campaign catalog (own format): one row per campaign and A/B variant export.",
        redeliveries=2,
        overlap=3,
    )
    sent_campaigns = {message.campaign.campaign_id for message in world.messages}
    rendered: list[tuple[datetime, Campaign, dict[str, str | None]]] = []
    for campaign in world.campaigns:
        triggered = campaign.send_at is None
        if triggered:
            created_at = local_business_time(rng, world.start - timedelta(days=rng.randrange(120, 400)))
            exported_at = created_at
        else:
            assert campaign.send_at is not None
            created_at = local_business_time(rng, campaign.send_at.astimezone(BUSINESS_TZ).date())
            created_at -= timedelta(days=rng.randrange(3, 12))
            exported_at = campaign.send_at
        subject = campaign.subject if campaign.channel == "email" else template_name(campaign.subject, campaign.channel)
        row: dict[str, str | None] = {
            "campaign_id": campaign.campaign_id,
            "campaign_name": campaign.name,
            "channel": campaign.channel,
            "journey": campaign.journey,
            "is_triggered": "true" if triggered else "false",
            "scheduled_send_at": None if campaign.send_at is None else _iso(campaign.send_at),
            "send_hour_local": None if campaign.send_at is None else str(campaign.send_at.astimezone(BUSINESS_TZ).hour),
            "subject_or_template": subject,
            "owner": OWNERS[campaign.journey],
            "created_at": _iso(created_at),
            "status": _status(campaign, sent_campaigns),
        }
        rendered.append((exported_at, campaign, row))

    # Rows in export order, so overlapping files repeat the latest exports.
    rendered.sort(key=lambda item: (item[0], item[1].campaign_id))
    for exported_at, campaign, row in rendered:
        campaigns.add(exported_at, row)
        share = f"{1 / len(campaign.variants):.1f}"
        for variant in campaign.variants:
            if variant == "A":
                description = "Control: the original version." if len(campaign.variants) > 1 else "Single version."
            else:
                description = f"Test: {VARIANT_B_CHANGE[campaign.channel]}."
            variants.add(
                exported_at,
                {
                    "campaign_id": campaign.campaign_id,
                    "variant": variant,
                    "is_control": "true" if variant == "A" else "false",
                    "allocation_share": share,
                    "description": description,
                },
            )

    # Malformed rows, in known counts, that staging must quarantine.
    scheduled = [(at, row) for at, row in campaigns.rows if row["scheduled_send_at"] is not None]
    picks = rng.sample(scheduled, 3)
    at, row = picks[0]
    campaigns.add_malformed(at, dict(row, campaign_id=None), "missing_id")
    at, row = picks[1]
    bad_time = datetime.fromisoformat(row["scheduled_send_at"] or "").astimezone(BUSINESS_TZ).strftime("%d/%m/%Y %Hh")
    campaigns.add_malformed(at, dict(row, scheduled_send_at=bad_time), "unparseable_timestamp")
    at, row = picks[2]
    campaigns.add_malformed(at, dict(row, status="paused"), "unknown_status")

    picks = rng.sample(variants.rows, 2)
    at, row = picks[0]
    variants.add_malformed(at, dict(row, campaign_id=None), "missing_id")
    at, row = picks[1]
    variants.add_malformed(
        at, dict(row, allocation_share=(row["allocation_share"] or "").replace(".", ",")), "invalid_value"
    )
    return [campaigns, variants]
