"""The bulk world as DuckDB tables: what happened, decided row by row from hashes.

The same story as `jornada_gen.world`, vectorised: persons get scheduled
email, WhatsApp and SMS campaigns (some A/B tested) and a welcome email; they
open, click (a click starts a GA4 session with the campaign's utm tags),
browse, start checkouts, get cart-recovery messages, buy (the order carries
the session and checkout), chat with the bot, open tickets, subscribe,
answer surveys and write reviews.

Every table is a pure function of the seed, the person count and the start
date; `end_day` only limits how far the drivers (campaign days, weeks of
visits, tickets and chats) are generated. Ids that tools number sequentially
(order numbers, ticket ids, conversation numbers) are numbered in time order,
so they are the same in a shorter and a longer window for everything that
happened before the shorter window ended.

Times are BIGINT epoch seconds (UTC); `t0()` is the first local midnight.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import duckdb

from jornada_gen.bulk import refdata as ref
from jornada_gen.bulk.plan import WorldPlan, local_midnight
from jornada_gen.bulk.sqlkit import lst, weighted
from jornada_gen.sources import campaigns as catalog
from jornada_gen.sources import twilio
from jornada_gen.world import BUSINESS_TZ

DAY = 86_400
# Key spaces: every driver row has a BIGINT key unique in its table.
MESSAGE_KEY = 100_000_000  # message key = campaign number * MESSAGE_KEY + person (or checkout number)
ORGANIC_SESSION = 2_000_000_000_000
ANONYMOUS_SESSION = 3_000_000_000_000
PERSON_CHAT = 4_000_000_000_000
ANONYMOUS_CHAT = 5_000_000_000_000
CHECKOUT_ORDER = 10_000_000_000_000
RECOVERY_ORDER = 20_000_000_000_000
CHAT_ORDER = 30_000_000_000_000
HISTORICAL_ORDER = 40_000_000_000_000

RECOVERY_CAMPAIGNS = {"email": 1, "whatsapp": 2, "sms": 3}
WELCOME_CAMPAIGN = 4
REPLY_TEXTS = ["Quero saber mais", "Obrigado!", "Qual o prazo de entrega?", "👍", "Tem cupom?", "PARAR", "SAIR", "STOP"]
REPLY_TEXTS.append("Sair")

SCHEDULE = [("email", 5, ["promo", "newsletter"]), ("whatsapp", 9, ["promo"]), ("sms", 13, ["promo", "win_back"])]
SUBJECTS = {
    "promo": ["Frete grátis no fim de semana", "Cafés com 20% off", "Lançamento: kit degustação"],
    "newsletter": ["Novidades da torrefação", "Receitas com café", "Guia de métodos de preparo"],
    "win_back": ["Sentimos sua falta: 15% off", "Volte a tomar um café com a gente"],
    "cart_recovery": ["Você esqueceu algo no carrinho"],
    "welcome": ["Boas-vindas à Jornada Café"],
}
# GA4 session sources of visits that do not come from our messages: (source, medium, campaign, weight).
WEB_SOURCES = [
    ("google", "organic", None, 40),
    ("(direct)", "(none)", None, 25),
    ("instagram", "social", None, 12),
    ("facebook", "cpc", "ads_meta_conversao", 13),
    ("google", "cpc", "ads_google_search", 10),
]


@dataclass(frozen=True)
class Horizon:
    """How far drivers are generated: `end_day` days of the window (and the agents' team size)."""

    end_day: int
    agents: int

    @property
    def weeks(self) -> int:
        return -(-self.end_day // 7)


def team_size(persons: int) -> int:
    """Contact-center agents: the demo's 8, one more per 5,000 persons beyond 40,000."""
    return max(8, persons // 5_000)


def web_source_sql(key: str, salt: int) -> tuple[str, str, str]:
    """(source, medium, campaign) SQL expressions of a weighted pick among WEB_SOURCES."""
    index = f"{weighted([(str(i + 1), w) for i, (*_, w) in enumerate(WEB_SOURCES)])}[1 + rint({key}, {salt}, 100)]"
    sources = lst(s for s, _, _, _ in WEB_SOURCES)
    mediums = lst(m for _, m, _, _ in WEB_SOURCES)
    campaigns = lst(c for _, _, c, _ in WEB_SOURCES)
    return (
        f"{sources}[{index}::INTEGER]",
        f"{mediums}[{index}::INTEGER]",
        f"{campaigns}[{index}::INTEGER]",
    )


def basket(bk: str) -> dict[str, str]:
    """SQL expressions of a basket (1 or 2 main products, 25% with one extra item) keyed by `bk`."""
    main0 = f"{ref.MAIN_PRODUCTS}[1 + rint({bk}, 100, 5)]"
    main1 = f"{ref.MAIN_PRODUCTS}[1 + (rint({bk}, 100, 5) + 1 + rint({bk}, 102, 4)) % 5]"
    extra = f"{ref.EXTRA_PRODUCTS}[1 + rint({bk}, 104, 5)]"
    q0 = f"[1, 1, 2, 3][1 + rint({bk}, 105, 4)]"
    q1 = f"[1, 1, 2, 3][1 + rint({bk}, 106, 4)]"
    two = f"(u({bk}, 101) < 0.25)"
    has_extra = f"(u({bk}, 103) < 0.25)"
    price = ref.PRICE_CENTS
    subtotal = (
        f"({price}[{main0}] * {q0} + case when {two} then {price}[{main1}] * {q1} else 0 end"
        f" + case when {has_extra} then {price}[{extra}] else 0 end)"
    )
    items = f"({q0} + case when {two} then {q1} else 0 end + case when {has_extra} then 1 else 0 end)"
    return {
        "main0": main0,
        "main1": main1,
        "extra": extra,
        "q0": q0,
        "q1": q1,
        "two": two,
        "has_extra": has_extra,
        "subtotal": subtotal,
        "items": items,
        "first_price": f"{price}[{main0}]",
    }


# ----------------------------------------------------------------- campaigns
def campaign_rows(plan: WorldPlan, end_day: int) -> list[tuple]:
    """The campaign catalog up to `end_day`: scheduled campaigns by day, plus the triggered journeys.

    Each scheduled campaign is decided by its own day and channel, so appending days adds
    campaigns without changing earlier ones.
    """
    rows: list[tuple] = []

    def add(n: int, name: str, channel: str, journey: str, day: int | None, send_at: int | None, ab: bool) -> None:
        rng = random.Random(f"{plan.seed}:campaign:{n}")
        subject = rng.choice(SUBJECTS[journey])
        if send_at is None:
            created = local_midnight(plan.start) - rng.randrange(120, 400) * DAY + rng.randrange(8 * 3600, 20 * 3600)
        else:
            created = send_at - rng.randrange(3, 12) * DAY - rng.randrange(0, 6 * 3600)
        template = subject if channel == "email" else catalog.template_name(subject, channel)
        link = f"https://jornadacafe.com.br/ofertas?utm_source=sms&utm_medium=messaging&utm_campaign=cmp_{n:04d}"
        body = f"Jornada Café: {subject}. {link} Resp. SAIR p/ cancelar"
        rows.append(
            (
                n,
                f"cmp_{n:04d}",
                name,
                channel,
                journey,
                day,
                send_at,
                ab,
                subject,
                template,
                rng.uniform(0.3, 0.8),
                created,
                body if channel == "sms" else None,
                twilio.segments(body) if channel == "sms" else None,
                json.dumps([journey, f"cmp_{n:04d}"]),
            )
        )

    for channel, number in RECOVERY_CAMPAIGNS.items():
        add(number, f"cart_recovery_{channel}", channel, "cart_recovery", None, None, False)
    add(WELCOME_CAMPAIGN, "welcome_email", "email", "welcome", None, None, False)
    for day in range(end_day):
        for index, (channel, every, journeys) in enumerate(SCHEDULE):
            offset = 1 + random.Random(f"{plan.seed}:offset:{channel}").randrange(every - 1)
            if day < offset or (day - offset) % every:
                continue
            n = 100 + 3 * day + index
            rng = random.Random(f"{plan.seed}:schedule:{n}")
            journey = rng.choice(journeys)
            local_day = plan.start + timedelta(days=day)
            hour = rng.choice([9, 10, 11, 14, 16, 18, 19])
            send_at = int(datetime.combine(local_day, time(hour), BUSINESS_TZ).timestamp())
            add(n, f"{journey}_{channel}_{local_day.isoformat()}", channel, journey, day, send_at, n % 3 == 0)
    return rows


def quarter_waves(plan: WorldPlan, end_day: int) -> list[tuple[int, str, int]]:
    """Relationship NPS waves inside the horizon: (wave index, survey id, local day offset)."""
    waves = []
    quarter = date(plan.start.year, 3 * ((plan.start.month - 1) // 3) + 1, 1)
    last = plan.start + timedelta(days=end_day - 1)
    while quarter <= last:
        wave = quarter + timedelta(days=45)
        if plan.start <= wave <= last:
            number = (quarter.month - 1) // 3 + 1
            waves.append((len(waves), f"nps_relationship_{quarter.year}q{number}", (wave - plan.start).days))
        month = quarter.month + 3
        quarter = date(quarter.year + (month > 12), (month - 1) % 12 + 1, 1)
    return waves


# -------------------------------------------------------------------- build
def build(con: duckdb.DuckDBPyConnection, plan: WorldPlan, horizon: Horizon, step) -> None:
    """Creates every world table; `step(name)` reports progress."""
    for name, builder in STEPS:
        step(f"world: {name}")
        builder(con, plan, horizon)


def _persons(con: duckdb.DuckDBPyConnection, plan: WorldPlan, horizon: Horizon) -> None:
    new_sources = weighted(
        [
            ("ORGANIC_SEARCH", 30),
            ("PAID_SOCIAL", 25),
            ("SOCIAL_MEDIA", 15),
            ("DIRECT_TRAFFIC", 15),
            ("OTHER_CAMPAIGNS", 10),
            ("REFERRALS", 5),
        ],
        5,
    )
    old_sources = lst(["ORGANIC_SEARCH", "PAID_SOCIAL", "DIRECT_TRAFFIC", "OFFLINE", "REFERRALS"])
    con.execute(f"""
        create or replace table persons as
        with base as (
            select
                key,
                rint(key, 1, {ref.N_FIRST}) + 1 as fi,
                rint(key, 2, {ref.N_LAST}) + 1 as li,
                rint(key, 3, {ref.N_LAST}) + 1 as li2,
                u(key, 4) < 0.4 as double_last,
                rint(key, 6, {ref.N_AREAS}) + 1 as ai,
                u(key, 7) < 0.3 as is_new
            from range(1, {plan.persons} + 1) as t(key)
        )
        select
            key,
            {ref.FIRST_NAMES}[fi] as first_name,
            case when double_last then {ref.LAST_NAMES}[li2] || ' ' || {ref.LAST_NAMES}[li]
                else {ref.LAST_NAMES}[li] end as last_name,
            {ref.FIRST_SLUGS}[fi] || '.' || {ref.LAST_SLUGS}[li] || key::VARCHAR || '@'
                || pick({ref.DOMAINS}, key, 5) as email,
            {ref.AREAS}[ai] as area,
            (60000000 + (key * 7919993) % 40000000)::VARCHAR as num8,
            {ref.CITIES}[ai] as city,
            {ref.STATES}[ai] as state,
            {ref.GA4_REGIONS}[ai] as ga4_region,
            {ref.GA4_CITIES}[ai] as ga4_city,
            is_new,
            case when is_new then biz(rint(key, 8, 180), 8, 20, key, 9)
                else biz(-30 - rint(key, 8, 690), 8, 20, key, 9) end as created_at,
            case when is_new then pick({new_sources}, key, 10) else pick({old_sources}, key, 10) end
                as original_source,
            pow(1 - pow(1 - u(key, 11), 0.2), 0.5) as engagement,
            pow(1 - pow(1 - u(key, 12), 1 / 6.0), 1 / 1.5) as buy,
            u(key, 13) < 0.85 as email_optin,
            u(key, 14) < 0.6 as wa_optin,
            u(key, 15) < 0.45 as sms_optin,
            u(key, 16) < 0.03 as variants,
            u(key, 17) < 0.15 as old_wa,
            case when u(key, 18) < 0.12 then biz(10 + rint(key, 19, 170), 8, 20, key, 20) end as churned_at,
            key % 333 = 7 and key < 2000 as company,
            u(key, 21) < 0.35 as two_devices,
            u(key, 22) < 0.05 as marketing_paused,
            u(key, 23) < 0.35 + 0.5 * pow(1 - pow(1 - u(key, 12), 1 / 6.0), 1 / 1.5) as store_customer,
            (7000000000 + key * 13)::VARCHAR as store_id,
            u(key, 24) < 0.09 + 0.2 * pow(1 - pow(1 - u(key, 12), 1 / 6.0), 1 / 1.5) as subscriber,
            'cus_' || hex(key, 6) || hexh(key, 25, 8) as billing_id,
            (5000 + key * 7)::VARCHAR as crm_id
        from base
    """)


def _campaigns(con: duckdb.DuckDBPyConnection, plan: WorldPlan, horizon: Horizon) -> None:
    con.execute("""
        create or replace table campaigns (
            n INTEGER, campaign_id VARCHAR, name VARCHAR, channel VARCHAR, journey VARCHAR, day INTEGER,
            send_at BIGINT, ab BOOLEAN, subject VARCHAR, template VARCHAR, share DOUBLE, created_at BIGINT,
            sms_body VARCHAR, sms_segments INTEGER, category VARCHAR
        )
    """)
    con.executemany(
        "insert into campaigns values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        campaign_rows(plan, horizon.end_day),
    )


def _outcomes(base: str) -> str:
    """What happened to each message of `base`: delivery, opens, clicks, replies, opt-outs, spam."""
    return f"""
        with m as (
            select b.*, p.engagement as eng, case when b.is_b then 1.25 else 1.0 end as lift, u(b.mk, 30) as roll
            from {base} as b join persons as p on p.key = b.person
        ),
        o as (
            select
                *,
                case channel
                    when 'email' then case when roll < 0.005 then 'dropped' when roll < 0.017 then 'bounce_hard'
                        when roll < 0.025 then 'bounce_soft' else 'delivered' end
                    when 'whatsapp' then case when roll < 0.03 then 'failed' else 'delivered' end
                    else case when roll < 0.02 then 'failed' when roll < 0.05 then 'undelivered' else 'delivered' end
                end as outcome,
                channel = 'email' and u(mk, 31) < 0.03 as deferred_roll
            from m
        ),
        d as (
            select
                *,
                outcome = 'delivered' and deferred_roll as deferred,
                case when outcome = 'delivered' then sent_at + case when deferred_roll
                    then 60 * (2 + rint(mk, 32, 898)) else 2 + rint(mk, 32, 38) end end as delivered_at
            from o
        ),
        r as (
            select
                *,
                delivered_at is not null and u(mk, 33) < (case channel when 'email' then 0.45
                    when 'whatsapp' then 0.85 else 0.0 end) * (0.4 + eng) * lift as opened,
                delivered_at is not null and u(mk, 45) < case channel when 'email' then 0.004
                    when 'whatsapp' then 0.006 else 0.009 end as opted_out
            from d
        ),
        c as (
            select
                *,
                case when opened then delivered_at + least(expo(mk, 34, 10800.0), 604800)::BIGINT end as open1,
                opened and channel = 'email' and u(mk, 37) < 0.12 as machine_open
            from r
        ),
        k as (
            select
                *,
                delivered_at is not null and (opened or channel = 'sms') and not machine_open
                    and u(mk, 38) < (case channel when 'email' then 0.16 when 'whatsapp' then 0.22 else 0.05 end)
                    * (0.5 + eng) * lift as clicked,
                delivered_at is not null and channel <> 'email' and u(mk, 42)
                    < (case channel when 'whatsapp' then 0.10 else 0.03 end) * (0.5 + eng) as replied,
                case when opted_out then coalesce(open1, delivered_at) + 60 * (1 + rint(mk, 46, 599)) end as unsub_at
            from c
        )
        select
            mk, person, n, channel, is_b, sent_at, checkout_no, outcome, deferred, delivered_at, open1,
            case when opened and u(mk, 35) < 0.3 then open1 + 3600 + rint(mk, 36, 169200) end as open2,
            machine_open,
            case when clicked then coalesce(open1, delivered_at) + 5 + rint(mk, 39, 595) end as click1,
            case when clicked and u(mk, 40) < 0.25
                then coalesce(open1, delivered_at) + 5 + rint(mk, 39, 595) + 60 * (2 + rint(mk, 41, 298))
            end as click2,
            case when opted_out and channel <> 'email' then unsub_at
                when replied then delivered_at + least(expo(mk, 43, 14400.0), 604800)::BIGINT end as reply_at,
            case when opted_out and channel <> 'email' then 5 + rint(mk, 47, 4)
                when replied then rint(mk, 44, 5) end as reply_kind,
            unsub_at,
            case when channel = 'email' and delivered_at is not null and u(mk, 48) < 0.0015
                then delivered_at + 60 * (5 + rint(mk, 49, 1995)) end as spam_at
        from k
    """


def _messages(con: duckdb.DuckDBPyConnection, plan: WorldPlan, horizon: Horizon) -> None:
    """Scheduled campaign messages and welcome emails (cart recovery is added with the checkouts)."""
    gen_hi = plan.t0 + horizon.end_day * DAY
    key = f"c.n::BIGINT * {MESSAGE_KEY} + p.key"
    con.execute(f"""
        create or replace temp table msg_base as
        select
            {key} as mk,
            p.key as person,
            c.n,
            c.channel,
            c.ab and u({key}, 21) < 0.5 as is_b,
            c.send_at + rint({key}, 22, 1800) as sent_at,
            NULL::BIGINT as checkout_no
        from campaigns as c, persons as p
        where c.send_at is not null and c.send_at < {gen_hi}
            and p.created_at <= c.send_at and (p.churned_at is null or c.send_at < p.churned_at)
            and u({key}, 20) < c.share
            and case c.channel when 'email' then p.email_optin when 'whatsapp' then p.wa_optin else p.sms_optin end
            and not (c.journey = 'win_back' and p.buy > 0.3)
        union all
        select {WELCOME_CAMPAIGN} * {MESSAGE_KEY} + key, key, {WELCOME_CAMPAIGN}, 'email', false, created_at + 300, NULL
        from persons
        where is_new and email_optin and created_at < {gen_hi}
    """)
    con.execute(f"create or replace table messages as {_outcomes('msg_base')}")
    con.execute("drop table msg_base")


def _sessions(con: duckdb.DuckDBPyConnection, plan: WorldPlan, horizon: Horizon) -> None:
    """GA4 sessions: message clicks, visits of known persons, anonymous visits."""
    source, medium, campaign = web_source_sql("k", 53)
    anon_source, anon_medium, anon_campaign = web_source_sql("k", 53)
    anonymous_per_day = max(1, plan.persons // 180)
    con.execute(f"""
        create or replace temp table session_base as
        select
            m.mk as k,
            m.person,
            m.click1 as started_at,
            m.channel as source,
            case when m.channel = 'email' then 'email' else 'messaging' end as medium,
            c.campaign_id as campaign,
            case when m.n = {WELCOME_CAMPAIGN} then 0.2 else 0.12 + case when m.is_b then 0.05 else 0 end end
                as intent
        from messages as m join campaigns as c on c.n = m.n
        where m.click1 is not null
        union all
        select k, person, started_at, {source}, {medium}, {campaign}, 0.15
        from (
            select
                {ORGANIC_SESSION} + p.key * 1000 + w.w * 2 + s.s as k,
                p.key as person,
                biz(w.w * 7 + rint({ORGANIC_SESSION} + p.key * 1000 + w.w * 2 + s.s, 51, 7), 7, 23,
                    {ORGANIC_SESSION} + p.key * 1000 + w.w * 2 + s.s, 52) as started_at,
                p.created_at,
                p.churned_at
            from persons as p, range(0, {horizon.weeks}) as w(w), range(0, 2) as s(s)
            where u({ORGANIC_SESSION} + p.key * 1000 + w.w * 2 + s.s, 50)
                < case when s.s = 0 then 0.10 + case when p.buy > 0.3 then 0.07 else 0 end else 0.03 end
        )
        where created_at <= started_at and (churned_at is null or started_at < churned_at)
        union all
        select k, NULL, biz(d, 7, 23, k, 55), {anon_source}, {anon_medium}, {anon_campaign}, 0.0
        from (
            select {ANONYMOUS_SESSION} + d.d * 1000000 + i.i as k, d.d
            from range(0, {horizon.end_day}) as d(d), range(0, {anonymous_per_day}) as i(i)
        )
    """)
    con.execute(f"""
        create or replace table sessions as
        with s as (
            select
                b.k as sk,
                b.person,
                b.started_at,
                b.source,
                b.medium,
                b.campaign,
                b.intent,
                case when b.person is null then 1000000000 + b.k - {ANONYMOUS_SESSION}
                    else b.person * 2 + case when p.two_devices and u(b.k, 54) < 0.5 then 1 else 0 end
                end as dev_k,
                p.store_customer and u(b.k, 57) < 0.6 as logged_in,
                case when p.store_customer and u(b.k, 57) < 0.6 then p.store_id end as user_id,
                case when u(b.k, 58) < 0.35 then 1 else 2 + rint(b.k, 59, 7) end as n_pages,
                coalesce(p.store_customer, false) as store_customer,
                p.buy
            from session_base as b left join persons as p on p.key = b.person
        )
        select
            sk, person, started_at, source, medium, campaign, dev_k, user_id, n_pages,
            case when n_pages = 1 then rint(sk, 60, 9000) else 10000 + rint(sk, 61, 590000) end as engagement_msec,
            started_at + (n_pages - 1) * 90 + case when n_pages > 1 then rint(sk, 120 + n_pages - 1, 80) else 0 end
                as last_page_at,
            person is not null and store_customer and n_pages > 1 and u(sk, 62) < intent * (0.5 + 3 * buy)
                as has_checkout,
            started_at * 1000000 + rint(sk, 110, 1000000) as first_micros,
            (1000000000 + (dev_k * 7919993) % 9000000000)::VARCHAR || '.'
                || (1600000000 + rint(dev_k, 56, 180000000))::VARCHAR as pseudo_id,
            row_number() over (partition by dev_k order by started_at, sk) as session_number,
            lag(started_at * 1000000 + rint(sk, 110, 1000000)) over (partition by dev_k order by started_at, sk)
                as previous_first_micros
        from s
    """)
    con.execute("drop table session_base")


def _checkouts(con: duckdb.DuckDBPyConnection, plan: WorldPlan, horizon: Horizon) -> None:
    """Checkouts, the cart-recovery messages of abandoned ones, and the carts those messages recovered."""
    con.execute("""
        create or replace temp table checkout_base as
        select
            row_number() over (order by last_page_at, sk) as checkout_no,
            sk,
            person,
            last_page_at + 30 as created_at,
            case when u(sk, 63) < 0.62 then last_page_at + 30 + 60 * (2 + rint(sk, 64, 38)) end as direct_completed_at
        from sessions
        where has_checkout
    """)
    gen_hi = plan.t0 + horizon.end_day * DAY
    con.execute(f"""
        create or replace temp table msg_base as
        select
            n * {MESSAGE_KEY} + checkout_no as mk, person, n, channel, false as is_b, created_at + 3600 as sent_at,
            checkout_no
        from (
            select
                c.*,
                case when p.wa_optin then 'whatsapp' when p.email_optin then 'email' end as channel,
                case when p.wa_optin then {RECOVERY_CAMPAIGNS["whatsapp"]}
                    when p.email_optin then {RECOVERY_CAMPAIGNS["email"]} end as n
            from checkout_base as c join persons as p on p.key = c.person
            where c.direct_completed_at is null and c.created_at + 3600 < {gen_hi} and u(c.checkout_no, 65) >= 0.15
        )
        where channel is not null
    """)
    con.execute(f"insert into messages {_outcomes('msg_base')}")
    con.execute("drop table msg_base")
    con.execute("""
        create or replace table checkouts as
        select
            c.checkout_no,
            c.sk,
            c.person,
            c.created_at,
            c.direct_completed_at,
            r.mk as recovery_mk,
            r.sent_at as recovery_sent_at,
            case when r.delivered_at is not null and u(r.mk, 66) < 0.25
                then c.created_at + 3600 * [3, 8, 20, 25, 30, 50][1 + rint(r.mk, 67, 6)] end as recovered_at,
            hexh(c.sk, 68, 15) || hex(c.checkout_no, 17) as token,
            hexh(c.sk, 69, 15) || hex(c.checkout_no, 17) as cart_token
        from checkout_base as c
        left join (select * from messages where checkout_no is not null) as r on r.checkout_no = c.checkout_no
    """)
    con.execute("drop table checkout_base")


def _chats(con: duckdb.DuckDBPyConnection, plan: WorldPlan, horizon: Horizon) -> None:
    anonymous_per_day = max(1, plan.persons // 900)
    person_entry = weighted([("site_widget", 65), ("app", 22), ("whatsapp_bot", 13)])
    anonymous_entry = weighted([("site_widget", 75), ("app", 25)])
    con.execute(f"""
        create or replace table chats as
        with base as (
            select ck, person, biz(day, 7, 23, ck, 71) as started_at
            from (
                select
                    {PERSON_CHAT} + p.key * 1000 + w.w as ck,
                    p.key as person,
                    w.w * 7 + rint(p.key * 1000 + w.w, 77, 7)
                    as day
                from persons as p, range(0, {horizon.weeks}) as w(w)
                where u({PERSON_CHAT} + p.key * 1000 + w.w, 70) < 0.0108
            )
            union all
            select
                {ANONYMOUS_CHAT} + d.d * 1000000 + i.i,
                NULL,
                biz(d.d, 7, 23, {ANONYMOUS_CHAT} + d.d * 1000000 + i.i, 71)
            from range(0, {horizon.end_day}) as d(d), range(0, {anonymous_per_day}) as i(i)
        ),
        active as (
            select b.*, p.store_customer, p.two_devices
            from base as b left join persons as p on p.key = b.person
            where b.person is null or (p.created_at <= b.started_at
                and (p.churned_at is null or b.started_at < p.churned_at))
        ),
        flow as (
            select
                *,
                started_at + 30 + rint(ck, 72, 370) as bot_ended_at,
                u(ck, 73) as roll,
                u(ck, 73) < 0.3 as escalated
            from active
        ),
        timed as (
            select
                *,
                case when escalated then 1 + rint(ck, 74, {horizon.agents}) end as agent_no,
                case when escalated then bot_ended_at + 20 + rint(ck, 75, 880) end as human_started_at
            from flow
        )
        select
            row_number() over (order by started_at, ck) as conv_no,
            ck, person, started_at, bot_ended_at, escalated, agent_no, human_started_at,
            coalesce(human_started_at + 60 * (3 + rint(ck, 76, 37)), bot_ended_at) as ended_at,
            case
                when escalated then case when u(ck, 78) < 0.85 then 'resolved_by_agent' else 'abandoned' end
                when roll < 0.5 then 'abandoned'
                when roll < 0.6 and person is not null and store_customer then 'order'
                when roll < 0.7 and person is not null then 'lead'
                else 'resolved_by_bot'
            end as outcome,
            case when person is null then pick({anonymous_entry}, ck, 79) else pick({person_entry}, ck, 79) end
                as entry_point,
            case when person is null then (1000000000 + ((6000000000 + ck - {ANONYMOUS_CHAT}) * 7919993)
                    % 9000000000)::VARCHAR || '.' || (1600000000 + rint(ck, 56, 180000000))::VARCHAR
            end as anonymous_visitor,
            case when person is not null then person * 2 + case when two_devices and u(ck, 54) < 0.5 then 1 else 0 end
            end as dev_k,
            [0, 1, 1, 2][1 + rint(ck, 80, 4)] as n_articles
        from timed
    """)


def _orders(con: duckdb.DuckDBPyConnection, plan: WorldPlan, horizon: Horizon) -> None:
    """Every order: completed checkouts, recovered carts, chat orders and the 180 days of history."""
    b = basket("bk")
    con.execute(f"""
        create or replace table orders as
        with src as (
            select {CHECKOUT_ORDER} + checkout_no as ok, person, direct_completed_at as created_at, sk as bk,
                sk as session_sk, checkout_no, NULL::BIGINT as recovery_mk, 'checkout' as kind
            from checkouts where direct_completed_at is not null
            union all
            select {RECOVERY_ORDER} + checkout_no, person, recovered_at, sk, NULL, checkout_no, recovery_mk, 'recovery'
            from checkouts where recovered_at is not null
            union all
            select {CHAT_ORDER} + ck, person, ended_at + 120, {CHAT_ORDER} + ck, NULL, NULL, NULL, 'chat'
            from chats where outcome = 'order'
            union all
            select ok, person, created_at, ok, NULL, NULL, NULL, 'historical'
            from (
                select
                    {HISTORICAL_ORDER} + p.key * 4 + i.i as ok,
                    p.key as person,
                    biz(-1 - rint({HISTORICAL_ORDER} + p.key * 4 + i.i, 90, 179), 8, 20,
                        {HISTORICAL_ORDER} + p.key * 4 + i.i, 91) as created_at,
                    p.created_at as person_created_at
                from persons as p, range(0, 3) as i(i)
                where not p.is_new and p.store_customer and u(p.key, 92) < 0.8
                    and i.i < [1, 1, 2, 3][1 + rint(p.key, 93, 4)]
            )
            where created_at > person_created_at
        ),
        priced as (
            select
                *,
                {b["subtotal"]} as subtotal_cents,
                {b["items"]} as items,
                {b["first_price"]} as first_price_cents,
                case when u(ok, 94) < 0.7 then 0 else [500, 1000, 1500][1 + rint(ok, 95, 3)] end as discount_cents,
                case when u(ok, 96) < 0.5 then 0 else 1990 end as shipping_cents,
                u(ok, 97) as roll,
                {b["two"]}::INTEGER + {b["has_extra"]}::INTEGER + 1 as n_lines
            from src
        ),
        fate as (
            select
                *,
                subtotal_cents - discount_cents + shipping_cents as total_cents,
                case when roll < 0.03 then created_at + 3600 * (1 + rint(ok, 98, 47)) end as cancelled_at,
                case when roll < 0.03 then pick(['customer', 'inventory', 'fraud', 'declined'], ok, 99) end
                    as cancel_reason,
                case when roll >= 0.05 and roll < 0.10 then created_at + 86400 * (2 + rint(ok, 107, 18))
                    + rint(ok, 108, 86400) end as refunded_at
            from priced
        )
        select
            1000 + row_number() over (order by created_at, ok) as order_number,
            *,
            case when refunded_at is not null then case when u(ok, 109) < 0.5 then total_cents
                else least(first_price_cents, total_cents) end end as refund_cents,
            case
                when cancelled_at is not null then 'voided'
                when roll < 0.05 then 'pending'
                when refunded_at is not null and (u(ok, 109) < 0.5 or first_price_cents >= total_cents) then 'refunded'
                when refunded_at is not null then 'partially_refunded'
                else 'paid'
            end as financial_status
        from fate
    """)


def _tickets(con: duckdb.DuckDBPyConnection, plan: WorldPlan, horizon: Horizon) -> None:
    via = weighted([("email", 35), ("web", 20), ("chat", 15), ("voice", 10), ("whatsapp", 20)], 5)
    reasons = weighted(ref.REASON_WEIGHTS, 2)
    priorities = weighted([("low", 15), ("normal", 60), ("high", 20), ("urgent", 5)], 5)
    con.execute(f"""
        create or replace table tickets as
        with base as (
            select
                p.key * 1000 + w.w * 2 + s.s as tk,
                p.key as person,
                biz(w.w * 7 + rint(p.key * 1000 + w.w * 2 + s.s, 111, 7), 6, 23, p.key * 1000 + w.w * 2 + s.s, 112)
                    as created_at,
                p.created_at as person_created_at,
                p.churned_at
            from persons as p, range(0, {horizon.weeks}) as w(w), range(0, 2) as s(s)
            where u(p.key * 1000 + w.w, 110) < case when p.store_customer then 0.014 else 0.0046 end
                and (s.s = 0 or u(p.key * 1000 + w.w, 119) < 0.25)
        ),
        life as (
            select
                tk, person, created_at,
                pick({via}, tk, 113) as via,
                pick({reasons}, tk, 114) as reason,
                pick({priorities}, tk, 115) as priority,
                1 + rint(tk, 116, {horizon.agents}) as agent_no,
                case when u(tk, 117) < 0.96 then created_at + (60 * exp(3.6 + 1.3 * gauss(tk, 118)))::BIGINT end
                    as first_reply_at,
                4 + rint(tk, 121, 41) as handling_minutes,
                1 + rint(tk, 122, 5) as replies,
                u(tk, 123) < 0.05 as reopened
            from base
            where person_created_at <= created_at and (churned_at is null or created_at < churned_at)
        )
        select
            10000 + row_number() over (order by created_at, tk) as ticket_id,
            *,
            case when first_reply_at is not null and u(tk, 124) < 0.9
                then first_reply_at + (60 * exp(5.5 + 1.4 * gauss(tk, 125)))::BIGINT end as solved_at
        from life
    """)


def _subscriptions(con: duckdb.DuckDBPyConnection, plan: WorldPlan, horizon: Horizon) -> None:
    con.execute("""
        create or replace table subscriptions as
        with base as (
            select
                key as person,
                greatest(created_at, t0() - 365 * 86400) as earliest,
                churned_at,
                case when u(key, 130) < 0.8 then 'monthly' else 'annual' end as plan
            from persons
            where subscriber
        ),
        dated as (
            select
                *,
                earliest + (u(person, 131) * greatest(t0() + 180 * 86400 - earliest, 1))::BIGINT as created_at
            from base
        ),
        ended as (
            select
                *,
                case when churned_at > created_at then churned_at
                    when u(person, 132) < 0.1 then created_at + 86400 * (20 + rint(person, 133, 180)) end
                    as canceled_at
            from dated
        )
        select
            *,
            'sub_' || hex(person, 6) || hexh(person, 134, 8) as subscription_id,
            case when plan = 'monthly' and canceled_at is null and u(person, 135) < 0.08
                then created_at + 86400 * (10 + rint(person, 136, 110)) end as downgraded_at
        from ended
    """)


def _agents(con: duckdb.DuckDBPyConnection, plan: WorldPlan, horizon: Horizon) -> None:
    names = ref.agent_names(horizon.agents)
    con.execute("create or replace table agents (agent_no INTEGER, name VARCHAR)")
    con.executemany("insert into agents values (?, ?)", list(enumerate(names, start=1)))


def quarter_wave_table(con: duckdb.DuckDBPyConnection, plan: WorldPlan, horizon: Horizon) -> None:
    con.execute("create or replace table waves (wave INTEGER, survey_id VARCHAR, day INTEGER)")
    rows = quarter_waves(plan, horizon.end_day)
    if rows:
        con.executemany("insert into waves values (?, ?, ?)", rows)


STEPS = [
    ("persons", _persons),
    ("campaigns", _campaigns),
    ("messages", _messages),
    ("sessions", _sessions),
    ("checkouts", _checkouts),
    ("chats", _chats),
    ("orders", _orders),
    ("tickets", _tickets),
    ("subscriptions", _subscriptions),
    ("agents", _agents),
    ("survey waves", quarter_wave_table),
]
