"""Experiments stage: the KPI math, and the A/B test results against the simulated truth.

1. `jornada.normal_cdf` and `jornada.two_sided_p_value` (macros/kpis/kpi_math.sql)
   use the Abramowitz-Stegun 26.2.17 approximation of the standard normal
   distribution (absolute error below 7.5e-8). The macros are rendered with
   Jinja, the SQL run in DuckDB over z in [-6, 6], and compared with
   Python's `math.erf`.

2. `marts.fct_ab_test_results` against `jornada_gen.world.build_world()`
   (the world the demo seeds were rendered from). `run_campaigns` sends each
   A/B campaign's variant B to a random half of its audience, with a 25%
   lift on opens and clicks and a higher purchase intent after a click.
   Derived from the world, by intention to treat:
   - recipients: the addresses each campaign was sent to, each counted once
     in the variant of its first message. An SMS to a person who gave a
     shared company switchboard goes to that number, which identity
     resolution keeps as a person of its own (it must not merge its users):
     one recipient for all of them, with no orders of its own;
   - conversions: recipients with a valid order at or after their first
     send and at most the channel's `attribution_lookback_days` later,
     with the net revenue of those orders;
   - email clickers: recipients who clicked (SendGrid exports clicks).
     WhatsApp and SMS clicks reach the warehouse only as tagged web
     sessions, tied to the person only when the device was ever linked to
     them, so there the warehouse counts at most the true clickers.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import duckdb
import jinja2
import pytest
import yaml

from conftest import PROJECT_DIR, query
from jornada_gen.sources.twilio import callbacks_lost
from jornada_gen.world import BUSINESS_TZ, Campaign, Message, Order, World

KPI_MATH = PROJECT_DIR / "macros" / "kpis" / "kpi_math.sql"
RESULTS = "marts.fct_ab_test_results"
KPIS = "marts.kpi_experiments_daily"
VALID_STATUSES = {"paid", "partially_refunded", "refunded"}
ABRAMOWITZ_STEGUN_MAX_ERROR = 7.5e-8  # |error| of 26.2.17 on Phi(z)


def project_var(name: str):
    return yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"][name]


def phi(z: float) -> float:
    """The standard normal CDF, exactly (to double precision)."""
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def two_sided_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2.0))


def pooled_z(x1: int, n1: int, x0: int, n0: int) -> float | None:
    pooled = (x1 + x0) / (n1 + n0) if n1 and n0 else None
    if pooled is None or pooled in (0.0, 1.0):
        return None
    return (x1 / n1 - x0 / n0) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))


# ------------------------------------------------------------------ KPI math
@pytest.fixture(scope="module")
def kpi_math() -> SimpleNamespace:
    """The macros of kpi_math.sql, rendered by Jinja as dbt renders them on DuckDB."""
    jornada = SimpleNamespace(type_double=lambda: "double")
    template = jinja2.Environment().from_string(KPI_MATH.read_text(), globals={"jornada": jornada})
    macros = template.module
    jornada.normal_upper_tail = macros.normal_upper_tail
    jornada.normal_cdf = macros.normal_cdf
    jornada.two_sided_p_value = macros.two_sided_p_value
    jornada.two_proportion_z = macros.two_proportion_z
    return jornada


@pytest.fixture(scope="module")
def grid(kpi_math: SimpleNamespace) -> list[tuple[float, float, float]]:
    """(z, Phi(z), p-value) from DuckDB for z = -6.000, -5.999, ..., 6.000."""
    connection = duckdb.connect()
    rows = connection.execute(
        f"""
        select z, {kpi_math.normal_cdf("z")} as cdf, {kpi_math.two_sided_p_value("z")} as p_value
        from (select cast(i as double) / 1000 as z from range(-6000, 6001) as steps(i))
        order by z
        """
    ).fetchall()
    connection.close()
    return rows


def test_normal_cdf_matches_erf_over_minus_6_to_6(grid: list[tuple[float, float, float]]) -> None:
    assert len(grid) == 12001
    errors = [abs(cdf - phi(z)) for z, cdf, _ in grid]
    worst = max(range(len(grid)), key=errors.__getitem__)
    assert errors[worst] < ABRAMOWITZ_STEGUN_MAX_ERROR, f"z = {grid[worst][0]}: error {errors[worst]:.3g}"
    # the approximation is not exact: the comparison measures something
    assert errors[worst] > 1e-9


def test_normal_cdf_is_a_distribution_function(grid: list[tuple[float, float, float]]) -> None:
    cdfs = [cdf for _, cdf, _ in grid]
    assert all(0.0 <= cdf <= 1.0 for cdf in cdfs)
    assert all(later >= earlier for earlier, later in itertools.pairwise(cdfs))
    by_z = {round(z, 3): cdf for z, cdf, _ in grid}
    assert abs(by_z[0.0] - 0.5) < ABRAMOWITZ_STEGUN_MAX_ERROR
    # symmetric: Phi(-z) = 1 - Phi(z) (the two branches of the macro), except at 0 itself,
    # where the z >= 0 branch gives 1 - Phi(0-) and both are within the error bound
    assert all(abs(by_z[z] + by_z[-z] - 1.0) < 1e-12 for z in by_z if z != 0)


def test_two_sided_p_value_matches_erf(grid: list[tuple[float, float, float]]) -> None:
    for z, _, p_value in grid:
        assert abs(p_value - two_sided_p(z)) < 2 * ABRAMOWITZ_STEGUN_MAX_ERROR, z
    by_z = {round(z, 3): p for z, _, p in grid}
    assert abs(by_z[1.96] - 0.05) < 1e-4
    assert abs(by_z[0.0] - 1.0) < 2 * ABRAMOWITZ_STEGUN_MAX_ERROR


def test_macros_give_null_for_undefined_statistics(kpi_math: SimpleNamespace) -> None:
    connection = duckdb.connect()
    [row] = connection.execute(
        f"""
        select
            {kpi_math.normal_cdf("cast(null as double)")},
            {kpi_math.two_sided_p_value("cast(null as double)")},
            {kpi_math.two_proportion_z("70", "1000", "50", "1000")},
            {kpi_math.two_proportion_z("0", "0", "50", "1000")},
            {kpi_math.two_proportion_z("0", "100", "0", "100")}
        """
    ).fetchall()
    connection.close()
    assert row[:2] == (None, None)
    assert row[2] == pytest.approx(pooled_z(70, 1000, 50, 1000), abs=1e-12)
    assert row[3:] == (None, None)


# ------------------------------------------------------------- world truth
@dataclass
class VariantTruth:
    recipients: int = 0
    conversions: int = 0
    revenue: Decimal = Decimal("0")
    email_clickers: int = 0
    clickers: int = 0


@dataclass
class Recipient:
    first: Message
    persons: set[int] = field(default_factory=set)


def is_valid(order: Order) -> bool:
    return order.cancelled_at is None and order.financial_status in VALID_STATUSES


def net_revenue(order: Order) -> Decimal:
    refunded = sum((min(amount, order.total) for _, _, amount in order.refunds), Decimal("0"))
    return max(order.total - refunded, Decimal("0"))


def address(message: Message) -> tuple[str, str | int]:
    """Who the warehouse sees as the recipient: the person, or the shared number an SMS went to."""
    if message.channel == "sms" and message.person.company_phone is not None:
        return ("shared_phone", message.person.company_phone)
    return ("person", message.person.key)


def ab_tests(world: World) -> list[Campaign]:
    return [campaign for campaign in world.campaigns if len(campaign.variants) > 1]


@pytest.fixture(scope="module")
def truth(world: World) -> dict[tuple[str, str], VariantTruth]:
    """(campaign_id, variant) -> what really happened, by intention to treat."""
    lookback = project_var("attribution_lookback_days")
    orders_by_person: dict[int, list[Order]] = defaultdict(list)
    for order in world.orders:
        if is_valid(order):
            orders_by_person[order.person.key].append(order)
    tests = {campaign.campaign_id: campaign for campaign in ab_tests(world)}
    clicks = {(m.campaign.campaign_id, m.person.key) for m in world.messages if m.click_times}
    recipients: dict[tuple[str, tuple], Recipient] = {}
    lost = callbacks_lost(world)  # SMS whose campaign no export carries: in no test
    for message in world.messages:
        if message.campaign.campaign_id not in tests or message.message_id in lost:
            continue
        key = (message.campaign.campaign_id, address(message))
        recipient = recipients.setdefault(key, Recipient(message))
        recipient.persons.add(message.person.key)
        if message.sent_at < recipient.first.sent_at:
            recipient.first = message
    results: dict[tuple[str, str], VariantTruth] = defaultdict(VariantTruth)
    for (campaign_id, (kind, _)), recipient in recipients.items():
        first = recipient.first
        variant = results[(campaign_id, first.variant)]
        variant.recipients += 1
        if kind == "person":
            window_end = first.sent_at + timedelta(days=lookback.get(first.channel, lookback["web"]))
            orders = [o for o in orders_by_person[first.person.key] if first.sent_at <= o.created_at <= window_end]
            variant.conversions += bool(orders)
            variant.revenue += sum((net_revenue(o) for o in orders), Decimal("0"))
        clicked = any((campaign_id, person) in clicks for person in recipient.persons)
        variant.clickers += clicked
        variant.email_clickers += clicked and first.channel == "email"
    return results


@pytest.fixture(scope="module")
def results(warehouse: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], dict]:
    cursor = warehouse.execute(f"select * from {RESULTS}")
    columns = [description[0] for description in cursor.description]
    rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return {(row["campaign_id"], row["variant"]): row for row in rows}


def test_ab_tests_are_the_worlds_multi_variant_campaigns(world: World, results: dict) -> None:
    expected = {(c.campaign_id, variant) for c in ab_tests(world) for variant in c.variants}
    assert expected, "the world runs A/B tests"
    assert set(results) == expected
    single = {c.campaign_id for c in world.campaigns if len(c.variants) == 1}
    assert not single & {campaign_id for campaign_id, _ in results}


def test_recipients_per_campaign_variant_match_the_world(world: World, truth: dict, results: dict) -> None:
    assert {key: row["recipients"] for key, row in results.items()} == {
        key: value.recipients for key, value in truth.items()
    }
    # a shared number is one recipient however many persons were texted at it
    messages = defaultdict(int)
    for message in world.messages:
        messages[(message.campaign.campaign_id, message.variant)] += 1
    assert all(row["recipients"] <= messages[key] for key, row in results.items())


def test_conversions_and_revenue_match_the_world(truth: dict, results: dict) -> None:
    assert {key: row["conversions"] for key, row in results.items()} == {
        key: value.conversions for key, value in truth.items()
    }
    assert {key: row["conversion_revenue"] for key, row in results.items()} == {
        key: value.revenue for key, value in truth.items()
    }
    assert sum(value.conversions for value in truth.values()) > 0


def test_clickers_match_the_world_where_the_exports_tell(truth: dict, results: dict) -> None:
    for key, row in results.items():
        if row["channel"] == "email":
            assert row["clickers"] == truth[key].email_clickers, key
        else:
            assert 0 < row["clickers"] <= truth[key].clickers, key


def test_variant_b_lifts_as_the_world_says(truth: dict, results: dict) -> None:
    """Pooled over every test: B clicks and converts more often than control A, in the world and here."""

    def pooled(variant: str, metric: str, source: dict) -> float:
        rows = [value for (_, v), value in source.items() if v == variant]
        if source is results:
            return sum(row[metric] for row in rows) / sum(row["recipients"] for row in rows)
        return sum(getattr(value, metric) for value in rows) / sum(value.recipients for value in rows)

    assert pooled("B", "clickers", truth) > 1.2 * pooled("A", "clickers", truth)
    assert pooled("B", "clickers", results) > 1.2 * pooled("A", "clickers", results)
    assert pooled("B", "conversions", truth) > pooled("A", "conversions", truth)
    assert pooled("B", "conversions", results) > pooled("A", "conversions", results)
    assert all(row["is_control"] == (variant == "A") for (_, variant), row in results.items())


def test_statistics_agree_with_an_exact_computation(results: dict) -> None:
    alpha = project_var("ab_alpha")
    for (campaign_id, variant), row in results.items():
        control = results[(campaign_id, row["control_variant"])]
        assert row["control_conversions"] == control["conversions"]
        if row["is_control"]:
            assert (row["z_statistic"], row["p_value"], row["is_significant"]) == (None, None, False)
            continue
        z = pooled_z(row["conversions"], row["recipients"], control["conversions"], control["recipients"])
        if z is None:
            assert row["z_statistic"] is None and row["p_value"] is None
            continue
        assert row["z_statistic"] == pytest.approx(z, abs=5e-7), (campaign_id, variant)
        assert row["p_value"] == pytest.approx(two_sided_p(z), abs=5e-6 + 2 * ABRAMOWITZ_STEGUN_MAX_ERROR)
        if abs(two_sided_p(z) - alpha) > 1e-6:
            assert row["is_significant"] == (two_sided_p(z) < alpha), (campaign_id, variant)
        lift = row["conversion_rate"] - control["conversion_rate"]
        assert row["absolute_lift"] == pytest.approx(lift, abs=5e-7)


def test_world_assignment_shows_no_sample_ratio_mismatch(world: World, results: dict) -> None:
    """The world assigns variants uniformly, as the catalog's 0.5 / 0.5 says: no test flags a mismatch."""
    for campaign in ab_tests(world):
        for variant in campaign.variants:
            assert results[(campaign.campaign_id, variant)]["allocation_share"] == 1 / len(campaign.variants)
    assert not any(row["has_sample_ratio_mismatch"] for row in results.values())


def test_kpi_rows_publish_the_results(warehouse: duckdb.DuckDBPyConnection, results: dict) -> None:
    rows = query(
        warehouse,
        f"""
        select campaign_id, channel, metric_date, dimension, dimension_value, numerator, denominator, value
        from {KPIS}
        where kpi_name = 'ab_conversion_rate'
        """,
    )
    by_slice = {(r[0], r[3], r[4]): r for r in rows}
    assert len(by_slice) == len(rows) == len(results) + len({campaign_id for campaign_id, _ in results})
    for (campaign_id, variant), row in results.items():
        kpi = by_slice[(campaign_id, "variant", variant)]
        assert kpi[1:3] == (row["channel"], row["first_send_date"])
        assert (kpi[5], kpi[6]) == (row["conversions"], row["recipients"])
        assert kpi[7] == pytest.approx(row["conversion_rate"])
    for campaign_id in {campaign_id for campaign_id, _ in results}:
        variants = [row for (c, _), row in results.items() if c == campaign_id]
        kpi = by_slice[(campaign_id, "all", "all")]
        assert (kpi[5], kpi[6]) == (sum(r["conversions"] for r in variants), sum(r["recipients"] for r in variants))


def test_first_send_date_is_the_local_date_of_the_first_send(world: World, results: dict) -> None:
    for campaign in ab_tests(world):
        first_sent_at = min(m.sent_at for m in world.messages if m.campaign is campaign)
        for variant in campaign.variants:
            row = results[(campaign.campaign_id, variant)]
            assert row["first_send_date"] == first_sent_at.astimezone(BUSINESS_TZ).date()
            # vendors stamp a message's first event seconds after the send request
            lag = row["first_sent_at"] - first_sent_at.replace(tzinfo=None)
            assert timedelta(0) <= lag <= timedelta(minutes=1), (campaign.campaign_id, lag)
