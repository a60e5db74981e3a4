"""Marketing and operations exports of the bulk world (the project's own formats).

Campaign catalog and variants, platform per-campaign reports, daily spend,
social posts and interactions, and the contact center's agents, shifts and
presence events; fields as the demo renderers in `jornada_gen.sources`.
Platform reports and messaging spend are aggregates of the very messages the
event tables hold; ads spend counts the sessions the ads brought.
"""

from __future__ import annotations

from jornada_gen.bulk import refdata as ref
from jornada_gen.bulk.export import BulkTable, Defect, Window
from jornada_gen.bulk.plan import WorldPlan
from jornada_gen.bulk.sqlkit import lit, lst, weighted
from jornada_gen.sources import ad_spend, campaigns, platform_reports, social, workforce

DAY = 86_400
PLATFORMS = platform_reports.PLATFORM


def _case(expression: str, mapping: dict[str, str]) -> str:
    return f"case {expression} " + " ".join(f"when {lit(k)} then {lit(v)}" for k, v in sorted(mapping.items())) + " end"


# ----------------------------------------------------------------- catalog
def _catalog() -> list[BulkTable]:
    exported = "coalesce(c.send_at, c.created_at)"
    owner = _case("c.journey", campaigns.OWNERS)
    fresh_campaign = "'cmp_x' || lpad(__k::VARCHAR, 5, '0')"

    def catalog(window: Window) -> str:
        return f"""
            select
                c.campaign_id,
                c.name as campaign_name,
                c.channel,
                c.journey,
                case when c.send_at is null then 'true' else 'false' end as is_triggered,
                iso(c.send_at) as scheduled_send_at,
                (lsec(c.send_at) // 3600)::VARCHAR as send_hour_local,
                c.template as subject_or_template,
                {owner} as owner,
                iso(c.created_at) as created_at,
                case when c.send_at is not null then 'sent' when c.n = 3 then 'draft' else 'active' end as status,
                {exported} as __at,
                c.n as __k
            from campaigns as c
            where {window.where(exported)}
        """

    def variants(window: Window) -> str:
        change = _case("c.channel", campaigns.VARIANT_B_CHANGE)
        return f"""
            select
                c.campaign_id,
                case when v = 0 then 'A' else 'B' end as variant,
                case when v = 0 then 'true' else 'false' end as is_control,
                case when c.ab then '0.5' else '1.0' end as allocation_share,
                case when v = 1 then 'Test: ' || {change} || '.'
                    when c.ab then 'Control: the original version.' else 'Single version.' end as description,
                {exported} as __at,
                c.n * 2 + v as __k,
                c.n as __lk
            from campaigns as c, range(0, 2) as s(v)
            where (v = 0 or c.ab) and {window.where(exported)}
        """

    scheduled = "scheduled_send_at is not null"
    local_send = "strftime(ts(__at - 10800), '%d/%m/%Y %Hh')"
    return [
        BulkTable(
            "campaigns",
            "campaigns",
            tuple(campaigns.CAMPAIGN_COLUMNS),
            catalog,
            key=("campaign_id",),
            redeliver=0.05,
            overlap=0.5,
            overlap_window=3 * DAY,
            defects=(
                Defect("missing_id", 1, {"campaign_id": "NULL"}, where=scheduled),
                Defect(
                    "unparseable_timestamp",
                    1,
                    {"campaign_id": fresh_campaign, "scheduled_send_at": local_send},
                    where=scheduled,
                ),
                Defect("unknown_status", 1, {"campaign_id": fresh_campaign, "status": "'paused'"}, where=scheduled),
            ),
        ),
        BulkTable(
            "campaigns",
            "variants",
            tuple(campaigns.VARIANT_COLUMNS),
            variants,
            key=("campaign_id", "variant"),
            redeliver=0.05,
            overlap=0.5,
            overlap_window=3 * DAY,
            load_key="__lk",
            defects=(
                Defect("missing_id", 1, {"campaign_id": "NULL"}),
                Defect(
                    "invalid_value",
                    1,
                    {"campaign_id": fresh_campaign, "allocation_share": "replace(allocation_share, '.', ',')"},
                ),
            ),
        ),
    ]


# ---------------------------------------------------------- platform reports
def _reports(plan: WorldPlan) -> BulkTable:
    """Each platform's own per-campaign, per-day dashboard, exported a week later; about 5% diverge."""
    platform = _case("r.channel", PLATFORMS)
    bounced = (
        "case channel when 'email' then outcome in ('bounce_hard', 'bounce_soft') "
        "when 'whatsapp' then outcome = 'failed' else outcome in ('failed', 'undelivered') end"
    )

    def query(window: Window) -> str:
        return f"""
            select
                'rpt_' || hexh(k, 330, 8) || hex(k, 8) as report_id,
                {platform} as platform,
                c.campaign_id,
                (DATE {lit(plan.start.isoformat())} + r.day::INTEGER)::VARCHAR as report_date,
                iso(__at) as exported_at,
                sent::VARCHAR as sent,
                (case when u(k, 333) < 0.05 then floor(delivered * 0.95)::BIGINT else delivered end)::VARCHAR
                    as delivered,
                case when r.channel <> 'sms' then (case when r.channel = 'email' and u(k, 334) < 0.05
                    then floor(opens * 0.9)::BIGINT else opens end)::VARCHAR end as opens,
                clicks::VARCHAR as clicks,
                bounces::VARCHAR as bounces,
                unsubscribes::VARCHAR as unsubscribes,
                case when r.channel = 'email' then spam_reports::VARCHAR end as spam_reports,
                __at,
                k as __k
            from (
                select *, t0() + (day + 7) * 86400 + 6 * 3600 + rint(k, 331, 7200) + rint(k, 332, 60) as __at
                from (
                    select
                        n,
                        n * 100000 + lday(sent_at) + 1000 as k,
                        lday(sent_at) as day,
                        any_value(channel) as channel,
                        count(*) as sent,
                        sum(case when outcome = 'delivered' then 1 else 0 end) as delivered,
                        count(open1) as opens,
                        count(click1) as clicks,
                        sum(case when {bounced} then 1 else 0 end) as bounces,
                        count(unsub_at) as unsubscribes,
                        count(spam_at) as spam_reports
                    from messages
                    where {window.where("sent_at", 9 * DAY)}
                    group by n, lday(sent_at)
                )
            ) as r
            join campaigns as c on c.n = r.n
            where {window.where("__at")}
        """

    return BulkTable(
        "platform_reports",
        "campaign_summaries",
        tuple(platform_reports.COLUMNS),
        query,
        key=("platform", "campaign_id", "report_date"),
        redeliver=0.02,
        overlap=0.5,
        overlap_window=DAY,
        defects=(
            Defect("missing_id", 1, {"campaign_id": "NULL"}),
            Defect("unparseable_timestamp", 1, {"exported_at": "strftime(ts(__at - 10800), '%d/%m/%Y %H:%M')"}),
            Defect(
                "unparseable_timestamp",
                1,
                {"report_date": "strftime(report_date::DATE, '%Y-%m-') || (day(report_date::DATE) + 31)::VARCHAR"},
            ),
            Defect("invalid_value", 1, {"sent": "printf('%.1fk', sent::INTEGER / 1000.0)"}),
        ),
    )


# ---------------------------------------------------------------- ad spend
def _spend(plan: WorldPlan) -> BulkTable:
    ads = ad_spend.ADS
    ads_platforms = lst(p for p, _ in ads)
    ads_campaigns = lst(c for _, c in ads)

    def query(window: Window) -> str:
        export_at = "t0() + (day + 1) * 86400 + 60 * (120 + rint(k, 341, 360))"
        return f"""
            select
                (DATE {lit(plan.start.isoformat())} + day::INTEGER)::VARCHAR as spend_date,
                platform,
                channel,
                campaign_id,
                money(amount_cents) as amount,
                currency,
                impressions::VARCHAR as impressions,
                clicks::VARCHAR as clicks,
                billable_conversations::VARCHAR as billable_conversations,
                messages_sent::VARCHAR as messages_sent,
                {export_at} as __at,
                k as __k
            from (
                select
                    m.day,
                    {_case("m.channel", PLATFORMS)} as platform,
                    m.channel,
                    c.campaign_id,
                    round(case m.channel when 'email' then sent * 0.4 when 'sms' then charged * 7.0
                        else delivered * 35.0 end)::BIGINT as amount_cents,
                    'BRL' as currency,
                    NULL::BIGINT as impressions,
                    NULL::BIGINT as clicks,
                    case when m.channel = 'whatsapp' then delivered end as billable_conversations,
                    case when m.channel <> 'whatsapp' then sent end as messages_sent,
                    m.n * 100000 + m.day + 1000 as k
                from (
                    select
                        n,
                        any_value(channel) as channel,
                        lday(sent_at) as day,
                        count(*) as sent,
                        sum(case when outcome <> 'failed' then 1 else 0 end) as charged,
                        sum(case when outcome = 'delivered' then 1 else 0 end) as delivered
                    from messages
                    where {window.where("sent_at", 2 * DAY)}
                    group by n, lday(sent_at)
                ) as m
                join campaigns as c on c.n = m.n
                union all
                select
                    day,
                    platform,
                    'ads',
                    campaign_id,
                    case when usd then round(amount / {float(ad_spend.USD_BRL)})::BIGINT else amount end,
                    case when usd then 'USD' else 'BRL' end,
                    round(amount / 100.0 / cpm * 1000)::BIGINT,
                    ceil(coalesce(sessions, 0) * (1.1 + 0.35 * u(k, 342)))::BIGINT + rint(k, 343, 4),
                    NULL,
                    NULL,
                    k
                from (
                    select
                        d.d as day,
                        {ads_platforms}[a.i + 1] as platform,
                        {ads_campaigns}[a.i + 1] as campaign_id,
                        9000000000 + d.d * 10 + a.i as k,
                        30000 + rint(9000000000 + d.d * 10 + a.i, 344, 60000) as amount,
                        case when a.i = 0 then 12 + 18 * u(9000000000 + d.d * 10 + a.i, 345)
                            else 45 + 45 * u(9000000000 + d.d * 10 + a.i, 345) end as cpm,
                        a.i = 1 and u(d.d, 346) < 0.055 as usd
                    from range(0, {plan.days}) as d(d), range(0, 2) as a(i)
                ) as x
                left join (
                    select campaign, lday(started_at) as session_day, count(*) as sessions
                    from sessions where campaign in {tuple(c for _, c in ads)} group by all
                ) as s on s.campaign = x.campaign_id and s.session_day = x.day
                union all
                select
                    day, 'instagram', 'social', 'instagram_boost', amount, 'BRL', impressions,
                    round(impressions * (0.008 + 0.007 * u(k, 347)))::BIGINT, NULL, NULL, k
                from (
                    select
                        d.d as day,
                        9500000000 + d.d as k,
                        4000 + rint(9500000000 + d.d, 348, 8000) as amount,
                        ((4000 + rint(9500000000 + d.d, 348, 8000)) / 100
                            * (80 + rint(9500000000 + d.d, 349, 70)))::BIGINT
                            as impressions
                    from range(0, {plan.days}) as d(d)
                    where (d.d + {plan.start.weekday()}) % 7 in (4, 5)
                )
            )
            where {window.where(export_at)}
        """

    ads_rows = "channel = 'ads'"
    messaging = "channel in ('email', 'whatsapp', 'sms')"
    return BulkTable(
        "ad_spend",
        "daily_spend",
        tuple(ad_spend.COLUMNS),
        query,
        key=("spend_date", "platform", "campaign_id"),
        redeliver=0.0,
        overlap=0.5,
        overlap_window=DAY,
        defects=(
            Defect("negative_amount", 2, {"amount": "'-' || amount"}, where=ads_rows),
            Defect(
                "unparseable_timestamp", 1, {"spend_date": "strftime(spend_date::DATE, '%d/%m/%Y')"}, where=messaging
            ),
            Defect(
                "unparseable_timestamp",
                1,
                {"spend_date": "strftime(spend_date::DATE, '%Y-%m-') || (day(spend_date::DATE) + 31)::VARCHAR"},
                where=messaging,
            ),
            Defect("missing_id", 2, {"campaign_id": "NULL"}, where=messaging),
        ),
    )


# ------------------------------------------------------------------ social
NETWORK_NAMES = list(social.NETWORKS)


def _posts_sql(plan: WorldPlan, window: Window, spread: int) -> str:
    """Brand posts (2 to 4 per network and week), exported by the first daily run after publication."""
    accounts = lst(v[0] for v in social.NETWORKS.values())
    bases = lst(v[3] for v in social.NETWORKS.values())
    rates = lst(v[4] for v in social.NETWORKS.values())
    types = (
        "case network "
        + " ".join(
            f"when {lit(name)} then pick({weighted(list(v[2].items()), 5)}, k, 361)"
            for name, v in social.NETWORKS.items()
        )
        + " end"
    )
    reach = "case post_type " + " ".join(f"when {lit(t)} then {r}" for t, r in social.TYPE_REACH.items()) + " end"
    weeks = -(-plan.days // 7)
    return f"""
        select
            *,
            (final_impressions * maturity)::BIGINT as impressions,
            final_engaged * maturity as engaged
        from (
            select
                *,
                1 - exp(-(metrics_at - published_at) / 86400.0 / 2.5) as maturity,
                final_impressions * {rates}[ni + 1] * (0.7 + 0.6 * u(k, 362)) as final_engaged
            from (
                select
                    *,
                    ({bases}[ni + 1] * ({reach}) * case when campaign_id is not null then 1.3 else 1.0 end
                        * exp(0.45 * gauss(k, 363)))::BIGINT as final_impressions
                from (
                    select
                        *,
                        {types} as post_type,
                        case when u(k, 364) < 0.3 then (
                            select min(c.campaign_id) from campaigns as c
                            where c.journey = 'promo'
                                and c.send_at between published_at - 86400 and published_at + 3 * 86400
                        ) end as campaign_id,
                        ((published_at + 3600 + 64800) // 86400) * 86400 + 21600 + rint(k, 365, 1800) as metrics_at,
                        {accounts}[ni + 1] as account_id
                from (
                    select
                        n.i as ni,
                        {lst(NETWORK_NAMES)}[n.i + 1] as network,
                        n.i * 1000000 + w.w * 10 + p.i as k,
                        biz(w.w * 7 + [0, 2, 4, 6][p.i + 1] + case when p.i < 3
                            then rint(n.i * 1000000 + w.w * 10 + p.i,
                            366, 2) else 0 end, 9, 21, n.i * 1000000 + w.w * 10 + p.i, 367) as published_at
                    from range(0, 4) as n(i), range(0, {weeks}) as w(w), range(0, 4) as p(i)
                    where p.i < [2, 3, 3, 4][1 + rint(n.i * 1000000 + w.w * 10, 368, 4)]
                )
                    where {window.where("published_at", spread)}
                )
            )
        )
    """


def _post_id(alias: str = "") -> str:
    """The network's own post id format, injective in the post key `k`."""
    k = f"{alias}k"
    number = f"{k} * 1009 + rint({k}, 369, 1000)"
    return (
        f"case {alias}network when 'instagram' then (17900000000000000 + {number})::VARCHAR "
        f"when 'facebook' then {alias}account_id || '_' || (100000000000000 + {number})::VARCHAR "
        f"when 'tiktok' then (7400000000000000000 + {number})::VARCHAR "
        f"else 'urn:li:share:' || (7300000000000000000 + {number})::VARCHAR end"
    )


def _social(plan: WorldPlan) -> list[BulkTable]:
    def posts(window: Window) -> str:
        return f"""
            select
                {_post_id()} as post_id,
                network,
                account_id,
                iso(published_at) as published_at,
                post_type,
                campaign_id,
                case when campaign_id is not null then pick({lst(social.PROMO_CAPTIONS)}, k, 370)
                    else pick({lst(social.CAPTIONS)}, k, 370) end as caption,
                impressions::VARCHAR as impressions,
                (impressions / (1.15 + 0.45 * u(k, 371)))::BIGINT::VARCHAR as reach,
                (engaged * 0.85)::BIGINT::VARCHAR as reactions,
                ((final_engaged * 0.045 * (1 - exp(-(metrics_at - published_at) / 3600.0 / 20)))::BIGINT
                    + case when u(k, 372) < 0.15 then 1 + rint(k, 373, 2) else 0 end)::VARCHAR as comments,
                (engaged * 0.05)::BIGINT::VARCHAR as shares,
                case when network in ('instagram', 'tiktok') then (engaged * 0.04)::BIGINT::VARCHAR end as saves,
                case when post_type in ('video', 'reel') then (impressions * (0.4 + 0.4 * u(k, 374)))::BIGINT::VARCHAR
                    end as video_views,
                iso(metrics_at) as metrics_updated_at,
                metrics_at as __at,
                k as __k
            from ({_posts_sql(plan, window, 2 * DAY)})
        """

    spike_start = f"(t0() - {plan.start.weekday()} * 86400 + {social.SPIKE_WEEK} * 604800)"
    people = (
        "case when network = 'linkedin' then fs || '-' || ls || '-' || lower(to_hex(person)) "
        "else [fs || '.' || ls, fs || ls || (10 + rint(person, 375, 89))::VARCHAR, fs || '_' || ls[1:3], "
        "upper(fs[1]) || fs[2:] || upper(ls[1]) || ls[2:]][1 + rint(person, 376, 4)] "
        "|| case when person % 7 = 0 then '' else (person % 7)::VARCHAR end end"
    )
    words = lst(["cafe", "barista", "amo", "viagem", "foodie", "sp", "rio", "mae", "dev", "run", "cha", "doce"])
    strangers = f"pick({words}, ik, 377) || pick({words}, ik, 378) || '_' || (100 + rint(ik, 379, 9900))::VARCHAR"
    handles = lst(v[1] for v in social.NETWORKS.values())
    outside = [("instagram", 3.0), ("facebook", 1.2), ("tiktok", 1.0), ("linkedin", 0.3)]

    def interactions(window: Window) -> str:
        weeks = -(-plan.days // 7)
        first_slugs, last_slugs = ref.FIRST_SLUGS, ref.LAST_SLUGS
        base = f"""
            select
                ik, network, post_id, kind, occurred,
                case when occurred >= {spike_start} and occurred < {spike_start} + 604800 then 0.45 else 0.10 end
                    as negative
            from (
                select
                    p.k * 10000 + c.j as ik, p.network, {_post_id("p.")}
                        as post_id, 'comment' as kind,
                    p.published_at + (least(expo(p.k * 10000 + c.j, 380, 20.0), 480.0) * 3600)::BIGINT as occurred
                from ({_posts_sql(plan, window, 30 * DAY)}) as p,
                    lateral (select unnest(range(0, (p.final_engaged * 0.045)::BIGINT)) as j) as c
                union all
                select
                    p.k * 10000 + 5000 + c.j, p.network, {_post_id("p.")},
                    'share', p.published_at + (least(expo(p.k * 10000 + 5000 + c.j, 381, 12.0), 480.0) * 3600)::BIGINT
                from ({_posts_sql(plan, window, 30 * DAY)}) as p,
                    lateral (select unnest(range(0, ((p.final_engaged * 0.05)::BIGINT) // 2)) as j) as c
                union all
                select
                    ik, network, NULL, kind, biz(day, 7, 23, ik, 382)
                from (
                    select
                        1000000000000 + d.d * 1000 + n.i * 100 + kd.i * 10 + x.i as ik,
                        d.d as day,
                        {lst([name for name, _ in outside])}[n.i + 1] as network,
                        ['mention', 'direct_message'][kd.i + 1] as kind,
                        {lst([w for _, w in outside])}[n.i + 1] * [1.6, 0.9][kd.i + 1]
                            * case when d.d >= {social.SPIKE_WEEK} * 7 - {plan.start.weekday()}
                                and d.d < {social.SPIKE_WEEK} * 7 + 7 - {plan.start.weekday()}
                                then (case when kd.i = 0 then 3 else 2 end) else 1 end as expected
                    from range(0, {weeks * 7}) as d(d), range(0, 4) as n(i), range(0, 2) as kd(i),
                        range(0, 10) as x(i)
                    where d.d < {plan.days}
                )
                where u(ik, 383) < expected / 10
            )
        """
        return f"""
            select
                'int_' || hex(ik * 2 + slot, 13) || hexh(ik * 2 + slot, 384, 3) as interaction_id,
                network,
                post_id,
                case when slot = 0 then kind when kind = 'direct_message' then 'direct_message' else 'comment' end
                    as interaction_type,
                case when slot = 1 then {handles}[list_position({lst(NETWORK_NAMES)}, network)]
                    when u(ik, 385) < 0.7 then {people}
                    else {strangers} end as author_handle,
                iso(__at) as occurred_at,
                case when slot = 1 then case when sentiment = 'positive' then 'positive' else 'neutral' end
                    else sentiment end as sentiment,
                (case when slot = 0 then score when sentiment = 'positive' then 0.3 + 0.5 * u(ik, 386)
                    else 0.2 * u(ik, 386) end)::DECIMAL(6, 3)::VARCHAR as sentiment_score,
                case when slot = 1 then 'true' else 'false' end as is_reply_from_brand,
                case when slot = 1 then 'int_' || hex(ik * 2, 13) || hexh(ik * 2, 384, 3) end as parent_interaction_id,
                __at,
                ik * 2 + slot as __k
            from (
                select
                    *,
                    case when slot = 0 then occurred
                        else occurred + (least(expo(ik, 387, 150.0), 4320.0) * 60)::BIGINT end as __at,
                    {first_slugs}[1 + rint(person, 388, {ref.N_FIRST})] as fs,
                    {last_slugs}[1 + rint(person, 389, {ref.N_LAST})] as ls
                from (
                    select
                        *,
                        case when u(ik, 390) < negative then 'negative' when u(ik, 390) < negative + 0.35 then 'neutral'
                            else 'positive' end as sentiment,
                        case when u(ik, 390) < negative then -1.0 + 0.7 * u(ik, 391)
                            when u(ik, 390) < negative + 0.35 then -0.25 + 0.5 * u(ik, 391)
                            else 0.3 + 0.7 * u(ik, 391) end as score,
                        1 + rint(ik, 392, {plan.persons}) as person
                    from ({base})
                ), range(0, 2) as s(slot)
                where slot = 0 or (kind <> 'share' and u(ik, 393) < case when kind = 'direct_message' then 0.9
                    when sentiment = 'negative' then 0.65 when sentiment = 'neutral' then 0.3 else 0.15 end)
            )
            where {window.where("__at")}
        """

    return [
        BulkTable(
            "social",
            "posts",
            tuple(social.POST_COLUMNS),
            posts,
            key=("post_id",),
            redeliver=0.0,
            overlap=0.5,
            overlap_window=2 * DAY,
            defects=(
                Defect("missing_id", 1, {"post_id": "NULL"}),
                Defect("unparseable_timestamp", 1, {"post_id": "'x' || post_id", "published_at": "'ontem'"}),
                Defect("unknown_status", 1, {"post_id": "'x' || post_id", "post_type": "'story'"}),
                Defect("invalid_value", 1, {"post_id": "'x' || post_id", "impressions": "'12,5 mil'"}),
            ),
        ),
        BulkTable(
            "social",
            "interactions",
            tuple(social.INTERACTION_COLUMNS),
            interactions,
            key=("interaction_id",),
            redeliver=0.005,
            overlap=0.5,
            defects=(
                Defect("missing_id", 2, {"interaction_id": "NULL"}),
                Defect(
                    "unparseable_timestamp",
                    1,
                    {
                        "interaction_id": "'int_x' || __k::VARCHAR",
                        "occurred_at": "strftime(ts(__at - 10800), '%d/%m/%Y %H:%M')",
                    },
                ),
                Defect(
                    "unknown_status", 1, {"interaction_id": "'int_x' || __k::VARCHAR", "interaction_type": "'like'"}
                ),
                Defect("unknown_status", 1, {"interaction_id": "'int_x' || __k::VARCHAR", "sentiment": "'mixed'"}),
                Defect("invalid_value", 1, {"interaction_id": "'int_x' || __k::VARCHAR", "sentiment_score": "'1.7'"}),
            ),
        ),
    ]


# --------------------------------------------------------------- workforce
def _workforce(plan: WorldPlan) -> list[BulkTable]:
    from jornada_gen.bulk.world import team_size

    names = ref.agent_names(team_size(plan.persons))
    agents_values = "values " + ", ".join(
        f"({n}, {lit(name)}, {lit(workforce.work_email(name))})" for n, name in enumerate(names, start=1)
    )
    agent_id = "'agt_' || lpad(agent_no::VARCHAR, 3, '0')"

    def agents(window: Window) -> str:
        return f"""
            select
                {agent_id} as agent_id,
                name as agent_name,
                case when agent_no % 4 = 0 then 'sales' else 'support' end as team,
                email,
                iso(t0() - 86400 * (60 + rint(agent_no, 400, 1440)) + 12 * 3600) as hired_at,
                'true' as is_active,
                t0() as __at,
                agent_no as __k
            from ({agents_values}) as a(agent_no, name, email)
            where {window.where("t0()")}
        """

    def shifts_sql(window: Window) -> str:
        """Scheduled shifts: Monday-Friday (one weekday off in weeks with a Saturday), every other Saturday."""
        weekday = f"((d.d + {plan.start.weekday()}) % 7)"
        week = f"((d.d + {plan.start.weekday()}) // 7)"
        start_hour = "[7, 8, 8, 9, 10, 12, 13, 14][1 + rint(a.agent_no, 401, 8)]"
        return f"""
            select
                *,
                at_local(day, (start_hour * 3600)::BIGINT) as start_at,
                at_local(day, (start_hour * 3600)::BIGINT) + (length_hours * 3600)::BIGINT as end_at,
                at_local(day, (start_hour * 3600)::BIGINT) - (weekday + 4) * 86400 as published_at,
                agent_no * 100000 + day + 1000 as sk
            from (
                select
                    a.agent_no,
                    d.d as day,
                    {weekday} as weekday,
                    case when {weekday} = 5 then 9.0 else {start_hour}
                        + case when u(a.agent_no * 100000 + d.d, 402) < 0.1
                            then (case when u(a.agent_no * 100000 + d.d, 403) < 0.5 then -1 else 1 end) else 0 end
                    end as start_hour,
                    case when {weekday} = 5 then 6.0 when u(a.agent_no * 100000 + d.d, 404) < 0.85 then 8.0
                        else 7.0 end as length_hours,
                    case when {weekday} = 5 then 15 else 60 end as break_minutes
                from range(1, {team_size(plan.persons)} + 1) as a(agent_no), range(0, {plan.days + 14}) as d(d)
                where {weekday} <> 6
                    and ({weekday} <> 5 or {week} % 2 = a.agent_no % 2)
                    and not ({weekday} < 5 and {week} % 2 = a.agent_no % 2
                        and {weekday} = rint(a.agent_no * 1000 + {week}, 405, 5))
                    and not (u(a.agent_no * 1000 + d.d // 91, 406) < 0.4
                        and d.d % 91 >= rint(a.agent_no * 1000 + d.d // 91, 407, 81)
                        and d.d % 91 < rint(a.agent_no * 1000 + d.d // 91, 407, 81) + 10)
            )
        """

    def shifts(window: Window) -> str:
        return f"""
            select
                'shf_' || strftime(DATE {lit(plan.start.isoformat())} + day::INTEGER, '%Y%m%d') || '_'
                    || lpad(agent_no::VARCHAR, 3, '0') as shift_id,
                {agent_id} as agent_id,
                (DATE {lit(plan.start.isoformat())} + day::INTEGER)::VARCHAR as shift_date,
                iso(start_at) as scheduled_start_at,
                iso(end_at) as scheduled_end_at,
                break_minutes::VARCHAR as planned_break_minutes,
                published_at as __at,
                sk as __k
            from ({shifts_sql(window)})
            where {window.where("published_at")}
        """

    def presence(window: Window) -> str:
        middle = "(start_at + end_at) // 2"
        login = (
            "start_at + case when u(sk, 410) < 0.80 then -720 + rint(sk, 411, 900) "
            "when u(sk, 410) < 0.95 then 240 + rint(sk, 411, 960) else 1200 + rint(sk, 411, 3300) end"
        )
        logout = (
            "end_at + case when u(sk, 412) < 0.85 then -180 + rint(sk, 413, 900) "
            "when u(sk, 412) < 0.95 then -900 - rint(sk, 413, 6300) else 900 + rint(sk, 413, 1800) end"
        )
        pause_start = (
            f"case when break_minutes >= 60 then {middle} + 60 * (-60 + rint(sk, 414, 105)) "
            f"else {middle} + 60 * (-45 + rint(sk, 414, 90)) end"
        )
        pause_end = (
            f"{pause_start} + 60 * case when break_minutes >= 60 then 40 + rint(sk, 415, 61) "
            "else 10 + rint(sk, 415, 11) end"
        )
        extra_start = f"{login} + 60 * (45 + rint(sk, 416, 30))"
        return f"""
            select
                'pev_' || lpad((sk * 8 + slot)::VARCHAR, 12, '0') as event_id,
                {agent_id} as agent_id,
                iso(__at) as occurred_at,
                ['login', 'pause_start', 'pause_end', 'pause_start', 'pause_end', 'logout'][slot + 1] as state,
                case when slot in (1, 2) then case when break_minutes >= 60 then 'lunch' else 'personal' end
                    when slot in (3, 4) then 'personal' end as pause_reason,
                __at,
                sk * 8 + slot as __k
            from (
                select
                    *,
                    [{login}, {pause_start}, {pause_end}, {extra_start},
                        {extra_start} + 60 * (3 + rint(sk, 417, 13)), {logout}][slot + 1] as __at
                from ({shifts_sql(window)}), range(0, 6) as s(slot)
                where u(sk, 418) >= 0.015
                    and (slot not in (3, 4) or u(sk, 419) < 0.5)
                    and (slot <> 5 or u(sk, 420) >= 0.01)
                    and {window.where("start_at", 2 * DAY)}
            )
            where {window.where("__at")}
        """

    fresh_shift = "'shf_x' || __k::VARCHAR"
    fresh_event = "'pev_x' || __k::VARCHAR"
    return [
        BulkTable(
            "workforce",
            "agents",
            tuple(workforce.AGENT_COLUMNS),
            agents,
            key=("agent_id",),
            redeliver=0.1,
            overlap=0.0,
            defects=(
                Defect("missing_id", 1, {"agent_id": "NULL"}),
                Defect("invalid_value", 1, {"agent_id": "'agt_x' || __k::VARCHAR", "is_active": "'sim'"}),
            ),
        ),
        BulkTable(
            "workforce",
            "shifts",
            tuple(workforce.SHIFT_COLUMNS),
            shifts,
            key=("shift_id",),
            redeliver=0.01,
            overlap=0.5,
            overlap_window=DAY,
            defects=(
                Defect(
                    "unparseable_timestamp",
                    2,
                    {"shift_id": fresh_shift, "scheduled_start_at": "'2026-08-32T08:00:00Z'"},
                ),
                Defect("invalid_value", 1, {"shift_id": fresh_shift, "planned_break_minutes": "'uma hora'"}),
                Defect("invalid_value", 1, {"shift_id": fresh_shift, "scheduled_end_at": "scheduled_start_at"}),
                Defect("missing_id", 2, {"shift_id": "NULL"}),
            ),
        ),
        BulkTable(
            "workforce",
            "presence_events",
            tuple(workforce.PRESENCE_COLUMNS),
            presence,
            key=("event_id",),
            redeliver=0.007,
            overlap=0.5,
            defects=(
                Defect("unparseable_timestamp", 2, {"event_id": fresh_event, "occurred_at": "'2026-08-03 25:61'"}),
                Defect("unknown_status", 2, {"event_id": fresh_event, "state": "'on_call'"}),
                Defect("invalid_value", 1, {"event_id": fresh_event, "agent_id": "NULL"}),
                Defect(
                    "invalid_value", 1, {"event_id": fresh_event, "state": "'pause_start'", "pause_reason": "'coffee'"}
                ),
                Defect("missing_id", 2, {"event_id": "NULL"}),
            ),
        ),
    ]


def tables(plan: WorldPlan) -> list[BulkTable]:
    return [*_social(plan), *_workforce(plan), _spend(plan), *_catalog(), _reports(plan)]
