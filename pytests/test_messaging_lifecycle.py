"""Message lifecycles against the simulated truth.

`int_message_lifecycles_pivoted` is rebuilt from what SendGrid, the WhatsApp
Cloud API and Twilio exported (late, re-delivered and out-of-order webhooks,
implied steps). The world those exports were rendered from
(`jornada_gen.world.build_world()`, the demo seeds' world) says what really
happened to every message. Per channel, and per campaign and A/B variant,
the counts must agree exactly wherever the exports carry the fact.

Intended differences, each derived from the world, never hard-coded:
- clicks: only SendGrid exports clicks; WhatsApp and Twilio link clicks reach
  the warehouse only as GA4 sessions, so the lifecycle has none for them;
- replies: an opt-out keyword (STOP, SAIR, PARAR, ...) answered to a message
  is an unsubscribe, not a reply (the world records it as both);
- SMS to persons whose CRM phone is their company's switchboard: the campaign
  texts the switchboard, the answer comes from the person's own mobile, and
  nothing in the export ties the two, so such answers (replies and STOPs)
  link to no message of ours;
- SMS whose status callbacks never arrived (`callbacks_lost(world)`): the
  callbacks are the only carrier of an SMS's campaign and variant, so these
  messages count under no campaign.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import yaml

from conftest import PROJECT_DIR, query
from jornada_gen.sources.ad_spend import WHATSAPP_CONVERSATION_PRICE
from jornada_gen.sources.twilio import PRICE_PER_SEGMENT, callbacks_lost, outbound_body, segments
from jornada_gen.world import BUSINESS_TZ, Message, World, build_world

LIFECYCLES = "intermediate.int_message_lifecycles_pivoted"
EVENTS = "intermediate.int_message_events_unioned"
CONVERSATIONS = "intermediate.int_whatsapp_conversations_aggregated"
CHANNELS = ("email", "whatsapp", "sms")
OPT_OUT_KEYWORDS = {"STOP", "SAIR", "PARAR", "CANCELAR", "DESCADASTRAR"}

# metric -> the lifecycle condition that counts a message for it
FLAGS = {
    "sent": "is_sent",
    "delivered": "is_delivered",
    "human_opened": "is_opened",
    "machine_opened": "has_machine_open",
    "clicked": "is_clicked",
    "replied": "is_replied",
    "bounced_or_failed": "is_bounced or is_failed",
    "unsubscribed": "is_unsubscribed",
    "spam_reported": "is_spam_reported",
}

Counts = dict[tuple[str, str, str | None, str | None], int]  # (metric, channel, campaign_id, variant) -> messages


def project_var(name: str):
    return yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"][name]


def is_opt_out_answer(message: Message) -> bool:
    return message.reply_text.strip().upper() in OPT_OUT_KEYWORDS


def answer_is_linkable(message: Message) -> bool:
    """Whether the exports let an answer to this message be tied back to it."""
    return not (message.channel == "sms" and message.person.company_phone is not None)


def true_metrics(message: Message, reply_window: timedelta) -> dict[str, bool]:
    """What really happened to one message, in the lifecycle's terms."""
    delivered = message.outcome == "delivered"
    linked_answer = message.reply_at is not None and answer_is_linkable(message)
    return {
        "sent": True,
        "delivered": delivered,
        "human_opened": bool(message.open_times) and not message.machine_open,
        "machine_opened": message.machine_open,
        "clicked": bool(message.click_times) and message.channel == "email",
        "replied": linked_answer
        and not is_opt_out_answer(message)
        and message.reply_at - message.delivered_at <= reply_window,
        "bounced_or_failed": not delivered,
        "unsubscribed": message.unsubscribed_at is not None and answer_is_linkable(message),
        "spam_reported": message.spam_at is not None,
    }


@pytest.fixture(scope="module")
def world() -> World:
    return build_world()


@pytest.fixture(scope="module")
def truth(world: World) -> Counts:
    window = timedelta(hours=project_var("reply_window_hours"))
    lost = callbacks_lost(world)
    counts: Counter[tuple[str, str, str | None, str | None]] = Counter()
    for message in world.messages:
        exported = (None, None) if message.message_id in lost else (message.campaign.campaign_id, message.variant)
        for metric, happened in true_metrics(message, window).items():
            if happened:
                counts[(metric, message.channel, *exported)] += 1
    return dict(counts)


@pytest.fixture(scope="module")
def measured(warehouse) -> Counts:
    sums = ", ".join(f"sum(case when {flag} then 1 else 0 end) as {metric}" for metric, flag in FLAGS.items())
    rows = query(warehouse, f"select channel, campaign_id, ab_variant, {sums} from {LIFECYCLES} group by all")
    counts: Counts = {}
    for channel, campaign_id, variant, *values in rows:
        for metric, value in zip(FLAGS, values, strict=True):
            if value:
                counts[(metric, channel, campaign_id, variant)] = int(value)
    return counts


def per_channel(counts: Counts, metric: str) -> dict[str, int]:
    totals = dict.fromkeys(CHANNELS, 0)
    for (name, channel, _, _), count in counts.items():
        if name == metric:
            totals[channel] += count
    return totals


def per_campaign(counts: Counts, metric: str) -> dict[tuple[str, str | None, str | None], int]:
    return {key[1:]: count for key, count in counts.items() if key[0] == metric}


def test_the_world_exercises_every_metric(truth: Counts) -> None:
    """The comparisons below would pass on empty data; make sure they do not."""
    for metric in FLAGS:
        assert sum(per_channel(truth, metric).values()) > 0, metric
    for metric, channel in [("replied", "whatsapp"), ("replied", "sms"), ("bounced_or_failed", "sms")]:
        assert per_channel(truth, metric)[channel] > 0, (metric, channel)


@pytest.mark.parametrize("metric", list(FLAGS))
def test_counts_per_channel_match_the_world(truth: Counts, measured: Counts, metric: str) -> None:
    assert per_channel(measured, metric) == per_channel(truth, metric)


@pytest.mark.parametrize("metric", list(FLAGS))
def test_counts_per_campaign_and_variant_match_the_world(truth: Counts, measured: Counts, metric: str) -> None:
    assert per_campaign(measured, metric) == per_campaign(truth, metric)


def test_email_hard_and_soft_split_matches_the_world(world: World, warehouse) -> None:
    """SendGrid exports the bounce type (drops are hard); WhatsApp and Twilio codes are the renderer's draw."""
    kinds = {"bounce_hard": "hard", "dropped": "hard", "bounce_soft": "soft"}
    expected = Counter(kinds[m.outcome] for m in world.messages if m.channel == "email" and m.outcome in kinds)
    rows = query(warehouse, f"select bounce_type, count(*) from {LIFECYCLES} where channel = 'email' group by all")
    assert {kind: count for kind, count in rows if kind is not None} == dict(expected)


def test_send_dates_match_the_world(world: World, warehouse) -> None:
    expected = Counter((m.channel, m.sent_at.astimezone(BUSINESS_TZ).date()) for m in world.messages)
    rows = query(warehouse, f"select channel, send_date, count(*) from {LIFECYCLES} group by all")
    assert {(channel, day): count for channel, day, count in rows} == dict(expected)


def test_intended_differences_are_real_and_only_those(world: World, measured: Counts, warehouse) -> None:
    """What the lifecycle leaves out on purpose exists in the world, and is all that is left out."""
    clicks = Counter(m.channel for m in world.messages if m.click_times)
    assert clicks["whatsapp"] > 0 and clicks["sms"] > 0
    assert per_channel(measured, "clicked") == {"email": clicks["email"], "whatsapp": 0, "sms": 0}

    opt_out_answers = Counter(m.channel for m in world.messages if m.reply_at and is_opt_out_answer(m))
    assert opt_out_answers["whatsapp"] > 0 and opt_out_answers["sms"] > 0

    unlinkable = Counter(m.channel for m in world.messages if m.reply_at and not answer_is_linkable(m))
    unlinked = dict(
        query(
            warehouse,
            f"select channel, count(*) from {EVENTS} "
            "where direction = 'inbound' and replied_to_message_id is null group by all",
        )
    )
    assert unlinked == {channel: count for channel, count in unlinkable.items() if count}


def test_whatsapp_implied_deliveries_are_reads(warehouse) -> None:
    """The Cloud API skips `delivered` for messages read in the open chat: those, and only reads, imply it."""
    ((implied, implied_without_read),) = query(
        warehouse,
        f"""
        select
            sum(case when is_delivery_implied then 1 else 0 end),
            sum(case when is_delivery_implied and not is_opened then 1 else 0 end)
        from {LIFECYCLES}
        where channel = 'whatsapp'
        """,
    )
    assert implied > 0
    assert implied_without_read == 0


def test_sms_costs_are_what_twilio_charged(world: World, warehouse) -> None:
    """Twilio charges every segment of a message it handed to a carrier (undelivered too), failed ones not."""
    expected = sum(
        (
            Decimal(f"{PRICE_PER_SEGMENT * segments(outbound_body(m)):.2f}")
            for m in world.messages
            if m.channel == "sms" and m.outcome != "failed"
        ),
        Decimal("0"),
    )
    ((total, priced, zero_cost_failed, failed),) = query(
        warehouse,
        f"""
        select
            sum(cost_amount),
            sum(case when cost_amount is not null then 1 else 0 end),
            sum(case when is_failed and cost_amount = 0 then 1 else 0 end),
            sum(case when is_failed then 1 else 0 end)
        from {LIFECYCLES}
        where channel = 'sms'
        """,
    )
    assert total == expected
    assert priced == sum(1 for m in world.messages if m.channel == "sms")
    assert zero_cost_failed == failed > 0


def whatsapp_conversations(world: World) -> list[list[Message]]:
    """Conversation-based pricing: a delivered message opens a 24-hour window unless one is open."""
    windows: dict[int, tuple[datetime, list[Message]]] = {}
    conversations: list[list[Message]] = []
    whatsapp = sorted((m for m in world.messages if m.channel == "whatsapp"), key=lambda m: m.sent_at)
    for message in whatsapp:
        if message.outcome == "failed":
            continue
        current = windows.get(message.person.key)
        if current is None or current[0] <= message.sent_at:
            expires = (message.sent_at + timedelta(hours=24)).replace(second=0, microsecond=0)
            current = (expires, [])
            windows[message.person.key] = current
            conversations.append(current[1])
        current[1].append(message)
    return conversations


def test_whatsapp_conversations_and_their_cost(world: World, warehouse) -> None:
    conversations = whatsapp_conversations(world)
    assert any(len(messages) > 1 for messages in conversations)
    ((count, billable, messages, cost),) = query(
        warehouse,
        f"select count(*), sum(case when is_billable then 1 else 0 end), sum(message_count), sum(cost_amount) "
        f"from {CONVERSATIONS}",
    )
    assert count == billable == len(conversations)
    assert messages == sum(len(c) for c in conversations)
    assert cost == WHATSAPP_CONVERSATION_PRICE * len(conversations)
    ((message_cost, free_messages),) = query(
        warehouse,
        f"select sum(cost_amount), sum(case when cost_amount = 0 then 1 else 0 end) from {LIFECYCLES} "
        "where channel = 'whatsapp' and is_delivered",
    )
    assert message_cost == cost
    assert free_messages == sum(len(c) - 1 for c in conversations)
