"""Chat: Jornada's own chat widget export (site widget, app and WhatsApp bot).

The chat widget, its bot and the human hand-over are exported in a format
Jornada documents itself (no vendor): the specification, field by field, is
in models/staging/chat/_chat__docs.md and models/staging/chat/_chat__sources.yml.
Three tables:

- `conversations`: one row per conversation, written when it ends (a
  conversation still running at the export cut is written with status `open`
  and written again once it ends; the latest load wins);
- `segments`: one row per bot or human segment of a conversation;
- `article_views`: one row per help article the bot showed, with the
  visitor's helpful vote.

Timestamps are ISO 8601 UTC with a `Z` ("2026-08-03T12:00:00Z"). Agents use
the project-wide agent id `agt_NNN` (NNN = 1-based position of the agent in
`world.agents`), the same ids as the workforce export.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from jornada_gen.exports import RawTable
from jornada_gen.identifiers import email_as_written, phone_as_written, whatsapp_id
from jornada_gen.names import BOT_ARTICLES
from jornada_gen.world import Chat, World

CONVERSATION_COLUMNS = [
    "conversation_id",
    "started_at",
    "ended_at",
    "entry_point",
    "visitor_id",
    "contact_email",
    "contact_phone",
    "contact_name",
    "bot_id",
    "status",
    "resolution",
    "handed_over_at",
    "agent_id",
    "lead_id",
    "order_id",
]

SEGMENT_COLUMNS = [
    "segment_id",
    "conversation_id",
    "handler_type",
    "handler_id",
    "started_at",
    "ended_at",
    "messages_count",
]

ARTICLE_VIEW_COLUMNS = [
    "view_id",
    "conversation_id",
    "article_id",
    "article_title",
    "viewed_at",
    "helpful_vote",
]

RESOLUTIONS = {
    "resolved_by_bot": "resolved_by_bot",
    "resolved_by_agent": "resolved_by_agent",
    "abandoned": "abandoned",
    "lead": "lead_created",
    "order": "order_placed",
}

WEB_BOT = "bot_web_01"
WHATSAPP_BOT = "bot_wa_01"


def iso(ts: datetime | None) -> str | None:
    return None if ts is None else ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def agent_id(world: World, name: str | None) -> str | None:
    """Project-wide agent id: agt_ + 3-digit 1-based position in world.agents."""
    return None if name is None else f"agt_{world.agents.index(name) + 1:03d}"


def _order_ids(world: World) -> dict[tuple[int, datetime], str]:
    """Orders by (person key, created_at): a chat order is placed 2 minutes after the chat ends."""
    return {(order.person.key, order.created_at): order.order_id for order in world.orders}


def _conversation(
    world: World, chat: Chat, rng: random.Random, orders: dict[tuple[int, datetime], str]
) -> tuple[dict[str, str | None], str]:
    person = chat.person
    if person is not None:
        entry_point = rng.choices(["site_widget", "app", "whatsapp_bot"], [65, 22, 13])[0]
    else:
        entry_point = rng.choices(["site_widget", "app"], [75, 25])[0]
    bot_id = WHATSAPP_BOT if entry_point == "whatsapp_bot" else WEB_BOT
    email = phone = name = None
    if person is not None and chat.provided_email:
        email = email_as_written(person, rng)
        if rng.random() < 0.85:
            name = f"{person.first_name} {person.last_name}" if rng.random() < 0.7 else person.first_name
        if entry_point == "whatsapp_bot":
            phone = whatsapp_id(person)
        elif rng.random() < 0.5:
            phone = phone_as_written(person, rng, usual="pretty")
    is_open = chat.ended_at > world.end_at
    status = "open" if is_open else ("abandoned" if chat.outcome == "abandoned" else "closed")
    lead_id = order_id = None
    if chat.outcome == "lead" and person is not None:
        lead_id = person.crm_contact_id
    if chat.outcome == "order" and person is not None:
        order_id = orders.get((person.key, chat.ended_at + timedelta(minutes=2)))
    row = {
        "conversation_id": chat.conversation_id,
        "started_at": iso(chat.started_at),
        "ended_at": None if is_open else iso(chat.ended_at),
        "entry_point": entry_point,
        "visitor_id": chat.user_pseudo_id if entry_point != "whatsapp_bot" else None,
        "contact_email": email,
        "contact_phone": phone,
        "contact_name": name,
        "bot_id": bot_id,
        "status": status,
        "resolution": None if is_open else RESOLUTIONS[chat.outcome],
        "handed_over_at": iso(chat.bot_ended_at) if chat.escalated else None,
        "agent_id": agent_id(world, chat.agent),
        "lead_id": lead_id,
        "order_id": order_id,
    }
    return row, bot_id


def _segments(
    world: World, chat: Chat, bot_id: str, rng: random.Random
) -> list[tuple[datetime, dict[str, str | None]]]:
    bot_seconds = (chat.bot_ended_at - chat.started_at).total_seconds()
    rows = [
        (
            chat.bot_ended_at,
            {
                "segment_id": f"{chat.conversation_id}_1",
                "conversation_id": chat.conversation_id,
                "handler_type": "bot",
                "handler_id": bot_id,
                "started_at": iso(chat.started_at),
                "ended_at": iso(chat.bot_ended_at),
                "messages_count": str(2 + int(bot_seconds // 30) + rng.randrange(0, 4)),
            },
        )
    ]
    if chat.escalated and chat.human_started_at is not None:
        is_open = chat.ended_at > world.end_at
        human_minutes = (chat.ended_at - chat.human_started_at).total_seconds() / 60
        rows.append(
            (
                chat.ended_at,
                {
                    "segment_id": f"{chat.conversation_id}_2",
                    "conversation_id": chat.conversation_id,
                    "handler_type": "human",
                    "handler_id": agent_id(world, chat.agent),
                    "started_at": iso(chat.human_started_at),
                    "ended_at": None if is_open else iso(chat.ended_at),
                    "messages_count": str(2 + int(human_minutes * rng.uniform(0.6, 1.4))),
                },
            )
        )
    return rows


def _article_views(chat: Chat, rng: random.Random) -> list[tuple[datetime, dict[str, str | None]]]:
    titles = dict(BOT_ARTICLES)
    rows = []
    for number, (article_id, viewed_at, vote) in enumerate(chat.articles, start=1):
        if viewed_at >= chat.bot_ended_at:
            # The bot shows articles during its own segment: keep the view inside it.
            span = (chat.bot_ended_at - chat.started_at).total_seconds()
            viewed_at = chat.started_at + timedelta(seconds=int(span * rng.uniform(0.2, 0.95)))
        row = {
            "view_id": f"{chat.conversation_id}_v{number}",
            "conversation_id": chat.conversation_id,
            "article_id": article_id,
            "article_title": titles[article_id],
            "viewed_at": iso(viewed_at),
            "helpful_vote": {True: "yes", False: "no", None: ""}[vote],
        }
        rows.append((viewed_at, row))
    return rows


def render(world: World, rng: random.Random) -> list[RawTable]:
    conversations = RawTable(
        "chat",
        "conversations",
        CONVERSATION_COLUMNS,
        "Jornada chat export: one row per conversation (bot first, optional hand-over to a human agent).",
        redeliveries=8,
        overlap=6,
    )
    segments = RawTable(
        "chat",
        "segments",
        SEGMENT_COLUMNS,
        "Jornada chat export: one row per bot or human segment of a conversation.",
        redeliveries=8,
        overlap=6,
    )
    article_views = RawTable(
        "chat",
        "article_views",
        ARTICLE_VIEW_COLUMNS,
        "Jornada chat export: one row per help article the bot showed in a conversation.",
        redeliveries=6,
        overlap=5,
    )
    orders = _order_ids(world)
    for chat in world.chats:
        row, bot_id = _conversation(world, chat, rng, orders)
        conversations.add(min(chat.ended_at, world.end_at), row)
        for at, segment in _segments(world, chat, bot_id, rng):
            segments.add(min(at, world.end_at), segment)
        for at, view in _article_views(chat, rng):
            article_views.add(at, view)

    # Malformed rows, in known counts, that staging must quarantine. Each is a
    # copy of a real row with a new id and exactly one defect.
    def copies(table: RawTable, count: int) -> list[dict[str, str | None]]:
        return [dict(row) for _, row in rng.sample(table.rows, count)]

    start = world.start_at
    picks = copies(conversations, 6)
    for n, row in enumerate(picks[:2], start=1):
        row.update(conversation_id=f"conv_x{n:05d}", started_at="2026-13-45T25:00:00Z")
        conversations.add_malformed(start, row, "unparseable_timestamp")
    for n, row in enumerate(picks[2:4], start=3):
        row.update(conversation_id=f"conv_x{n:05d}", status="pending")
        conversations.add_malformed(start, row, "unknown_status")
    for row in picks[4:6]:
        row.update(conversation_id=None)
        conversations.add_malformed(start, row, "missing_id")

    picks = copies(segments, 6)
    for n, row in enumerate(picks[:2], start=1):
        row.update(segment_id=f"seg_x{n:05d}", ended_at="yesterday")
        segments.add_malformed(start, row, "unparseable_timestamp")
    for n, row in enumerate(picks[2:4], start=3):
        row.update(segment_id=f"seg_x{n:05d}", messages_count="doze")
        segments.add_malformed(start, row, "invalid_value")
    for n, row in enumerate(picks[4:5], start=5):
        row.update(segment_id=f"seg_x{n:05d}", handler_type="robot")
        segments.add_malformed(start, row, "unknown_status")
    for row in picks[5:6]:
        row.update(segment_id="")
        segments.add_malformed(start, row, "missing_id")

    picks = copies(article_views, 5)
    for n, row in enumerate(picks[:2], start=1):
        row.update(view_id=f"view_x{n:05d}", viewed_at="03/08/2026 10:00")
        article_views.add_malformed(start, row, "unparseable_timestamp")
    for n, row in enumerate(picks[2:4], start=3):
        row.update(view_id=f"view_x{n:05d}", helpful_vote="talvez")
        article_views.add_malformed(start, row, "invalid_value")
    for row in picks[4:5]:
        row.update(view_id=None)
        article_views.add_malformed(start, row, "missing_id")
    return [conversations, segments, article_views]
