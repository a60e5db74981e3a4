"""Helpdesk: Zendesk Support (tickets, ticket metrics, ticket metric events, users).

Four incremental exports of the Zendesk Support REST API, one row per object
as the API returns it, nested objects flattened with `__` the way dlt
normalises them:

- `tickets` (https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/):
  the ticket as of the export; `via.channel` -> `via__channel` (email, web,
  chat, voice, whatsapp), `satisfaction_rating.score` ->
  `satisfaction_rating__score` (offered, unoffered, good, bad), `tags` a JSON
  array whose contact-reason tag (e.g. `entrega_atrasada`) is the reason, and
  the Time Tracking app's "Total time spent (sec)" custom field pivoted by
  the loader to `custom_fields__total_time_spent_sec` (the agent's handling
  time). `description` is the customer's first comment (PII risk).
- `ticket_metrics` (https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_metrics/):
  one row per ticket; each `*_in_minutes` object ({calendar, business}) is
  flattened to `*_in_minutes__calendar` / `*_in_minutes__business`.
- `ticket_metric_events` (https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_metric_events/):
  one row per metric event (activate, pause, fulfill, apply_sla, breach,
  update_status); `sla.target`, `sla.business_hours` and `sla.policy.{id,
  title, description}` on apply_sla events, `status.{calendar, business}` on
  update_status events, `deleted` on breach events.
- `users` (https://developer.zendesk.com/api-reference/ticketing/users/users/):
  end users (the world's persons who opened tickets; `external_id` is their
  CRM contact id) and agents (the world's agents; one admin).

All timestamps are ISO 8601 UTC ("2026-08-03T12:00:00Z"), as the API writes
them. The export is taken at the end of the world window: a ticket's row is
its last state before then, and events after it are not exported.

SLA policies (apply_sla + breach when the target was missed, fulfill when met):
"Jornada - Padrão" for email and web tickets, in business minutes (schedule
Mon-Sat 08:00-20:00 America/Sao_Paulo): first reply urgent 30, high 60,
normal 240, low 480; total resolution urgent 480, high 960, normal 2880, low
5760. "Jornada - Mensageria" for chat and WhatsApp tickets, in calendar
minutes: first reply 15/30/60/120, resolution 240/480/1440/2880. Voice tickets
have no policy.

Metrics agree with the events (reply_time = first_reply_at - created_at,
floored to minutes) except for four planted tickets whose
`reply_time_in_minutes__calendar` differs from their reply_time
activate/fulfill events by 6 to 40 minutes, as real Zendesk metrics sometimes
do. They are the replied tickets at positions n//8, 3n//8, 5n//8 and 7n//8
in ticket-id order (n replied tickets); with the default world (seed 42)
tickets 10028, 10086, 10146 and 10206.
"""

from __future__ import annotations

import itertools
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from jornada_gen.exports import RawTable
from jornada_gen.identifiers import email_as_written, phone_as_written
from jornada_gen.world import BUSINESS_TZ, Person, Ticket, World, ascii_slug

API = "https://jornadacafe.zendesk.com/api/v2"
BRAND_ID = "360001928374"
GROUPS = {"atendimento": "360004410011", "logistica": "360004410012", "financeiro": "360004410013"}
REASON_GROUP = {
    "entrega_atrasada": "logistica",
    "troca_devolucao": "logistica",
    "pagamento": "financeiro",
    "cancelamento": "financeiro",
    "assinatura": "financeiro",
    "duvida_produto": "atendimento",
    "elogio": "atendimento",
}
REASON_TYPE = {
    "entrega_atrasada": "incident",
    "troca_devolucao": "task",
    "pagamento": "incident",
    "cancelamento": "task",
    "assinatura": "question",
    "duvida_produto": "question",
    "elogio": "question",
}
ORGANIZATIONS = ["360012000101", "360012000102", "360012000103"]
# The world's `via` is already Zendesk's via.channel vocabulary.
VIA_CHANNEL = {"email": "email", "web": "web", "chat": "chat", "voice": "voice", "whatsapp": "whatsapp"}

SCHEDULE_DAYS = range(6)  # Monday..Saturday
SCHEDULE_OPEN, SCHEDULE_CLOSE = 8, 20


@dataclass(frozen=True)
class Policy:
    policy_id: str
    title: str
    description: str
    business_hours: bool
    reply: dict[str, int]
    resolution: dict[str, int]


POLICIES = {
    "standard": Policy(
        "360000481231",
        "Jornada - Padrão",
        "E-mail e formulário web, em horário comercial",
        True,
        {"urgent": 30, "high": 60, "normal": 240, "low": 480},
        {"urgent": 480, "high": 960, "normal": 2880, "low": 5760},
    ),
    "messaging": Policy(
        "360000481232",
        "Jornada - Mensageria",
        "Chat e WhatsApp, em minutos corridos",
        False,
        {"urgent": 15, "high": 30, "normal": 60, "low": 120},
        {"urgent": 240, "high": 480, "normal": 1440, "low": 2880},
    ),
}
VIA_POLICY = {"email": "standard", "web": "standard", "chat": "messaging", "whatsapp": "messaging"}

SUBJECTS = {
    "entrega_atrasada": ["Pedido ainda não chegou", "Atraso na entrega", "Cadê meu pedido?"],
    "troca_devolucao": ["Quero trocar o café", "Devolução de produto", "Produto veio errado"],
    "pagamento": ["Pagamento não confirmado", "Cobrança em duplicidade", "Problema com o Pix"],
    "duvida_produto": ["Dúvida sobre moagem", "Qual café para espresso?", "Informação sobre o kit"],
    "cancelamento": ["Cancelar pedido", "Quero cancelar minha compra"],
    "assinatura": ["Alterar minha assinatura", "Pausar assinatura", "Dúvida sobre a assinatura"],
    "elogio": ["Elogio ao atendimento", "Café excelente!"],
}
BODIES = {
    "entrega_atrasada": "Meu pedido passou do prazo de entrega e o rastreio não atualiza.",
    "troca_devolucao": "Recebi um café diferente do que pedi e gostaria de trocar.",
    "pagamento": "Paguei pelo Pix mas o pedido continua como aguardando pagamento.",
    "duvida_produto": "Qual a moagem indicada para usar na prensa francesa?",
    "cancelamento": "Quero cancelar o pedido que fiz ontem, ainda não foi enviado.",
    "assinatura": "Gostaria de pausar minha assinatura no próximo mês.",
    "elogio": "O café chegou rápido e é excelente, parabéns pelo atendimento!",
}
EXTRA_TAGS = ["pedido", "cliente_recorrente", "assinante", "prioridade_revisada"]

TICKET_COLUMNS = [
    "id",
    "url",
    "created_at",
    "updated_at",
    "type",
    "subject",
    "description",
    "priority",
    "status",
    "requester_id",
    "submitter_id",
    "assignee_id",
    "group_id",
    "organization_id",
    "brand_id",
    "tags",
    "via__channel",
    "satisfaction_rating__score",
    "custom_fields__total_time_spent_sec",
    "is_public",
]
METRIC_COLUMNS = [
    "id",
    "ticket_id",
    "url",
    "created_at",
    "updated_at",
    "reply_time_in_minutes__calendar",
    "reply_time_in_minutes__business",
    "first_resolution_time_in_minutes__calendar",
    "first_resolution_time_in_minutes__business",
    "full_resolution_time_in_minutes__calendar",
    "full_resolution_time_in_minutes__business",
    "agent_wait_time_in_minutes__calendar",
    "agent_wait_time_in_minutes__business",
    "requester_wait_time_in_minutes__calendar",
    "requester_wait_time_in_minutes__business",
    "on_hold_time_in_minutes__calendar",
    "on_hold_time_in_minutes__business",
    "replies",
    "reopens",
    "assignee_stations",
    "group_stations",
    "solved_at",
    "initially_assigned_at",
    "assigned_at",
    "status_updated_at",
    "latest_comment_added_at",
]
EVENT_COLUMNS = [
    "id",
    "ticket_id",
    "metric",
    "instance_id",
    "type",
    "time",
    "sla__target",
    "sla__business_hours",
    "sla__policy__id",
    "sla__policy__title",
    "sla__policy__description",
    "status__calendar",
    "status__business",
    "deleted",
]
USER_COLUMNS = [
    "id",
    "url",
    "name",
    "email",
    "phone",
    "role",
    "created_at",
    "updated_at",
    "last_login_at",
    "time_zone",
    "iana_time_zone",
    "locale",
    "external_id",
    "organization_id",
    "active",
    "verified",
]

Row = dict[str, str | None]


def _iso(ts: datetime | None) -> str | None:
    return None if ts is None else ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sec(ts: datetime) -> datetime:
    return ts.replace(microsecond=0)


def _text(value: int | None) -> str | None:
    return None if value is None else str(value)


# ----------------------------------------------------------------- schedule
def _windows(start: datetime, end: datetime):
    """Business-hours windows (UTC) of the days from start to end."""
    day = start.astimezone(BUSINESS_TZ).date()
    last = end.astimezone(BUSINESS_TZ).date()
    while day <= last:
        if day.weekday() in SCHEDULE_DAYS:
            opens = datetime.combine(day, time(SCHEDULE_OPEN), BUSINESS_TZ).astimezone(UTC)
            closes = datetime.combine(day, time(SCHEDULE_CLOSE), BUSINESS_TZ).astimezone(UTC)
            yield opens, closes
        day += timedelta(days=1)


def business_seconds(start: datetime, end: datetime) -> float:
    total = 0.0
    if end <= start:
        return total
    for opens, closes in _windows(start, end):
        low, high = max(opens, start), min(closes, end)
        if high > low:
            total += (high - low).total_seconds()
    return total


def add_business_minutes(start: datetime, minutes: int) -> datetime:
    remaining = minutes * 60.0
    day = start.astimezone(BUSINESS_TZ).date()
    while True:
        if day.weekday() in SCHEDULE_DAYS:
            opens = datetime.combine(day, time(SCHEDULE_OPEN), BUSINESS_TZ).astimezone(UTC)
            closes = datetime.combine(day, time(SCHEDULE_CLOSE), BUSINESS_TZ).astimezone(UTC)
            low = max(opens, start)
            if closes > low:
                available = (closes - low).total_seconds()
                if available >= remaining:
                    return low + timedelta(seconds=remaining)
                remaining -= available
        day += timedelta(days=1)


def _minutes(start: datetime, end: datetime) -> tuple[int, int]:
    """(calendar, business) whole minutes between two instants."""
    return int((end - start).total_seconds() // 60), int(business_seconds(start, end) // 60)


# ------------------------------------------------------------- ticket life
@dataclass
class Life:
    """What happened to one ticket up to the export (the end of the window)."""

    ticket: Ticket
    created: datetime
    first_reply: datetime | None  # None when not replied before the export
    assigned: datetime | None
    transitions: list[tuple[datetime, str]]  # status changes up to the export
    reopens: int = 0
    events: list[tuple[datetime, str, int, str, Row]] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.transitions[-1][1]

    @property
    def solves(self) -> list[datetime]:
        return [at for at, status in self.transitions if status == "solved"]

    @property
    def final_solved(self) -> datetime | None:
        return self.solves[-1] if self.status in ("solved", "closed") else None

    def status_at(self, at: datetime) -> str:
        current = "new"
        for when, status in self.transitions:
            if when > at:
                break
            current = status
        return current


def _life(ticket: Ticket, rng: random.Random, end: datetime) -> Life:
    created = _sec(ticket.created_at)
    first_reply = _sec(ticket.first_reply_at) if ticket.first_reply_at else None
    solved = _sec(ticket.solved_at) if ticket.solved_at else None
    transitions: list[tuple[datetime, str]] = [(created, "new")]
    if first_reply is not None:
        assigned = _sec(created + (first_reply - created) * rng.uniform(0.1, 0.8))
    elif rng.random() < 0.6:
        assigned = created + timedelta(minutes=rng.randrange(3, 240))
    else:
        assigned = None
    if assigned is not None:
        transitions.append((assigned, "open"))
    reopens = 0
    if first_reply is not None and solved is not None:
        after: list[str] = []
        if rng.random() < 0.45:
            after += ["pending", "open"]
        if rng.random() < 0.10:
            after += ["hold", "open"]
        if ticket.reopens:
            after += ["solved", "open"]
        fractions = sorted(rng.uniform(0.05, 0.95) for _ in after)
        times = [_sec(first_reply + (solved - first_reply) * f) for f in fractions]
        if after and after[0] == "pending":
            times[0] = first_reply
        transitions += list(zip(times, after, strict=True))
        transitions += [(solved, "solved"), (solved + timedelta(days=4), "closed")]
    elif first_reply is not None:
        if ticket.reopens:
            first_solve = _sec(first_reply + timedelta(minutes=rng.lognormvariate(5.0, 1.0)))
            reopen = _sec(first_solve + timedelta(hours=rng.uniform(2, 72)))
            transitions += [(first_solve, "solved"), (reopen, "open")]
        elif rng.random() < 0.5:
            transitions.append((first_reply, "pending"))
    transitions = sorted((t for t in transitions if t[0] <= end), key=lambda t: t[0])
    for previous, current in itertools.pairwise(transitions):
        if previous[1] == "solved" and current[1] == "open":
            reopens += 1
    return Life(
        ticket,
        created,
        first_reply if first_reply is not None and first_reply <= end else None,
        assigned if assigned is not None and assigned <= end else None,
        transitions,
        reopens,
    )


def _time_in(life: Life, statuses: set[str], until: datetime, since: datetime | None = None) -> tuple[int, int]:
    """(calendar, business) minutes the ticket spent in `statuses` between `since` and `until`."""
    calendar = business = 0.0
    points = [*life.transitions, (until, "end")]
    for (start, status), (stop, _) in itertools.pairwise(points):
        start = max(start, since or start)
        stop = min(stop, until)
        if status in statuses and stop > start:
            calendar += (stop - start).total_seconds()
            business += business_seconds(start, stop)
    return int(calendar // 60), int(business // 60)


# ------------------------------------------------------------ metric events
def _clock(life: Life, metric: str, start: datetime, pause_on: set[str]) -> list[tuple[datetime, str, Row]]:
    """activate / pause / fulfill events of one metric clock driven by status changes."""
    events: list[tuple[datetime, str, Row]] = [(start, "activate", {})]
    state = "active"
    for at, status in life.transitions:
        if at < start or status == "closed":
            continue
        if status == "solved" and state in ("active", "paused"):
            events.append((at, "fulfill", {}))
            state = "fulfilled"
        elif status in pause_on and state == "active":
            events.append((at, "pause", {}))
            state = "paused"
        elif status in ("new", "open") and state in ("paused", "fulfilled"):
            events.append((at, "activate", {}))
            state = "active"
    if state == "fulfilled":
        solved = events[-1][0]
        counted = {"new", "open", "hold", "pending"} - pause_on
        if metric == "resolution_time":
            calendar, business = _minutes(start, solved)
        else:
            calendar, business = _time_in(life, counted, solved, since=start)
        events.append((solved, "update_status", {"status__calendar": str(calendar), "status__business": str(business)}))
    return events


def _sla_events(
    life: Life, metric: str, target: int, policy: Policy, end: datetime, fulfilled: datetime | None
) -> list[tuple[datetime, str, Row]]:
    created = life.created
    events: list[tuple[datetime, str, Row]] = [
        (
            created,
            "apply_sla",
            {
                "sla__target": str(target),
                "sla__business_hours": "true" if policy.business_hours else "false",
                "sla__policy__id": policy.policy_id,
                "sla__policy__title": policy.title,
                "sla__policy__description": policy.description,
            },
        )
    ]
    calendar_breach = created + timedelta(minutes=target)
    breach_at = _sec(add_business_minutes(created, target) if policy.business_hours else calendar_breach)
    if breach_at <= end:
        missed = fulfilled is None or fulfilled > breach_at
        if metric == "resolution_time":
            missed = life.status_at(breach_at) not in ("solved", "closed")
        if missed:
            events.append((breach_at, "breach", {"deleted": "false"}))
    return events


def _metric_events(life: Life, end: datetime) -> list[tuple[datetime, str, int, str, Row]]:
    ticket = life.ticket
    policy = POLICIES[VIA_POLICY[ticket.via]] if ticket.via in VIA_POLICY else None
    out: list[tuple[datetime, str, int, str, Row]] = []

    def add(metric: str, events: list[tuple[datetime, str, Row]]) -> None:
        out.extend((at, metric, 1, kind, extra) for at, kind, extra in events)

    reply: list[tuple[datetime, str, Row]] = [(life.created, "activate", {})]
    if policy is not None:
        reply += _sla_events(life, "reply_time", policy.reply[ticket.priority], policy, end, life.first_reply)
    if life.first_reply is not None:
        calendar, business = _minutes(life.created, life.first_reply)
        reply += [
            (life.first_reply, "fulfill", {}),
            (
                life.first_reply,
                "update_status",
                {"status__calendar": str(calendar), "status__business": str(business)},
            ),
        ]
    add("reply_time", reply)
    add("requester_wait_time", _clock(life, "requester_wait_time", life.created, {"pending"}))
    add("agent_work_time", _clock(life, "agent_work_time", life.created, {"pending", "hold"}))
    resolution = _clock(life, "resolution_time", life.created, set())
    if policy is not None:
        target = policy.resolution[ticket.priority]
        resolution[1:1] = _sla_events(life, "resolution_time", target, policy, end, life.final_solved)
    add("resolution_time", resolution)
    if life.first_reply is not None:
        add("periodic_update_time", _clock(life, "periodic_update_time", life.first_reply, set()))
        add("pausable_update_time", _clock(life, "pausable_update_time", life.first_reply, {"pending", "hold"}))
    return [event for event in out if event[0] <= end]


# ------------------------------------------------------------------- users
def _person_user_id(person: Person) -> str:
    return str(380_000_000_000 + person.key * 1031)


def _agent_user_id(index: int) -> str:
    return str(379_000_000_000 + (index + 1) * 977)


def _users(world: World, rng: random.Random, tickets_by_person: dict[int, list[Life]], orgs: dict[int, str | None]):
    rows: list[tuple[datetime, Row]] = []
    end = world.end_at
    for index, name in enumerate(world.agents):
        first, last = name.split(" ", 1)
        created = world.start_at - timedelta(days=rng.randrange(120, 700), minutes=rng.randrange(600))
        login = end - timedelta(hours=rng.uniform(1, 60))
        user_id = _agent_user_id(index)
        rows.append(
            (
                _sec(login),
                {
                    "id": user_id,
                    "url": f"{API}/users/{user_id}.json",
                    "name": name,
                    "email": f"{ascii_slug(first)}.{ascii_slug(last)}@jornadacafe.com.br",
                    "phone": None,
                    "role": "admin" if index == 0 else "agent",
                    "created_at": _iso(created),
                    "updated_at": _iso(login),
                    "last_login_at": _iso(login),
                    "time_zone": "Brasilia",
                    "iana_time_zone": "America/Sao_Paulo",
                    "locale": "pt-BR",
                    "external_id": None,
                    "organization_id": None,
                    "active": "true",
                    "verified": "true",
                },
            )
        )
    for key in sorted(tickets_by_person):
        lives = sorted(tickets_by_person[key], key=lambda life: life.created)
        person = lives[0].ticket.person
        vias = {life.ticket.via for life in lives}
        has_email = bool(vias & {"email", "web", "chat"}) or rng.random() < 0.3
        has_phone = bool(vias & {"voice", "whatsapp"}) or rng.random() < 0.35
        created = lives[0].created - timedelta(seconds=rng.randrange(5, 60))
        updated = lives[-1].created
        web = [life.created for life in lives if life.ticket.via == "web"]
        user_id = _person_user_id(person)
        rows.append(
            (
                updated,
                {
                    "id": user_id,
                    "url": f"{API}/users/{user_id}.json",
                    "name": f"{person.first_name} {person.last_name}",
                    "email": email_as_written(person, rng) if has_email else None,
                    "phone": phone_as_written(person, rng, usual="spaced") if has_phone else None,
                    "role": "end-user",
                    "created_at": _iso(created),
                    "updated_at": _iso(updated),
                    "last_login_at": _iso(web[-1]) if web else None,
                    "time_zone": "Brasilia",
                    "iana_time_zone": "America/Sao_Paulo",
                    "locale": "pt-BR",
                    "external_id": person.crm_contact_id if rng.random() < 0.92 else None,
                    "organization_id": orgs[key],
                    "active": "true",
                    "verified": "true" if has_email else "false",
                },
            )
        )
    return rows


# ------------------------------------------------------------------ render
def _ticket_row(life: Life, rng: random.Random, end: datetime, org: str | None, agent_id: str) -> tuple[datetime, Row]:
    ticket = life.ticket
    person = ticket.person
    requester_id = _person_user_id(person)
    if ticket.via == "voice":
        subject = f"Chamada recebida de {phone_as_written(person, rng, usual='spaced')}"
    elif ticket.via == "whatsapp":
        subject = f"Conversa com {person.first_name} {person.last_name}"
    else:
        subject = rng.choice(SUBJECTS[ticket.reason])
    description = f"Olá! {BODIES[ticket.reason]}"
    if ticket.via == "email" and rng.random() < 0.35:
        description += f"\n\n{person.first_name} {person.last_name}\n{phone_as_written(person, rng, usual='pretty')}"
    tags = {ticket.reason}
    if rng.random() < 0.4:
        tags.add(rng.choice(EXTRA_TAGS))
    if ticket.via == "whatsapp":
        tags.add("whatsapp")
    ticket_type: str | None = REASON_TYPE[ticket.reason]
    roll = rng.random()
    if roll < 0.08:
        ticket_type = None
    elif roll < 0.11 and ticket.reason == "entrega_atrasada":
        ticket_type = "problem"
    updated = max(life.transitions[-1][0], life.first_reply or life.created)
    score = "unoffered"
    if life.final_solved is not None and rng.random() < 0.6:
        score = "offered"
        offered_at = life.final_solved + timedelta(hours=1)
        updated = max(updated, min(offered_at, end))
        if rng.random() < 0.4:
            answered = offered_at + timedelta(hours=rng.uniform(0.2, 70))
            if answered <= end:
                score = "good" if rng.random() < 0.82 else "bad"
                updated = max(updated, _sec(answered))
    spent = None
    if life.first_reply is not None:
        spent = str(ticket.handling_minutes * 60 + rng.randrange(60))
    row = {
        "id": str(ticket.ticket_id),
        "url": f"{API}/tickets/{ticket.ticket_id}.json",
        "created_at": _iso(life.created),
        "updated_at": _iso(updated),
        "type": ticket_type,
        "subject": subject,
        "description": description,
        "priority": ticket.priority,
        "status": life.status,
        "requester_id": requester_id,
        "submitter_id": agent_id if ticket.via == "voice" else requester_id,
        "assignee_id": agent_id if life.assigned is not None else None,
        "group_id": GROUPS[REASON_GROUP[ticket.reason]],
        "organization_id": org,
        "brand_id": BRAND_ID,
        "tags": json.dumps(sorted(tags)),
        "via__channel": VIA_CHANNEL[ticket.via],
        "satisfaction_rating__score": score,
        "custom_fields__total_time_spent_sec": spent,
        "is_public": "true",
    }
    return updated, row


def _metrics_row(life: Life, rng: random.Random, end: datetime, divergence: int | None) -> tuple[datetime, Row]:
    ticket = life.ticket
    metric_id = str(390_000_000_000 + ticket.ticket_id * 7)
    reply = first_resolution = full_resolution = (None, None)
    if life.first_reply is not None:
        reply = _minutes(life.created, life.first_reply)
        if divergence is not None:
            reply = (max(0, reply[0] + divergence), reply[1])
    if life.solves:
        first_resolution = _minutes(life.created, life.solves[0])
    waits = {"agent": (None, None), "requester": (None, None), "hold": (None, None)}
    solved = life.final_solved
    if solved is not None:
        full_resolution = _minutes(life.created, solved)
        waits = {
            "agent": _time_in(life, {"pending"}, solved),
            "requester": _time_in(life, {"new", "open", "hold"}, solved),
            "hold": _time_in(life, {"hold"}, solved),
        }
    stations = 0
    initially = assigned = None
    if life.assigned is not None:
        stations = 2 if rng.random() < 0.1 else 1
        initially = assigned = life.assigned
        reassigned = _sec(life.assigned + timedelta(minutes=rng.randrange(5, 90)))
        if stations == 2 and reassigned <= end:
            assigned = reassigned
        else:
            stations = 1
    comments = [life.created] + [at for at, status in life.transitions if status in ("pending", "solved")]
    if life.first_reply is not None:
        comments.append(life.first_reply)
    status_updated = life.transitions[-1][0]
    updated = max([status_updated, *comments] + ([assigned] if assigned else []))
    row = {
        "id": metric_id,
        "ticket_id": str(ticket.ticket_id),
        "url": f"{API}/ticket_metrics/{metric_id}.json",
        "created_at": _iso(life.created),
        "updated_at": _iso(updated),
        "reply_time_in_minutes__calendar": _text(reply[0]),
        "reply_time_in_minutes__business": _text(reply[1]),
        "first_resolution_time_in_minutes__calendar": _text(first_resolution[0]),
        "first_resolution_time_in_minutes__business": _text(first_resolution[1]),
        "full_resolution_time_in_minutes__calendar": _text(full_resolution[0]),
        "full_resolution_time_in_minutes__business": _text(full_resolution[1]),
        "agent_wait_time_in_minutes__calendar": _text(waits["agent"][0]),
        "agent_wait_time_in_minutes__business": _text(waits["agent"][1]),
        "requester_wait_time_in_minutes__calendar": _text(waits["requester"][0]),
        "requester_wait_time_in_minutes__business": _text(waits["requester"][1]),
        "on_hold_time_in_minutes__calendar": _text(waits["hold"][0]),
        "on_hold_time_in_minutes__business": _text(waits["hold"][1]),
        "replies": str(ticket.replies if life.first_reply is not None else 0),
        "reopens": str(life.reopens),
        "assignee_stations": str(stations),
        "group_stations": "1",
        "solved_at": _iso(solved),
        "initially_assigned_at": _iso(initially),
        "assigned_at": _iso(assigned),
        "status_updated_at": _iso(status_updated),
        "latest_comment_added_at": _iso(max(c for c in comments if c <= updated)),
    }
    return updated, row


def divergent_tickets(lives: list[Life]) -> list[int]:
    """The four planted tickets whose reply-time metric disagrees with their events."""
    replied = sorted(life.ticket.ticket_id for life in lives if life.first_reply is not None)
    n = len(replied)
    return [replied[(2 * k + 1) * n // 8] for k in range(4)] if n >= 8 else []


def _plant_malformed(table: RawTable, rng: random.Random, plan: list[tuple[str, int, dict]], next_id: list[int]):
    """Copies of clean rows, each with exactly one defect (`None` id values get a fresh id)."""
    clean = sorted(table.rows, key=lambda r: (r[0], r[1].get("id") or ""))
    for reason, count, changes in plan:
        candidates = clean
        if "__where__" in changes:
            key, value = changes["__where__"]
            candidates = [r for r in clean if r[1].get(key) == value]
        for at, row in rng.sample(candidates, count):
            bad = dict(row, id=str(next_id[0]))
            if bad.get("url"):
                bad["url"] = str(bad["url"]).replace(f"/{row['id']}.json", f"/{bad['id']}.json")
            next_id[0] += 1
            bad.update({k: v for k, v in changes.items() if k != "__where__"})
            table.add_malformed(at, bad, reason)


def render(world: World, rng: random.Random) -> list[RawTable]:
    end = world.end_at
    agent_ids = {name: _agent_user_id(index) for index, name in enumerate(world.agents)}
    tables = _Tables()
    lives = [_life(ticket, rng, end) for ticket in sorted(world.tickets, key=lambda t: t.ticket_id)]
    planted = divergent_tickets(lives)
    orgs: dict[int, str | None] = {}
    by_person: dict[int, list[Life]] = {}
    for life in lives:
        key = life.ticket.person.key
        by_person.setdefault(key, []).append(life)
        if key not in orgs:
            orgs[key] = rng.choice(ORGANIZATIONS) if rng.random() < 0.04 else None

    ticket_rows = [
        _ticket_row(life, rng, end, orgs[life.ticket.person.key], agent_ids[life.ticket.agent]) for life in lives
    ]
    metric_rows = []
    for life in lives:
        divergence = None
        if life.ticket.ticket_id in planted:
            divergence = rng.choice([-1, 1]) * rng.randrange(6, 41)
            if _minutes(life.created, life.first_reply)[0] + divergence < 0:
                divergence = -divergence
        metric_rows.append(_metrics_row(life, rng, end, divergence))
    events = []
    for life in lives:
        for sequence, (at, metric, instance, kind, extra) in enumerate(_metric_events(life, end)):
            events.append((at, life.ticket.ticket_id, sequence, metric, instance, kind, extra))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    event_id = 7_100_000_000
    event_rows = []
    for at, ticket_id, _, metric, instance, kind, extra in events:
        event_id += rng.randrange(1, 40)
        row = {"id": str(event_id), "ticket_id": str(ticket_id), "metric": metric}
        row.update({"instance_id": str(instance), "type": kind, "time": _iso(at), **extra})
        event_rows.append((at, row))
    user_rows = _users(world, rng, by_person, orgs)

    for at, row in sorted(ticket_rows, key=lambda r: (r[0], r[1]["id"])):
        tables.tickets.add(at, row)
    for at, row in sorted(metric_rows, key=lambda r: (r[0], r[1]["id"])):
        tables.metrics.add(at, row)
    for at, row in event_rows:
        tables.events.add(at, row)
    for at, row in sorted(user_rows, key=lambda r: (r[0], r[1]["id"])):
        tables.users.add(at, row)

    # Malformed rows, in known counts, that staging must quarantine.
    _plant_malformed(
        tables.tickets,
        rng,
        [
            ("missing_id", 2, {"id": None}),
            ("unparseable_timestamp", 2, {"created_at": "03/09/2026 14:32"}),
            ("unknown_status", 2, {"status": "reopened"}),
        ],
        [20_001],
    )
    _plant_malformed(
        tables.metrics,
        rng,
        [
            ("missing_id", 2, {"id": None}),
            ("unparseable_timestamp", 1, {"created_at": "2026-09-31T25:00:00Z"}),
            ("invalid_value", 2, {"replies": "dois"}),
        ],
        [391_000_000_001],
    )
    _plant_malformed(
        tables.events,
        rng,
        [
            ("missing_id", 1, {"id": None}),
            ("unparseable_timestamp", 2, {"time": "27/09/2026 08:00"}),
            ("unknown_status", 2, {"type": "breached"}),
            ("invalid_value", 1, {"sla__target": "4h", "__where__": ("type", "apply_sla")}),
        ],
        [7_900_000_001],
    )
    _plant_malformed(
        tables.users,
        rng,
        [
            ("missing_id", 2, {"id": None}),
            ("unparseable_timestamp", 1, {"created_at": "ontem 14:10"}),
            ("invalid_value", 2, {"role": "customer"}),
        ],
        [381_000_000_001],
    )
    return [tables.tickets, tables.metrics, tables.events, tables.users]


class _Tables:
    """The four raw tables of one Zendesk export."""

    def __init__(self) -> None:
        self.tickets = RawTable(
            "zendesk",
            "tickets",
            TICKET_COLUMNS,
            "Zendesk Support tickets (incremental export), one row per ticket version exported.",
            redeliveries=3,
            overlap=12,
        )
        self.metrics = RawTable(
            "zendesk",
            "ticket_metrics",
            METRIC_COLUMNS,
            "Zendesk Support ticket metrics, one row per ticket metric record exported.",
            redeliveries=3,
            overlap=12,
        )
        self.events = RawTable(
            "zendesk",
            "ticket_metric_events",
            EVENT_COLUMNS,
            "Zendesk Support ticket metric events (incremental export), one row per metric event exported.",
            redeliveries=10,
            overlap=30,
        )
        self.users = RawTable(
            "zendesk",
            "users",
            USER_COLUMNS,
            "Zendesk Support users (incremental export): end users and agents.",
            redeliveries=2,
            overlap=8,
        )
