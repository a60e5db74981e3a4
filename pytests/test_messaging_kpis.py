"""Messaging KPIs and marts against the simulated truth.

The world the demo seeds were rendered from (`jornada_gen.world.build_world()`)
says what happened to every message, which web visits its links brought,
what each platform's dashboard reported and which orders were placed. The
Messaging marts rebuild those facts from the exports; here they are compared:

- kpi_messaging_daily, summed over the window per channel (numerators and
  denominators are send-date cohorts, so they add up), against the world's
  sent, delivered, openers, clickers, replies, bounces, opt-outs, spam
  reports and billed spend, and its weekly message pressure;
- fct_platform_report_divergences: every event-level count equals what the
  exports let us observe, the planted dashboard divergences
  (`planted_divergences(world)`) are flagged, and every other flag is a
  difference the world explains;
- fct_channel_conversion_claims: the real orders per day are the world's
  valid orders, and channels claim more orders than there are.

Intended differences, each derived from the world, never hard-coded:
- WhatsApp and SMS clicks are seen as tagged GA4 visits: a click that
  brought no visit (cart-recovery WhatsApp messages in this world) is not
  seen;
- an opt-out keyword is an unsubscribe, not a reply, and answers from
  persons whose CRM phone is a company switchboard link to no SMS of ours
  (see test_messaging_lifecycle.py);
- SMS whose status callbacks never arrived (`callbacks_lost(world)`) count
  in the SMS totals under no campaign, so their campaign's platform report
  counts them and its events do not.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
import yaml

from conftest import PROJECT_DIR, query
from jornada_gen.sources.ad_spend import EMAIL_PRICE, SMS_SEGMENT_PRICE, WHATSAPP_CONVERSATION_PRICE
from jornada_gen.sources.platform_reports import PLATFORM, planted_divergences
from jornada_gen.sources.twilio import callbacks_lost
from jornada_gen.world import BUSINESS_TZ, Message, World

KPIS = "marts.kpi_messaging_daily"
DAILY = "marts.fct_campaign_channel_daily"
DIVERGENCES = "marts.fct_platform_report_divergences"
CLAIMS = "marts.fct_channel_conversion_claims"
ATTRIBUTED = "marts.fct_attributed_conversions"
CHANNELS = ("email", "whatsapp", "sms")
OPT_OUT_KEYWORDS = {"STOP", "SAIR", "PARAR", "CANCELAR", "DESCADASTRAR"}
BOUNCE_OUTCOMES = {"email": {"bounce_hard", "bounce_soft"}, "whatsapp": {"failed"}, "sms": {"failed", "undelivered"}}


def project_var(name: str):
    return yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"][name]


def local_date(message: Message) -> date:
    return message.sent_at.astimezone(BUSINESS_TZ).date()


def is_opt_out_answer(message: Message) -> bool:
    return message.reply_text.strip().upper() in OPT_OUT_KEYWORDS


def answer_is_linkable(message: Message) -> bool:
    """A switchboard-phone person's SMS answer comes from another number: nothing ties it to our SMS."""
    return not (message.channel == "sms" and message.person.company_phone is not None)


def visited_clicks(world: World) -> set[tuple[int, str, str]]:
    """(person key, campaign, channel) of every GA4 visit a messaging link brought."""
    return {
        (s.person.key, s.campaign, s.source)
        for s in world.sessions
        if s.person is not None and s.campaign and s.campaign.startswith("cmp_") and s.source in CHANNELS
    }


def observable(world: World, message: Message, visits: set[tuple[int, str, str]]) -> dict[str, bool]:
    """What the exports let the warehouse see of one message, in the platform reports' terms."""
    delivered = message.outcome == "delivered"
    if message.channel == "email":
        clicked = bool(message.click_times)
    else:
        clicked = bool(message.click_times) and (
            (message.person.key, message.campaign.campaign_id, message.channel) in visits
        )
    return {
        "sent": True,
        "delivered": delivered,
        "opens": message.channel != "sms" and bool(message.open_times),
        "clicks": clicked,
        "bounces": message.outcome in BOUNCE_OUTCOMES[message.channel],
        "unsubscribes": message.unsubscribed_at is not None and answer_is_linkable(message),
        "spam_reports": message.channel == "email" and message.spam_at is not None,
    }


@pytest.fixture(scope="module")
def channel_totals(warehouse) -> dict[tuple[str, str, str], tuple[float, float]]:
    """(kpi_name, channel, dimension_value) -> (sum numerator, sum denominator) of the daily all-campaign rows."""
    rows = query(
        warehouse,
        f"""
        select kpi_name, channel, dimension_value, sum(numerator), sum(denominator)
        from {KPIS}
        where period = 'day' and campaign_id is null
        group by all
        """,
    )
    return {(kpi, channel, value): (float(num), float(den)) for kpi, channel, value, num, den in rows}


@pytest.fixture(scope="module")
def truth(world: World) -> dict[tuple[str, str], int]:
    """(metric, channel) -> count over the window, as the KPIs define it."""
    reply_window = timedelta(hours=project_var("reply_window_hours"))
    visits = visited_clicks(world)
    counts: Counter[tuple[str, str]] = Counter()
    for m in world.messages:
        delivered = m.outcome == "delivered"
        seen = observable(world, m, visits)
        facts = {
            "sent": True,
            "delivered": delivered,
            "openers": bool(m.open_times) and not m.machine_open,
            "clickers": seen["clicks"],
            "replied": m.reply_at is not None
            and answer_is_linkable(m)
            and not is_opt_out_answer(m)
            and m.reply_at - m.delivered_at <= reply_window,
            "bounced": not delivered,
            "unsubscribed": seen["unsubscribes"],
            "spam": seen["spam_reports"],
        }
        for metric, happened in facts.items():
            counts[(metric, m.channel)] += happened
    return dict(counts)


def test_the_world_exercises_every_kpi_input(truth: dict[tuple[str, str], int]) -> None:
    """The comparisons below would pass on empty data; make sure they do not."""
    for metric in ("sent", "delivered", "clickers", "bounced", "unsubscribed"):
        for channel in CHANNELS:
            assert truth[(metric, channel)] > 0, (metric, channel)
    assert truth[("openers", "email")] > 0 and truth[("openers", "whatsapp")] > 0
    assert truth[("replied", "whatsapp")] > 0 and truth[("replied", "sms")] > 0
    assert truth[("spam", "email")] > 0


@pytest.mark.parametrize(
    ("kpi_name", "numerator", "denominator", "channels"),
    [
        ("delivery_rate", "delivered", "sent", CHANNELS),
        ("open_rate", "openers", "delivered", ("email", "whatsapp")),
        ("click_through_rate", "clickers", "delivered", CHANNELS),
        ("reply_rate", "replied", "delivered", ("whatsapp", "sms")),
        ("bounce_rate", "bounced", "sent", CHANNELS),
        ("unsubscribe_rate", "unsubscribed", "delivered", CHANNELS),
        ("spam_complaint_rate", "spam", "delivered", ("email",)),
    ],
)
def test_message_rates_per_channel_match_the_world(
    channel_totals, truth, kpi_name: str, numerator: str, denominator: str, channels: tuple[str, ...]
) -> None:
    for channel in channels:
        expected = (truth[(numerator, channel)], truth[(denominator, channel)])
        assert channel_totals[(kpi_name, channel, "all")] == expected, (kpi_name, channel)
    # `all` covers exactly the channels that measure the KPI.
    expected_all = tuple(sum(truth[(name, channel)] for channel in channels) for name in (numerator, denominator))
    assert channel_totals[(kpi_name, "all", "all")] == expected_all
    assert {channel for kpi, channel, _ in channel_totals if kpi == kpi_name} == {*channels, "all"}


def test_click_to_open_rate_uses_the_same_clickers_and_openers(channel_totals, truth) -> None:
    for channel in ("email", "whatsapp"):
        assert channel_totals[("click_to_open_rate", channel, "all")] == (
            truth[("clickers", channel)],
            truth[("openers", channel)],
        )


def test_clicks_not_seen_on_the_web_are_the_only_missing_clicks(world: World, truth) -> None:
    """WhatsApp and SMS clickers are web visits: only clicks that brought no visit are missing."""
    clicked = Counter(m.channel for m in world.messages if m.click_times)
    assert truth[("clickers", "email")] == clicked["email"]
    for channel in ("whatsapp", "sms"):
        missing = [m for m in world.messages if m.channel == channel and m.click_times]
        assert clicked[channel] - truth[("clickers", channel)] == sum(
            (m.person.key, m.campaign.campaign_id, channel) not in visited_clicks(world) for m in missing
        )


def test_machine_opens_are_not_opens(world: World, channel_totals) -> None:
    machine_only = sum(1 for m in world.messages if m.channel == "email" and m.machine_open)
    with_any_open = sum(1 for m in world.messages if m.channel == "email" and m.open_times)
    assert machine_only > 0
    assert channel_totals[("open_rate", "email", "all")][0] == with_any_open - machine_only


def test_bounce_split_adds_up_and_matches_sendgrid(world: World, channel_totals) -> None:
    for channel in (*CHANNELS, "all"):
        hard = channel_totals[("bounce_rate", channel, "hard")][0]
        soft = channel_totals[("bounce_rate", channel, "soft")][0]
        assert hard + soft == channel_totals[("bounce_rate", channel, "all")][0], channel
    kinds = Counter(
        {"bounce_hard": "hard", "dropped": "hard", "bounce_soft": "soft"}[m.outcome]
        for m in world.messages
        if m.channel == "email" and m.outcome != "delivered"
    )
    assert channel_totals[("bounce_rate", "email", "hard")][0] == kinds["hard"]
    assert channel_totals[("bounce_rate", "email", "soft")][0] == kinds["soft"]


def test_sms_of_no_known_campaign_count_in_the_channel_but_in_no_campaign(world: World, warehouse) -> None:
    """The planted SMS whose status callbacks never arrived: the campaign mart's campaign-less rows hold exactly
    them, the sms channel KPIs count them and the campaign KPIs do not (the per-channel tests above check the
    channel totals against the world)."""
    lost_ids = callbacks_lost(world)
    lost = [m for m in world.messages if m.message_id in lost_ids]
    assert {m.outcome for m in lost} == {"failed", "undelivered"}
    expected = Counter((m.channel, local_date(m)) for m in lost)
    rows = query(
        warehouse,
        f"select channel, send_date, messages_sent, messages_bounced, messages_delivered from {DAILY} "
        "where campaign_id is null",
    )
    assert {(channel, day): sent for channel, day, sent, _, _ in rows} == expected
    assert all(bounced == sent and delivered == 0 for _, _, sent, bounced, delivered in rows)
    # delivery_rate on sms: the channel rows (campaign_id null) count every message, the campaign rows all but the
    # lost ones; none of those was delivered, so only the sent denominators differ.
    ((channel_delivered, channel_sent, campaign_delivered, campaign_sent),) = query(
        warehouse,
        f"""
        select
            sum(case when campaign_id is null then numerator end),
            sum(case when campaign_id is null then denominator end),
            sum(case when campaign_id is not null then numerator end),
            sum(case when campaign_id is not null then denominator end)
        from {KPIS}
        where kpi_name = 'delivery_rate' and channel = 'sms' and dimension = 'all'
        """,
    )
    assert channel_delivered == campaign_delivered
    assert channel_sent - campaign_sent == len(lost)


def test_messages_per_person_week_matches_the_world(world: World, warehouse) -> None:
    """Delivered messages per ISO week match exactly; reached persons are the identity graph's, which differs
    from the world's persons by a handful (six persons share a switchboard phone, so their SMS reach one
    number; a few persons' email and phone are never tied by one record, so `all` counts them twice): within 1%."""
    delivered: Counter[tuple[date, str]] = Counter()
    persons: dict[tuple[date, str], set[int]] = defaultdict(set)
    for m in world.messages:
        if m.outcome != "delivered":
            continue
        day = local_date(m)
        week = day - timedelta(days=day.weekday())
        for channel in (m.channel, "all"):
            delivered[(week, channel)] += 1
            persons[(week, channel)].add(m.person.key)
    rows = query(
        warehouse,
        f"select metric_date, channel, numerator, denominator from {KPIS} where kpi_name = 'messages_per_person_week'",
    )
    measured = {(week, channel): (int(num), int(den)) for week, channel, num, den in rows}
    assert set(measured) == set(delivered)
    for key, (messages, reached) in measured.items():
        assert messages == delivered[key], key
        assert reached == pytest.approx(len(persons[key]), rel=0.01), key
    # A person messaged on several channels is one person in `all`.
    for (week, channel), (_, reached) in measured.items():
        if channel == "all":
            assert reached < sum(r for (w, c), (_, r) in measured.items() if w == week and c != "all"), week


def test_spend_is_what_the_platforms_billed(world: World, channel_totals) -> None:
    """roi's cost is the spend export, as the world billed it: per local day and campaign, email per request,
    SMS one segment per message not failed, WhatsApp one conversation per delivered message, rounded to cents."""
    billed: Counter[tuple[str, date, str]] = Counter()
    for m in world.messages:
        key = (m.channel, local_date(m), m.campaign.campaign_id)
        if m.channel == "email":
            billed[key] += EMAIL_PRICE
        elif m.channel == "sms" and m.outcome != "failed":
            billed[key] += SMS_SEGMENT_PRICE
        elif m.channel == "whatsapp" and m.outcome == "delivered":
            billed[key] += WHATSAPP_CONVERSATION_PRICE
    for channel in CHANNELS:
        expected = sum(
            (
                amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                for key, amount in billed.items()
                if key[0] == channel
            ),
            Decimal("0"),
        )
        assert channel_totals[("roi", channel, "all")][1] == pytest.approx(float(expected), abs=0.001), channel


def test_sms_spend_export_disagrees_with_twilio_prices(warehouse) -> None:
    """The decision documented for roi: the spend export's SMS cost is far below Twilio's own per-message prices."""
    ((spend, vendor),) = query(
        warehouse, f"select sum(spend_amount), sum(vendor_cost_amount) from {DAILY} where channel = 'sms'"
    )
    assert 0 < spend < vendor


def test_whatsapp_conversations_cost_the_conversation_price(warehouse) -> None:
    rows = query(
        warehouse,
        f"select numerator, denominator, value from {KPIS} "
        "where kpi_name = 'cost_per_conversation' and campaign_id is null",
    )
    assert any(denominator > 0 for _, denominator, _ in rows)
    for numerator, denominator, value in rows:
        if denominator == 0:
            assert value is None and numerator == 0
            continue
        assert value == pytest.approx(float(WHATSAPP_CONVERSATION_PRICE), abs=0.005)
        assert numerator == pytest.approx(denominator * float(WHATSAPP_CONVERSATION_PRICE), abs=0.01)


def test_attributed_kpis_add_up_to_the_selected_model(warehouse, channel_totals) -> None:
    """attributed_revenue and channel_conversion_rate carry exactly the selected model's credit to campaigns."""
    types = ", ".join(f"'{t}'" for t in project_var("messaging_conversion_types"))
    for channel in CHANNELS:
        ((credit, revenue, first_orders),) = query(
            warehouse,
            f"""
            select sum(credit), sum(attributed_revenue), sum(case when is_first_order then credit else 0 end)
            from {ATTRIBUTED}
            where is_selected_model and channel = '{channel}' and campaign_id is not null
                and conversion_type in ({types})
            """,
        )
        assert credit > 0, channel
        assert channel_totals[("channel_conversion_rate", channel, "all")][0] == pytest.approx(float(credit))
        assert channel_totals[("attributed_revenue", channel, "all")][0] == pytest.approx(float(revenue))
        assert channel_totals[("cost_per_acquisition", channel, "all")][1] == pytest.approx(float(first_orders))


# ---------------------------------------------------------------- divergences
@pytest.fixture(scope="module")
def divergence_rows(warehouse) -> dict[tuple[str, date, str], tuple[int, int, bool]]:
    rows = query(
        warehouse,
        f"select campaign_id, report_date, metric, reported_count, event_count, is_divergent from {DIVERGENCES}",
    )
    return {(c, d, metric): (reported, event, divergent) for c, d, metric, reported, event, divergent in rows}


def test_event_counts_are_what_the_exports_show(world: World, divergence_rows) -> None:
    visits = visited_clicks(world)
    lost = callbacks_lost(world)
    expected: Counter[tuple[str, date, str]] = Counter()
    for m in world.messages:
        if m.message_id in lost:
            continue  # no export carries its campaign: counted under none
        for metric, seen in observable(world, m, visits).items():
            expected[(m.campaign.campaign_id, local_date(m), metric)] += seen
    assert divergence_rows
    for key, (_, event, _) in divergence_rows.items():
        assert event == expected[key], key


def test_planted_divergences_are_found(world: World, divergence_rows) -> None:
    planted = {(campaign_id, metric) for campaign_id, metric, _ in planted_divergences(world)}
    found = {
        (campaign_id, metric) for (campaign_id, _, metric), (*_, divergent) in divergence_rows.items() if divergent
    }
    assert len(planted) == 4
    assert planted <= found
    # The planted campaigns' other metrics agree with the events.
    for (campaign_id, _, metric), (reported, event, _) in divergence_rows.items():
        if any(campaign_id == planted_id for planted_id, _ in planted) and (campaign_id, metric) not in planted:
            assert reported == event, (campaign_id, metric)


def test_every_other_divergence_is_explained_by_the_world(world: World, divergence_rows) -> None:
    """Beyond the planted ones, divergent rows are differences the exports cannot avoid (unseen clicks, answers
    from a switchboard phone, SMS whose campaign-carrying callbacks never arrived), and every such difference
    beyond the tolerance is flagged."""
    tolerance = project_var("divergence_tolerance")
    planted = {(campaign_id, metric) for campaign_id, metric, _ in planted_divergences(world)}
    unseen: Counter[tuple[str, date, str]] = Counter()
    visits = visited_clicks(world)
    lost = callbacks_lost(world)
    for m in world.messages:
        key = (m.campaign.campaign_id, local_date(m))
        if m.message_id in lost:
            for metric, seen in observable(world, m, visits).items():
                unseen[(*key, metric)] += seen
            continue
        if m.click_times and not observable(world, m, visits)["clicks"]:
            unseen[(*key, "clicks")] += 1
        if m.unsubscribed_at is not None and not answer_is_linkable(m):
            unseen[(*key, "unsubscribes")] += 1
    for key, (reported, event, divergent) in divergence_rows.items():
        if (key[0], key[2]) in planted:
            continue
        assert reported - event == unseen[key], key
        should_diverge = reported != event if event == 0 else abs(reported - event) > tolerance * event
        assert divergent == should_diverge, key
    assert any(divergent for key, (*_, divergent) in divergence_rows.items() if (key[0], key[2]) not in planted)


def test_every_report_platform_is_compared(divergence_rows, warehouse) -> None:
    platforms = {row[0] for row in query(warehouse, f"select distinct platform from {DIVERGENCES}")}
    assert platforms == set(PLATFORM.values())


# --------------------------------------------------------------------- claims
def test_real_orders_per_day_are_the_worlds_valid_orders(world: World, warehouse) -> None:
    valid = Counter(
        o.created_at.astimezone(BUSINESS_TZ).date()
        for o in world.orders
        if o.financial_status in ("paid", "partially_refunded", "refunded") and o.cancelled_at is None
    )
    rows = query(warehouse, f"select distinct order_date, real_orders from {CLAIMS}")
    assert dict(rows) == dict(valid)


def test_channels_claim_more_orders_than_there_are(world: World, warehouse) -> None:
    ((claims, real, any_claimed, over_claimed_days),) = query(
        warehouse,
        f"""
        with days as (
            select distinct order_date, real_orders, all_channel_claimed_orders, orders_claimed_by_any_channel,
                is_over_claimed
            from {CLAIMS}
            where order_date >= '{world.start.isoformat()}'
        )
        select sum(all_channel_claimed_orders), sum(real_orders), sum(orders_claimed_by_any_channel),
            sum(case when is_over_claimed then 1 else 0 end)
        from days
        """,
    )
    assert claims >= real
    assert claims > any_claimed
    assert any_claimed <= real
    assert over_claimed_days > 0
    # The sum of the channels' own rows is the day total.
    ((mismatched,),) = query(
        warehouse,
        f"""
        select count(*) from (
            select order_date, max(all_channel_claimed_orders) as total, sum(claimed_orders) as summed
            from {CLAIMS} where campaign_id is null group by order_date
        ) where total <> summed
        """,
    )
    assert mismatched == 0


def test_each_channel_claims_at_least_what_attribution_credits_it(warehouse) -> None:
    """A credited touch lies within its channel's lookback, so the channel claims that order too."""
    claimed = dict(
        query(warehouse, f"select channel, sum(claimed_orders) from {CLAIMS} where campaign_id is null group by all")
    )
    credited = query(
        warehouse,
        f"""
        select channel, count(distinct conversion_id)
        from {ATTRIBUTED}
        where attribution_model = 'last_touch' and not is_unattributed
            and conversion_type in ('first_order', 'repeat_order')
        group by all
        """,
    )
    assert credited
    for channel, orders in credited:
        assert claimed[channel] >= orders, channel
