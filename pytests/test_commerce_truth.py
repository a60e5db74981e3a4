"""Web and commerce intermediate models against the simulated truth.

`jornada_gen.world.build_world()` is what happened; the exports are how the
tools reported it, with duplicates, overlaps and malformed rows planted. After
staging and the intermediate models, the numbers the Sales and Attraction KPIs
are built from must equal the world's:

- valid orders (paid, partially or fully refunded; not cancelled, not pending)
  placed in the window and their net revenue (total minus refunds, each refund
  capped at what was paid, as Shopify does; refunds made after the window's
  end count, as they are in the export too);
- web sessions and engaged sessions (GA4's rule: 10 s, 2 page views or a
  purchase);
- subscriptions billing at the end of the window and their MRR.

Intended differences: none in these figures. The models keep things the world
does not count here (historical orders before the window are numbered but the
window comparison filters them out; subscriptions that started and ended
inside one month have no MRR row, which does not change the end-of-window
count).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal

import duckdb
import pytest

from conftest import query
from jornada_gen.world import BUSINESS_TZ, Order, World, build_world

VALID_STATUSES = {"paid", "partially_refunded", "refunded"}
CENT = Decimal("0.01")


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    yield build_world()


def window_dates(world: World) -> tuple[date, date]:
    """First and last local date of the simulated window."""
    return world.start, world.start + timedelta(days=world.days - 1)


def local_date(at: datetime) -> date:
    return at.astimezone(BUSINESS_TZ).date()


def is_valid(order: Order) -> bool:
    return order.cancelled_at is None and order.financial_status in VALID_STATUSES


def net_revenue(order: Order) -> Decimal:
    refunded = sum((min(amount, order.total) for _, _, amount in order.refunds), Decimal("0"))
    return max(order.total - refunded, Decimal("0"))


def monthly_amount(unit_amount: Decimal, interval: str) -> Decimal:
    return (unit_amount / 12 if interval == "year" else unit_amount).quantize(CENT)


def test_valid_orders_and_net_revenue_in_the_window(warehouse: duckdb.DuckDBPyConnection, world: World) -> None:
    first_day, last_day = window_dates(world)
    truth = [o for o in world.orders if is_valid(o) and first_day <= local_date(o.created_at) <= last_day]
    assert truth, "the world has orders in its window"
    [(orders, revenue)] = query(
        warehouse,
        f"""
        select count(*), sum(net_revenue)
        from intermediate.int_orders_enriched
        where is_valid_order and order_date between '{first_day}' and '{last_day}'
        """,
    )
    assert orders == len(truth)
    assert revenue == sum((net_revenue(o) for o in truth), Decimal("0"))


def test_every_valid_order_and_first_order_over_the_whole_history(
    warehouse: duckdb.DuckDBPyConnection, world: World
) -> None:
    """Historical orders count too: each buying person has exactly one first order."""
    truth = [o for o in world.orders if is_valid(o)]
    buyers = {o.person.key for o in truth}
    [(orders, first_orders)] = query(
        warehouse,
        """
        select count(*), sum(case when is_first_order then 1 else 0 end)
        from intermediate.int_orders_enriched
        where is_valid_order
        """,
    )
    assert orders == len(truth)
    assert first_orders == len(buyers)
    [(customers, repeat)] = query(
        warehouse,
        """
        select count(*), sum(case when is_repeat_customer then 1 else 0 end)
        from intermediate.int_customers_aggregated
        """,
    )
    per_person: dict[int, int] = {}
    for order in truth:
        per_person[order.person.key] = per_person.get(order.person.key, 0) + 1
    assert customers == len(buyers)
    assert repeat == sum(1 for count in per_person.values() if count >= 2)


def test_sessions_and_engaged_share(warehouse: duckdb.DuckDBPyConnection, world: World) -> None:
    engaged = [s for s in world.sessions if s.engagement_msec >= 10_000 or len(s.page_views) >= 2 or s.order_id]
    [(sessions, engaged_sessions, bounces)] = query(
        warehouse,
        """
        select
            count(*),
            sum(case when is_engaged then 1 else 0 end),
            sum(case when is_bounce then 1 else 0 end)
        from intermediate.int_web_sessions_aggregated
        """,
    )
    assert sessions == len(world.sessions)
    assert engaged_sessions == len(engaged)
    assert bounces == sessions - engaged_sessions
    assert 0 < engaged_sessions / sessions < 1


def test_sessions_with_a_purchase_match_web_orders(warehouse: duckdb.DuckDBPyConnection, world: World) -> None:
    """GA4 purchase revenue is the order total (gross), one session per web order."""
    truth = {s.order_id: s for s in world.sessions if s.order_id}
    totals = {o.order_id: o.total for o in world.orders if o.order_id in truth}
    rows = query(
        warehouse,
        "select transaction_id, purchase_revenue from intermediate.int_web_sessions_aggregated where has_purchase",
    )
    assert {transaction_id: revenue for transaction_id, revenue in rows} == totals


def test_subscriptions_active_at_the_end_and_their_mrr(warehouse: duckdb.DuckDBPyConnection, world: World) -> None:
    active = [s for s in world.subscriptions if s.created_at < world.end_at and s.canceled_at is None]
    truth_mrr = sum(
        (
            monthly_amount(Decimal("39.90") if s.downgraded_at is not None else s.unit_amount, s.interval)
            for s in active
        ),
        Decimal("0"),
    )
    [(as_of_month,)] = query(warehouse, "select max(month_start) from intermediate.int_subscriptions_mrr_monthly")
    last_day = window_dates(world)[1]
    assert as_of_month == last_day.replace(day=1)
    [(subscriptions, mrr)] = query(
        warehouse,
        f"""
        select sum(case when mrr_end > 0 then 1 else 0 end), sum(mrr_end)
        from intermediate.int_subscriptions_mrr_monthly
        where month_start = '{as_of_month}'
        """,
    )
    assert subscriptions == len(active)
    assert mrr == truth_mrr


def test_mrr_churn_counts_the_subscriptions_that_ended(warehouse: duckdb.DuckDBPyConnection, world: World) -> None:
    """Every subscription that ended after a month boundary shows one churn row."""
    ended = [
        s
        for s in world.subscriptions
        if s.canceled_at is not None
        and local_date(s.canceled_at).replace(day=1) > local_date(s.created_at).replace(day=1)
    ]
    [(churned,)] = query(
        warehouse,
        "select count(*) from intermediate.int_subscriptions_mrr_monthly where movement_type = 'churn'",
    )
    assert churned == len(ended)


def test_lead_first_orders_reconcile_with_hubspot_customer_dates(warehouse: duckdb.DuckDBPyConnection) -> None:
    """HubSpot's customer date is the first paid order: each lead's store-side first valid order agrees with it.

    A cross-source check (the world does not say which contacts HubSpot shows as leads): identity joins the
    CRM contact to the orders of the same person, and the first valid order must be HubSpot's customer date.
    """
    [(leads, with_order, disagreeing)] = query(
        warehouse,
        """
        select
            count(*),
            sum(case when first_order_at is not null then 1 else 0 end),
            sum(
                case
                    when (first_order_at is null) <> (crm_customer_at is null) then 1
                    when abs(date_diff('second', crm_customer_at, first_order_at)) > 1 then 1
                    else 0
                end
            )
        from intermediate.int_leads_converted
        """,
    )
    assert leads > 0
    assert with_order > 0
    assert disagreeing == 0
