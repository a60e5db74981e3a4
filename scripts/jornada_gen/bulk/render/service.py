"""Service, CRM and voice-of-customer exports of the bulk world.

Zendesk tickets, metrics, SLA metric events and users; HubSpot contacts;
Stripe subscriptions, items and customers; chat conversations, segments and
article views; survey answers; reviews. Fields, vocabularies and formats as
the demo renderers in `jornada_gen.sources` (whose constants are reused).
Business-hours minutes of the SLA policies come from `bsec`, a closed form of
the Monday-Saturday 08:00-20:00 schedule.
"""

from __future__ import annotations

import random
import string

from jornada_gen.bulk import refdata as ref
from jornada_gen.bulk.export import BulkTable, Defect, Window
from jornada_gen.bulk.plan import WorldPlan
from jornada_gen.bulk.sqlkit import lit, lst, weighted
from jornada_gen.bulk.world import CHAT_ORDER
from jornada_gen.sources import chat, hubspot, reviews, stripe, surveys, zendesk
from jornada_gen.world import ascii_slug

DAY = 86_400
API = zendesk.API
EPOCH_MONTH = 2_629_746  # average seconds in a month


def _case(expression: str, mapping: dict[str, str], default: str = "NULL") -> str:
    whens = " ".join(f"when {lit(k)} then {lit(v)}" for k, v in sorted(mapping.items()))
    return f"case {expression} {whens} else {default} end"


def _json_list(items: list[str]) -> str:
    """A JSON array text of the non-null, sorted, distinct SQL string expressions `items`."""
    values = f"list_sort(list_distinct(list_filter([{', '.join(items)}], lambda x: x is not null)))"
    return f"""'["' || array_to_string({values}, '", "') || '"]'"""


# ------------------------------------------------------------------ zendesk
def _ticket_life(window: Window) -> str:
    """Tickets with their status at export, SLA breach times and satisfaction, one row each."""
    standard, messaging = zendesk.POLICIES["standard"], zendesk.POLICIES["messaging"]

    def target(kind: str) -> str:
        def minutes(policy: zendesk.Policy) -> str:
            whens = " ".join(f"when {lit(p)} then {m}" for p, m in sorted(getattr(policy, kind).items()))
            return f"case priority {whens} end"

        return (
            f"case when via in ('email', 'web') then {minutes(standard)} "
            f"when via in ('chat', 'whatsapp') then {minutes(messaging)} end"
        )

    def breach(kind: str) -> str:
        minutes = f"({target(kind)})::BIGINT"
        return (
            f"case when via in ('email', 'web') then bsec_time(bsec(t.created_at) + {minutes} * 60) "
            f"when via in ('chat', 'whatsapp') then t.created_at + {minutes} * 60 end"
        )

    return f"""
        select
            *,
            greatest(created_at, coalesce(first_reply_at, created_at), coalesce(assigned_at, created_at),
                coalesce(solved_at, created_at), coalesce(offered_at, created_at), coalesce(answered_at, created_at))
                as updated_at
        from (
            select
                *,
                case when solved_at is not null and u(tk, 304) < 0.6 then solved_at + 3600 end as offered_at,
                case when solved_at is not null and u(tk, 304) < 0.6 and u(tk, 306) < 0.4
                    then solved_at + 3600 + (3600 * (0.2 + 69.8 * u(tk, 305)))::BIGINT end as answered_at
            from (
                select
                    t.*,
                    p.email, p.variants, p.area, p.num8, p.company, p.first_name, p.last_name, p.crm_id,
                    case when t.first_reply_at is not null
                        then t.created_at + ((t.first_reply_at - t.created_at) * (0.1 + 0.7 * u(t.tk, 300)))::BIGINT
                        when u(t.tk, 301) < 0.6 then t.created_at + 60 * (3 + rint(t.tk, 302, 237)) end as assigned_at,
                    case when t.solved_at is not null then 'solved'
                        when t.first_reply_at is not null
                            then case when u(t.tk, 303) < 0.5 then 'pending' else 'open' end
                        when u(t.tk, 301) < 0.6 then 'open' else 'new' end as status,
                    {target("reply")} as reply_target,
                    {target("resolution")} as resolution_target,
                    {breach("reply")} as reply_breach_at,
                    {breach("resolution")} as resolution_breach_at,
                    case when u(t.person, 308) < 0.04 then pick({lst(zendesk.ORGANIZATIONS)}, t.person, 309) end
                        as organization_id
                from tickets as t join persons as p on p.key = t.person
                where {window.where("t.created_at", 120 * DAY)}
            )
        )
    """


def _tickets() -> BulkTable:
    subjects = (
        "case reason "
        + " ".join(
            f"when {lit(reason)} then pick({lst(options)}, tk, 311)" for reason, options in zendesk.SUBJECTS.items()
        )
        + " end"
    )
    bodies = _case("reason", zendesk.BODIES)
    group_by_reason = {reason: zendesk.GROUPS[group] for reason, group in zendesk.REASON_GROUP.items()}
    voice_phone = "phone_as(area, num8, variants, company, 'spaced', tk, 313)"
    extra_tag = f"case when u(tk, 316) < 0.4 then pick({lst(zendesk.EXTRA_TAGS)}, tk, 317) end"
    tags = _json_list(["reason", extra_tag, "case when via = 'whatsapp' then 'whatsapp' end"])
    signature_phone = "phone_as(area, num8, variants, company, 'pretty', tk, 315)"

    def query(window: Window) -> str:
        return f"""
            select
                ticket_id::VARCHAR as id,
                {lit(API)} || '/tickets/' || ticket_id::VARCHAR || '.json' as url,
                iso(created_at) as created_at,
                iso(updated_at) as updated_at,
                case when u(tk, 312) < 0.08 then NULL
                    when u(tk, 312) < 0.11 and reason = 'entrega_atrasada' then 'problem'
                    else {_case("reason", zendesk.REASON_TYPE)} end as "type",
                case via
                    when 'voice' then 'Chamada recebida de ' || {voice_phone}
                    when 'whatsapp' then 'Conversa com ' || first_name || ' ' || last_name
                    else {subjects} end as subject,
                'Olá! ' || {bodies} || case when via = 'email' and u(tk, 314) < 0.35
                    then chr(10) || chr(10) || first_name || ' ' || last_name || chr(10) || {signature_phone}
                    else '' end as description,
                priority,
                status,
                (380000000000 + person * 1031)::VARCHAR as requester_id,
                case when via = 'voice' then (379000000000 + agent_no * 977)::VARCHAR
                    else (380000000000 + person * 1031)::VARCHAR end as submitter_id,
                case when assigned_at is not null then (379000000000 + agent_no * 977)::VARCHAR end as assignee_id,
                {_case("reason", group_by_reason)} as group_id,
                organization_id,
                {lit(zendesk.BRAND_ID)} as brand_id,
                {tags} as tags,
                via as via__channel,
                case when answered_at is not null then case when u(tk, 307) < 0.82 then 'good' else 'bad' end
                    when offered_at is not null then 'offered' else 'unoffered' end as satisfaction_rating__score,
                case when first_reply_at is not null then (handling_minutes * 60 + rint(tk, 318, 60))::VARCHAR end
                    as custom_fields__total_time_spent_sec,
                'true' as is_public,
                updated_at as __at,
                ticket_id as __k,
                ticket_id as __lk
            from ({_ticket_life(window)})
        """

    fresh = "(900000000 + __k)::VARCHAR"
    fresh_url = f"{lit(API)} || '/tickets/' || (900000000 + __k)::VARCHAR || '.json'"
    return BulkTable(
        "zendesk",
        "tickets",
        tuple(zendesk.TICKET_COLUMNS),
        query,
        key=("id",),
        redeliver=0.005,
        overlap=0.5,
        load_key="__lk",
        defects=(
            Defect("missing_id", 2, {"id": "NULL"}),
            Defect("unparseable_timestamp", 2, {"id": fresh, "url": fresh_url, "created_at": "'03/09/2026 14:32'"}),
            Defect("unknown_status", 2, {"id": fresh, "url": fresh_url, "status": "'reopened'"}),
        ),
    )


def _minutes(start: str, end: str) -> tuple[str, str]:
    """(calendar, business) whole minutes from start to end."""
    return f"(({end}) - ({start})) // 60", f"(bsec({end}) - bsec({start})) // 60"


def _ticket_metrics() -> BulkTable:
    reply_cal, reply_biz = _minutes("created_at", "first_reply_at")
    full_cal, full_biz = _minutes("created_at", "solved_at")
    wait = "case when u(tk, 320) < 0.45 then ((solved_at - first_reply_at) * 0.4 * u(tk, 321))::BIGINT else 0 end"
    hold = "case when u(tk, 322) < 0.1 then ((solved_at - first_reply_at) * 0.2 * u(tk, 323))::BIGINT else 0 end"

    def text(expression: str, condition: str) -> str:
        return f"case when {condition} then ({expression})::VARCHAR end"

    def query(window: Window) -> str:
        return f"""
            select
                (390000000000 + ticket_id * 7)::VARCHAR as id,
                ticket_id::VARCHAR as ticket_id,
                {lit(API)} || '/ticket_metrics/' || (390000000000 + ticket_id * 7)::VARCHAR || '.json' as url,
                iso(created_at) as created_at,
                iso(least(metrics_updated_at, updated_at)) as updated_at,
                {text(reply_cal + " + divergence", "first_reply_at is not null")} as reply_time_in_minutes__calendar,
                {text(reply_biz, "first_reply_at is not null")} as reply_time_in_minutes__business,
                {text(full_cal, "solved_at is not null")} as first_resolution_time_in_minutes__calendar,
                {text(full_biz, "solved_at is not null")} as first_resolution_time_in_minutes__business,
                {text(full_cal, "solved_at is not null")} as full_resolution_time_in_minutes__calendar,
                {text(full_biz, "solved_at is not null")} as full_resolution_time_in_minutes__business,
                {text("agent_wait // 60", "solved_at is not null")} as agent_wait_time_in_minutes__calendar,
                {text("agent_wait * biz_share // 60", "solved_at is not null")} as agent_wait_time_in_minutes__business,
                {text(f"({full_cal}) - agent_wait // 60", "solved_at is not null")}
                    as requester_wait_time_in_minutes__calendar,
                {text(f"({full_biz}) - (agent_wait * biz_share // 60)", "solved_at is not null")}
                    as requester_wait_time_in_minutes__business,
                {text("on_hold // 60", "solved_at is not null")} as on_hold_time_in_minutes__calendar,
                {text("on_hold * biz_share // 60", "solved_at is not null")} as on_hold_time_in_minutes__business,
                (case when first_reply_at is not null then replies else 0 end)::VARCHAR as replies,
                (case when reopened and solved_at is not null then 1 else 0 end)::VARCHAR as reopens,
                (case when assigned_at is null then 0 when u(tk, 324) < 0.1 then 2 else 1 end)::VARCHAR
                    as assignee_stations,
                '1' as group_stations,
                iso(solved_at) as solved_at,
                iso(assigned_at) as initially_assigned_at,
                iso(case when u(tk, 324) < 0.1 then assigned_at + 60 * (5 + rint(tk, 325, 85)) else assigned_at end)
                    as assigned_at,
                iso(coalesce(solved_at, case when status = 'pending' then first_reply_at end, assigned_at, created_at))
                    as status_updated_at,
                iso(greatest(created_at, coalesce(first_reply_at, created_at), coalesce(solved_at, created_at)))
                    as latest_comment_added_at,
                updated_at as __at,
                ticket_id as __k,
                ticket_id as __lk
            from (
                select
                    *,
                    greatest(created_at, coalesce(first_reply_at, created_at), coalesce(solved_at, created_at),
                        coalesce(case when u(tk, 324) < 0.1 then assigned_at + 60 * (5 + rint(tk, 325, 85)) end,
                            assigned_at, created_at)) as metrics_updated_at,
                    case when solved_at is not null then {wait} end as agent_wait,
                    case when solved_at is not null then {hold} end as on_hold,
                    case when solved_at > created_at
                        then (bsec(solved_at) - bsec(created_at)) / (solved_at - created_at) else 0 end as biz_share,
                    case when first_reply_at is not null and u(tk, 310) < 0.002
                        then (case when u(tk, 326) < 0.5 then -1 else 1 end) * (6 + rint(tk, 327, 35)) else 0 end
                        as divergence0
                from ({_ticket_life(window)})
            ), lateral (select case when ({reply_cal}) + divergence0 < 0 then -divergence0 else divergence0 end
                as divergence)
        """

    fresh = "(398000000000 + __k)::VARCHAR"
    fresh_url = f"{lit(API)} || '/ticket_metrics/' || (398000000000 + __k)::VARCHAR || '.json'"
    return BulkTable(
        "zendesk",
        "ticket_metrics",
        tuple(zendesk.METRIC_COLUMNS),
        query,
        key=("id",),
        redeliver=0.005,
        overlap=0.5,
        load_key="__lk",
        defects=(
            Defect("missing_id", 2, {"id": "NULL"}),
            Defect("unparseable_timestamp", 1, {"id": fresh, "url": fresh_url, "created_at": "'2026-09-31T25:00:00Z'"}),
            Defect("invalid_value", 2, {"id": fresh, "url": fresh_url, "replies": "'dois'"}),
        ),
    )


METRIC_SLOTS = [
    # (metric, event type, time column, condition)
    ("reply_time", "activate", "created_at", "true"),
    ("reply_time", "apply_sla", "created_at", "reply_target is not null"),
    ("reply_time", "breach", "reply_breach_at",
     "reply_target is not null and (first_reply_at is null or first_reply_at > reply_breach_at)"),
    ("reply_time", "fulfill", "first_reply_at", "first_reply_at is not null"),
    ("reply_time", "update_status", "first_reply_at", "first_reply_at is not null"),
    ("requester_wait_time", "activate", "created_at", "true"),
    ("requester_wait_time", "fulfill", "solved_at", "solved_at is not null"),
    ("requester_wait_time", "update_status", "solved_at", "solved_at is not null"),
    ("agent_work_time", "activate", "created_at", "true"),
    ("agent_work_time", "fulfill", "solved_at", "solved_at is not null"),
    ("agent_work_time", "update_status", "solved_at", "solved_at is not null"),
    ("resolution_time", "activate", "created_at", "true"),
    ("resolution_time", "apply_sla", "created_at", "resolution_target is not null"),
    ("resolution_time", "breach", "resolution_breach_at",
     "resolution_target is not null and (solved_at is null or solved_at > resolution_breach_at)"),
    ("resolution_time", "fulfill", "solved_at", "solved_at is not null"),
    ("resolution_time", "update_status", "solved_at", "solved_at is not null"),
    ("periodic_update_time", "activate", "first_reply_at", "first_reply_at is not null"),
    ("periodic_update_time", "fulfill", "solved_at", "solved_at is not null and first_reply_at is not null"),
    ("periodic_update_time", "update_status", "solved_at", "solved_at is not null and first_reply_at is not null"),
    ("pausable_update_time", "activate", "first_reply_at", "first_reply_at is not null"),
    ("pausable_update_time", "fulfill", "solved_at", "solved_at is not null and first_reply_at is not null"),
    ("pausable_update_time", "update_status", "solved_at", "solved_at is not null and first_reply_at is not null"),
]  # fmt: skip


def _ticket_metric_events() -> BulkTable:
    standard, messaging = zendesk.POLICIES["standard"], zendesk.POLICIES["messaging"]
    metrics = lst(m for m, _, _, _ in METRIC_SLOTS)
    kinds = lst(k for _, k, _, _ in METRIC_SLOTS)
    at = "case slot " + " ".join(f"when {i} then {c}" for i, (_, _, c, _) in enumerate(METRIC_SLOTS)) + " end"
    keep = "case slot " + " ".join(f"when {i} then {w}" for i, (_, _, _, w) in enumerate(METRIC_SLOTS)) + " end"
    keep = f"{keep} and {at} <= updated_at"
    reply_cal, reply_biz = _minutes("created_at", "first_reply_at")
    full_cal, full_biz = _minutes("created_at", "solved_at")
    business = "via in ('email', 'web')"

    def policy(field: str) -> str:
        return f"case when {business} then {lit(getattr(standard, field))} else {lit(getattr(messaging, field))} end"

    def query(window: Window) -> str:
        return f"""
            select
                (7100000000 + ticket_id * 32 + slot)::VARCHAR as id,
                ticket_id::VARCHAR as ticket_id,
                {metrics}[slot + 1] as metric,
                '1' as instance_id,
                {kinds}[slot + 1] as "type",
                iso(event_at) as "time",
                case when {kinds}[slot + 1] = 'apply_sla' then
                    (case when slot = 1 then reply_target else resolution_target end)::VARCHAR end as sla__target,
                case when {kinds}[slot + 1] = 'apply_sla' then case when {business} then 'true' else 'false' end
                    end as sla__business_hours,
                case when {kinds}[slot + 1] = 'apply_sla' then {policy("policy_id")} end as sla__policy__id,
                case when {kinds}[slot + 1] = 'apply_sla' then {policy("title")} end as sla__policy__title,
                case when {kinds}[slot + 1] = 'apply_sla' then {policy("description")} end as sla__policy__description,
                case when {kinds}[slot + 1] = 'update_status' then
                    (case when slot = 4 then {reply_cal} else {full_cal} end)::VARCHAR end as status__calendar,
                case when {kinds}[slot + 1] = 'update_status' then
                    (case when slot = 4 then {reply_biz} else {full_biz} end)::VARCHAR end as status__business,
                case when {kinds}[slot + 1] = 'breach' then 'false' end as deleted,
                updated_at as __at,
                ticket_id * 32 + slot as __k,
                ticket_id as __lk
            from (
                select l.*, s.slot, {at} as event_at
                from ({_ticket_life(window)}) as l, range(0, {len(METRIC_SLOTS)}) as s(slot)
                where {keep}
            )
        """

    fresh = "(7900000000 + __k)::VARCHAR"
    return BulkTable(
        "zendesk",
        "ticket_metric_events",
        tuple(zendesk.EVENT_COLUMNS),
        query,
        key=("id",),
        redeliver=0.003,
        overlap=0.5,
        load_key="__lk",
        defects=(
            Defect("missing_id", 1, {"id": "NULL"}),
            Defect("unparseable_timestamp", 2, {"id": fresh, "time": "'27/09/2026 08:00'"}),
            Defect("unknown_status", 2, {"id": fresh, "type": "'breached'"}),
            Defect("invalid_value", 1, {"id": fresh, "sla__target": "'4h'"}, where="\"type\" = 'apply_sla'"),
        ),
    )


def _users(plan: WorldPlan) -> BulkTable:
    def agents_sql() -> str:
        rows = []
        for number, name in enumerate(ref.agent_names(_team(plan)), start=1):
            first, last = name.split(" ", 1)
            email = f"{ascii_slug(first)}.{ascii_slug(last)}@jornadacafe.com.br"
            rows.append(f"({number}, {lit(name)}, {lit(email)})")
        return "values " + ", ".join(rows)

    def query(window: Window) -> str:
        agent_id = "(379000000000 + a.agent_no * 977)"
        person_id = "(380000000000 + f.person * 1031)"
        return f"""
            select
                {agent_id}::VARCHAR as id,
                {lit(API)} || '/users/' || {agent_id}::VARCHAR || '.json' as url,
                a.name,
                a.email,
                NULL as phone,
                case when a.agent_no = 1 then 'admin' else 'agent' end as role,
                iso(t0() - 86400 * (120 + rint(a.agent_no, 330, 580)) - 60 * rint(a.agent_no, 331, 600)) as created_at,
                iso(t0() - 3600 * (1 + rint(a.agent_no, 332, 59))) as updated_at,
                iso(t0() - 3600 * (1 + rint(a.agent_no, 332, 59))) as last_login_at,
                'Brasilia' as time_zone,
                'America/Sao_Paulo' as iana_time_zone,
                'pt-BR' as locale,
                NULL as external_id,
                NULL as organization_id,
                'true' as active,
                'true' as verified,
                t0() - 3600 * (1 + rint(a.agent_no, 332, 59)) as __at,
                1000000000 + a.agent_no as __k
            from ({agents_sql()}) as a(agent_no, name, email)
            where {window.where("t0() - 3600 * (1 + rint(a.agent_no, 332, 59))")}
            union all
            select
                {person_id}::VARCHAR,
                {lit(API)} || '/users/' || {person_id}::VARCHAR || '.json',
                p.first_name || ' ' || p.last_name,
                case when has_email then email_as(p.email, p.variants, f.person, 333) end,
                case when has_phone then phone_as(p.area, p.num8, p.variants, p.company, 'spaced', f.person, 334) end,
                'end-user',
                iso(f.first_at - 5 - rint(f.person, 335, 55)),
                iso(f.first_at),
                case when f.first_via = 'web' then iso(f.first_at) end,
                'Brasilia',
                'America/Sao_Paulo',
                'pt-BR',
                case when u(f.person, 336) < 0.92 then p.crm_id end,
                case when u(f.person, 308) < 0.04 then pick({lst(zendesk.ORGANIZATIONS)}, f.person, 309) end,
                'true',
                case when has_email then 'true' else 'false' end,
                f.first_at - 60,
                f.person
            from (
                select
                    *,
                    first_via in ('email', 'web', 'chat') or u(person, 337) < 0.3 as has_email,
                    first_via in ('voice', 'whatsapp') or u(person, 338) < 0.35 as has_phone
                from (
                    select person, min(created_at) as first_at, arg_min(via, created_at) as first_via
                    from tickets group by all
                )
                where {window.where("first_at - 60")}
            ) as f
            join persons as p on p.key = f.person
        """

    fresh = "(389000000000 + __k)::VARCHAR"
    return BulkTable(
        "zendesk",
        "users",
        tuple(zendesk.USER_COLUMNS),
        query,
        key=("id",),
        redeliver=0.005,
        overlap=0.5,
        load_delay=False,
        defects=(
            Defect("missing_id", 2, {"id": "NULL"}),
            Defect("unparseable_timestamp", 1, {"id": fresh, "created_at": "'ontem 14:10'"}),
            Defect("invalid_value", 2, {"id": fresh, "role": "'customer'"}),
        ),
    )


def _team(plan: WorldPlan) -> int:
    from jornada_gen.bulk.world import team_size

    return team_size(plan.persons)


def zendesk_tables(plan: WorldPlan) -> list[BulkTable]:
    return [_tickets(), _ticket_metrics(), _ticket_metric_events(), _users(plan)]


# ---------------------------------------------------------------------- crm
def _contacts() -> BulkTable:
    stages = weighted(hubspot.OPEN_STAGES)
    details = (
        "case p.original_source "
        + " ".join(
            f"when {lit(source)} then pick({lst(options)}, p.key, 240)"
            for source, options in hubspot.SOURCE_DETAIL.items()
        )
        + " end"
    )

    def query(window: Window) -> str:
        return f"""
            select
                crm_id as id,
                iso_ms(created_at, ms) as created_at,
                iso_ms(updated, 0) as updated_at,
                'false' as archived,
                email_as(email, variants, key, 241) as properties__email,
                first_name as properties__firstname,
                last_name as properties__lastname,
                case when u(key, 242) < 0.75 then phone_as(area, num8, variants, company, 'pretty', key, 243) end
                    as properties__phone,
                case when u(key, 242) > 0.6 and u(key, 242) < 0.95
                    then phone_as(area, num8, variants, company, 'spaced', key, 244) end as properties__mobilephone,
                case when wa_optin and u(key, 245) < 0.5 then '+' || wa_id(area, num8, old_wa) end
                    as properties__hs_whatsapp_phone_number,
                city as properties__city,
                state as properties__state,
                iso_ms(created_at, ms) as properties__createdate,
                iso_ms(updated, 0) as properties__lastmodifieddate,
                stage as properties__lifecyclestage,
                case when customer_at is not null then case when u(key, 246) < 0.5 then 'CONNECTED' end
                    when stage in ('subscriber', 'other') then NULL
                    when stage = 'opportunity' then 'OPEN_DEAL'
                    else pick({lst(hubspot.LEAD_STATUSES)}, key, 247) end as properties__hs_lead_status,
                original_source as properties__hs_analytics_source,
                detail as properties__hs_analytics_source_data_1,
                case when stage not in ('subscriber', 'other') then iso_ms(created_at, ms) end
                    as properties__hs_lifecyclestage_lead_date,
                case when customer_at is not null then iso_ms(customer_at, 0) end
                    as properties__hs_lifecyclestage_customer_date,
                updated as __at,
                key as __k
            from (
                select
                    *,
                    greatest(created_at, coalesce(customer_at, created_at)) + 60 + rint(key, 248, 172800) as updated,
                    case when customer_at is not null then
                        case when paid_orders >= 3 and u(key, 249) < 0.3 then 'evangelist' else 'customer' end
                        else pick({stages}, key, 250) end as stage
                from (
                    select
                        p.*,
                        {details} as detail,
                        rint(p.key, 251, 1000) as ms,
                        case when h.first_paid_at is not null then greatest(h.first_paid_at, p.created_at) end
                            as customer_at,
                        coalesce(h.paid_orders, 0) as paid_orders
                    from persons as p
                    left join (
                        select person, min(created_at) as first_paid_at, count(*) as paid_orders
                        from orders
                        where kind = 'historical' and cancelled_at is null
                            and financial_status in ('paid', 'refunded', 'partially_refunded')
                        group by all
                    ) as h on h.person = p.key
                    where {window.where("p.created_at", 4000 * DAY)}
                )
            )
        """

    fresh = "(90000000000 + __k)::VARCHAR"
    return BulkTable(
        "hubspot",
        "contacts",
        tuple(hubspot.COLUMNS),
        query,
        key=("id",),
        redeliver=0.0,
        overlap=0.5,
        defects=(
            Defect("missing_id", 2, {"id": "NULL"}),
            Defect("unparseable_timestamp", 2, {"id": fresh, "properties__createdate": "'03/08/2026 09:41'"}),
            Defect("unknown_status", 2, {"id": fresh, "properties__lifecyclestage": "'prospect'"}),
        ),
    )


def _stripe(plan: WorldPlan) -> list[BulkTable]:
    rng = random.Random(f"{plan.seed}:stripe")
    alphanumeric = string.ascii_letters + string.digits

    def stripe_id(prefix: str, length: int) -> str:
        return prefix + "".join(rng.choice(alphanumeric) for _ in range(length))

    product = {"monthly": stripe_id("prod_", 14), "annual": stripe_id("prod_", 14)}
    price = {
        4990: stripe_id("price_", 24),
        stripe.DOWNGRADE_CENTS: stripe_id("price_", 24),
        49900: stripe_id("price_", 24),
    }
    reasons = weighted([("cancellation_requested", 80), ("payment_failed", 17), ("payment_disputed", 3)])

    def subscriptions(window: Window) -> str:
        return f"""
            select
                subscription_id as id,
                p.billing_id as customer,
                case when canceled_at is not null then 'canceled' when u(s.person, 260) < 0.04 then 'past_due'
                    else 'active' end as status,
                s.created_at::VARCHAR as created,
                s.created_at::VARCHAR as start_date,
                s.created_at::VARCHAR as billing_cycle_anchor,
                case when scheduled then canceled_at::VARCHAR end as cancel_at,
                'false' as cancel_at_period_end,
                (case when scheduled then greatest(s.created_at, canceled_at - 25 * 86400)
                    + (u(s.person, 262) * (canceled_at - greatest(s.created_at, canceled_at - 25 * 86400)))::BIGINT
                    else canceled_at end)::VARCHAR as canceled_at,
                canceled_at::VARCHAR as ended_at,
                reason as cancellation_details__reason,
                'charge_automatically' as collection_method,
                'brl' as currency,
                'true' as livemode,
                plan as metadata__plan_name,
                s.created_at as __at,
                s.person as __k
            from (
                select
                    *,
                    case when canceled_at is not null then pick({reasons}, person, 261) end as reason,
                    canceled_at is not null and pick({reasons}, person, 261) = 'cancellation_requested'
                        and u(person, 263) < 0.3 as scheduled
                from subscriptions
                where {window.where("created_at")}
            ) as s
            join persons as p on p.key = s.person
        """

    def items(window: Window) -> str:
        months = "case when plan = 'monthly' then 1 else 12 end"
        state = (
            "case when slot = 0 and downgraded_at is not null then downgraded_at "
            "when canceled_at is not null then canceled_at - 1 else created_at end"
        )
        cents = f"case when slot = 1 then {stripe.DOWNGRADE_CENTS} when plan = 'monthly' then 4990 else 49900 end"
        return f"""
            select
                'si_' || hexh(person * 2 + slot, 264, 6) || hex(person * 2 + slot, 8) as id,
                subscription_id as subscription,
                __at::VARCHAR as created,
                '1' as quantity,
                epoch(ts(created_at) + to_months((k * months)::INTEGER))::BIGINT::VARCHAR as current_period_start,
                epoch(ts(created_at) + to_months(((k + 1) * months)::INTEGER))::BIGINT::VARCHAR as current_period_end,
                {_case("cents::VARCHAR", {str(c): p for c, p in price.items()})} as price__id,
                cents::VARCHAR as price__unit_amount,
                'brl' as price__currency,
                case when plan = 'monthly' then 'month' else 'year' end as price__recurring__interval,
                '1' as price__recurring__interval_count,
                case when plan = 'monthly' then {lit(product["monthly"])} else {lit(product["annual"])} end
                    as price__product,
                case when slot = 0 and downgraded_at is not null then 'true' end as deleted,
                __at,
                person * 2 + slot as __k
            from (
                select
                    *,
                    {cents} as cents,
                    {months} as months,
                    greatest(floor(({state} - created_at) / ({months} * {EPOCH_MONTH})), 0)::BIGINT as k,
                    case when slot = 0 then created_at else downgraded_at end as __at
                from subscriptions, range(0, 2) as s(slot)
                where (slot = 0 or downgraded_at is not null) and {window.where("created_at", 130 * DAY)}
            )
        """

    def customers(window: Window) -> str:
        return f"""
            select
                p.billing_id as id,
                email_as(p.email, p.variants, p.key, 265) as email,
                p.first_name || ' ' || p.last_name as name,
                case when u(p.key, 266) < 0.7 then phone_as(p.area, p.num8, p.variants, p.company, 'e164', p.key, 267)
                    end as phone,
                (s.created_at - 20 - rint(p.key, 268, 880))::VARCHAR as created,
                'brl' as currency,
                case when s.canceled_at is null and u(p.key, 260) < 0.04 then 'true' else 'false' end as delinquent,
                p.crm_id as metadata__crm_contact_id,
                'true' as livemode,
                s.created_at - 20 - rint(p.key, 268, 880) as __at,
                p.key as __k
            from subscriptions as s join persons as p on p.key = s.person
            where {window.where("s.created_at")}
        """

    return [
        BulkTable(
            "stripe",
            "subscriptions",
            tuple(stripe.SUBSCRIPTION_COLUMNS),
            subscriptions,
            key=("id",),
            redeliver=0.0,
            overlap=0.5,
            defects=(
                Defect("missing_id", 2, {"id": "NULL"}),
                Defect(
                    "unparseable_timestamp", 2, {"id": "'sub_f' || hex(__k, 13)", "created": "'2026-08-15 10:00:00'"}
                ),
                Defect("unknown_status", 1, {"id": "'sub_f' || hex(__k, 13)", "status": "'cancelled'"}),
                Defect("unknown_status", 1, {"id": "'sub_f' || hex(__k, 13)", "status": "'expired'"}),
            ),
            overlap_window=86_400,
        ),
        BulkTable(
            "stripe",
            "subscription_items",
            tuple(stripe.ITEM_COLUMNS),
            items,
            key=("id",),
            redeliver=0.0,
            overlap=0.5,
            defects=(
                Defect(
                    "negative_amount",
                    3,
                    {"id": "'si_Z' || hex(__k, 13)", "price__unit_amount": "'-' || price__unit_amount"},
                ),
                Defect("missing_id", 2, {"id": "NULL"}),
            ),
            overlap_window=86_400,
        ),
        BulkTable(
            "stripe",
            "customers",
            tuple(stripe.CUSTOMER_COLUMNS),
            customers,
            key=("id",),
            redeliver=0.0,
            overlap=0.5,
            defects=(
                Defect("missing_id", 2, {"id": "NULL"}),
                Defect("unparseable_timestamp", 2, {"id": "'cus_f' || hex(__k, 13)", "created": "'03/08/2026 09:12'"}),
            ),
            overlap_window=86_400,
        ),
    ]


def crm_tables(plan: WorldPlan) -> list[BulkTable]:
    return [*_stripe(plan), _contacts()]


# ------------------------------------------------------------ conversations
def _pseudo(dev_k: str) -> str:
    """The GA4 user_pseudo_id of a device (as in the sessions table)."""
    return (
        f"(1000000000 + ({dev_k} * 7919993) % 9000000000)::VARCHAR || '.' "
        f"|| (1600000000 + rint({dev_k}, 56, 180000000))::VARCHAR"
    )


def _chat() -> list[BulkTable]:
    conversation_id = "'conv_' || lpad(c.conv_no::VARCHAR, 8, '0')"
    agent_id = "'agt_' || lpad(c.agent_no::VARCHAR, 3, '0')"
    bot = f"case when c.entry_point = 'whatsapp_bot' then {lit(chat.WHATSAPP_BOT)} else {lit(chat.WEB_BOT)} end"

    def conversations(window: Window) -> str:
        return f"""
            select
                {conversation_id} as conversation_id,
                iso(c.started_at) as started_at,
                iso(c.ended_at) as ended_at,
                c.entry_point,
                case when c.entry_point <> 'whatsapp_bot' then coalesce(c.anonymous_visitor, {_pseudo("c.dev_k")}) end
                    as visitor_id,
                case when c.person is not null then email_as(p.email, p.variants, c.ck, 270) end as contact_email,
                case when c.person is null then NULL
                    when c.entry_point = 'whatsapp_bot' then wa_id(p.area, p.num8, p.old_wa)
                    when u(c.ck, 271) < 0.5 then phone_as(p.area, p.num8, p.variants, p.company, 'pretty', c.ck, 272)
                    end as contact_phone,
                case when c.person is not null and u(c.ck, 273) < 0.85 then
                    case when u(c.ck, 274) < 0.7 then p.first_name || ' ' || p.last_name else p.first_name end
                    end as contact_name,
                {bot} as bot_id,
                case when c.outcome = 'abandoned' then 'abandoned' else 'closed' end as status,
                {_case("c.outcome", chat.RESOLUTIONS)} as resolution,
                case when c.escalated then iso(c.bot_ended_at) end as handed_over_at,
                case when c.escalated then {agent_id} end as agent_id,
                case when c.outcome = 'lead' then p.crm_id end as lead_id,
                case when c.outcome = 'order' then (5100000000 + o.order_number * 17)::VARCHAR end as order_id,
                c.ended_at as __at,
                c.conv_no as __k
            from chats as c
            left join persons as p on p.key = c.person
            left join orders as o on o.ok = {CHAT_ORDER} + c.ck
            where {window.where("c.ended_at")}
        """

    def segments(window: Window) -> str:
        return f"""
            select
                {conversation_id} || '_' || (slot + 1)::VARCHAR as segment_id,
                {conversation_id} as conversation_id,
                case when slot = 0 then 'bot' else 'human' end as handler_type,
                case when slot = 0 then {bot} else {agent_id} end as handler_id,
                iso(case when slot = 0 then c.started_at else c.human_started_at end) as started_at,
                iso(case when slot = 0 then c.bot_ended_at else c.ended_at end) as ended_at,
                (case when slot = 0 then 2 + (c.bot_ended_at - c.started_at) // 30 + rint(c.ck, 275, 4)
                    else 2 + ((c.ended_at - c.human_started_at) / 60.0 * (0.6 + 0.8 * u(c.ck, 276)))::BIGINT
                end)::VARCHAR as messages_count,
                case when slot = 0 then c.bot_ended_at else c.ended_at end as __at,
                c.conv_no * 2 + slot as __k
            from chats as c, range(0, 2) as s(slot)
            where (slot = 0 or c.escalated) and {window.where("c.started_at", 2 * DAY)}
        """

    def article_views(window: Window) -> str:
        viewed = "c.started_at + ((c.bot_ended_at - c.started_at) * (0.2 + 0.75 * u(c.ck * 4 + i, 277)))::BIGINT"
        return f"""
            select
                {conversation_id} || '_v' || (i + 1)::VARCHAR as view_id,
                {conversation_id} as conversation_id,
                {ref.ARTICLE_IDS}[1 + rint(c.ck * 4 + i, 278, 6)] as article_id,
                {ref.ARTICLE_TITLES}[1 + rint(c.ck * 4 + i, 278, 6)] as article_title,
                iso({viewed}) as viewed_at,
                ['yes', 'yes', 'no', NULL][1 + rint(c.ck * 4 + i, 279, 4)] as helpful_vote,
                {viewed} as __at,
                c.conv_no * 4 + i as __k
            from chats as c, range(0, 2) as a(i)
            where i < c.n_articles and {window.where("c.started_at", DAY)}
        """

    return [
        BulkTable(
            "chat",
            "conversations",
            tuple(chat.CONVERSATION_COLUMNS),
            conversations,
            key=("conversation_id",),
            redeliver=0.01,
            overlap=0.5,
            defects=(
                Defect(
                    "unparseable_timestamp",
                    2,
                    {
                        "conversation_id": "'conv_x' || lpad(__k::VARCHAR, 8, '0')",
                        "started_at": "'2026-13-45T25:00:00Z'",
                    },
                ),
                Defect(
                    "unknown_status",
                    2,
                    {"conversation_id": "'conv_x' || lpad(__k::VARCHAR, 8, '0')", "status": "'pending'"},
                ),
                Defect("missing_id", 2, {"conversation_id": "NULL"}),
            ),
        ),
        BulkTable(
            "chat",
            "segments",
            tuple(chat.SEGMENT_COLUMNS),
            segments,
            key=("segment_id",),
            redeliver=0.01,
            overlap=0.5,
            defects=(
                Defect(
                    "unparseable_timestamp", 2, {"segment_id": "'seg_x' || __k::VARCHAR", "ended_at": "'yesterday'"}
                ),
                Defect("invalid_value", 2, {"segment_id": "'seg_x' || __k::VARCHAR", "messages_count": "'doze'"}),
                Defect("unknown_status", 1, {"segment_id": "'seg_x' || __k::VARCHAR", "handler_type": "'robot'"}),
                Defect("missing_id", 1, {"segment_id": "NULL"}),
            ),
        ),
        BulkTable(
            "chat",
            "article_views",
            tuple(chat.ARTICLE_VIEW_COLUMNS),
            article_views,
            key=("view_id",),
            redeliver=0.01,
            overlap=0.5,
            defects=(
                Defect(
                    "unparseable_timestamp",
                    2,
                    {"view_id": "'view_x' || __k::VARCHAR", "viewed_at": "'03/08/2026 10:00'"},
                ),
                Defect("invalid_value", 2, {"view_id": "'view_x' || __k::VARCHAR", "helpful_vote": "'talvez'"}),
                Defect("missing_id", 1, {"view_id": "NULL"}),
            ),
        ),
    ]


def _surveys() -> BulkTable:
    questions = _case("survey_type", surveys.QUESTIONS)
    comment_lists = {mood: lst(texts) for mood, texts in surveys.COMMENTS.items()}
    csat_channel = _case("via", surveys.CSAT_CHANNEL)
    delay = (
        "case when channel in ('chat', 'web') then 10 + rint(rk, 281, 590) "
        "else 120 + (least(expo(rk, 282, 9.0), 144.0) * 3600)::BIGINT end"
    )
    penalty = (
        "case financial_status when 'voided' then 0.9 when 'refunded' then 0.8 "
        "when 'partially_refunded' then 0.5 when 'pending' then 0.3 else 0.0 end"
    )
    chat_means = (
        "case outcome when 'resolved_by_bot' then 6.0 when 'order' then 6.2 when 'lead' then 5.5 "
        "when 'resolved_by_agent' then 5.4 else 3.0 end"
    )
    window_spread = 130 * DAY

    def query(window: Window) -> str:
        return f"""
            select
                'rsp_' || hex(rk, 13) || hexh(rk, 283, 3) as response_id,
                survey_id,
                survey_type,
                {questions} as question,
                score::VARCHAR as score,
                case when u(rk, 284) < 0.35 then
                    case when (score - lo) / (hi - lo) >= 0.75 then pick({comment_lists["good"]}, rk, 285)
                        when (score - lo) / (hi - lo) >= 0.5 then pick({comment_lists["neutral"]}, rk, 285)
                        else pick({comment_lists["bad"]}, rk, 285) end
                end as comment,
                iso(sent_at) as sent_at,
                iso(sent_at + ({delay})) as responded_at,
                channel as delivery_channel,
                touchpoint,
                case when channel not in ('whatsapp', 'sms') or u(rk, 286) < 0.5
                    then email_as(p.email, p.variants, rk, 287) end as respondent_email,
                case when channel in ('whatsapp', 'sms') or u(rk, 288) < 0.2
                    then phone_as(p.area, p.num8, p.variants, p.company, 'e164', rk, 289) end as respondent_phone,
                order_id,
                ticket_id,
                conversation_id,
                sent_at + ({delay}) as __at,
                rk as __k
            from (
                select
                    *,
                    greatest(lo, least(hi, round(mean + sd * gauss(rk, 290))))::INTEGER as score
                from (
                    select
                        o.ok as rk, o.person, 'nps_post_purchase' as survey_id, 'nps' as survey_type,
                        'post_purchase' as touchpoint,
                        biz(lday(o.created_at) + 7, 9, 12, o.ok, 291) as sent_at,
                        case when p.wa_optin and u(o.ok, 292) < 0.5 then 'whatsapp'
                            when p.sms_optin and u(o.ok, 293) < 0.15 then 'sms' else 'email' end as channel,
                        8.4 - 4.5 * ({penalty}) + 2.0 * (p.engagement - 0.33) as mean, 1.7 as sd, 0 as lo, 10 as hi,
                        (5100000000 + o.order_number * 17)::VARCHAR as order_id, NULL as ticket_id,
                        NULL as conversation_id
                    from orders as o join persons as p on p.key = o.person
                    where o.kind <> 'historical' and u(o.ok, 294) < 0.7 and u(o.ok, 295) < 0.30 + 0.25 * p.engagement
                        and {window.where("o.created_at", window_spread)}
                    union all
                    select
                        60000000000000 + p.key * 100 + w.wave, p.key, w.survey_id, 'nps', 'relationship',
                        t0() + w.day * 86400 + 36000 + rint(p.key * 100 + w.wave, 296, 3600),
                        case when u(p.key * 100 + w.wave, 297) < 0.2 then 'web' else 'email' end,
                        7.4 + 2.2 * (p.engagement - 0.33) + case when p.store_customer then 0.6 else 0 end, 1.9, 0, 10,
                        NULL, NULL, NULL
                    from persons as p, waves as w
                    where p.created_at <= t0() + w.day * 86400 + 36000
                        and (p.churned_at is null or p.churned_at > t0() + w.day * 86400 + 36000)
                        and p.email_optin and u(p.key * 100 + w.wave, 298) < 0.5
                        and u(p.key * 100 + w.wave, 299) < 0.12 + 0.3 * p.engagement
                        and {window.where("t0() + w.day * 86400", window_spread)}
                    union all
                    select
                        70000000000000 + t.tk, t.person, 'csat_post_ticket', 'csat', 'post_ticket',
                        t.solved_at + 60 * (5 + rint(t.tk, 300, 25)),
                        {csat_channel},
                        4.6 - 0.38 * log2(1 + (t.solved_at - t.created_at) / 3600.0 / 4)
                            - case when t.first_reply_at - t.created_at > 8 * 3600 then 0.4 else 0 end
                            - case when t.reopened then 0.9 else 0 end
                            + case when t.reason = 'elogio' then 0.4 else 0 end, 0.8, 1, 5,
                        NULL, t.ticket_id::VARCHAR, NULL
                    from tickets as t
                    where t.solved_at is not null and t.solved_at >= t0() and u(t.tk, 301) < 0.45
                        and {window.where("t.solved_at", window_spread)}
                    union all
                    select
                        80000000000000 + c.ck, c.person, 'ces_post_chat', 'ces', 'post_chat',
                        c.ended_at + 1 + rint(c.ck, 302, 59),
                        case when u(c.ck, 303) < 0.2 then 'web' else 'chat' end,
                        {chat_means} - case when c.human_started_at is not null
                            then 0.12 * (c.human_started_at - c.bot_ended_at) / 60.0 else 0 end, 1.0, 1, 7,
                        NULL, NULL, 'conv_' || lpad(c.conv_no::VARCHAR, 8, '0')
                    from chats as c
                    where c.person is not null and u(c.ck, 304) < 0.4 and {window.where("c.ended_at", window_spread)}
                )
            ) as r
            join persons as p on p.key = r.person
        """

    fresh = "'rsp_f' || hex(__k, 15)"
    return BulkTable(
        "surveys",
        "responses",
        tuple(surveys.COLUMNS),
        query,
        key=("response_id",),
        redeliver=0.01,
        overlap=0.5,
        defects=(
            Defect("missing_id", 1, {"response_id": "NULL"}, where="survey_type = 'nps'"),
            Defect(
                "unparseable_timestamp",
                1,
                {"response_id": fresh, "responded_at": "strftime(ts(__at - 10800), '%d/%m/%Y %H:%M')"},
                where="survey_type = 'ces'",
            ),
            Defect("unknown_status", 1, {"response_id": fresh, "survey_type": "'star'"}, where="survey_type = 'csat'"),
            Defect("invalid_value", 1, {"response_id": fresh, "score": "'11'"}, where="survey_type = 'nps'"),
            Defect("invalid_value", 1, {"response_id": fresh, "score": "'0'"}, where="survey_type = 'csat'"),
        ),
    )


def _reviews(plan: WorldPlan) -> BulkTable:
    rating = (
        "case financial_status "
        + " ".join(
            f"when {lit(status)} then {weighted(zip(['1', '2', '3', '4', '5'], w, strict=True))}"
            f"[1 + rint(rk, 310, {sum(w)})]"
            for status, w in reviews.RATING_WEIGHTS.items()
        )
        + " end"
    )
    titles = (
        "case rating "
        + " ".join(
            f"when {stars} then pick({lst(t for t, _ in texts)}, rk, 311)" for stars, texts in reviews.TEXTS.items()
        )
        + " end"
    )
    bodies = (
        "case rating "
        + " ".join(
            f"when {stars} then pick({lst(b for _, b in texts)}, rk, 311)" for stars, texts in reviews.TEXTS.items()
        )
        + " end"
    )
    strangers = weighted([("1", 10), ("2", 10), ("3", 20), ("4", 30), ("5", 30)], 10)
    last_word = "split_part(p.last_name, ' ', -1)"

    def query(window: Window) -> str:
        return f"""
            select
                'rev_' || hex(rk, 13) || hexh(rk, 312, 3) as review_id,
                platform,
                product_sku,
                order_id,
                rating::VARCHAR as rating,
                case when u(rk, 313) < 0.3 then NULL else {titles} end as title,
                {bodies} as body,
                case when platform = 'google' then
                        case when u(rk, 314) < 0.6 then p.first_name || ' ' || {last_word}
                            else p.first_name || ' ' || {last_word}[1] || '.' end
                    when u(rk, 314) < 0.5 then p.first_name || ' ' || p.last_name
                    when u(rk, 314) < 0.8 then p.first_name
                    else p.first_name || ' ' || {last_word}[1] || '.' end as reviewer_name,
                case when platform <> 'google' then email_as(p.email, p.variants, rk, 315) end as reviewer_email,
                iso(r.created_at) as created_at,
                case when platform = 'google' or u(rk, 316) > case when rating = 1 then 0.12 else 0.03 end
                    then 'true' else 'false' end as published,
                case when order_id is not null then 'true' else 'false' end as verified_buyer,
                r.created_at as __at,
                rk as __k
            from (
                select
                    *,
                    case when financial_status = 'voided' and u(rk, 317) < 0.4 then 'google'
                        when financial_status <> 'voided' and roll >= 0.12 and roll < 0.30 then 'google'
                        else 'store_site' end as platform,
                    case when financial_status <> 'voided' and roll >= 0.30 then {ref.SKUS}[main0] end as product_sku,
                    case when (financial_status = 'voided' and u(rk, 317) >= 0.4)
                        or (financial_status <> 'voided' and (roll < 0.12 or roll >= 0.30))
                        then (5100000000 + order_number * 17)::VARCHAR end as order_id
                from (
                    select
                        o.ok as rk, o.person, o.financial_status, o.order_number,
                        biz(lday(o.created_at) + 4 + rint(o.ok, 318, 17), 7, 23, o.ok, 319) as created_at,
                        u(o.ok, 320) as roll,
                        {ref.MAIN_PRODUCTS}[1 + rint(o.bk, 100, 5)] as main0,
                        {rating}::INTEGER as rating
                    from orders as o
                    where u(o.ok, 321) < case when o.financial_status = 'paid' then 0.18 else 0.32 end
                        and {window.where("o.created_at", 25 * DAY)}
                )
                union all
                select
                    rk, person, NULL, NULL, created_at, NULL, NULL, rating, 'store_site', NULL, NULL
                from (
                    select
                        90000000000000 + d.d as rk,
                        1 + rint(d.d, 322, {plan.persons}) as person,
                        biz(d.d, 7, 23, d.d, 323) as created_at,
                        {strangers}[1 + rint(d.d, 324, 10)]::INTEGER as rating
                    from range(0, {plan.days}) as d(d)
                    where u(d.d, 325) < 0.13
                )
                where {window.where("created_at")}
            ) as r
            join persons as p on p.key = r.person
        """

    fresh = "'rev_f' || hex(__k, 15)"
    return BulkTable(
        "reviews",
        "reviews",
        tuple(reviews.COLUMNS),
        query,
        key=("review_id",),
        redeliver=0.01,
        overlap=0.5,
        defects=(
            Defect("missing_id", 1, {"review_id": "NULL"}),
            Defect("unparseable_timestamp", 1, {"review_id": fresh, "created_at": "'2026-02-30T10:00:00Z'"}),
            Defect("unknown_status", 1, {"review_id": fresh, "platform": "'reclame_aqui'"}),
            Defect("invalid_value", 1, {"review_id": fresh, "rating": "'6'"}),
            Defect("invalid_value", 1, {"review_id": fresh, "rating": "'0'"}),
        ),
    )


def conversation_tables(plan: WorldPlan) -> list[BulkTable]:
    return [*_chat(), _surveys(), _reviews(plan)]
