"""Surveys: NPS, CSAT and CES answers, in Jornada's own survey export format.

There is no vendor behind this table: the survey tool exports answers in a
format the project documents itself, field by field, in
models/staging/surveys/_surveys__docs.md (doc block `surveys__responses_format`)
and in the source yml. One row per answered survey (invitations without an
answer are not exported); all values text, timestamps ISO 8601 UTC
("2026-08-03T12:00:00Z"), names snake_case.

What the world's facts become:
- NPS `post_purchase`: sent about 7 days after a share of the window's orders;
  cancelled, refunded and late-delivery orders (a `entrega_atrasada` ticket)
  score lower;
- NPS `relationship`: one wave per calendar quarter (mid-quarter) to a sample
  of active persons, survey id `nps_relationship_<yyyy>q<n>`;
- CSAT `post_ticket`: sent when a ticket is solved (`ticket_id` =
  str(ticket.ticket_id)); slower first replies and resolutions, and reopens,
  score lower;
- CES `post_chat`: shown when a chat with a known person ends
  (`conversation_id`); bot-resolved chats are easiest, abandoned ones hardest.
Answers arriving after the world's end are not exported yet.

Planted malformed rows: an empty `response_id` (missing_id), an unreadable
`responded_at` (unparseable_timestamp), a `survey_type` outside nps/csat/ces
(unknown_status) and scores outside their scale, nps 11 and csat 0
(invalid_value).
"""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, time, timedelta

from jornada_gen.exports import RawTable
from jornada_gen.identifiers import email_as_written, phone_as_written
from jornada_gen.world import BUSINESS_TZ, Person, World, local_business_time

COLUMNS = [
    "response_id",
    "survey_id",
    "survey_type",
    "question",
    "score",
    "comment",
    "sent_at",
    "responded_at",
    "delivery_channel",
    "touchpoint",
    "respondent_email",
    "respondent_phone",
    "order_id",
    "ticket_id",
    "conversation_id",
]

QUESTIONS = {
    "nps": "Em uma escala de 0 a 10, o quanto você recomendaria a Jornada Café a um amigo ou colega?",
    "csat": "Qual o seu nível de satisfação com o atendimento que você recebeu?",
    "ces": "A Jornada Café facilitou a resolução do seu pedido?",
}

COMMENTS = {
    "good": [
        "Café excelente, chegou bem embalado.",
        "Atendimento rápido e muito educado.",
        "Adorei o kit, já indiquei para amigos.",
        "Entrega antes do prazo, parabéns!",
        "Resolveram tudo em poucos minutos.",
        "Melhor café que já comprei online.",
    ],
    "neutral": [
        "Bom, mas o frete poderia ser mais barato.",
        "Produto ok, demorou um pouco para chegar.",
        "Gostei, mas o site é confuso no celular.",
        "Atendimento correto.",
    ],
    "bad": [
        "Pedido atrasou mais de uma semana.",
        "Demoraram muito para responder.",
        "Tive que explicar o problema três vezes.",
        "O reembolso ainda não caiu na minha conta.",
        "O robô não entendeu minha pergunta.",
        "Produto veio diferente do anunciado.",
    ],
}

# Ticket `via` -> the channel the CSAT survey goes out on.
CSAT_CHANNEL = {"email": "email", "web": "email", "whatsapp": "whatsapp", "chat": "chat", "voice": "sms"}


def iso(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _clip(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _comment(rng: random.Random, score: int, low: int, high: int) -> str | None:
    """Free text for about a third of the answers, in tune with the score."""
    if rng.random() > 0.35:
        return None
    position = (score - low) / (high - low)
    mood = "good" if position >= 0.75 else ("neutral" if position >= 0.5 else "bad")
    return rng.choice(COMMENTS[mood])


def _response_id(rng: random.Random, used: set[str]) -> str:
    while True:
        candidate = f"rsp_{rng.getrandbits(64):016x}"
        if candidate not in used:
            used.add(candidate)
            return candidate


def _quarter_waves(world: World) -> list[tuple[str, date]]:
    """Relationship NPS waves: mid-quarter (45 days after the quarter starts), inside the window."""
    waves = []
    first = world.start.replace(day=1, month=3 * ((world.start.month - 1) // 3) + 1)
    quarter_start = first
    last_day = world.start + timedelta(days=world.days - 1)
    while quarter_start <= last_day:
        wave = quarter_start + timedelta(days=45)
        if world.start <= wave <= last_day:
            quarter = (quarter_start.month - 1) // 3 + 1
            waves.append((f"nps_relationship_{quarter_start.year}q{quarter}", wave))
        month = quarter_start.month + 3
        quarter_start = date(quarter_start.year + (month > 12), (month - 1) % 12 + 1, 1)
    return waves


class SurveyWriter:
    def __init__(self, world: World, rng: random.Random, table: RawTable) -> None:
        self.world = world
        self.rng = rng
        self.table = table
        self.used: set[str] = set()

    def contact(self, person: Person, channel: str) -> tuple[str | None, str | None]:
        """The respondent's email and phone as the survey tool holds them."""
        rng = self.rng
        by_phone = channel in ("whatsapp", "sms")
        email = email_as_written(person, rng) if (not by_phone or rng.random() < 0.5) else None
        phone = phone_as_written(person, rng, usual="e164") if (by_phone or rng.random() < 0.2) else None
        return email, phone

    def add(
        self,
        *,
        survey_id: str,
        survey_type: str,
        score: int,
        scale: tuple[int, int],
        sent_at: datetime,
        responded_at: datetime,
        channel: str,
        touchpoint: str,
        person: Person,
        order_id: str | None = None,
        ticket_id: str | None = None,
        conversation_id: str | None = None,
    ) -> None:
        if responded_at >= self.world.end_at:
            return  # answered after the export snapshot
        email, phone = self.contact(person, channel)
        row = {
            "response_id": _response_id(self.rng, self.used),
            "survey_id": survey_id,
            "survey_type": survey_type,
            "question": QUESTIONS[survey_type],
            "score": str(score),
            "comment": _comment(self.rng, score, *scale),
            "sent_at": iso(sent_at),
            "responded_at": iso(responded_at),
            "delivery_channel": channel,
            "touchpoint": touchpoint,
            "respondent_email": email,
            "respondent_phone": phone,
            "order_id": order_id,
            "ticket_id": ticket_id,
            "conversation_id": conversation_id,
        }
        self.table.add(responded_at, row)

    def answer_delay(self, channel: str) -> timedelta:
        """Time from invitation to answer: minutes in chat, hours by message."""
        rng = self.rng
        if channel in ("chat", "web"):
            return timedelta(seconds=rng.randrange(10, 600))
        hours = min(rng.expovariate(1 / 9), 6 * 24)
        return timedelta(minutes=2 + hours * 60)


def _post_purchase_nps(world: World, rng: random.Random, writer: SurveyWriter) -> None:
    late_delivery = {t.person.key: t.created_at for t in world.tickets if t.reason == "entrega_atrasada"}
    for order in world.orders:
        if order.created_at < world.start_at or rng.random() > 0.7:
            continue
        person = order.person
        if rng.random() > 0.30 + 0.25 * person.engagement:
            continue  # invited, never answered
        sent_day = (order.created_at.astimezone(BUSINESS_TZ) + timedelta(days=7)).date()
        sent_at = local_business_time(rng, sent_day, 9, 12)
        channel = "whatsapp" if person.whatsapp_optin and rng.random() < 0.5 else "email"
        if channel == "email" and person.sms_optin and rng.random() < 0.15:
            channel = "sms"
        penalty = {"voided": 0.9, "refunded": 0.8, "partially_refunded": 0.5, "pending": 0.3}.get(
            order.financial_status, 0.0
        )
        complained = late_delivery.get(person.key)
        if complained is not None and order.created_at <= complained <= sent_at:
            penalty += 0.45
        mean = 8.4 - 4.5 * penalty + 2.0 * (person.engagement - 0.33)
        writer.add(
            survey_id="nps_post_purchase",
            survey_type="nps",
            score=_clip(rng.gauss(mean, 1.7), 0, 10),
            scale=(0, 10),
            sent_at=sent_at,
            responded_at=sent_at + writer.answer_delay(channel),
            channel=channel,
            touchpoint="post_purchase",
            person=person,
            order_id=order.order_id,
        )


def _relationship_nps(world: World, rng: random.Random, writer: SurveyWriter) -> None:
    buyers = {o.person.key for o in world.orders}
    open_complaints = {t.person.key for t in world.tickets if t.solved_at is None}
    for survey_id, wave_day in _quarter_waves(world):
        wave_at = datetime.combine(wave_day, time(10), BUSINESS_TZ).astimezone(UTC)
        for person in world.persons:
            if person.created_at > wave_at or (person.churned_at is not None and person.churned_at <= wave_at):
                continue
            if not person.email_optin or rng.random() > 0.5:
                continue
            if rng.random() > 0.12 + 0.3 * person.engagement:
                continue
            channel = "web" if rng.random() < 0.2 else "email"
            sent_at = wave_at + timedelta(seconds=rng.randrange(0, 3600))
            mean = 7.4 + 2.2 * (person.engagement - 0.33) + (0.6 if person.key in buyers else 0.0)
            mean -= 2.5 if person.key in open_complaints else 0.0
            writer.add(
                survey_id=survey_id,
                survey_type="nps",
                score=_clip(rng.gauss(mean, 1.9), 0, 10),
                scale=(0, 10),
                sent_at=sent_at,
                responded_at=sent_at + writer.answer_delay(channel),
                channel=channel,
                touchpoint="relationship",
                person=person,
            )


def _post_ticket_csat(world: World, rng: random.Random, writer: SurveyWriter) -> None:
    for ticket in world.tickets:
        if ticket.solved_at is None or ticket.first_reply_at is None or ticket.solved_at < world.start_at:
            continue
        if rng.random() > 0.45:
            continue
        resolution_hours = (ticket.solved_at - ticket.created_at).total_seconds() / 3600
        reply_hours = (ticket.first_reply_at - ticket.created_at).total_seconds() / 3600
        mean = 4.6 - 0.38 * math.log2(1 + resolution_hours / 4)
        mean -= 0.4 if reply_hours > 8 else 0.0
        mean -= 0.9 * ticket.reopens
        mean += 0.4 if ticket.reason == "elogio" else 0.0
        channel = CSAT_CHANNEL[ticket.via]
        sent_at = ticket.solved_at + timedelta(minutes=rng.randrange(5, 30))
        writer.add(
            survey_id="csat_post_ticket",
            survey_type="csat",
            score=_clip(rng.gauss(mean, 0.8), 1, 5),
            scale=(1, 5),
            sent_at=sent_at,
            responded_at=sent_at + writer.answer_delay(channel),
            channel=channel,
            touchpoint="post_ticket",
            person=ticket.person,
            ticket_id=str(ticket.ticket_id),
        )


def _post_chat_ces(world: World, rng: random.Random, writer: SurveyWriter) -> None:
    for chat in world.chats:
        if chat.person is None or rng.random() > 0.4:
            continue
        mean = {"resolved_by_bot": 6.0, "order": 6.2, "lead": 5.5, "resolved_by_agent": 5.4, "abandoned": 3.0}[
            chat.outcome
        ]
        if chat.human_started_at is not None:
            wait_minutes = (chat.human_started_at - chat.bot_ended_at).total_seconds() / 60
            mean -= 0.12 * wait_minutes
        channel = "web" if rng.random() < 0.2 else "chat"
        sent_at = chat.ended_at + timedelta(seconds=rng.randrange(1, 60))
        writer.add(
            survey_id="ces_post_chat",
            survey_type="ces",
            score=_clip(rng.gauss(mean, 1.0), 1, 7),
            scale=(1, 7),
            sent_at=sent_at,
            responded_at=sent_at + writer.answer_delay(channel),
            channel=channel,
            touchpoint="post_chat",
            person=chat.person,
            conversation_id=chat.conversation_id,
        )


def render(world: World, rng: random.Random) -> list[RawTable]:
    table = RawTable(
        "surveys",
        "responses",
        COLUMNS,
        "Survey answers (NPS, CSAT, CES), one row per answer, Jornada survey export format.",
        redeliveries=12,
        overlap=16,
    )
    writer = SurveyWriter(world, rng, table)
    _post_purchase_nps(world, rng, writer)
    _relationship_nps(world, rng, writer)
    _post_ticket_csat(world, rng, writer)
    _post_chat_ces(world, rng, writer)

    # Malformed rows, in known counts, that staging must quarantine.
    samples = {
        kind: [(at, row) for at, row in table.rows if row["survey_type"] == kind] for kind in ("nps", "csat", "ces")
    }
    at, row = rng.choice(samples["nps"])
    table.add_malformed(at, dict(row, response_id=""), "missing_id")
    at, row = rng.choice(samples["ces"])
    local = at.astimezone(BUSINESS_TZ)
    table.add_malformed(
        at,
        dict(row, response_id=_response_id(rng, writer.used), responded_at=f"{local:%d/%m/%Y %H:%M}"),
        "unparseable_timestamp",
    )
    at, row = rng.choice(samples["csat"])
    table.add_malformed(at, dict(row, response_id=_response_id(rng, writer.used), survey_type="star"), "unknown_status")
    at, row = rng.choice(samples["nps"])
    table.add_malformed(at, dict(row, response_id=_response_id(rng, writer.used), score="11"), "invalid_value")
    at, row = rng.choice(samples["csat"])
    table.add_malformed(at, dict(row, response_id=_response_id(rng, writer.used), score="0"), "invalid_value")
    return [table]
