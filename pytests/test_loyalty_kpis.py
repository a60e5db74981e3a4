"""Loyalty KPIs (kpi_loyalty_daily and the marts of models/marts/loyalty) against the truth.

Surveys and reviews are not facts of the simulated world (their renderers draw
scores when exporting), so their truth is the raw export itself: the seeded
CSV files, read here by the documented format rules (malformed rows left out,
repeated rows counted once). NPS, CSAT, CES and review rating must equal what
the export says, per local day, channel and touchpoint, exactly.

Customers, orders and subscriptions are the world's (`build_world()`):
retention_rate and churn_rate are recomputed here with the same definition,
independently of the SQL: a customer has a running subscription, or a valid
order at most 180 days old placed after their last subscription cancellation;
lost in a month = customer at its start and not at its end. Historical CLV is
the world's net revenue of valid orders per buying person. The predicted CLV
takes its order figures and churn from the world; marketing spend is not in
the world (the ad platforms' renderers draw it), so it is read from the mart.

Intended differences: none in these figures.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from conftest import SEEDS_RAW, query
from jornada_gen.world import BUSINESS_TZ, Order, World

CHURN_INACTIVITY_DAYS = 180
CSAT_SATISFIED_MIN_SCORE = 4
DAYS_PER_YEAR = 365
VALID_STATUSES = {"paid", "partially_refunded", "refunded"}
SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
SURVEY_CHANNELS = {"email", "whatsapp", "sms", "chat", "web"}
TOUCHPOINTS = {"post_purchase", "post_ticket", "post_chat", "relationship"}
REVIEW_CHANNELS = {"store_site": "store", "google": "web"}


# ----------------------------------------------------------------- raw exports
def read_export(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def parse_utc(text: str) -> datetime | None:
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def whole_number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


def local_date(at: datetime) -> date:
    return at.astimezone(BUSINESS_TZ).date()


@dataclass(frozen=True)
class Answer:
    response_id: str
    survey_type: str
    score: int
    channel: str
    touchpoint: str
    responded_on: date
    order_id: str


def valid_answers() -> list[Answer]:
    """Answers of the survey export that its format accepts, each answer once."""
    answers: dict[str, Answer] = {}
    for row in read_export(SEEDS_RAW / "surveys" / "surveys__responses.csv"):
        response_id = row["response_id"].strip()
        survey_type = row["survey_type"].strip().lower()
        sent_at, responded_at = parse_utc(row["sent_at"]), parse_utc(row["responded_at"])
        score = whole_number(row["score"])
        channel = row["delivery_channel"].strip().lower()
        touchpoint = row["touchpoint"].strip().lower()
        if not response_id or sent_at is None or responded_at is None or survey_type not in SCALES:
            continue
        if channel not in SURVEY_CHANNELS or touchpoint not in TOUCHPOINTS or score is None:
            continue
        low, high = SCALES[survey_type]
        if not low <= score <= high:
            continue
        answers[response_id] = Answer(
            response_id, survey_type, score, channel, touchpoint, local_date(responded_at), row["order_id"].strip()
        )
    return list(answers.values())


@dataclass(frozen=True)
class Review:
    review_id: str
    channel: str
    rating: int
    is_product_review: bool
    is_published: bool
    created_on: date


def valid_reviews() -> list[Review]:
    """Reviews of the review export its format accepts; a re-exported review counts once (latest load)."""
    latest: dict[str, tuple[tuple[str, str], Review]] = {}
    for row in read_export(SEEDS_RAW / "reviews" / "reviews__reviews.csv"):
        review_id = (row["review_id"] or "").strip()
        created_at = parse_utc(row["created_at"])
        platform = row["platform"].strip().lower()
        rating = whole_number(row["rating"])
        published = row["published"].strip().lower()
        verified = row["verified_buyer"].strip().lower()
        if not review_id or created_at is None or platform not in REVIEW_CHANNELS:
            continue
        if rating is None or not 1 <= rating <= 5 or {published, verified} - {"true", "false"}:
            continue
        review = Review(
            review_id,
            REVIEW_CHANNELS[platform],
            rating,
            bool(row["product_sku"].strip()),
            published == "true",
            local_date(created_at),
        )
        load_key = (row["_loaded_at"], row["_file_name"])
        if review_id not in latest or load_key > latest[review_id][0]:
            latest[review_id] = (load_key, review)
    return [review for _, review in latest.values()]


@pytest.fixture(scope="module")
def answers() -> list[Answer]:
    return valid_answers()


def kpi_slices(
    warehouse: duckdb.DuckDBPyConnection, kpi_name: str, dimension: str = "all"
) -> dict[tuple[date, str], tuple[float, float, float]]:
    """(metric_date, channel or dimension value) -> (numerator, denominator, value) of one KPI's rows."""
    key = "channel" if dimension == "all" else "dimension_value"
    rows = query(
        warehouse,
        f"""
        select metric_date, {key}, numerator, denominator, value
        from marts.kpi_loyalty_daily
        where kpi_name = '{kpi_name}' and dimension = '{dimension}'
        """,
    )
    return {(metric_date, slice_): (num, den, value) for metric_date, slice_, num, den, value in rows}


def add_slice(truth: dict, key: tuple, numerator: float, denominator: float = 1) -> None:
    previous = truth.get(key, (0, 0))
    truth[key] = (previous[0] + numerator, previous[1] + denominator)


def survey_truth(answers: list[Answer], survey_type: str, by: str) -> dict[tuple[date, str], tuple[float, float]]:
    """The KPI's numerator and denominator per local day and channel (plus `all`) or touchpoint."""

    def numerator(answer: Answer) -> int:
        if survey_type == "nps":
            return 1 if answer.score >= 9 else (-1 if answer.score <= 6 else 0)
        if survey_type == "csat":
            return 1 if answer.score >= CSAT_SATISFIED_MIN_SCORE else 0
        return answer.score

    truth: dict[tuple[date, str], tuple[float, float]] = {}
    for answer in answers:
        if answer.survey_type != survey_type:
            continue
        if by == "channel":
            add_slice(truth, (answer.responded_on, answer.channel), numerator(answer))
            add_slice(truth, (answer.responded_on, "all"), numerator(answer))
        else:
            add_slice(truth, (answer.responded_on, answer.touchpoint), numerator(answer))
    return truth


def without_values(slices: dict[tuple[date, str], tuple[float, float, float]]) -> dict:
    return {key: (num, den) for key, (num, den, _) in slices.items()}


# ------------------------------------------------------------------ surveys
def test_every_valid_survey_answer_is_in_the_fact_once(
    warehouse: duckdb.DuckDBPyConnection, answers: list[Answer]
) -> None:
    """Row accounting: raw rows = answers + repeated rows + malformed rows, and the fact holds the answers."""
    manifest = json.loads((SEEDS_RAW / "surveys" / "planted_defects.json").read_text())["responses"]
    raw_rows = len(read_export(SEEDS_RAW / "surveys" / "surveys__responses.csv"))
    assert raw_rows == manifest["raw_rows"]
    assert raw_rows - manifest["duplicate_rows"] - manifest["malformed_rows"] == len(answers)
    ids = {answer.response_id for answer in answers}
    fact_ids = {row[0] for row in query(warehouse, "select response_id from marts.fct_survey_responses")}
    assert fact_ids == ids
    [(without_person,)] = query(warehouse, "select count(*) from marts.fct_survey_responses where person_id is null")
    assert without_person == 0


@pytest.mark.parametrize("survey_type", ["nps", "csat", "ces"])
def test_survey_kpis_per_day_and_channel_match_the_export(
    warehouse: duckdb.DuckDBPyConnection, answers: list[Answer], survey_type: str
) -> None:
    truth = survey_truth(answers, survey_type, by="channel")
    assert truth, f"the export has {survey_type} answers"
    slices = kpi_slices(warehouse, survey_type)
    assert without_values(slices) == truth
    scale = 100 if survey_type == "nps" else 1
    for numerator, denominator, value in slices.values():
        assert value == pytest.approx(scale * numerator / denominator)


@pytest.mark.parametrize("survey_type", ["nps", "csat", "ces"])
def test_survey_kpis_per_touchpoint_match_the_export(
    warehouse: duckdb.DuckDBPyConnection, answers: list[Answer], survey_type: str
) -> None:
    assert without_values(kpi_slices(warehouse, survey_type, "touchpoint")) == survey_truth(
        answers, survey_type, by="touchpoint"
    )


def test_nps_over_the_window_matches_the_export(warehouse: duckdb.DuckDBPyConnection, answers: list[Answer]) -> None:
    """NPS is additive: summing the daily all-channel rows gives the window's NPS of the export."""
    nps_answers = [a for a in answers if a.survey_type == "nps"]
    promoters = sum(1 for a in nps_answers if a.score >= 9)
    detractors = sum(1 for a in nps_answers if a.score <= 6)
    truth = 100 * (promoters - detractors) / len(nps_answers)
    [(numerator, denominator)] = query(
        warehouse,
        """
        select sum(numerator), sum(denominator)
        from marts.kpi_loyalty_daily
        where kpi_name = 'nps' and channel = 'all' and dimension = 'all'
        """,
    )
    assert (numerator, denominator) == (promoters - detractors, len(nps_answers))
    assert 100 * numerator / denominator == pytest.approx(truth)
    assert -100 <= truth <= 100


def test_post_purchase_respondents_are_the_buyers(warehouse: duckdb.DuckDBPyConnection, world: World) -> None:
    """Identity across sources: a post-purchase answer's person is the person of the order it is about."""
    world_orders = {o.order_id for o in world.orders}
    rows = query(
        warehouse,
        """
        select responses.order_id, responses.person_id, orders.person_id
        from marts.fct_survey_responses as responses
        left join intermediate.int_orders_enriched as orders
            on responses.order_id = orders.order_id
        where responses.touchpoint = 'post_purchase'
        """,
    )
    assert rows
    assert {order_id for order_id, _, _ in rows} <= world_orders
    assert [(order_id, a) for order_id, a, b in rows if a != b] == []


# ------------------------------------------------------------------ reviews
def test_review_rating_matches_the_export(warehouse: duckdb.DuckDBPyConnection) -> None:
    """Published reviews (the default) per local day and channel: sum of stars and count, exactly."""
    reviews = valid_reviews()
    counted = [r for r in reviews if r.is_published]
    assert 0 < len(counted) < len(reviews), "the export has held-back reviews, which do not count"
    truth: dict[tuple[date, str], tuple[float, float]] = {}
    subjects: dict[tuple[date, str], tuple[float, float]] = {}
    for review in counted:
        add_slice(truth, (review.created_on, review.channel), review.rating)
        add_slice(truth, (review.created_on, "all"), review.rating)
        add_slice(subjects, (review.created_on, "product" if review.is_product_review else "store"), review.rating)
    assert without_values(kpi_slices(warehouse, "review_rating")) == truth
    assert without_values(kpi_slices(warehouse, "review_rating", "review_subject")) == subjects
    [(stars, count)] = query(
        warehouse,
        """
        select sum(numerator), sum(denominator)
        from marts.kpi_loyalty_daily
        where kpi_name = 'review_rating' and channel = 'all' and dimension = 'all'
        """,
    )
    assert count == len(counted)
    assert stars / count == pytest.approx(sum(r.rating for r in counted) / len(counted))
    [(fact_reviews,)] = query(warehouse, "select count(*) from marts.fct_reviews")
    assert fact_reviews == len(reviews)


# ------------------------------------------------------- customers (the world)
def is_valid(order: Order) -> bool:
    return order.cancelled_at is None and order.financial_status in VALID_STATUSES


def net_revenue(order: Order) -> Decimal:
    refunded = sum((min(amount, order.total) for _, _, amount in order.refunds), Decimal("0"))
    return max(order.total - refunded, Decimal("0"))


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def previous_month(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


class CustomerBase:
    """The Loyalty customer definition, recomputed from the world's orders and subscriptions."""

    def __init__(self, world: World) -> None:
        self.as_of = max(local_date(o.created_at) for o in world.orders)
        self.history_start = min(local_date(o.created_at) for o in world.orders)
        self.orders: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
        for order in world.orders:
            if is_valid(order):
                self.orders[order.person.key].append((local_date(order.created_at), net_revenue(order)))
        self.subscriptions: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
        for subscription in world.subscriptions:
            ended = local_date(subscription.canceled_at) if subscription.canceled_at else None
            self.subscriptions[subscription.person.key].append((local_date(subscription.created_at), ended))
        self.persons = set(self.orders) | set(self.subscriptions)
        self.first_month = min(
            [start.replace(day=1) for spans in self.subscriptions.values() for start, _ in spans]
            + [self.history_start.replace(day=1)]
        )

    def period_end(self, month: date) -> date:
        return min(next_month(month) - timedelta(days=1), self.as_of)

    def subscribed(self, person: int, day: date) -> bool:
        """Subscription MRR at the first instant of a local date (started before it, not ended before it)."""
        return any(start < day and (end is None or end >= day) for start, end in self.subscriptions[person])

    def cancelled(self, person: int, month: date) -> bool:
        return self.subscribed(person, month) and not self.subscribed(person, next_month(month))

    def first_order(self, person: int) -> date | None:
        return min((day for day, _ in self.orders[person]), default=None)

    def customer_at_end(self, person: int, month: date) -> bool:
        if self.subscribed(person, next_month(month)):
            return True
        end = self.period_end(month)
        placed = [day for day, _ in self.orders[person] if day <= end]
        if not placed:
            return False
        last_order = max(placed)
        cancellation_months = [m for m in self.months_to(month) if self.cancelled(person, m)]
        if cancellation_months and last_order < next_month(max(cancellation_months)):
            return False
        return (end - last_order).days <= CHURN_INACTIVITY_DAYS

    def months_to(self, month: date) -> list[date]:
        first = self.first_month
        months = []
        while first <= month:
            months.append(first)
            first = next_month(first)
        return months

    def active(self, person: int, month: date) -> bool:
        ordered = any(month <= day <= self.period_end(month) for day, _ in self.orders[person])
        at_end = self.customer_at_end(person, month)
        return self.subscribed(person, next_month(month)) or (ordered and at_end)

    def reported_months(self) -> list[date]:
        """Months whose start is at least churn_inactivity_days + 1 days after the order history starts."""
        complete_from = self.history_start + timedelta(days=CHURN_INACTIVITY_DAYS + 1)
        return [m for m in self.months_to(self.as_of.replace(day=1)) if m >= complete_from]


@pytest.fixture(scope="module")
def customer_base(world: World) -> CustomerBase:
    return CustomerBase(world)


def monthly_rows(warehouse: duckdb.DuckDBPyConnection, kpi_name: str, dimension: str) -> dict:
    rows = query(
        warehouse,
        f"""
        select metric_date, dimension_value, numerator, denominator
        from marts.kpi_loyalty_daily
        where kpi_name = '{kpi_name}' and period = 'month' and dimension = '{dimension}'
        """,
    )
    return {(metric_date, value): (num, den) for metric_date, value, num, den in rows}


def test_retention_and_churn_match_the_world(warehouse: duckdb.DuckDBPyConnection, customer_base: CustomerBase) -> None:
    base = customer_base
    months = base.reported_months()
    assert months, "the world's order history covers at least one month"
    retention: dict = {}
    churn: dict = {}
    reasons: dict = {}
    for month in months:
        at_start = [p for p in base.persons if base.customer_at_end(p, previous_month(month))]
        lost = [p for p in at_start if not base.customer_at_end(p, month)]
        cancelled = [p for p in lost if base.cancelled(p, month)]
        retained = [p for p in at_start if base.active(p, month)]
        retention[(month, "all")] = (len(retained), len(at_start))
        churn[(month, "all")] = (len(lost), len(at_start))
        reasons[(month, "subscription_cancelled")] = (len(cancelled), len(at_start))
        reasons[(month, "inactivity")] = (len(lost) - len(cancelled), len(at_start))
    assert monthly_rows(warehouse, "retention_rate", "all") == retention
    assert monthly_rows(warehouse, "churn_rate", "all") == churn
    assert monthly_rows(warehouse, "churn_rate", "churn_reason") == reasons
    assert any(lost for lost, _ in churn.values()), "the world loses customers in the reported months"


def test_cohorts_match_the_world_and_add_up_to_the_month(
    warehouse: duckdb.DuckDBPyConnection, customer_base: CustomerBase
) -> None:
    """Cohort sizes are the world's first months as a customer; cohort rows add up to the headline row."""
    base = customer_base
    first_months: dict[date, int] = defaultdict(int)
    for person in base.persons:
        months = [day.replace(day=1) for day, _ in base.orders[person]]
        months += [
            m
            for m in base.months_to(base.as_of.replace(day=1))
            if base.subscribed(person, m) or base.subscribed(person, next_month(m))
        ]
        if months:  # a subscription that began and ended inside one month never made a customer
            first_months[min(months)] += 1
    rows = query(warehouse, "select distinct cohort_month, cohort_customers from marts.fct_retention_cohorts")
    assert dict(rows) == dict(first_months)
    headline = monthly_rows(warehouse, "retention_rate", "all")
    by_cohort: dict[date, tuple[float, float]] = {}
    for (month, _), (num, den) in monthly_rows(warehouse, "retention_rate", "acquisition_cohort").items():
        add_slice(by_cohort, (month,), num, den)
    assert {(month,): value for (month, _), value in headline.items()} == by_cohort


def test_historical_customer_lifetime_value_matches_the_world(
    warehouse: duckdb.DuckDBPyConnection, world: World
) -> None:
    valid = [o for o in world.orders if is_valid(o)]
    revenue = sum((net_revenue(o) for o in valid), Decimal("0"))
    buyers = {o.person.key for o in valid}
    last_day = max(local_date(o.created_at) for o in world.orders)
    [(metric_date, numerator, denominator, value)] = query(
        warehouse,
        """
        select metric_date, numerator, denominator, value
        from marts.kpi_loyalty_daily
        where kpi_name = 'customer_lifetime_value' and period = 'to_date'
        order by metric_date desc
        limit 1
        """,
    )
    assert metric_date == last_day
    assert denominator == len(buyers)
    assert Decimal(str(numerator)) == revenue
    assert value == pytest.approx(float(revenue) / len(buyers))
    [(customers, dim_revenue)] = query(
        warehouse, "select count(*), sum(net_revenue_to_date) from marts.dim_customer_lifetime_value"
    )
    assert (customers, dim_revenue) == (len(buyers), revenue)


def test_predicted_customer_lifetime_value_from_the_world_figures(
    warehouse: duckdb.DuckDBPyConnection, customer_base: CustomerBase
) -> None:
    """average ticket x purchases per year x 1 / annual churn - acquisition cost, per reported month."""
    base = customer_base
    spend = dict(
        query(
            warehouse,
            "select month_start, marketing_spend from marts.fct_customer_base_monthly where has_spend_data",
        )
    )
    predicted = {
        metric_date: value
        for metric_date, value in query(
            warehouse,
            """
            select metric_date, value
            from marts.kpi_loyalty_daily
            where kpi_name = 'customer_lifetime_value' and dimension = 'estimate'
            """,
        )
    }
    expected: dict[date, float] = {}
    for month in base.reported_months():
        end = base.period_end(month)
        days = (end - month).days + 1
        month_orders = [(p, r) for p in base.persons for day, r in base.orders[p] if month <= day <= end]
        in_month = [
            p for p in base.persons if base.customer_at_end(p, previous_month(month)) or base.customer_at_end(p, month)
        ]
        store = [p for p in in_month if base.first_order(p) is not None and base.first_order(p) <= end]
        store_at_start = [
            p for p in store if base.customer_at_end(p, previous_month(month)) and base.first_order(p) < month
        ]
        store_lost = [p for p in store_at_start if not base.customer_at_end(p, month)]
        new_store = [p for p in store if base.first_order(p) >= month]
        if month not in spend or not month_orders or not store_lost or not new_store:
            continue
        average_ticket = float(sum((r for _, r in month_orders), Decimal("0"))) / len(month_orders)
        purchases_per_year = len(month_orders) * DAYS_PER_YEAR / (len(store) * days)
        annual_churn = 1 - (1 - len(store_lost) / len(store_at_start)) ** (DAYS_PER_YEAR / days)
        acquisition_cost = float(spend[month]) / len(new_store)
        expected[month] = average_ticket * purchases_per_year / annual_churn - acquisition_cost
    assert expected, "at least one reported month has spend data and churn"
    assert set(predicted) == set(expected)
    for month, value in expected.items():
        assert predicted[month] == pytest.approx(value, abs=0.01)
