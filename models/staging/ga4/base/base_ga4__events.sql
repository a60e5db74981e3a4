{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('ga4', 'events') }}

),

parsed as (

    select
        lower(trim(event_name)) as event_name,
        {{ jornada.safe_cast('event_timestamp', 'bigint') }} as event_timestamp_micros,
        {{ jornada.epoch_micros_to_timestamp('event_timestamp') }} as event_at,
        {{ jornada.epoch_micros_to_timestamp('event_previous_timestamp') }} as event_previous_at,
        {{ jornada.to_business_date(jornada.epoch_micros_to_timestamp('event_timestamp')) }} as event_date,
        nullif(trim(user_pseudo_id), '') as user_pseudo_id,
        nullif(trim(user_id), '') as user_id,
        {{ jornada.safe_cast('event_params__ga_session_id', 'bigint') }} as ga_session_id,
        {{ jornada.safe_cast('event_params__ga_session_number', 'integer') }} as ga_session_number,
        event_params__page_location as page_location,
        event_params__page_referrer as page_referrer,
        {{ jornada.safe_cast('event_params__engagement_time_msec', 'bigint') }} as engagement_time_msec,
        event_params__session_engaged = '1' as is_session_engaged,
        nullif(trim(event_params__source), '') as event_source,
        nullif(trim(event_params__medium), '') as event_medium,
        nullif(trim(event_params__campaign), '') as event_campaign,
        nullif(trim(collected_traffic_source__manual_source), '') as utm_source,
        nullif(trim(collected_traffic_source__manual_medium), '') as utm_medium,
        nullif(trim(collected_traffic_source__manual_campaign_name), '') as utm_campaign,
        nullif(trim(collected_traffic_source__manual_campaign_id), '') as utm_campaign_id,
        nullif(trim(collected_traffic_source__gclid), '') as gclid,
        nullif(trim(session_traffic_source_last_click__manual_campaign__source), '') as session_source,
        nullif(trim(session_traffic_source_last_click__manual_campaign__medium), '') as session_medium,
        nullif(trim(session_traffic_source_last_click__manual_campaign__campaign_name), '') as session_campaign,
        lower(trim(device__category)) as device_category,
        device__operating_system as device_operating_system,
        geo__country as geo_country,
        geo__region as geo_region,
        geo__city as geo_city,
        upper(trim(platform)) as platform,
        stream_id,
        nullif(trim(ecommerce__transaction_id), '') as transaction_id,
        {{ jornada.to_money('ecommerce__purchase_revenue') }} as purchase_revenue,
        {{ jornada.safe_cast('ecommerce__total_item_quantity', 'integer') }} as total_item_quantity,
        {{ jornada.to_money('event_params__value') }} as event_value,
        upper(trim(event_params__currency)) as currency,
        event_date as event_date_raw,
        event_timestamp as event_timestamp_raw,
        event_params__ga_session_id as ga_session_id_raw,
        event_params__engagement_time_msec as engagement_time_msec_raw,
        ecommerce__purchase_revenue as purchase_revenue_raw,
        event_params__value as event_value_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when user_pseudo_id is null then 'missing_id'
            when ga_session_id_raw is null or trim(ga_session_id_raw) = '' then 'missing_id'
            when event_name is null or event_name = '' then 'missing_id'
            when event_at is null then 'unparseable_timestamp'
            when ga_session_id is null then 'invalid_value'
            when engagement_time_msec_raw is not null and engagement_time_msec is null then 'invalid_value'
            when purchase_revenue_raw is not null and purchase_revenue is null then 'invalid_value'
            when event_value_raw is not null and event_value is null then 'invalid_value'
        end as quarantine_reason
    from parsed

)

select * from validated
