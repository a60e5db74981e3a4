{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('whatsapp', 'messages') }}

),

parsed as (

    select
        id as message_id,
        {{ adapter.quote('from') }} as sender_wa_id_raw,
        {{ jornada.normalize_phone_br(adapter.quote('from')) }} as sender_phone_e164_raw,
        {{ jornada.epoch_seconds_to_timestamp('timestamp') }} as occurred_at,
        lower(trim(type)) as message_type,
        text__body as text_body_raw,
        button__text as button_text_raw,
        button__payload as button_payload,
        nullif(trim(context__id), '') as replied_to_message_id,
        contacts__profile__name as profile_name_raw,
        metadata__phone_number_id as business_phone_number_id,
        timestamp as timestamp_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when message_id is null or trim(message_id) = '' then 'missing_id'
            when occurred_at is null then 'unparseable_timestamp'
            when sender_phone_e164_raw is null then 'invalid_value'
        end as quarantine_reason
    from parsed

)

select * from validated
