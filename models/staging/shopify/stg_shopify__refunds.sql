with

base as (

    select * from {{ ref('base_shopify__refunds') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ jornada.deduplicate('base', partition_by='refund_id') }}

),

final as (

    select
        refund_id,
        order_id,
        created_at,
        processed_at,
        refund_amount,
        currency,
        transaction_id,
        transaction_kind,
        transaction_status,
        gateway,
        source_file_name,
        loaded_at,
        coalesce(is_restock, false) as is_restock,
        nullif(trim(note_raw), '') is not null as has_note
    from deduplicated

)

select * from final
