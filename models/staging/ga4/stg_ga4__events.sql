{{
    config(
        materialized=jornada.incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='event_id',
        on_schema_change='fail',
    )
}}

with

base as (

    select * from {{ ref('base_ga4__events') }}
    where
        quarantine_reason is null
        and {{ jornada.incremental_loaded_since() }}

),

keyed as (

    select
        *,
        {{ dbt.hash(dbt.concat([
            "coalesce(user_pseudo_id, '')", "'|'",
            "coalesce(cast(event_timestamp_micros as " ~ dbt.type_string() ~ "), '')", "'|'",
            "coalesce(event_name, '')", "'|'",
            "coalesce(cast(ga_session_id as " ~ dbt.type_string() ~ "), '')", "'|'",
            "coalesce(page_location, '')",
        ])) }} as event_id,
        {{ dbt.concat([
            "user_pseudo_id", "'-'", "cast(ga_session_id as " ~ dbt.type_string() ~ ")",
        ]) }} as session_key,
        coalesce(session_source, utm_source, event_source) as traffic_source,
        coalesce(session_medium, utm_medium, event_medium) as traffic_medium,
        coalesce(session_campaign, utm_campaign, event_campaign) as traffic_campaign
    from base

),

deduplicated as (

    {{ jornada.deduplicate('keyed', partition_by='event_id') }}

),

final as (

    select
        event_id,
        event_name,
        event_at,
        event_date,
        event_previous_at,
        event_timestamp_micros,
        session_key,
        user_pseudo_id,
        user_id,
        ga_session_id,
        ga_session_number,
        page_location,
        {{ dbt.split_part('page_location', "'?'", 1) }} as page_url,
        page_referrer,
        engagement_time_msec,
        coalesce(is_session_engaged, false) as is_session_engaged,
        traffic_source,
        traffic_medium,
        traffic_campaign,
        case
            when lower(traffic_medium) = 'email' then 'email'
            when lower(traffic_source) = 'whatsapp' then 'whatsapp'
            when lower(traffic_source) = 'sms' then 'sms'
            when lower(traffic_medium) in ('cpc', 'ppc', 'paid', 'paidsocial', 'paid_social', 'cpm', 'display')
                then 'ads'
            when lower(traffic_medium) = 'social' then 'social'
            when lower(traffic_source) in ('instagram', 'facebook', 'tiktok', 'youtube', 'linkedin', 'pinterest')
                then 'social'
            else 'web'
        end as channel,
        coalesce(
            utm_campaign_id,
            case when traffic_campaign like 'cmp%' then traffic_campaign end
        ) as campaign_id,
        event_source,
        event_medium,
        event_campaign,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_campaign_id,
        gclid,
        gclid is not null as has_gclid,
        device_category,
        device_operating_system,
        geo_country,
        geo_region,
        geo_city,
        platform,
        stream_id,
        transaction_id,
        purchase_revenue,
        event_value,
        total_item_quantity,
        case
            when purchase_revenue is not null or event_value is not null
                then coalesce(currency, '{{ var("reporting_currency") }}')
        end as currency,
        source_file_name,
        loaded_at
    from deduplicated

),

new_rows as (

    {{ jornada.incremental_new_rows('final', 'event_id') }}

)

select * from new_rows
