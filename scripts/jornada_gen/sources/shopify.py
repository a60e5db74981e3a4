"""Store: Shopify Admin REST API (orders, refunds, abandoned checkouts, customers).

Resources as the REST Admin API returns them (api version 2025-x, JSON):
- Order: https://shopify.dev/docs/api/admin-rest/latest/resources/order
- Refund: https://shopify.dev/docs/api/admin-rest/latest/resources/refund
- Abandoned checkouts: https://shopify.dev/docs/api/admin-rest/latest/resources/abandoned-checkouts
- Customer: https://shopify.dev/docs/api/admin-rest/latest/resources/customer

The loader (dlt style) lands one row per resource object, nested objects
flattened with `__` (`customer.id` -> `customer__id`,
`total_shipping_price_set.shop_money.amount` ->
`total_shipping_price_set__shop_money__amount`) and nested arrays split into
child tables carrying the parent id: `order.line_items` becomes the table
`order_line_items` (dlt would call it `orders__line_items`) with `order_id`.
A refund's money lives in its `transactions` array; our store makes one
refund transaction per refund, so the loader keeps it flattened on the refund
row as `transactions__id`, `transactions__kind`, `transactions__status`,
`transactions__gateway`, `transactions__amount`, `transactions__currency`.

Ids are Shopify's 64-bit integers, money is decimal text ("129.90") in the
shop currency (BRL), timestamps are ISO 8601 with the shop's offset
("2026-08-03T09:15:00-03:00"). Exports are incremental by `updated_at`, so
windows overlap: each object is rendered once, in its final state, with
`updated_at` as its event time; the framework plants the overlaps.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import urlparse

from jornada_gen import names
from jornada_gen.exports import RawTable
from jornada_gen.identifiers import email_as_written, phone_as_written
from jornada_gen.world import BUSINESS_TZ, Checkout, Order, Person, Session, World

SOURCE = "shopify"
CURRENCY = "BRL"
SHOP_URL = "https://jornadacafe.com.br"
SHOP_ID = "75318642"

ORDER_COLUMNS = [
    "id",
    "name",
    "order_number",
    "email",
    "contact_email",
    "phone",
    "created_at",
    "updated_at",
    "processed_at",
    "cancelled_at",
    "cancel_reason",
    "closed_at",
    "financial_status",
    "fulfillment_status",
    "currency",
    "presentment_currency",
    "total_line_items_price",
    "subtotal_price",
    "total_discounts",
    "total_shipping_price_set__shop_money__amount",
    "total_shipping_price_set__shop_money__currency_code",
    "total_tax",
    "taxes_included",
    "total_price",
    "buyer_accepts_marketing",
    "customer__id",
    "customer__first_name",
    "customer__last_name",
    "billing_address__city",
    "billing_address__province_code",
    "billing_address__country_code",
    "source_name",
    "landing_site",
    "referring_site",
    "checkout_id",
    "checkout_token",
    "cart_token",
    "tags",
    "test",
]

LINE_ITEM_COLUMNS = [
    "id",
    "order_id",
    "product_id",
    "variant_id",
    "sku",
    "title",
    "variant_title",
    "vendor",
    "quantity",
    "price",
    "price_set__shop_money__currency_code",
    "total_discount",
    "properties",
]

REFUND_COLUMNS = [
    "id",
    "order_id",
    "created_at",
    "processed_at",
    "note",
    "restock",
    "transactions__id",
    "transactions__kind",
    "transactions__status",
    "transactions__gateway",
    "transactions__amount",
    "transactions__currency",
]

CHECKOUT_COLUMNS = [
    "id",
    "token",
    "cart_token",
    "email",
    "phone",
    "created_at",
    "updated_at",
    "completed_at",
    "abandoned_checkout_url",
    "currency",
    "presentment_currency",
    "total_line_items_price",
    "subtotal_price",
    "total_discounts",
    "total_tax",
    "total_price",
    "customer__id",
    "customer_locale",
    "buyer_accepts_marketing",
    "source_name",
    "landing_site",
    "referring_site",
]

CUSTOMER_COLUMNS = [
    "id",
    "email",
    "phone",
    "first_name",
    "last_name",
    "created_at",
    "updated_at",
    "orders_count",
    "total_spent",
    "last_order_id",
    "state",
    "verified_email",
    "accepts_marketing",
    "email_marketing_consent__state",
    "email_marketing_consent__opt_in_level",
    "email_marketing_consent__consent_updated_at",
    "tags",
    "currency",
    "default_address__city",
    "default_address__province_code",
    "default_address__country_code",
]

REFERRERS = {
    "google": "https://www.google.com/",
    "instagram": "https://l.instagram.com/",
    "facebook": "https://m.facebook.com/",
}

CAFE_GRINDS = ["Em grãos", "Moído médio", "Moído fino"]
GROUND_COFFEE = {"CAF-001", "CAF-002"}  # products sold in grind variants
REFUND_NOTES = ["Produto avariado na entrega", "Cliente desistiu da compra", "Item em falta", None, None]


def _ts(at: datetime | None) -> str | None:
    """ISO 8601 with the shop's offset, as the REST API writes timestamps."""
    return None if at is None else at.astimezone(BUSINESS_TZ).isoformat(timespec="seconds")


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _checkout_id(checkout_id: str) -> str:
    """World checkout ids (c0000123) as Shopify numeric checkout ids."""
    return str(26_000_000_000 + int(checkout_id[1:]))


def _refund_id(refund_id: str) -> str:
    return str(910_000_000 + int(refund_id[1:]))


PRODUCT_IDS = {product[0]: 8_100_000_000 + index * 101 for index, product in enumerate(names.PRODUCTS)}


def _landing(session: Session | None) -> tuple[str | None, str | None]:
    """(landing_site, referring_site) of the session the order or checkout came from."""
    if session is None:
        return None, None
    landing = urlparse(session.page_views[0][1]).path or "/"
    if session.campaign is not None:
        landing += f"?utm_source={session.source}&utm_medium={session.medium}&utm_campaign={session.campaign}"
    return landing, REFERRERS.get(session.source)


def _refunds(order: Order) -> list[tuple[str, datetime, Decimal]]:
    """The order's refunds, each capped at the amount paid: Shopify never refunds more than was captured.

    The world can refund a line's price on an order whose discount made it cheaper than that line.
    """
    return [(refund_id, at, min(amount, order.total)) for refund_id, at, amount in order.refunds]


def _financial_status(order: Order) -> str:
    refunded = sum((amount for _, _, amount in _refunds(order)), Decimal("0"))
    if order.refunds and refunded >= order.total:
        return "refunded"
    return order.financial_status


class _OrderTimeline:
    """When an order was fulfilled, closed and last updated (the export's `updated_at`)."""

    def __init__(self, order: Order, pos: bool, world: World, rng: random.Random) -> None:
        self.fulfillment_status: str | None = None
        self.closed_at: datetime | None = None
        if order.cancelled_at is not None:
            self.closed_at = order.cancelled_at
        elif order.financial_status != "pending":
            fulfilled_at = order.created_at if pos else order.created_at + timedelta(hours=rng.randrange(18, 96))
            if fulfilled_at < world.end_at:
                self.fulfillment_status = "partial" if len(order.lines) > 1 and rng.random() < 0.04 else "fulfilled"
                if self.fulfillment_status == "fulfilled":
                    self.closed_at = fulfilled_at
        moments = [order.created_at, order.cancelled_at, self.closed_at, *(at for _, at, _ in order.refunds)]
        self.updated_at = max(at for at in moments if at is not None) + timedelta(seconds=rng.randrange(1, 120))


def _recovery_landing(checkout: Checkout) -> str:
    message = checkout.recovery_messages[0]
    medium = "email" if message.channel == "email" else "messaging"
    return (
        f"/{SHOP_ID}/checkouts/{checkout.token}/recover"
        f"?utm_source={message.channel}&utm_medium={medium}&utm_campaign={message.campaign.campaign_id}"
    )


def _order_rows(
    world: World, rng: random.Random, checkouts: dict[str, Checkout], cart_tokens: dict[str, str]
) -> tuple[RawTable, RawTable, RawTable, dict[str, list[tuple[Order, _OrderTimeline]]]]:
    orders = RawTable(
        SOURCE,
        "orders",
        ORDER_COLUMNS,
        "Shopify REST Admin API orders, one row per order version exported by updated_at window.",
        redeliveries=6,
        overlap=30,
    )
    lines = RawTable(
        SOURCE,
        "order_line_items",
        LINE_ITEM_COLUMNS,
        "Shopify order line items (the order's line_items array as a child table), one row per line item.",
        redeliveries=8,
        overlap=30,
    )
    refunds = RawTable(
        SOURCE,
        "refunds",
        REFUND_COLUMNS,
        "Shopify REST Admin API refunds, one row per refund with its refund transaction flattened.",
        redeliveries=2,
        overlap=4,
    )
    by_person: dict[str, list[tuple[Order, _OrderTimeline]]] = defaultdict(list)
    line_number = 0
    for order in world.orders:
        person = order.person
        historical = order.created_at < world.start_at
        walk_in = order.session is None and order.checkout_id is None and order.shipping == 0
        pos = historical and walk_in and rng.random() < 0.5
        timeline = _OrderTimeline(order, pos, world, rng)
        assert person.store_customer_id is not None
        by_person[person.store_customer_id].append((order, timeline))
        checkout = checkouts.get(order.checkout_id) if order.checkout_id else None
        if checkout is not None and order.session is None and checkout.recovery_messages:
            landing, referrer = _recovery_landing(checkout), None
        elif pos:
            landing, referrer = None, None
        elif order.session is None:
            landing, referrer = rng.choice(["/", "/cafes", "/kits"]), None
        else:
            landing, referrer = _landing(order.session)
        email = None if pos and rng.random() < 0.4 else email_as_written(person, rng)
        row = {
            "id": order.order_id,
            "name": f"#{order.order_number}",
            "order_number": str(order.order_number),
            "email": email,
            "contact_email": email,
            "phone": phone_as_written(person, rng) if rng.random() < 0.45 else None,
            "created_at": _ts(order.created_at),
            "updated_at": _ts(timeline.updated_at),
            "processed_at": _ts(order.created_at),
            "cancelled_at": _ts(order.cancelled_at),
            "cancel_reason": order.cancel_reason,
            "closed_at": _ts(timeline.closed_at),
            "financial_status": _financial_status(order),
            "fulfillment_status": timeline.fulfillment_status,
            "currency": CURRENCY,
            "presentment_currency": CURRENCY,
            "total_line_items_price": _money(order.subtotal),
            "subtotal_price": _money(order.subtotal - order.discount),
            "total_discounts": _money(order.discount),
            "total_shipping_price_set__shop_money__amount": _money(order.shipping),
            "total_shipping_price_set__shop_money__currency_code": CURRENCY,
            "total_tax": "0.00",
            "taxes_included": "true",
            "total_price": _money(order.total),
            "buyer_accepts_marketing": _bool(person.email_optin),
            "customer__id": person.store_customer_id,
            "customer__first_name": person.first_name,
            "customer__last_name": person.last_name,
            "billing_address__city": person.city,
            "billing_address__province_code": person.state,
            "billing_address__country_code": "BR",
            "source_name": "pos" if pos else "web",
            "landing_site": landing,
            "referring_site": referrer,
            "checkout_id": _checkout_id(checkout.checkout_id) if checkout else None,
            "checkout_token": checkout.token if checkout else None,
            "cart_token": cart_tokens.get(checkout.checkout_id) if checkout else None,
            "tags": "loja-fisica" if pos else None,
            "test": "false",
        }
        orders.add(timeline.updated_at, row)
        for sku, title, quantity, price, is_cross_sell in order.lines:
            line_number += 1
            grind = rng.randrange(len(CAFE_GRINDS)) if sku in GROUND_COFFEE else None
            offer = None
            if is_cross_sell:
                offer = "upsell" if rng.random() < 0.3 else "cross_sell"
            lines.add(
                timeline.updated_at,
                {
                    "id": str(13_400_000_000 + line_number * 7),
                    "order_id": order.order_id,
                    "product_id": str(PRODUCT_IDS[sku]),
                    "variant_id": str(PRODUCT_IDS[sku] * 10 + (grind or 0)),
                    "sku": sku,
                    "title": title,
                    "variant_title": CAFE_GRINDS[grind] if grind is not None else None,
                    "vendor": "Jornada Café",
                    "quantity": str(quantity),
                    "price": _money(price),
                    "price_set__shop_money__currency_code": CURRENCY,
                    "total_discount": "0.00",
                    "properties": json.dumps([{"name": "_offer", "value": offer}] if offer else []),
                },
            )
        for refund_id, refunded_at, amount in _refunds(order):
            processed = refunded_at + timedelta(seconds=rng.randrange(1, 30))
            refunds.add(
                processed,
                {
                    "id": _refund_id(refund_id),
                    "order_id": order.order_id,
                    "created_at": _ts(refunded_at),
                    "processed_at": _ts(processed),
                    "note": rng.choice(REFUND_NOTES),
                    "restock": _bool(rng.random() < 0.4),
                    "transactions__id": str(6_200_000_000 + int(refund_id[1:]) * 3),
                    "transactions__kind": "refund",
                    "transactions__status": "success",
                    "transactions__gateway": "pagarme" if rng.random() < 0.7 else "manual",
                    "transactions__amount": _money(amount),
                    "transactions__currency": CURRENCY,
                },
            )
    return orders, lines, refunds, by_person


def _checkout_rows(world: World, rng: random.Random, cart_tokens: dict[str, str]) -> RawTable:
    table = RawTable(
        SOURCE,
        "abandoned_checkouts",
        CHECKOUT_COLUMNS,
        "Shopify REST Admin API checkouts (abandoned and completed), one row per checkout.",
        redeliveries=5,
        overlap=20,
    )
    sessions = {
        (s.person.key, s.checkout_started_at): s
        for s in world.sessions
        if s.person is not None and s.checkout_started_at is not None
    }
    for checkout in world.checkouts:
        person = checkout.person
        subtotal = sum((price * quantity for _, _, quantity, price, _ in checkout.lines), Decimal("0"))
        moments = [checkout.created_at, checkout.completed_at, *(m.sent_at for m in checkout.recovery_messages)]
        updated_at = max(at for at in moments if at is not None) + timedelta(seconds=rng.randrange(1, 60))
        landing, referrer = _landing(sessions.get((person.key, checkout.created_at)))
        row = {
            "id": _checkout_id(checkout.checkout_id),
            "token": checkout.token,
            "cart_token": cart_tokens[checkout.checkout_id],
            "email": email_as_written(person, rng),
            "phone": phone_as_written(person, rng) if rng.random() < 0.5 else None,
            "created_at": _ts(checkout.created_at),
            "updated_at": _ts(updated_at),
            "completed_at": _ts(checkout.completed_at),
            "abandoned_checkout_url": (
                f"{SHOP_URL}/{SHOP_ID}/checkouts/{checkout.token}/recover?key={rng.getrandbits(128):032x}"
            ),
            "currency": CURRENCY,
            "presentment_currency": CURRENCY,
            "total_line_items_price": _money(subtotal),
            "subtotal_price": _money(subtotal),
            "total_discounts": "0.00",
            "total_tax": "0.00",
            "total_price": _money(subtotal),
            "customer__id": person.store_customer_id,
            "customer_locale": "pt-BR",
            "buyer_accepts_marketing": _bool(person.email_optin),
            "source_name": "web",
            "landing_site": landing,
            "referring_site": referrer,
        }
        table.add(updated_at, row)
    return table


def _customer_rows(
    world: World, rng: random.Random, by_person: dict[str, list[tuple[Order, _OrderTimeline]]]
) -> RawTable:
    table = RawTable(
        SOURCE,
        "customers",
        CUSTOMER_COLUMNS,
        "Shopify REST Admin API customers, one row per customer version exported by updated_at window.",
        redeliveries=4,
        overlap=20,
    )
    first_checkout: dict[int, datetime] = {}
    for checkout in world.checkouts:
        key = checkout.person.key
        first_checkout[key] = min(first_checkout.get(key, checkout.created_at), checkout.created_at)
    subscribers = {s.person.key for s in world.subscriptions}
    persons: dict[str, Person] = {p.store_customer_id: p for p in world.persons if p.store_customer_id}
    for customer_id, person in sorted(persons.items()):
        history = sorted(by_person.get(customer_id, []), key=lambda item: item[0].created_at)
        first_seen = min([o.created_at for o, _ in history] + [first_checkout.get(person.key, world.end_at)])
        created_at = first_seen - timedelta(seconds=rng.randrange(5, 300))
        kept = [o for o, _ in history if o.cancelled_at is None]
        refunded = sum((amount for o in kept for _, _, amount in _refunds(o)), Decimal("0"))
        spent = sum((o.total for o in kept), Decimal("0")) - refunded
        if person.email_optin:
            consent, level, consent_at = "subscribed", "single_opt_in", created_at
        elif person.churned_at is not None or rng.random() < 0.3:
            consent, level = "unsubscribed", "single_opt_in"
            consent_at = created_at + timedelta(days=rng.randrange(1, 60))
        else:
            consent, level, consent_at = "not_subscribed", None, None
        updated_at = max([created_at] + [t.updated_at for _, t in history] + ([consent_at] if consent_at else []))
        state = rng.choices(["enabled", "disabled", "invited"], [50, 40, 10])[0]
        tags = [tag for tag, has in (("assinante", person.key in subscribers), ("vip", spent >= 500)) if has]
        row = {
            "id": customer_id,
            "email": email_as_written(person, rng),
            "phone": phone_as_written(person, rng) if rng.random() < 0.7 else None,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "created_at": _ts(created_at),
            "updated_at": _ts(updated_at),
            "orders_count": str(len(history)),
            "total_spent": _money(spent),
            "last_order_id": history[-1][0].order_id if history else None,
            "state": state,
            "verified_email": _bool(state == "enabled" or rng.random() < 0.6),
            "accepts_marketing": _bool(consent == "subscribed"),
            "email_marketing_consent__state": consent,
            "email_marketing_consent__opt_in_level": level,
            "email_marketing_consent__consent_updated_at": _ts(consent_at),
            "tags": ", ".join(tags) or None,
            "currency": CURRENCY,
            "default_address__city": person.city,
            "default_address__province_code": person.state,
            "default_address__country_code": "BR",
        }
        table.add(updated_at, row)
    return table


def _plant(table: RawTable, world: World, rng: random.Random, defects: list[tuple[str, dict[str, str | None]]]) -> None:
    """Malformed copies of real rows (new ids), one defect each, that staging must quarantine."""
    samples = [row for _, row in rng.sample(table.rows, len(defects))]
    for number, (sample, (reason, change)) in enumerate(zip(samples, defects, strict=True), start=1):
        row = dict(sample)
        row["id"] = str(99_000_000_000 + int(sample["id"] or "0") % 1_000_000 * 100 + number)
        row.update(change)
        table.add_malformed(world.start_at, row, reason)


def render(world: World, rng: random.Random) -> list[RawTable]:
    checkouts = {c.checkout_id: c for c in world.checkouts}
    cart_tokens = {c.checkout_id: f"{rng.getrandbits(128):032x}" for c in world.checkouts}
    orders, lines, refunds, by_person = _order_rows(world, rng, checkouts, cart_tokens)
    abandoned = _checkout_rows(world, rng, cart_tokens)
    customers = _customer_rows(world, rng, by_person)

    bad_time = "2026-09-31T10:15:00-03:00"  # 31 September does not exist
    _plant(
        orders,
        world,
        rng,
        [
            ("missing_id", {"id": None}),
            ("missing_id", {"id": ""}),
            ("unparseable_timestamp", {"created_at": bad_time}),
            ("unparseable_timestamp", {"created_at": "03/08/2026 09:15"}),
            ("unknown_status", {"financial_status": "paidd"}),
            ("unknown_status", {"financial_status": "paidd"}),
            ("negative_amount", {"total_price": "-129.90"}),
            ("negative_amount", {"total_price": "-64.80"}),
        ],
    )
    _plant(
        lines,
        world,
        rng,
        [
            ("missing_id", {"id": None}),
            ("missing_id", {"id": None}),
            ("negative_amount", {"price": "-39.90"}),
            ("negative_amount", {"price": "-24.90"}),
            ("invalid_value", {"quantity": "0"}),  # Shopify never exports a line with no units
            ("invalid_value", {"quantity": "dois"}),
        ],
    )
    _plant(
        refunds,
        world,
        rng,
        [
            ("missing_id", {"id": None}),
            ("unparseable_timestamp", {"created_at": bad_time}),
            ("negative_amount", {"transactions__amount": "-39.90"}),
            ("negative_amount", {"transactions__amount": "-99.90"}),
        ],
    )
    _plant(
        abandoned,
        world,
        rng,
        [
            ("missing_id", {"id": None}),
            ("missing_id", {"id": None}),
            ("unparseable_timestamp", {"created_at": bad_time}),
            ("unparseable_timestamp", {"created_at": "ontem 14h"}),
            ("negative_amount", {"total_price": "-149.00"}),
            ("negative_amount", {"total_price": "-79.90"}),
        ],
    )
    _plant(
        customers,
        world,
        rng,
        [
            ("missing_id", {"id": None}),
            ("missing_id", {"id": None}),
            ("unparseable_timestamp", {"created_at": bad_time}),
            ("unparseable_timestamp", {"created_at": "2026-08-03 25:61:00"}),
            ("unknown_status", {"state": "activated"}),
            ("unknown_status", {"state": "activated"}),
        ],
    )
    return [orders, lines, refunds, abandoned, customers]
