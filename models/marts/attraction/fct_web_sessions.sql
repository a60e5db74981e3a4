{#
    One row per GA4 session with the inputs of web_bounce_rate,
    avg_engagement_time_s and visit_frequency. The bounce rule is GA4's
    engaged-session rule, with the thresholds of int_web_sessions_aggregated:
    a session is engaged when it had at least
    `web_engaged_session_min_seconds` of engagement time, or at least
    `web_engaged_session_min_page_views` page views, or a key event
    (`web_key_events`: a purchase or a lead is a conversion), or GA4 itself
    flagged it engaged (`session_engaged`, which also covers engagement the
    export lost). Every other session (under 10 s, one page view and no
    conversion) is a bounce.
#}

with

sessions as (

    select * from {{ ref('int_web_sessions_aggregated') }}

),

engagement as (

    select
        *,
        (
            has_engaged_flag
            or engagement_time_msec >= {{ var('web_engaged_session_min_seconds') }} * 1000
            or page_views >= {{ var('web_engaged_session_min_page_views') }}
            or has_key_event
        ) as is_engaged_session
    from sessions

),

final as (

    select
        session_key,
        person_id,
        started_at,
        session_date,
        channel,
        campaign_id,
        traffic_source,
        traffic_medium,
        landing_page_url,
        cast(page_views as bigint) as page_views,
        cast(engagement_time_msec as bigint) as engagement_time_msec,
        cast(engagement_time_msec as {{ jornada.type_double() }}) / 1000 as engagement_time_s,
        has_engaged_flag,
        has_key_event,
        has_purchase,
        is_first_visit,
        is_engaged_session as is_engaged,
        not is_engaged_session as is_bounce
    from engagement

)

select * from final
