{{ config(materialized='view') }}

{%- set dlr = "trim(raw_dlr_done_date)" -%}
{%- set dlr_iso = dbt.concat([
    "'20'", "substr(" ~ dlr ~ ", 1, 2)", "'-'", "substr(" ~ dlr ~ ", 3, 2)", "'-'", "substr(" ~ dlr ~ ", 5, 2)",
    "' '", "substr(" ~ dlr ~ ", 7, 2)", "':'", "substr(" ~ dlr ~ ", 9, 2)", "':00'"
]) %}

with

source as (

    select * from {{ jornada.raw_source('twilio', 'status_callbacks') }}

),

parsed as (

    select
        message_sid as message_id,
        lower(trim(message_status)) as status,
        {{ jornada.safe_cast('error_code', 'integer') }} as error_code,
        {{ adapter.quote('to') }} as to_raw,
        {{ jornada.normalize_phone_br(adapter.quote('to')) }} as to_phone_e164_raw,
        account_sid as account_id,
        messaging_service_sid as messaging_service_id,
        case
            when length({{ dlr }}) = 10 then {{ jornada.iso_to_timestamp(dlr_iso) }}
        end as delivery_receipt_at,
        nullif(trim(callback_params__campaign_id), '') as campaign_id,
        nullif(trim(callback_params__ab_variant), '') as ab_variant,
        raw_dlr_done_date as raw_dlr_done_date_raw,
        error_code as error_code_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when message_id is null or trim(message_id) = '' then 'missing_id'
            when
                loaded_at is null
                or (raw_dlr_done_date_raw is not null and delivery_receipt_at is null)
                then 'unparseable_timestamp'
            when
                status is null
                or status not in (
                    'accepted', 'scheduled', 'queued', 'sending', 'sent', 'delivered', 'undelivered',
                    'failed', 'read', 'canceled', 'partially_delivered'
                )
                then 'unknown_status'
            when
                to_phone_e164_raw is null
                or (error_code_raw is not null and error_code is null)
                then 'invalid_value'
        end as quarantine_reason
    from parsed

)

select * from validated
