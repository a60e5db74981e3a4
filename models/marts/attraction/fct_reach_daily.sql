{#
    One row per person (after identity stitching), channel and local day on
    which the person was reached: at least one delivered message (email,
    sms, whatsapp: the local date of delivery) or one impression. Ad
    platforms and social networks report impressions only in aggregate
    (stg_ad_spend__daily_spend, stg_social__posts), with no person behind
    them, so they cannot be counted as distinct persons nor deduplicated
    across channels. The person-level evidence of an impression is a visit
    through it: a GA4 session whose traffic channel is in
    `reach_impression_traffic_channels` (ads, social) means the person was
    shown that ad or post, just as a click implies a delivered message.
    Input of reach (distinct persons per channel, and over all channels
    with each person once).
#}

{%- set impression_channels = "'" ~ var('reach_impression_traffic_channels') | join("', '") ~ "'" -%}

with

messages as (

    select * from {{ ref('int_message_lifecycles_pivoted') }}
    where is_delivered

),

sessions as (

    select * from {{ ref('fct_web_sessions') }}
    where channel in ({{ impression_channels }})

),

persons as (

    select * from {{ ref('int_persons_aggregated') }}

),

touches as (

    select
        person_id,
        channel,
        {{ jornada.to_business_date('delivered_at') }} as reach_date,
        delivered_at as touched_at,
        1 as is_delivered_message,
        0 as is_impression_session
    from messages
    union all
    select
        person_id,
        channel,
        session_date as reach_date,
        started_at as touched_at,
        0 as is_delivered_message,
        1 as is_impression_session
    from sessions

),

reached as (

    select
        person_id,
        channel,
        reach_date,
        min(touched_at) as first_reached_at,
        sum(is_delivered_message) as delivered_messages,
        sum(is_impression_session) as impression_sessions
    from touches
    group by
        person_id,
        channel,
        reach_date

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "reached.person_id", "'|'", "reached.channel", "'|'",
            "cast(reached.reach_date as " ~ dbt.type_string() ~ ")"
        ])) }} as reach_id,
        reached.person_id,
        reached.channel,
        reached.reach_date,
        reached.first_reached_at,
        cast(reached.delivered_messages as bigint) as delivered_messages,
        cast(reached.impression_sessions as bigint) as impression_sessions,
        persons.is_anonymous as is_anonymous_person
    from reached
    left join persons
        on reached.person_id = persons.person_id

)

select * from final
