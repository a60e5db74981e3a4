with

base as (

    select * from {{ ref('base_shopify__order_line_items') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ jornada.deduplicate('base', partition_by='order_line_item_id') }}

),

offers as (

    select
        *,
        case
            when properties like '%"_offer"%' and properties like '%"cross_sell"%' then 'cross_sell'
            when properties like '%"_offer"%' and properties like '%"upsell"%' then 'upsell'
        end as offer_type
    from deduplicated

),

final as (

    select
        order_line_item_id,
        order_id,
        product_id,
        variant_id,
        sku,
        title,
        variant_title,
        vendor,
        quantity,
        price,
        total_discount,
        cast(price * quantity - coalesce(total_discount, 0) as decimal(18, 2)) as line_amount,
        currency,
        offer_type,
        source_file_name,
        loaded_at,
        offer_type is not null as is_cross_sell
    from offers

)

select * from final
