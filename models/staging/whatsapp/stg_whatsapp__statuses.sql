{{
    config(
        materialized=jornada.incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='status_event_id',
        on_schema_change='fail',
    )
}}

with

base as (

    select * from {{ ref('base_whatsapp__statuses') }}
    where
        quarantine_reason is null
        and {{ jornada.incremental_loaded_since() }}

),

deduplicated as (

    {{ jornada.deduplicate('base', partition_by='message_id, status') }}

),

final as (

    select
        {{ dbt.hash(dbt.concat(["message_id", "'|'", "status"])) }} as status_event_id,
        message_id,
        status,
        occurred_at,
        'whatsapp' as channel,
        {{ jornada.hash_pii('recipient_phone_e164_raw') }} as phone_hash,
        campaign_id,
        ab_variant,
        conversation_id,
        conversation_expires_at,
        conversation_origin_type,
        is_billable,
        pricing_model,
        pricing_category,
        error_code,
        error_title,
        error_details,
        business_phone_number_id,
        source_file_name,
        loaded_at
    from deduplicated

),

new_rows as (

    {{ jornada.incremental_new_rows('final', 'status_event_id') }}

)

select * from new_rows
