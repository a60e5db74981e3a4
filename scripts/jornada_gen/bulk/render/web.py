"""Web analytics export of the bulk world: GA4 BigQuery export events (as `jornada_gen.sources.ga4`).

Each session gives first_visit (on a device's first session), session_start,
one page_view and one user_engagement per page, begin_checkout and purchase
(transaction_id = the Shopify order id). A session started by a message click
lands with the campaign's utm parameters in the URL and in
collected_traffic_source, so the click joins its session.
"""

from __future__ import annotations

from datetime import timedelta

from jornada_gen.bulk import refdata as ref
from jornada_gen.bulk.export import BulkTable, Defect, Window
from jornada_gen.bulk.plan import WorldPlan
from jornada_gen.bulk.sqlkit import lit, lst
from jornada_gen.bulk.world import basket
from jornada_gen.sources import ga4

SESSION_SPREAD = 86_400  # every event of a session happens within a day of its start


def _page_second(i: str) -> str:
    """Start (epoch seconds) of page `i` of the session: pages 90 to 169 seconds apart."""
    return f"(started_at + ({i}) * 90 + case when ({i}) > 0 then rint(sk, 120 + ({i}), 80) else 0 end)"


def _page_micros(i: str) -> str:
    return (
        f"case when ({i}) = 0 then first_micros else {_page_second(i)} * 1000000 + rint(sk, 140 + ({i}), 1000000) end"
    )


def _location(i: str) -> str:
    page = f"{ref.PAGES}[1 + rint(sk, 130 + ({i}), 8)]"
    return f"case when ({i}) = 0 then landing_location else {lit(ref.SITE)} || {page} end"


def _referrer_by_source() -> str:
    whens = " ".join(f"when {lit(source)} then {lit(url)}" for source, url in sorted(ga4.REFERRERS.items()))
    return f"case when s.medium in ('organic', 'cpc', 'social', 'referral') then case s.source {whens} end end"


def tables(plan: WorldPlan) -> list[BulkTable]:
    b = basket("s.sk")
    dates = lst((plan.start + timedelta(days=offset)).strftime("%Y%m%d") for offset in range(-2, 4000))
    gclid = (
        "case when s.source = 'google' and s.medium = 'cpc' and s.campaign is not null then "
        "'Cj0KCQjw' || hexh(s.sk, 183, 15) || hexh(s.sk, 184, 15) end"
    )
    last_click = (
        "case when s.source = '(direct)' then '(direct)' when s.campaign is null then "
        "case when s.medium = 'organic' then '(organic)' else '(referral)' end else s.campaign end"
    )
    device = "rint(s.dev_k, 180, 100)"
    system = "rint(s.dev_k, 181, 100)"

    def sessions(window: Window) -> str:
        """One row per session with everything its events share, computed once per session."""
        return f"""
            select
                s.sk, s.started_at, s.n_pages, s.engagement_msec, s.first_micros, s.session_number,
                s.previous_first_micros, s.pseudo_id, s.user_id, s.source, s.medium, s.campaign,
                s.started_at::VARCHAR as session_id,
                s.session_number::VARCHAR as session_number_text,
                case when s.engagement_msec >= 10000 or s.n_pages >= 2 then '1' else '0' end as engaged,
                {lit(ref.SITE)} || {ref.PAGES}[1 + rint(s.sk, 130, 8)]
                    || case when s.campaign is not null then '?utm_source=' || s.source || '&utm_medium=' || s.medium
                        || '&utm_campaign=' || s.campaign || coalesce('&gclid=' || ({gclid}), '') else '' end
                    as landing_location,
                {_referrer_by_source()} as landing_referrer,
                {gclid} as gclid,
                {last_click} as last_click,
                s.campaign is not null or s.source <> '(direct)' as has_event_source,
                case when {device} < 68 then 'mobile' when {device} < 96 then 'desktop' else 'tablet' end as category,
                case when {device} between 68 and 95 then
                        case when {system} < 75 then 'Windows' when {system} < 97 then 'Macintosh' else 'Linux' end
                    else case when {system} < 62 then 'Android' else 'iOS' end end as operating_system,
                coalesce(p.ga4_region, {ref.GA4_REGIONS}[1 + rint(s.dev_k, 182, {ref.N_AREAS})]) as region,
                coalesce(p.ga4_city, {ref.GA4_CITIES}[1 + rint(s.dev_k, 182, {ref.N_AREAS})]) as city,
                c.created_at as checkout_at,
                ({b["subtotal"]} / 100.0)::DOUBLE::VARCHAR as checkout_value,
                ({b["items"]})::VARCHAR as checkout_items,
                o.created_at as order_at,
                (5100000000 + o.order_number * 17)::VARCHAR as transaction_id,
                (o.total_cents / 100.0)::DOUBLE::VARCHAR as revenue,
                o.items::VARCHAR as order_items
            from sessions as s
            left join persons as p on p.key = s.person
            left join checkouts as c on c.sk = s.sk
            left join (select * from orders where session_sk is not null) as o on o.session_sk = s.sk
            where {window.where("s.started_at", SESSION_SPREAD)}
        """

    def query(window: Window) -> str:
        page = "(j - 2) // 2"
        page_view = _page_micros(page)
        next_page = f"{_page_second(page + ' + 1')} * 1000000 - 1000 - rint(sk, 150 + {page}, 899000)"
        last_leave = f"{page_view} + share * 1000 + 1000 + rint(sk, 160, 1999000)"
        landing = "j <= 2"
        return f"""
            select
                {dates}[(lday(__micros // 1000000) + 3)::INTEGER] as event_date,
                __micros::VARCHAR as event_timestamp,
                event_name,
                case
                    when event_name = 'session_start' then previous_first_micros
                    when event_name = 'page_view' and j > 2 then {_page_micros("(j - 2) // 2 - 1")}
                end::VARCHAR as event_previous_timestamp,
                pseudo_id as user_pseudo_id,
                user_id,
                session_id as event_params__ga_session_id,
                session_number_text as event_params__ga_session_number,
                case
                    when j <= 1 then landing_location
                    when event_name in ('page_view', 'user_engagement') then {_location(page)}
                    when event_name = 'begin_checkout' then {lit(ref.SITE + "/checkout")}
                    else {lit(ref.SITE + "/checkout/obrigado")} end as event_params__page_location,
                case
                    when {landing} then landing_referrer
                    when event_name = 'page_view' then {_location("(j - 2) // 2 - 1")}
                end as event_params__page_referrer,
                case when event_name = 'user_engagement' then share::VARCHAR end as event_params__engagement_time_msec,
                engaged as event_params__session_engaged,
                case when {landing} and has_event_source then source end as event_params__source,
                case when {landing} and has_event_source then medium end as event_params__medium,
                case when {landing} and has_event_source then last_click end as event_params__campaign,
                case when event_name in ('begin_checkout', 'purchase') then 'BRL' end as event_params__currency,
                case when event_name = 'begin_checkout' then checkout_value when event_name = 'purchase' then revenue
                    end as event_params__value,
                case when {landing} and campaign is not null then source end as collected_traffic_source__manual_source,
                case when {landing} and campaign is not null then medium end as collected_traffic_source__manual_medium,
                case when {landing} then campaign end as collected_traffic_source__manual_campaign_name,
                NULL::VARCHAR as collected_traffic_source__manual_campaign_id,
                case when {landing} then gclid end as collected_traffic_source__gclid,
                source as session_traffic_source_last_click__manual_campaign__source,
                medium as session_traffic_source_last_click__manual_campaign__medium,
                last_click as session_traffic_source_last_click__manual_campaign__campaign_name,
                category as device__category,
                operating_system as device__operating_system,
                'Brazil' as geo__country,
                region as geo__region,
                city as geo__city,
                'WEB' as platform,
                {lit(ga4.STREAM_ID)} as stream_id,
                case when event_name = 'purchase' then transaction_id end as ecommerce__transaction_id,
                case when event_name = 'purchase' then revenue end as ecommerce__purchase_revenue,
                case when event_name = 'begin_checkout' then checkout_items
                    when event_name = 'purchase' then order_items
                    end as ecommerce__total_item_quantity,
                __micros // 1000000 as __at,
                sk * 32 + j as __k
            from (
                select
                    *,
                    case
                        when j <= 1 then first_micros
                        when j <= 2 * n_pages + 1 and (j - 2) % 2 = 0 then {page_view}
                        when j <= 2 * n_pages + 1 then greatest(case when {page} + 1 < n_pages then {next_page}
                            else {last_leave} end, {page_view} + 1)
                        when j = 2 * n_pages + 2 then checkout_at * 1000000 + rint(sk, 170, 1000000)
                        else order_at * 1000000 + rint(sk, 171, 1000000) end as __micros,
                    case when j = 0 then 'first_visit' when j = 1 then 'session_start'
                        when j <= 2 * n_pages + 1 and (j - 2) % 2 = 0 then 'page_view'
                        when j <= 2 * n_pages + 1 then 'user_engagement'
                        when j = 2 * n_pages + 2 then 'begin_checkout' else 'purchase' end as event_name
                from (
                    select
                        *,
                        case when (j - 2) // 2 = n_pages - 1 then engagement_msec - engagement_msec // n_pages
                            * (n_pages - 1) else engagement_msec // n_pages end as share
                    from (select *, unnest(range(0, 2 * n_pages + 4)) as j from ({sessions(window)}))
                )
                where case
                    when j = 0 then session_number = 1
                    when j = 1 then true
                    when j <= 2 * n_pages + 1 then (j - 2) % 2 = 0 or share > 0
                    when j = 2 * n_pages + 2 then checkout_at is not null
                    else order_at is not null end
            )
        """

    shifted = "(event_timestamp::BIGINT + 1000 + rint(__k, 185, 49000))::VARCHAR"
    return [
        BulkTable(
            "ga4",
            "events",
            tuple(ga4.COLUMNS),
            query,
            key=(
                "user_pseudo_id",
                "event_timestamp",
                "event_name",
                "event_params__ga_session_id",
                "event_params__page_location",
            ),
            redeliver=0.003,
            overlap=0.25,
            defects=(
                Defect(
                    "unparseable_timestamp",
                    3,
                    {"event_timestamp": "pick(['2026-08-14 10:22:31 UTC', '1.7e+15x', 'NaN'], __k, 186)"},
                ),
                Defect("missing_id", 3, {"user_pseudo_id": "NULL", "event_timestamp": shifted}),
                Defect(
                    "invalid_value",
                    3,
                    {
                        "event_params__engagement_time_msec": "event_params__engagement_time_msec || 'ms'",
                        "event_timestamp": shifted,
                    },
                    where="event_name = 'user_engagement'",
                ),
                Defect(
                    "invalid_value",
                    1,
                    {
                        "ecommerce__purchase_revenue": "replace('R$ ' || ecommerce__purchase_revenue, '.', ',')",
                        "event_timestamp": shifted,
                    },
                    where="event_name = 'purchase'",
                ),
            ),
        )
    ]
