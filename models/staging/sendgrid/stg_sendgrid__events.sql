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

    select * from {{ ref('base_sendgrid__events') }}
    where
        quarantine_reason is null
        and {{ jornada.incremental_loaded_since() }}

),

deduplicated as (

    {{ jornada.deduplicate('base', partition_by='event_id') }}

),

final as (

    select
        event_id,
        sg_message_id,
        event_type,
        occurred_at,
        'email' as channel,
        {{ jornada.hash_pii(jornada.normalize_email('email_raw')) }} as email_hash,
        campaign_id,
        ab_variant,
        category,
        url,
        user_agent,
        case bounce_type_raw
            when 'bounce' then 'hard'
            when 'blocked' then 'soft'
        end as bounce_type,
        bounce_reason,
        bounce_classification,
        smtp_status as smtp_status_code,
        smtp_response,
        delivery_attempt,
        coalesce(is_machine_open, false) as is_machine_open,
        unsubscribe_group_id,
        source_file_name,
        loaded_at
    from deduplicated

),

new_rows as (

    {{ jornada.incremental_new_rows('final', 'event_id') }}

)

select * from new_rows
