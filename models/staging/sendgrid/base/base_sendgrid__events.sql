{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('sendgrid', 'events') }}

),

parsed as (

    select
        sg_event_id as event_id,
        sg_message_id,
        lower(trim(event)) as event_type,
        {{ jornada.epoch_seconds_to_timestamp('timestamp') }} as occurred_at,
        email as email_raw,
        nullif(trim(campaign_id), '') as campaign_id,
        nullif(trim(ab_variant), '') as ab_variant,
        category,
        url,
        useragent as user_agent,
        type as bounce_type_raw,
        reason as bounce_reason,
        bounce_classification,
        status as smtp_status,
        response as smtp_response,
        {{ jornada.safe_cast('attempt', 'integer') }} as delivery_attempt,
        lower(sg_machine_open) = 'true' as is_machine_open,
        {{ jornada.safe_cast('asm_group_id', 'integer') }} as unsubscribe_group_id,
        timestamp as timestamp_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when event_id is null or trim(event_id) = '' then 'missing_id'
            when occurred_at is null then 'unparseable_timestamp'
            when event_type not in (
                'processed', 'delivered', 'deferred', 'bounce', 'dropped', 'open',
                'click', 'spamreport', 'unsubscribe', 'group_unsubscribe'
            ) or event_type is null then 'unknown_status'
        end as quarantine_reason
    from parsed

)

select * from validated
