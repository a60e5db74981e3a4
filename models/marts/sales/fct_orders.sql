{#
    Every Shopify order with what the order KPIs need: validity (paid or
    refunded, not cancelled, not a test), net revenue (refunds subtracted,
    in the reporting currency), first or repeat order of the person,
    cross-sell lines, and the channel and campaign of the visit that led to
    the order (its landing channel, which the Sales KPIs are sliced by).
#}

with

orders as (

    select * from {{ ref('int_orders_enriched') }}

),

final as (

    select
        order_id,
        order_name,
        person_id,
        customer_id,
        checkout_id,
        created_at,
        order_date,
        financial_status,
        is_cancelled,
        is_test,
        is_valid_order,
        has_refund,
        cast(person_order_number as {{ dbt.type_bigint() }}) as person_order_number,
        is_valid_order and is_first_order as is_first_order,
        is_valid_order and not is_first_order as is_repeat_order,
        case
            when not is_valid_order then null
            when is_first_order then 'new'
            else 'repeat'
        end as customer_type,
        has_cross_sell_line,
        cast(line_items as {{ dbt.type_bigint() }}) as line_items,
        cast(items_quantity as {{ dbt.type_bigint() }}) as items_quantity,
        sales_channel,
        channel,
        campaign_id,
        currency,
        cast(gross_revenue as decimal(18, 2)) as gross_revenue,
        cast(refunded_amount as decimal(18, 2)) as refunded_amount,
        cast(net_revenue as decimal(18, 2)) as net_revenue,
        original_currency
    from orders

)

select * from final
