with

base as (

    select * from {{ ref('base_twilio__messages') }}
    where quarantine_reason is null

),

deduplicated as (

    {# A resource export: when a message arrives in several exports, its latest state wins. #}
    {{ jornada.deduplicate(
        'base', partition_by='message_id', order_by='updated_at desc, loaded_at desc, source_file_name desc'
    ) }}

),

final as (

    select
        message_id,
        account_id,
        messaging_service_id,
        direction,
        direction = 'inbound' as is_inbound,
        status,
        'sms' as channel,
        {{ jornada.hash_pii('customer_phone_e164_raw') }} as phone_hash,
        created_at,
        sent_at,
        updated_at,
        num_segments,
        num_media,
        cast(0 - price_amount_raw as decimal(18, 2)) as price_amount,
        currency,
        error_code,
        error_message,
        length(body_raw) as body_length,
        coalesce(
            direction = 'inbound'
            and upper(trim(body_raw)) in (
                'STOP', 'SAIR', 'PARAR', 'CANCELAR', 'DESCADASTRAR'
            ),
            false
        ) as is_opt_out_keyword,
        source_file_name,
        loaded_at
    from deduplicated

)

select * from final
