"""The Sales KPIs (`marts.kpi_sales_daily`) against the simulated truth.

`jornada_gen.world.build_world()` is what happened; the warehouse only sees the
tools' exports. The Sales rows must tell the same story:

- orders, revenue and cross-sell orders summed over the window's local dates
  equal the world's valid orders (paid, partially or fully refunded; not
  cancelled, not pending), their net revenue and those with a cross-sell line;
  the channel rows add up to the `all` rows;
- checkouts per local start date: abandoned (not completed within 24 h),
  recovered (completed after a cart-recovery message) and those that got a
  message equal the world's, where the world links each recovery message to
  its checkout and the warehouse has to match it by person and time;
- repurchase_rate on the last day: persons with 2+ valid orders / persons with
  1+, historical orders included;
- new customers per month (customer_acquisition_cost's denominator);
- MRR at the end of every month and the MRR lost to churn and contraction.

Intended differences, all accounted for below rather than loosened:
- a checkout still open less than 24 h before the export's latest change
  (`as_of_at`) has no known outcome yet: the warehouse leaves it out of the
  abandonment denominator, and so does the truth here (the world, which knows
  the future, would call some of them abandoned);
- marketing spend is not part of the world (the ad-spend export is generated
  apart), so the CAC numerator is reconciled with the converted spend model
  instead;
- MRR of the current month is MRR at the export, which is the end of the
  world's window.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import duckdb
import pytest

from conftest import query
from jornada_gen.world import BUSINESS_TZ, Checkout, Order, Subscription, World

VALID_STATUSES = {"paid", "partially_refunded", "refunded"}
ABANDONMENT_LIMIT = timedelta(hours=24)  # var cart_abandonment_hours (default)
DOWNGRADED_MONTHLY = Decimal("39.90")  # the lighter plan a downgrade moves to (Stripe renderer)
CENT = Decimal("0.01")
MONEY = 0.005  # numerators are doubles: money compared to the cent


def local_date(at: datetime) -> date:
    return at.astimezone(BUSINESS_TZ).date()


def window_dates(world: World) -> tuple[date, date]:
    return world.start, world.start + timedelta(days=world.days - 1)


def is_valid(order: Order) -> bool:
    return order.cancelled_at is None and order.financial_status in VALID_STATUSES


def net_revenue(order: Order) -> Decimal:
    refunded = sum((min(amount, order.total) for _, _, amount in order.refunds), Decimal("0"))
    return max(order.total - refunded, Decimal("0"))


def headline(warehouse: duckdb.DuckDBPyConnection, kpi_name: str, where: str = "true") -> list[tuple]:
    """(metric_date, numerator, denominator, value) of a KPI's all-channel, all-campaign, undivided rows."""
    return query(
        warehouse,
        f"""
        select metric_date, numerator, denominator, value
        from marts.kpi_sales_daily
        where
            kpi_name = '{kpi_name}'
            and channel = 'all'
            and campaign_id is null
            and dimension = 'all'
            and {where}
        order by metric_date
        """,
    )


def window_rows(warehouse: duckdb.DuckDBPyConnection, world: World, kpi_name: str) -> list[tuple]:
    first_day, last_day = window_dates(world)
    return headline(warehouse, kpi_name, f"metric_date between '{first_day}' and '{last_day}'")


def window_orders(world: World) -> list[Order]:
    first_day, last_day = window_dates(world)
    return [o for o in world.orders if is_valid(o) and first_day <= local_date(o.created_at) <= last_day]


def test_orders_revenue_and_average_ticket_over_the_window(warehouse: duckdb.DuckDBPyConnection, world: World) -> None:
    truth = window_orders(world)
    assert truth, "the world has orders in its window"
    per_day = Counter(local_date(o.created_at) for o in truth)
    orders = window_rows(warehouse, world, "orders")
    assert {day: int(numerator) for day, numerator, _, _ in orders if numerator} == dict(per_day)
    assert all(denominator == 1 for _, _, denominator, _ in orders)

    revenue = sum(numerator for _, numerator, _, _ in window_rows(warehouse, world, "revenue"))
    truth_revenue = sum((net_revenue(o) for o in truth), Decimal("0"))
    assert revenue == pytest.approx(float(truth_revenue), abs=MONEY)

    ticket = window_rows(warehouse, world, "average_ticket")
    assert sum(denominator for _, _, denominator, _ in ticket) == len(truth)
    assert sum(numerator for _, numerator, _, _ in ticket) / len(truth) == pytest.approx(
        float(truth_revenue / len(truth)), abs=MONEY
    )


def test_channel_rows_add_up_to_all_channels(warehouse: duckdb.DuckDBPyConnection) -> None:
    """Each order has one landing channel, so the channel slices partition the `all` rows."""
    rows = query(
        warehouse,
        """
        select
            kpi_name,
            sum(case when channel = 'all' then numerator else 0 end),
            sum(case when channel <> 'all' then numerator else 0 end),
            sum(case when channel = 'all' then denominator else 0 end),
            sum(case when channel <> 'all' then denominator else 0 end)
        from marts.kpi_sales_daily
        where
            kpi_name in ('revenue', 'average_ticket', 'cross_sell_rate')
            and campaign_id is null
            and dimension = 'all'
        group by kpi_name
        """,
    )
    assert len(rows) == 3
    for kpi_name, all_numerator, channel_numerator, all_denominator, channel_denominator in rows:
        assert channel_numerator == pytest.approx(all_numerator, abs=MONEY), kpi_name
        if kpi_name != "revenue":  # revenue is a currency count: denominator 1 per row
            assert channel_denominator == all_denominator, kpi_name


def test_cross_sell_orders_over_the_window(warehouse: duckdb.DuckDBPyConnection, world: World) -> None:
    truth = window_orders(world)
    cross_sell = [o for o in truth if any(is_cross_sell for *_, is_cross_sell in o.lines)]
    assert 0 < len(cross_sell) < len(truth)
    rows = window_rows(warehouse, world, "cross_sell_rate")
    assert sum(numerator for _, numerator, _, _ in rows) == len(cross_sell)
    assert sum(denominator for _, _, denominator, _ in rows) == len(truth)


def checkout_truth(checkout: Checkout, as_of: datetime) -> tuple[bool, bool, bool, bool]:
    """(outcome known, abandoned, got a recovery message, recovered) of a world checkout as of `as_of`."""
    in_time = checkout.completed_at is not None and checkout.completed_at - checkout.created_at <= ABANDONMENT_LIMIT
    known = in_time or checkout.created_at + ABANDONMENT_LIMIT <= as_of
    abandoned = known and not in_time
    messaged = abandoned and bool(checkout.recovery_messages)
    return known, abandoned, messaged, messaged and checkout.completed_at is not None


def test_abandoned_and_recovered_checkouts_per_day(warehouse: duckdb.DuckDBPyConnection, world: World) -> None:
    [(as_of_utc,)] = query(warehouse, "select max(as_of_at) from marts.fct_checkouts")
    as_of = as_of_utc.replace(tzinfo=UTC)  # stored timestamps are naive UTC
    decided: Counter[date] = Counter()
    abandoned: Counter[date] = Counter()
    messaged: Counter[date] = Counter()
    recovered: Counter[date] = Counter()
    for checkout in world.checkouts:
        day = local_date(checkout.created_at)
        known, is_abandoned, got_message, is_recovered = checkout_truth(checkout, as_of)
        decided[day] += known
        abandoned[day] += is_abandoned
        messaged[day] += got_message
        recovered[day] += is_recovered
    undecided = len(world.checkouts) - sum(decided.values())
    assert undecided < len(world.checkouts) * 0.05, "only the last day's open checkouts are undecided"
    assert sum(recovered.values()) > 0, "the world recovers some carts"
    late_recoveries = [
        c
        for c in world.checkouts
        if c.recovery_messages and c.completed_at and c.completed_at - c.created_at > ABANDONMENT_LIMIT
    ]
    assert late_recoveries, "the world completes some carts more than 24 h after a recovery message"

    abandonment = headline(warehouse, "cart_abandonment_rate")
    assert {d: int(n) for d, n, _, _ in abandonment if n} == {d: n for d, n in abandoned.items() if n}
    assert {d: int(n) for d, _, n, _ in abandonment if n} == {d: n for d, n in decided.items() if n}
    recovery = headline(warehouse, "cart_recovery_rate")
    assert {d: int(n) for d, n, _, _ in recovery if n} == {d: n for d, n in recovered.items() if n}
    assert {d: int(n) for d, _, n, _ in recovery if n} == {d: n for d, n in messaged.items() if n}
    assert all(value is None for _, _, denominator, value in abandonment + recovery if denominator == 0)


def test_repurchase_rate_to_date_on_the_last_day(warehouse: duckdb.DuckDBPyConnection, world: World) -> None:
    _, last_day = window_dates(world)
    per_person = Counter(o.person.key for o in world.orders if is_valid(o) and local_date(o.created_at) <= last_day)
    [(_, numerator, denominator, value)] = headline(
        warehouse, "repurchase_rate", f"period = 'to_date' and metric_date = '{last_day}'"
    )
    assert denominator == len(per_person)
    assert numerator == sum(1 for orders in per_person.values() if orders >= 2)
    assert value == pytest.approx(numerator / denominator)


def test_new_customers_and_spend_per_month(warehouse: duckdb.DuckDBPyConnection, world: World) -> None:
    first_orders: dict[int, date] = {}
    for order in sorted((o for o in world.orders if is_valid(o)), key=lambda o: o.created_at):
        first_orders.setdefault(order.person.key, local_date(order.created_at))
    truth = Counter(day.replace(day=1) for day in first_orders.values())
    rows = headline(warehouse, "customer_acquisition_cost", "period = 'month'")
    assert rows, "months the spend export covers have a CAC row"
    assert {month: int(denominator) for month, _, denominator, _ in rows} == {month: truth[month] for month, *_ in rows}
    spend = dict(
        query(
            warehouse,
            """
            select cast(date_trunc('month', spend_date) as date), cast(sum(amount) as double)
            from intermediate.int_spend_daily_converted
            group by 1
            """,
        )
    )
    for month, numerator, denominator, value in rows:
        assert numerator == pytest.approx(spend[month], abs=MONEY)
        assert value == pytest.approx(numerator / denominator)


def monthly_amount(unit_amount: Decimal, interval: str) -> Decimal:
    return (unit_amount / 12 if interval == "year" else unit_amount).quantize(CENT)


def item_spans(subscription: Subscription) -> list[tuple[date, date | None, Decimal]]:
    """(first local date, last local date or None, MRR) of each price a subscription billed."""
    start = local_date(subscription.created_at)
    amount = monthly_amount(subscription.unit_amount, subscription.interval)
    if subscription.downgraded_at is not None:
        changed = local_date(subscription.downgraded_at)
        return [(start, changed, amount), (changed, None, monthly_amount(DOWNGRADED_MONTHLY, "month"))]
    end = local_date(subscription.canceled_at) if subscription.canceled_at else None
    return [(start, end, amount)]


def mrr_at(spans: list[tuple[date, date | None, Decimal]], instant: date) -> Decimal:
    """MRR at the first instant of a local date: items started before it and not ended before it."""
    return sum(
        (amount for start, end, amount in spans if start < instant and (end is None or end >= instant)), Decimal(0)
    )


def next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


def test_mrr_and_mrr_churn_every_month(warehouse: duckdb.DuckDBPyConnection, world: World) -> None:
    """MRR at each month's end, and (churned + contraction) / MRR at its start, from the world's subscriptions."""
    mrr = {month: numerator for month, numerator, _, _ in headline(warehouse, "mrr", "period = 'month'")}
    churn = {month: (n, d) for month, n, d, _ in headline(warehouse, "mrr_churn_rate", "period = 'month'")}
    assert mrr and set(mrr) == set(churn)
    spans = [item_spans(s) for s in world.subscriptions]
    for month in sorted(mrr):
        start = [mrr_at(s, month) for s in spans]
        end = [mrr_at(s, next_month(month)) for s in spans]
        lost = sum((a - b for a, b in zip(start, end, strict=True) if b < a), Decimal(0))
        assert mrr[month] == pytest.approx(float(sum(end, Decimal(0))), abs=MONEY), month
        assert churn[month][0] == pytest.approx(float(lost), abs=MONEY), month
        assert churn[month][1] == pytest.approx(float(sum(start, Decimal(0))), abs=MONEY), month


def test_mrr_at_the_end_of_the_window(warehouse: duckdb.DuckDBPyConnection, world: World) -> None:
    """The current month's MRR is MRR at the export: the subscriptions billing when the window ends."""
    active = [s for s in world.subscriptions if s.created_at < world.end_at and s.canceled_at is None]
    truth = sum(
        (
            monthly_amount(DOWNGRADED_MONTHLY if s.downgraded_at is not None else s.unit_amount, s.interval)
            for s in active
        ),
        Decimal(0),
    )
    annual = [s for s in active if s.interval == "year"]
    assert annual, "annual plans count 1/12 of their price"
    last_month = window_dates(world)[1].replace(day=1)
    [(_, numerator, denominator, value)] = headline(
        warehouse, "mrr", f"period = 'month' and metric_date = '{last_month}'"
    )
    assert denominator == 1
    assert numerator == value == pytest.approx(float(truth), abs=MONEY)
