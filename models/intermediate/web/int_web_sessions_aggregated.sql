{#
    GA4 events rolled up to sessions. A session is engaged by GA4's rule:
    GA4 flagged it (`session_engaged` = 1 on any event), or it had at least
    `web_engaged_session_min_seconds` of engagement time, or at least
    `web_engaged_session_min_page_views` page views, or a key event
    (`web_key_events`, e.g. purchase). Every other session is a bounce.
    Traffic source, medium and campaign are the session's first event's.
#}

with

events as (

    select * from {{ ref('stg_ga4__events') }}

),

identity_nodes as (

    select * from {{ ref('int_identity_nodes_resolved') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_daily') }}

),

ranked_events as (

    select
        session_key,
        traffic_source,
        traffic_medium,
        traffic_campaign,
        page_url,
        row_number() over (
            partition by session_key
            order by event_timestamp_micros, event_id
        ) as event_rank
    from events

),

landing as (

    select
        session_key,
        traffic_source,
        traffic_medium,
        traffic_campaign,
        page_url as landing_page_url
    from ranked_events
    where event_rank = 1

),

session_events as (

    select
        session_key,
        user_pseudo_id,
        max(user_id) as user_id,
        max(ga_session_id) as ga_session_id,
        min(ga_session_number) as ga_session_number,
        min(event_at) as started_at,
        max(event_at) as ended_at,
        sum(case when event_name = 'page_view' then 1 else 0 end) as page_views,
        coalesce(sum(engagement_time_msec), 0) as engagement_time_msec,
        {{ dbt.bool_or('is_session_engaged') }} as has_engaged_flag,
        {{ dbt.bool_or("event_name in ('" ~ var('web_key_events') | join("', '") ~ "')") }} as has_key_event,
        {{ dbt.bool_or("event_name = 'first_visit'") }} as is_first_visit,
        {{ dbt.bool_or("event_name = 'begin_checkout'") }} as has_checkout,
        {{ dbt.bool_or('has_gclid') }} as has_gclid,
        max(campaign_id) as tagged_campaign_id
    from events
    group by session_key, user_pseudo_id

),

purchase_transactions as (

    {#- A purchase re-sent by the site (same transaction id) counts once. -#}
    select
        events.session_key,
        events.transaction_id,
        max(events.currency) as purchase_currency,
        max({{ jornada.to_reporting_currency('events.purchase_revenue', 'fx_rates.rate_to_reporting') }})
            as purchase_revenue
    from events
    left join fx_rates
        on
            events.event_date = fx_rates.rate_date
            and events.currency = fx_rates.currency
    where events.event_name = 'purchase'
    group by events.session_key, events.transaction_id

),

purchases as (

    select
        session_key,
        count(*) as purchases,
        min(transaction_id) as transaction_id,
        max(purchase_currency) as purchase_currency,
        sum(purchase_revenue) as purchase_revenue
    from purchase_transactions
    group by session_key

),

sessions as (

    select
        session_events.*,
        landing.traffic_source,
        landing.traffic_medium,
        landing.traffic_campaign,
        landing.landing_page_url,
        {{ jornada.traffic_channel(
            'landing.traffic_source', 'landing.traffic_medium', 'session_events.has_gclid'
        ) }} as channel,
        purchases.purchases,
        purchases.transaction_id,
        purchases.purchase_currency,
        purchases.purchase_revenue
    from session_events
    inner join landing
        on session_events.session_key = landing.session_key
    left join purchases
        on session_events.session_key = purchases.session_key

),

engagement as (

    select
        *,
        (
            has_engaged_flag
            or engagement_time_msec >= {{ var('web_engaged_session_min_seconds') }} * 1000
            or page_views >= {{ var('web_engaged_session_min_page_views') }}
            or has_key_event
        ) as is_engaged
    from sessions

),

final as (

    select
        engagement.session_key,
        identity_nodes.person_id,
        engagement.user_pseudo_id,
        engagement.user_id,
        engagement.ga_session_id,
        engagement.ga_session_number,
        engagement.started_at,
        engagement.ended_at,
        {{ jornada.to_business_date('engagement.started_at') }} as session_date,
        engagement.page_views,
        engagement.engagement_time_msec,
        engagement.has_engaged_flag,
        engagement.has_key_event,
        engagement.is_engaged,
        not engagement.is_engaged as is_bounce,
        engagement.is_first_visit,
        engagement.landing_page_url,
        engagement.traffic_source,
        engagement.traffic_medium,
        engagement.traffic_campaign,
        engagement.has_gclid,
        engagement.channel,
        coalesce(
            engagement.tagged_campaign_id,
            {{ jornada.traffic_campaign_id('engagement.traffic_campaign', 'engagement.channel') }}
        ) as campaign_id,
        engagement.has_checkout,
        engagement.transaction_id is not null as has_purchase,
        coalesce(engagement.purchases, 0) as purchases,
        engagement.transaction_id,
        engagement.purchase_revenue,
        case
            when engagement.transaction_id is not null then '{{ var("reporting_currency") }}'
        end as currency,
        engagement.purchase_currency as original_currency
    from engagement
    left join identity_nodes
        on identity_nodes.node_key = {{ jornada.identity_node_key('web_device', 'engagement.user_pseudo_id') }}

)

select * from final
