{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('twilio', 'messages') }}

),

parsed as (

    select
        sid as message_id,
        account_sid as account_id,
        messaging_service_sid as messaging_service_id,
        lower(trim(direction)) as direction,
        lower(trim(status)) as status,
        {{ adapter.quote('from') }} as from_raw,
        {{ adapter.quote('to') }} as to_raw,
        {{ jornada.normalize_phone_br(
            "case when lower(trim(direction)) = 'inbound' then " ~ adapter.quote('from')
            ~ " else " ~ adapter.quote('to') ~ " end"
        ) }} as customer_phone_e164_raw,
        body as body_raw,
        {{ jornada.safe_cast('num_segments', 'integer') }} as num_segments,
        {{ jornada.safe_cast('num_media', 'integer') }} as num_media,
        {{ jornada.to_money('price') }} as price_amount_raw,
        upper(trim(price_unit)) as currency,
        {{ jornada.safe_cast('error_code', 'integer') }} as error_code,
        error_message,
        {{ jornada.rfc2822_to_timestamp('date_created') }} as created_at,
        {{ jornada.rfc2822_to_timestamp('date_sent') }} as sent_at,
        {{ jornada.rfc2822_to_timestamp('date_updated') }} as updated_at,
        date_created as date_created_raw,
        date_sent as date_sent_raw,
        date_updated as date_updated_raw,
        num_segments as num_segments_raw,
        num_media as num_media_raw,
        price as price_raw,
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
                created_at is null
                or (date_sent_raw is not null and sent_at is null)
                or (date_updated_raw is not null and updated_at is null)
                then 'unparseable_timestamp'
            when
                status is null
                or status not in (
                    'accepted', 'scheduled', 'queued', 'sending', 'sent', 'delivered', 'undelivered',
                    'failed', 'read', 'canceled', 'partially_delivered', 'receiving', 'received'
                )
                or direction is null
                or direction not in ('inbound', 'outbound-api', 'outbound-call', 'outbound-reply')
                then 'unknown_status'
            when
                customer_phone_e164_raw is null
                or (num_segments_raw is not null and num_segments is null)
                or (num_media_raw is not null and num_media is null)
                or (price_raw is not null and price_amount_raw is null)
                or (error_code_raw is not null and error_code is null)
                then 'invalid_value'
        end as quarantine_reason
    from parsed

)

select * from validated
