"""CRM: HubSpot contacts.

One row per contact object of the HubSpot CRM API v3
(https://developers.hubspot.com/docs/api/crm/contacts): the object's `id`,
`createdAt`, `updatedAt` and `archived` (snake_cased by the loader to
`created_at`, `updated_at`, `archived`) and the requested contact properties
flattened under `properties__` the way dlt flattens the `properties` map.
Property names and option values are HubSpot's default contact properties
(https://knowledge.hubspot.com/properties/hubspots-default-contact-properties):
`lifecyclestage` (subscriber, lead, marketingqualifiedlead,
salesqualifiedlead, opportunity, customer, evangelist, other),
`hs_lead_status`, `hs_analytics_source` (Original Source: ORGANIC_SEARCH,
PAID_SEARCH, EMAIL_MARKETING, SOCIAL_MEDIA, REFERRALS, OTHER_CAMPAIGNS,
DIRECT_TRAFFIC, OFFLINE, PAID_SOCIAL, AI_REFERRALS) with its drill-down
`hs_analytics_source_data_1`, and the lifecycle dates
`hs_lifecyclestage_lead_date` / `hs_lifecyclestage_customer_date`.
Dates are ISO 8601 UTC with milliseconds ("2026-08-03T12:00:00.000Z"), as
the API returns them.

One contact per world person (`id` = the person's crm_contact_id), created
when the person was. The lifecycle stage agrees with the store: a person with
a paid order is a `customer` (some repeat buyers `evangelist`) whose customer
date is the first paid order; other persons are subscribers, leads or further
down the funnel. People type their own phone numbers, so `phone` is mostly
"(11) 98765-4321"; `mobilephone` and `hs_whatsapp_phone_number` are filled
for some contacts. Contacts are exported by their `createdate` window, so
overlapping export files repeat a few contacts.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from jornada_gen.exports import RawTable, Row
from jornada_gen.identifiers import email_as_written, phone_as_written, whatsapp_id
from jornada_gen.world import Order, Person, World

COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "archived",
    "properties__email",
    "properties__firstname",
    "properties__lastname",
    "properties__phone",
    "properties__mobilephone",
    "properties__hs_whatsapp_phone_number",
    "properties__city",
    "properties__state",
    "properties__createdate",
    "properties__lastmodifieddate",
    "properties__lifecyclestage",
    "properties__hs_lead_status",
    "properties__hs_analytics_source",
    "properties__hs_analytics_source_data_1",
    "properties__hs_lifecyclestage_lead_date",
    "properties__hs_lifecyclestage_customer_date",
]

PAID = {"paid", "refunded", "partially_refunded"}

SOURCE_DETAIL = {
    "ORGANIC_SEARCH": ["google", "google", "google", "bing"],
    "PAID_SEARCH": ["google"],
    "PAID_SOCIAL": ["Facebook", "Instagram"],
    "SOCIAL_MEDIA": ["Instagram", "Facebook", "TikTok"],
    "DIRECT_TRAFFIC": ["https://jornadacafe.com.br/", "https://jornadacafe.com.br/assinatura"],
    "OTHER_CAMPAIGNS": ["parceria_influenciadores", "feira_cafe_especial"],
    "REFERRALS": ["blogdocafe.com.br", "guiadobarista.com.br", "reclameaqui.com.br"],
    "OFFLINE": ["IMPORT", "INTEGRATION", "CRM_UI"],
    "EMAIL_MARKETING": ["newsletter"],
}

OPEN_STAGES = [
    ("subscriber", 20),
    ("lead", 45),
    ("marketingqualifiedlead", 15),
    ("salesqualifiedlead", 7),
    ("opportunity", 5),
    ("other", 8),
]

LEAD_STATUSES = ["NEW", "OPEN", "IN_PROGRESS", "ATTEMPTED_TO_CONTACT", "CONNECTED", "UNQUALIFIED", "BAD_TIMING"]


def _iso(at: datetime | None) -> str | None:
    if at is None:
        return None
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def _contact(person: Person, orders: list[Order], world: World, rng: random.Random) -> Row:
    created = person.created_at.replace(microsecond=rng.randrange(1000) * 1000)
    paid = [o for o in orders if o.financial_status in PAID and o.cancelled_at is None]
    customer_at = max(paid[0].created_at, created) if paid else None
    if paid:
        stage = "evangelist" if len(paid) >= 3 and rng.random() < 0.3 else "customer"
        lead_status = rng.choice([None, "CONNECTED"])
    else:
        stage = rng.choices([s for s, _ in OPEN_STAGES], [w for _, w in OPEN_STAGES])[0]
        lead_status = {
            "subscriber": None,
            "other": None,
            "opportunity": "OPEN_DEAL",
        }.get(stage, rng.choice(LEAD_STATUSES))
    lead_at = None if stage in ("subscriber", "other") else created
    last_activity = max([created] + [o.created_at for o in orders if o.created_at < world.end_at])
    room = max(int((world.end_at - last_activity).total_seconds()), 1)
    updated = min(last_activity + timedelta(seconds=rng.randrange(60, 60 + room)), world.end_at)

    roll = rng.random()
    phone = phone_as_written(person, rng, usual="pretty") if roll < 0.75 else None
    mobile = phone_as_written(person, rng, usual="spaced") if 0.6 < roll < 0.95 else None
    whatsapp = f"+{whatsapp_id(person)}" if person.whatsapp_optin and rng.random() < 0.5 else None
    source = person.original_source
    detail = rng.choice(SOURCE_DETAIL[source]) if source in SOURCE_DETAIL else None
    return {
        "id": person.crm_contact_id,
        "created_at": _iso(created),
        "updated_at": _iso(updated),
        "archived": "false",
        "properties__email": email_as_written(person, rng),
        "properties__firstname": person.first_name,
        "properties__lastname": person.last_name,
        "properties__phone": phone,
        "properties__mobilephone": mobile,
        "properties__hs_whatsapp_phone_number": whatsapp,
        "properties__city": person.city,
        "properties__state": person.state,
        "properties__createdate": _iso(created),
        "properties__lastmodifieddate": _iso(updated),
        "properties__lifecyclestage": stage,
        "properties__hs_lead_status": lead_status,
        "properties__hs_analytics_source": source,
        "properties__hs_analytics_source_data_1": detail,
        "properties__hs_lifecyclestage_lead_date": _iso(lead_at),
        "properties__hs_lifecyclestage_customer_date": _iso(customer_at),
    }


def render(world: World, rng: random.Random) -> list[RawTable]:
    table = RawTable(
        "hubspot",
        "contacts",
        COLUMNS,
        "HubSpot CRM contacts (API v3), one row per contact per export file.",
        overlap=20,
    )
    orders: dict[int, list[Order]] = {}
    for order in sorted(world.orders, key=lambda o: o.created_at):
        orders.setdefault(order.person.key, []).append(order)
    for person in world.persons:
        table.add(person.created_at, _contact(person, orders.get(person.key, []), world, rng))

    # Malformed rows, in known counts, that staging must quarantine.
    samples = [row for _, row in rng.sample(table.rows, 6)]
    for row in samples[:2]:
        table.add_malformed(world.start_at, dict(row, id=None), "missing_id")
    for row in samples[2:4]:
        bad = dict(row, id=str(900_000 + rng.randrange(10_000)), properties__createdate="03/08/2026 09:41")
        table.add_malformed(world.start_at, bad, "unparseable_timestamp")
    for row in samples[4:6]:
        bad = dict(row, id=str(900_000 + rng.randrange(10_000)), properties__lifecyclestage="prospect")
        table.add_malformed(world.start_at, bad, "unknown_status")
    return [table]
