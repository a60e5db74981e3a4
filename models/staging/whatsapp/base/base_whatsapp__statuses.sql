{{ config(materialized='view') }}

{%- set callback_part_1 = dbt.split_part('biz_opaque_callback_data', "';'", 1) -%}
{%- set callback_part_2 = dbt.split_part('biz_opaque_callback_data', "';'", 2) %}

with

source as (

    select * from {{ jornada.raw_source('whatsapp', 'statuses') }}

),

parsed as (

    select
        id as message_id,
        lower(trim(status)) as status,
        {{ jornada.epoch_seconds_to_timestamp('timestamp') }} as occurred_at,
        recipient_id as recipient_wa_id_raw,
        {{ jornada.normalize_phone_br('recipient_id') }} as recipient_phone_e164_raw,
        case
            when {{ callback_part_1 }} like 'campaign_id=%'
                then nullif({{ dbt.split_part(callback_part_1, "'='", 2) }}, '')
            when {{ callback_part_2 }} like 'campaign_id=%'
                then nullif({{ dbt.split_part(callback_part_2, "'='", 2) }}, '')
        end as campaign_id,
        case
            when {{ callback_part_1 }} like 'ab_variant=%'
                then nullif({{ dbt.split_part(callback_part_1, "'='", 2) }}, '')
            when {{ callback_part_2 }} like 'ab_variant=%'
                then nullif({{ dbt.split_part(callback_part_2, "'='", 2) }}, '')
        end as ab_variant,
        biz_opaque_callback_data,
        nullif(trim(conversation__id), '') as conversation_id,
        {{ jornada.epoch_seconds_to_timestamp('conversation__expiration_timestamp') }} as conversation_expires_at,
        lower(trim(conversation__origin__type)) as conversation_origin_type,
        case lower(trim(pricing__billable))
            when 'true' then true
            when 'false' then false
        end as is_billable,
        pricing__billable as billable_raw,
        pricing__pricing_model as pricing_model,
        lower(trim(pricing__category)) as pricing_category,
        {{ jornada.safe_cast('errors__code', 'integer') }} as error_code,
        errors__title as error_title,
        errors__message as error_message,
        errors__error_data__details as error_details,
        metadata__phone_number_id as business_phone_number_id,
        timestamp as timestamp_raw,
        conversation__expiration_timestamp as conversation_expiration_raw,
        errors__code as error_code_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when message_id is null or trim(message_id) = '' then 'missing_id'
            when occurred_at is null then 'unparseable_timestamp'
            when status not in ('sent', 'delivered', 'read', 'failed') or status is null then 'unknown_status'
            when
                recipient_phone_e164_raw is null
                or (billable_raw is not null and is_billable is null)
                or (conversation_expiration_raw is not null and conversation_expires_at is null)
                or (error_code_raw is not null and error_code is null)
                then 'invalid_value'
        end as quarantine_reason
    from parsed

)

select * from validated
