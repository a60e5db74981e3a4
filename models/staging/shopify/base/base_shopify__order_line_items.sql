{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('shopify', 'order_line_items') }}

),

parsed as (

    select
        nullif(trim(id), '') as order_line_item_id,
        nullif(trim(order_id), '') as order_id,
        nullif(trim(product_id), '') as product_id,
        nullif(trim(variant_id), '') as variant_id,
        sku,
        title,
        variant_title,
        vendor,
        {{ jornada.safe_cast('quantity', 'integer') }} as quantity,
        {{ jornada.to_money('price') }} as price,
        upper(trim(price_set__shop_money__currency_code)) as currency,
        {{ jornada.to_money('total_discount') }} as total_discount,
        properties,
        quantity as quantity_raw,
        total_discount as total_discount_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when order_line_item_id is null or order_id is null then 'missing_id'
            when
                quantity is null
                or quantity < 1
                or price is null
                or (total_discount is null and nullif(trim(total_discount_raw), '') is not null)
                then 'invalid_value'
            when price < 0 or total_discount < 0 then 'negative_amount'
        end as quarantine_reason
    from parsed

)

select * from validated
