{{
    config(
        materialized=jornada.incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='status_callback_id',
        on_schema_change='fail',
    )
}}

with

base as (

    select * from {{ ref('base_twilio__status_callbacks') }}
    where
        quarantine_reason is null
        and {{ jornada.incremental_loaded_since() }}

),

deduplicated as (

    {{ jornada.deduplicate('base', partition_by='message_id, status') }}

),

final as (

    select
        {{ dbt.hash(dbt.concat(["message_id", "'|'", "status"])) }} as status_callback_id,
        message_id,
        status,
        coalesce(delivery_receipt_at, loaded_at) as occurred_at,
        delivery_receipt_at is not null as has_delivery_receipt,
        delivery_receipt_at,
        'sms' as channel,
        {{ jornada.hash_pii('to_phone_e164_raw') }} as phone_hash,
        campaign_id,
        ab_variant,
        error_code,
        account_id,
        messaging_service_id,
        source_file_name,
        loaded_at
    from deduplicated

),

new_rows as (

    {{ jornada.incremental_new_rows('final', 'status_callback_id') }}

)

select * from new_rows
