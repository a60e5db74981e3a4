"""Attraction KPIs (`marts.kpi_attraction_daily`) against the simulated truth.

`jornada_gen.world.build_world()` decides what happened (sessions, chats,
messages, orders); a few facts are decided by a source's renderer instead
(which contacts HubSpot shows as leads, the social posts and the sentiment
of each mention, the chat entry point). `generate_raw` seeds every renderer
with `random.Random(f"{seed}:{source}")`, so rendering the source again
from the same world gives exactly the rows it exported, before the loader's
duplicates; the malformed rows it planted are left out, as staging
quarantines them.

Exact: sessions, bounces and engagement time per day and traffic channel;
sessions in each trailing 30-day window; bot conversations, escalations and
conversions per day and channel; new leads per day and origin channel, the
weekly and monthly growth rates built from them; lead conversions within the
window; engagement per social post and per day; negative mentions per day;
persons reached by email per day.

Intended differences, each asserted as a bound where it shows:
- active visitors and the persons reached through ads and social visits are
  persons of the identity graph, where a visitor's unlinked second device is
  a person of its own: at least the true visitors, at most their devices;
- WhatsApp reports no `delivered` status for a message read while the chat
  is open, so its delivery (and the day its person counts as reached) is the
  read; and a few phones are not linked to their CRM person (a shared company
  switchboard, numbers only WhatsApp or Twilio knows): whatsapp and sms reach
  agrees with the truth within a few percent, not exactly.
Engagement seconds are sums of doubles (milliseconds / 1000): compared to
1e-9 relative error.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from types import ModuleType

import duckdb
import pytest

from conftest import query
from jornada_gen.sources import chat as chat_source
from jornada_gen.sources import hubspot as hubspot_source
from jornada_gen.sources import social as social_source
from jornada_gen.world import BUSINESS_TZ, Session, World

SEED = 42  # build_world's default seed, which the demo seeds were generated with
VALID_STATUSES = {"paid", "partially_refunded", "refunded"}
CONVERSION_WINDOW_DAYS = 30  # var conversion_window_days
HUBSPOT_CHANNEL = {
    "ORGANIC_SEARCH": "web",
    "DIRECT_TRAFFIC": "web",
    "REFERRALS": "web",
    "AI_REFERRALS": "web",
    "PAID_SEARCH": "ads",
    "PAID_SOCIAL": "ads",
    "OTHER_CAMPAIGNS": "ads",
    "SOCIAL_MEDIA": "social",
    "EMAIL_MARKETING": "email",
    "OFFLINE": "store",
}
SOCIAL_NETWORKS = {"instagram", "facebook", "tiktok", "youtube", "linkedin", "pinterest"}

Slice = tuple[date, str]  # (metric_date, channel)


def local_date(at: datetime) -> date:
    return at.astimezone(BUSINESS_TZ).date()


def last_day(world: World) -> date:
    return world.start + timedelta(days=world.days - 1)


def parse_utc(text: str) -> datetime:
    """Renderer timestamps: ISO 8601 UTC with a Z, with or without milliseconds."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def rendered(module: ModuleType, world: World, source: str) -> dict[str, list[dict]]:
    """The rows a source's renderer exported, by table, without its planted malformed rows."""
    tables = module.render(world, random.Random(f"{SEED}:{source}"))
    return {table.name: [row for _, row in table.rows if id(row) not in table.malformed_ids] for table in tables}


def kpi_rows(
    warehouse: duckdb.DuckDBPyConnection, kpi_name: str, period: str = "day", dimension: str = "all"
) -> dict[tuple, tuple[float, float, float | None]]:
    """(metric_date, channel, dimension_value) -> (numerator, denominator, value) of one KPI slice kind."""
    rows = query(
        warehouse,
        f"""
        select metric_date, channel, dimension_value, numerator, denominator, value
        from marts.kpi_attraction_daily
        where kpi_name = '{kpi_name}' and period = '{period}' and dimension = '{dimension}'
        """,
    )
    return {(d, channel, value_of): (num, den, value) for d, channel, value_of, num, den, value in rows}


def by_slice(rows: dict[tuple, tuple[float, float, float | None]]) -> dict[Slice, tuple[float, float]]:
    return {(d, channel): (num, den) for (d, channel, _), (num, den, _) in rows.items()}


def with_all_channels(per_channel: dict[Slice, Counter]) -> dict[Slice, Counter]:
    """Adds the `all` slice of each date: the per-channel counters summed."""
    totals: dict[Slice, Counter] = defaultdict(Counter)
    for (d, _), counts in per_channel.items():
        totals[(d, "all")].update(counts)
    return {**per_channel, **totals}


def traffic_channel(session: Session) -> str:
    """Jornada's channel of a visit, from the utm source and medium the world clicked through."""
    if session.medium == "email":
        return "email"
    if session.source in ("whatsapp", "sms"):
        return session.source
    if session.medium == "cpc":
        return "ads"
    if session.medium == "social" or session.source in SOCIAL_NETWORKS:
        return "social"
    return "web"


def is_bounce(session: Session) -> bool:
    """GA4: not engaged = under 10 s of engagement, one page view and no conversion (purchase)."""
    return session.engagement_msec < 10_000 and len(session.page_views) < 2 and session.order_id is None


# ---------------------------------------------------------------------- web
def test_bounces_and_engagement_time_per_day_and_traffic_channel(warehouse, world) -> None:
    truth: dict[Slice, Counter] = defaultdict(Counter)
    for session in world.sessions:
        counts = truth[(local_date(session.started_at), traffic_channel(session))]
        counts["sessions"] += 1
        counts["bounces"] += is_bounce(session)
        counts["engagement_msec"] += session.engagement_msec
    truth = with_all_channels(truth)

    bounce = by_slice(kpi_rows(warehouse, "web_bounce_rate"))
    assert bounce == {key: (c["bounces"], c["sessions"]) for key, c in truth.items()}
    engagement = by_slice(kpi_rows(warehouse, "avg_engagement_time_s"))
    assert set(engagement) == set(truth)
    for key, counts in truth.items():
        seconds, sessions = engagement[key]
        assert sessions == counts["sessions"]
        assert seconds == pytest.approx(counts["engagement_msec"] / 1000, rel=1e-9)

    # Headline figures: about a third of the sessions bounce.
    all_sessions = sum(c["sessions"] for (_, channel), c in truth.items() if channel == "all")
    all_bounces = sum(c["bounces"] for (_, channel), c in truth.items() if channel == "all")
    assert all_sessions == len(world.sessions)
    assert 0.25 < all_bounces / all_sessions < 0.45


def test_a_bounce_rate_row_is_bounces_over_sessions(warehouse) -> None:
    for bounces, sessions, value in kpi_rows(warehouse, "web_bounce_rate").values():
        assert sessions > 0
        assert value == pytest.approx(bounces / sessions, rel=1e-9)


def test_visit_frequency_over_trailing_30_days(warehouse, world) -> None:
    rows = kpi_rows(warehouse, "visit_frequency", period="trailing_30d")
    first_day, final_day = world.start, last_day(world)
    # Only windows the data covers entirely: from the 30th day on, every day.
    assert {d for d, _, _ in rows} == {
        first_day + timedelta(days=n) for n in range(29, (final_day - first_day).days + 1)
    }
    for (metric_date, channel, _), (sessions, visitors, value) in rows.items():
        assert channel == "all"
        window = [s for s in world.sessions if 0 <= (metric_date - local_date(s.started_at)).days < 30]
        assert sessions == len(window)
        true_visitors = {s.person.key if s.person else s.user_pseudo_id for s in window}
        devices = {s.user_pseudo_id for s in window}
        assert len(true_visitors) <= visitors <= len(devices)
        assert value == pytest.approx(sessions / visitors, rel=1e-9)
        assert 1.0 < value < 2.0


# ------------------------------------------------------------------ chatbot
def test_bot_conversations_escalations_and_conversions_per_day_and_channel(warehouse, world) -> None:
    entry_points = {
        row["conversation_id"]: row["entry_point"] for row in rendered(chat_source, world, "chat")["conversations"]
    }
    truth: dict[Slice, Counter] = defaultdict(Counter)
    for chat in world.chats:
        channel = "whatsapp" if entry_points[chat.conversation_id] == "whatsapp_bot" else "chat"
        counts = truth[(local_date(chat.started_at), channel)]
        decided = chat.ended_at <= world.end_at
        counts["conversations"] += 1
        counts["decided"] += decided
        counts["escalated"] += decided and chat.escalated
        counts["converted"] += decided and chat.outcome in ("lead", "order")
    truth = with_all_channels(truth)

    conversations = by_slice(kpi_rows(warehouse, "chatbot_conversations"))
    assert conversations == {key: (c["conversations"], 1) for key, c in truth.items()}
    escalation = by_slice(kpi_rows(warehouse, "chatbot_escalation_rate"))
    assert escalation == {key: (c["escalated"], c["decided"]) for key, c in truth.items()}
    conversion = by_slice(kpi_rows(warehouse, "chatbot_conversion_rate"))
    assert conversion == {key: (c["converted"], c["decided"]) for key, c in truth.items()}

    assert sum(c["conversations"] for (_, channel), c in truth.items() if channel == "all") == len(world.chats)
    escalated = sum(c["escalated"] for (_, channel), c in truth.items() if channel == "all")
    assert escalated == sum(chat.escalated for chat in world.chats if chat.ended_at <= world.end_at)


# -------------------------------------------------------------------- leads
def true_leads(world: World) -> list[tuple[str, datetime, str]]:
    """(contact id, lead moment, origin channel) of every contact HubSpot exported as a lead."""
    contacts = rendered(hubspot_source, world, "hubspot")["contacts"]
    return [
        (
            row["id"],
            parse_utc(row["properties__hs_lifecyclestage_lead_date"]),
            HUBSPOT_CHANNEL[row["properties__hs_analytics_source"]],
        )
        for row in contacts
        if row["properties__hs_lifecyclestage_lead_date"] and row["archived"] == "false"
    ]


def test_new_leads_per_day_and_origin_channel(warehouse, world) -> None:
    truth: dict[Slice, Counter] = defaultdict(Counter)
    for _, lead_at, channel in true_leads(world):
        truth[(local_date(lead_at), channel)]["leads"] += 1
    truth = with_all_channels(truth)
    built = by_slice(kpi_rows(warehouse, "new_leads"))
    assert built == {key: (c["leads"], 1) for key, c in truth.items()}


def period_start(day: date, period: str) -> date:
    return day - timedelta(days=day.weekday()) if period == "week" else day.replace(day=1)


def next_period(start: date, period: str) -> date:
    if period == "week":
        return start + timedelta(days=7)
    return (start + timedelta(days=32)).replace(day=1)


def previous_period(start: date, period: str) -> date:
    if period == "week":
        return start - timedelta(days=7)
    return (start - timedelta(days=1)).replace(day=1)


@pytest.mark.parametrize("period", ["week", "month"])
def test_lead_growth_rate_of_complete_periods(warehouse, world, period) -> None:
    leads: dict[tuple[date, str], int] = Counter()
    for _, lead_at, channel in true_leads(world):
        start = period_start(local_date(lead_at), period)
        leads[(start, channel)] += 1
        leads[(start, "all")] += 1
    truth = {}
    for start, channel in set(leads) | {(next_period(s, period), c) for s, c in leads}:
        complete = next_period(start, period) - timedelta(days=1) <= last_day(world)
        previous = previous_period(start, period)
        if complete:
            this, before = leads.get((start, channel), 0), leads.get((previous, channel), 0)
            truth[(start, channel)] = (this - before, before)
    rows = kpi_rows(warehouse, "lead_growth_rate", period=period)
    assert by_slice(rows) == truth
    for change, previous, value in rows.values():
        if previous == 0:
            assert value is None
        else:
            assert value == pytest.approx(change / previous, rel=1e-9)
    # The data ends on Saturday 2026-10-31: the week from Monday 10-26 is still running, October is complete.
    assert max(start for start, _ in truth) == (date(2026, 10, 19) if period == "week" else date(2026, 10, 1))
    assert any(previous == 0 for _, previous in truth.values())


def test_lead_conversion_rate_within_the_window(warehouse, world) -> None:
    first_orders: dict[str, datetime] = {}
    for order in sorted(world.orders, key=lambda o: o.created_at):
        if order.cancelled_at is None and order.financial_status in VALID_STATUSES:
            first_orders.setdefault(order.person.crm_contact_id, order.created_at)
    truth: dict[Slice, Counter] = defaultdict(Counter)
    for contact_id, lead_at, channel in true_leads(world):
        lead_day = local_date(lead_at)
        if lead_day + timedelta(days=CONVERSION_WINDOW_DAYS) > last_day(world):
            continue  # the window has not closed: not final yet
        first_order = first_orders.get(contact_id)
        counts = truth[(lead_day, channel)]
        counts["final"] += 1
        if first_order is not None and first_order < lead_at:
            continue  # already a customer: not eligible
        counts["eligible"] += 1
        converted = first_order is not None and (local_date(first_order) - lead_day).days <= CONVERSION_WINDOW_DAYS
        counts["converted"] += converted
    truth = with_all_channels(truth)
    built = by_slice(kpi_rows(warehouse, "lead_conversion_rate"))
    assert built == {key: (c["converted"], c["eligible"]) for key, c in truth.items()}
    converted = sum(c["converted"] for (_, channel), c in truth.items() if channel == "all")
    eligible = sum(c["eligible"] for (_, channel), c in truth.items() if channel == "all")
    assert 0 < converted < eligible


# ------------------------------------------------------------------- social
def test_social_engagement_rate_per_post_and_per_day(warehouse, world) -> None:
    posts = rendered(social_source, world, "social")["posts"]
    truth_posts = {}
    per_day: dict[Slice, Counter] = defaultdict(Counter)
    for row in posts:
        engagements = sum(int(row[key] or 0) for key in ("reactions", "comments", "shares", "saves"))
        impressions = int(row["impressions"])
        truth_posts[row["post_id"]] = (engagements, impressions)
        counts = per_day[(local_date(parse_utc(row["published_at"])), "social")]
        counts["engagements"] += engagements
        counts["impressions"] += impressions

    per_post = kpi_rows(warehouse, "social_engagement_rate", dimension="post_id")
    assert {post_id: (num, den) for (_, _, post_id), (num, den, _) in per_post.items()} == truth_posts
    daily = by_slice(kpi_rows(warehouse, "social_engagement_rate"))
    assert daily == {key: (c["engagements"], c["impressions"]) for key, c in per_day.items()}
    total = Counter()
    for counts in per_day.values():
        total.update(counts)
    # The networks' engagement rates are 2% to 6% of impressions.
    assert 0.02 < total["engagements"] / total["impressions"] < 0.06


def test_negative_mention_share_per_day(warehouse, world) -> None:
    interactions = rendered(social_source, world, "social")["interactions"]
    truth: dict[Slice, Counter] = defaultdict(Counter)
    for row in interactions:
        if row["is_reply_from_brand"] == "true":
            continue
        counts = truth[(local_date(parse_utc(row["occurred_at"])), "social")]
        counts["mentions"] += 1
        counts["negative"] += row["sentiment"] == "negative"
    built = by_slice(kpi_rows(warehouse, "negative_mention_share"))
    assert built == {key: (c["negative"], c["mentions"]) for key, c in truth.items()}

    # The generator's documented shares: ~45% in the complaint week (2026-09-14 to 09-20), ~15% overall.
    spike = [key for key in built if date(2026, 9, 14) <= key[0] <= date(2026, 9, 20)]
    spike_share = sum(built[k][0] for k in spike) / sum(built[k][1] for k in spike)
    overall_share = sum(n for n, _ in built.values()) / sum(d for _, d in built.values())
    assert 0.35 < spike_share < 0.55
    assert 0.10 < overall_share < 0.20
    # The breakdowns add up to the headline row of each day.
    for dimension in ("network", "interaction_type"):
        totals: dict[Slice, Counter] = defaultdict(Counter)
        for (d, channel, _), (num, den, _) in kpi_rows(
            warehouse, "negative_mention_share", dimension=dimension
        ).items():
            totals[(d, channel)].update({"negative": num, "mentions": den})
        assert {key: (c["negative"], c["mentions"]) for key, c in totals.items()} == built


# -------------------------------------------------------------------- reach
def person_ids(warehouse: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """CRM contact id -> person_id: every world person has a CRM contact."""
    return dict(
        query(
            warehouse,
            "select identifier_value, person_id from intermediate.int_identity_nodes_resolved "
            "where identifier_type = 'crm_contact'",
        )
    )


def reached(warehouse: duckdb.DuckDBPyConnection, period: str = "day") -> dict[Slice, float]:
    return {key: num for key, (num, _) in by_slice(kpi_rows(warehouse, "reach", period=period)).items()}


def test_email_reach_per_day_is_the_persons_with_a_delivered_email(warehouse, world) -> None:
    persons = person_ids(warehouse)
    truth: dict[date, set[str]] = defaultdict(set)
    for message in world.messages:
        if message.channel == "email" and message.outcome == "delivered":
            truth[local_date(message.delivered_at)].add(persons[message.person.crm_contact_id])
    built = {d: n for (d, channel), n in reached(warehouse).items() if channel == "email"}
    assert built == {d: len(ids) for d, ids in truth.items()}
    rows = query(
        warehouse,
        "select reach_date, person_id from marts.fct_reach_daily where channel = 'email'",
    )
    table: dict[date, set[str]] = defaultdict(set)
    for reach_date, person_id in rows:
        table[reach_date].add(person_id)
    assert table == truth


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_phone_reach_agrees_with_the_delivered_messages(warehouse, world, channel) -> None:
    delivered = [m for m in world.messages if m.channel == channel and m.outcome == "delivered"]
    [(messages,)] = query(
        warehouse,
        f"select sum(delivered_messages) from marts.fct_reach_daily where channel = '{channel}'",
    )
    assert messages == len(delivered)
    true_persons = len({m.person.key for m in delivered})
    [(built_persons,)] = query(
        warehouse, f"select count(distinct person_id) from marts.fct_reach_daily where channel = '{channel}'"
    )
    assert abs(built_persons - true_persons) <= 0.03 * true_persons
    per_day = [n for (_, c), n in reached(warehouse).items() if c == channel]
    true_days = {local_date(m.delivered_at) for m in delivered}
    assert len(per_day) >= len(true_days)


@pytest.mark.parametrize("channel", ["ads", "social"])
def test_impression_reach_is_bounded_by_visitors_and_their_devices(warehouse, world, channel) -> None:
    visits: dict[date, list[Session]] = defaultdict(list)
    for session in world.sessions:
        if traffic_channel(session) == channel:
            visits[local_date(session.started_at)].append(session)
    built = {d: n for (d, c), n in reached(warehouse).items() if c == channel}
    assert set(built) == set(visits)
    for day, sessions in visits.items():
        visitors = {s.person.key if s.person else s.user_pseudo_id for s in sessions}
        devices = {s.user_pseudo_id for s in sessions}
        assert len(visitors) <= built[day] <= len(devices)


@pytest.mark.parametrize("period", ["day", "month"])
def test_reach_over_all_channels_counts_each_person_once(warehouse, period) -> None:
    per_slice = reached(warehouse, period)
    channels: dict[date, list[float]] = defaultdict(list)
    for (d, channel), persons in per_slice.items():
        if channel != "all":
            channels[d].append(persons)
    assert set(channels) == {d for d, channel in per_slice if channel == "all"}
    for d, counts in channels.items():
        assert max(counts) <= per_slice[(d, "all")] <= sum(counts)
    # Deduplication happens: some persons are reached on two channels the same day (or month).
    assert sum(per_slice[(d, "all")] for d in channels) < sum(sum(c) for c in channels.values())
    rows = query(
        warehouse,
        f"""
        select count(distinct person_id)
        from marts.fct_reach_daily
        group by {"reach_date" if period == "day" else "date_trunc('month', reach_date)"}
        order by 1
        """,
    )
    assert sorted(per_slice[(d, "all")] for d in channels) == [float(n) for (n,) in rows]
