{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('shopify', 'refunds') }}

),

parsed as (

    select
        nullif(trim(id), '') as refund_id,
        nullif(trim(order_id), '') as order_id,
        {{ jornada.iso_to_timestamp('created_at') }} as created_at,
        {{ jornada.iso_to_timestamp('processed_at') }} as processed_at,
        note as note_raw,
        lower(restock) = 'true' as is_restock,
        nullif(trim(transactions__id), '') as transaction_id,
        lower(trim(transactions__kind)) as transaction_kind,
        lower(trim(transactions__status)) as transaction_status,
        transactions__gateway as gateway,
        {{ jornada.to_money('transactions__amount') }} as refund_amount,
        upper(trim(transactions__currency)) as currency,
        created_at as created_at_raw,
        processed_at as processed_at_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when refund_id is null or order_id is null then 'missing_id'
            when
                created_at is null
                or (processed_at is null and nullif(trim(processed_at_raw), '') is not null)
                then 'unparseable_timestamp'
            when
                transaction_kind not in ('refund')
                or transaction_status not in ('pending', 'failure', 'success', 'error')
                then 'unknown_status'
            when refund_amount is null then 'invalid_value'
            when refund_amount < 0 then 'negative_amount'
        end as quarantine_reason
    from parsed

)

select * from validated
