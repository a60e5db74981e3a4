"""Billing: Stripe subscriptions, subscription items and customers.

Object exports of the Stripe API (API version 2025-03-31.basil and later),
one row per object as the API returns it, flattened the way dlt flattens
nested fields (`cancellation_details.reason` -> `cancellation_details__reason`,
`price.recurring.interval` -> `price__recurring__interval`,
`metadata.plan_name` -> `metadata__plan_name`):

- `subscriptions`: the Subscription object
  (https://docs.stripe.com/api/subscriptions/object). Since 2025-03-31.basil
  the billing period (`current_period_start`, `current_period_end`) is no
  longer on the subscription but on each of its items
  (https://docs.stripe.com/changelog/basil/2025-03-31/deprecate-subscription-current-period-start-and-end),
  so it is exported with the items.
- `subscription_items`: the Subscription Item object with its expanded Price
  (https://docs.stripe.com/api/subscription_items/object). A plan change
  (a downgrade in the world) replaces the item by a new one with the cheaper
  price: the replaced item stays in the export, as the loader merged it last,
  with `deleted` = "true" (the marker of Stripe's deleted-object response);
  current items have `deleted` empty. The replaced item ended when its
  successor was `created`.
- `customers`: the Customer object (https://docs.stripe.com/api/customers/object),
  with `metadata.crm_contact_id` set by our checkout to the HubSpot contact id.

Timestamps are Unix epoch seconds, amounts integer cents (`unit_amount`
4990 = R$ 49,90), currencies lower-case ISO codes ("brl"), booleans
"true"/"false", as Stripe writes them. Objects are exported by their
`created` window, so overlapping export files repeat a few objects; Stripe
event re-deliveries do not apply to object exports.

Every subscription is rendered at the state it has at the end of the world's
window: canceled ones are `canceled` (a few first scheduled with `cancel_at`,
so `canceled_at`, the request, precedes `ended_at`, the churn); running ones
are `active`, a few `past_due` (a renewal payment being retried, the
customer `delinquent`).
"""

from __future__ import annotations

import random
import string
from calendar import monthrange
from datetime import datetime, timedelta

from jornada_gen.exports import RawTable, Row
from jornada_gen.identifiers import email_as_written, phone_as_written
from jornada_gen.world import Subscription, World

SUBSCRIPTION_COLUMNS = [
    "id",
    "customer",
    "status",
    "created",
    "start_date",
    "billing_cycle_anchor",
    "cancel_at",
    "cancel_at_period_end",
    "canceled_at",
    "ended_at",
    "cancellation_details__reason",
    "collection_method",
    "currency",
    "livemode",
    "metadata__plan_name",
]

ITEM_COLUMNS = [
    "id",
    "subscription",
    "created",
    "quantity",
    "current_period_start",
    "current_period_end",
    "price__id",
    "price__unit_amount",
    "price__currency",
    "price__recurring__interval",
    "price__recurring__interval_count",
    "price__product",
    "deleted",
]

CUSTOMER_COLUMNS = [
    "id",
    "email",
    "name",
    "phone",
    "created",
    "currency",
    "delinquent",
    "metadata__crm_contact_id",
    "livemode",
]

ALPHANUMERIC = string.ascii_letters + string.digits
DOWNGRADE_CENTS = 3990  # the lighter monthly plan a downgrade moves to


def _stripe_id(rng: random.Random, prefix: str, length: int = 14) -> str:
    return prefix + "".join(rng.choice(ALPHANUMERIC) for _ in range(length))


def _epoch(at: datetime | None) -> str | None:
    return None if at is None else str(int(at.timestamp()))


def _add_months(anchor: datetime, months: int) -> datetime:
    """`anchor` moved by whole months, the day clamped to the month's end (Stripe's billing anchor rule)."""
    month_index = anchor.month - 1 + months
    year, month = anchor.year + month_index // 12, month_index % 12 + 1
    return anchor.replace(year=year, month=month, day=min(anchor.day, monthrange(year, month)[1]))


def _period(anchor: datetime, months: int, at: datetime) -> tuple[datetime, datetime]:
    """The billing period (start, end) anchored at `anchor`, `months` long, that contains `at`."""
    k = 0
    while _add_months(anchor, (k + 1) * months) <= at:
        k += 1
    return _add_months(anchor, k * months), _add_months(anchor, (k + 1) * months)


def render(world: World, rng: random.Random) -> list[RawTable]:
    subscriptions = RawTable(
        "stripe",
        "subscriptions",
        SUBSCRIPTION_COLUMNS,
        "Stripe Subscription objects (API 2025-03-31.basil), one row per subscription per export file.",
        overlap=12,
    )
    items = RawTable(
        "stripe",
        "subscription_items",
        ITEM_COLUMNS,
        "Stripe Subscription Item objects with their Price, replaced items kept with deleted=true.",
        overlap=12,
    )
    customers = RawTable(
        "stripe",
        "customers",
        CUSTOMER_COLUMNS,
        "Stripe Customer objects, one row per customer per export file.",
        overlap=12,
    )
    product = {"monthly": _stripe_id(rng, "prod_"), "annual": _stripe_id(rng, "prod_")}
    price = {
        ("monthly", 4990): _stripe_id(rng, "price_", 24),
        ("monthly", DOWNGRADE_CENTS): _stripe_id(rng, "price_", 24),
        ("annual", 49900): _stripe_id(rng, "price_", 24),
    }
    snapshot = world.end_at
    first_subscription: dict[int, Subscription] = {}
    delinquent: set[int] = set()

    for sub in sorted(world.subscriptions, key=lambda s: s.created_at):
        person = sub.person
        first_subscription.setdefault(person.key, sub)
        months = 1 if sub.interval == "month" else 12
        row: Row = {
            "id": sub.subscription_id,
            "customer": person.billing_customer_id,
            "created": _epoch(sub.created_at),
            "start_date": _epoch(sub.created_at),
            "billing_cycle_anchor": _epoch(sub.created_at),
            "cancel_at_period_end": "false",
            "collection_method": "charge_automatically",
            "currency": "brl",
            "livemode": "true",
            "metadata__plan_name": sub.plan,
        }
        if sub.canceled_at is not None:
            reason = rng.choices(["cancellation_requested", "payment_failed", "payment_disputed"], [80, 17, 3])[0]
            canceled_at = sub.canceled_at
            if reason == "cancellation_requested" and rng.random() < 0.3:
                # Scheduled: the customer asked earlier, the subscription ended at `cancel_at`.
                earliest = max(sub.created_at, sub.canceled_at - timedelta(days=25))
                span = int((sub.canceled_at - earliest).total_seconds())
                canceled_at = earliest + timedelta(seconds=rng.randrange(max(span, 1)))
                row["cancel_at"] = _epoch(sub.canceled_at)
            row.update(
                status="canceled",
                canceled_at=_epoch(canceled_at),
                ended_at=_epoch(sub.canceled_at),
                cancellation_details__reason=reason,
            )
            state_at = sub.canceled_at - timedelta(seconds=1)
        else:
            past_due = rng.random() < 0.04
            row["status"] = "past_due" if past_due else "active"
            if past_due:
                delinquent.add(person.key)
            state_at = snapshot
        subscriptions.add(sub.created_at, row)

        cents = 4990 if sub.plan == "monthly" else 49900
        first_item: Row = {
            "id": _stripe_id(rng, "si_"),
            "subscription": sub.subscription_id,
            "created": _epoch(sub.created_at),
            "quantity": "1",
            "price__id": price[(sub.plan, cents)],
            "price__unit_amount": str(cents),
            "price__currency": "brl",
            "price__recurring__interval": sub.interval,
            "price__recurring__interval_count": "1",
            "price__product": product[sub.plan],
        }
        if sub.downgraded_at is not None:
            start, end = _period(sub.created_at, months, sub.downgraded_at)
            first_item.update(current_period_start=_epoch(start), current_period_end=_epoch(end), deleted="true")
            items.add(sub.created_at, first_item)
            start, end = _period(sub.created_at, months, state_at)
            second_item = dict(
                first_item,
                id=_stripe_id(rng, "si_"),
                created=_epoch(sub.downgraded_at),
                price__id=price[(sub.plan, DOWNGRADE_CENTS)],
                price__unit_amount=str(DOWNGRADE_CENTS),
                current_period_start=_epoch(start),
                current_period_end=_epoch(end),
                deleted=None,
            )
            items.add(sub.downgraded_at, second_item)
        else:
            start, end = _period(sub.created_at, months, state_at)
            first_item.update(current_period_start=_epoch(start), current_period_end=_epoch(end))
            items.add(sub.created_at, first_item)

    for person in world.persons:
        if person.billing_customer_id is None:
            continue
        sub = first_subscription[person.key]
        created = sub.created_at - timedelta(seconds=rng.randrange(20, 900))  # created by checkout, just before
        customers.add(
            created,
            {
                "id": person.billing_customer_id,
                "email": email_as_written(person, rng),
                "name": f"{person.first_name} {person.last_name}",
                "phone": phone_as_written(person, rng, usual="e164") if rng.random() < 0.7 else None,
                "created": _epoch(created),
                "currency": "brl",
                "delinquent": "true" if person.key in delinquent else "false",
                "metadata__crm_contact_id": person.crm_contact_id,
                "livemode": "true",
            },
        )

    # Malformed rows, in known counts, that staging must quarantine.
    samples = [row for _, row in rng.sample(subscriptions.rows, 6)]
    for row in samples[:2]:
        subscriptions.add_malformed(world.start_at, dict(row, id=None), "missing_id")
    for row in samples[2:4]:
        bad = dict(row, id=f"sub_{rng.getrandbits(56):014x}", created="2026-08-15 10:00:00")
        subscriptions.add_malformed(world.start_at, bad, "unparseable_timestamp")
    for row, status in zip(samples[4:6], ["cancelled", "expired"], strict=True):
        subscriptions.add_malformed(
            world.start_at, dict(row, id=f"sub_{rng.getrandbits(56):014x}", status=status), "unknown_status"
        )

    samples = [row for _, row in rng.sample(items.rows, 5)]
    for row in samples[:3]:
        bad = dict(row, id=_stripe_id(rng, "si_"), price__unit_amount=f"-{row['price__unit_amount']}")
        items.add_malformed(world.start_at, bad, "negative_amount")
    for row in samples[3:5]:
        items.add_malformed(world.start_at, dict(row, id=None), "missing_id")

    samples = [row for _, row in rng.sample(customers.rows, 4)]
    for row in samples[:2]:
        customers.add_malformed(world.start_at, dict(row, id=None), "missing_id")
    for row in samples[2:4]:
        bad = dict(row, id=f"cus_{rng.getrandbits(56):014x}", created="03/08/2026 09:12")
        customers.add_malformed(world.start_at, bad, "unparseable_timestamp")
    return [subscriptions, items, customers]
