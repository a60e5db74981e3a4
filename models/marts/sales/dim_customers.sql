{#
    Customers: persons (identity graph) with at least one valid order,
    historical orders included. Acquisition is the first valid order: its
    local month, its landing channel, and the channel the selected
    attribution model (var `attribution_model`) credits for it, when an
    eligible touch exists (the touch with the largest credit; the latest
    one on ties).
#}

with

customers as (

    select * from {{ ref('int_customers_aggregated') }}

),

orders as (

    select * from {{ ref('int_orders_enriched') }}

),

credits as (

    select * from {{ ref('int_attribution_touches_credited') }}

),

second_orders as (

    select
        person_id,
        created_at as second_order_at,
        order_date as second_order_date
    from orders
    where
        is_valid_order
        and person_id is not null
        and person_order_number = 2

),

acquisition_touches as (

    select
        person_id,
        channel,
        campaign_id,
        credit,
        row_number() over (
            partition by person_id
            order by credit desc, touched_at desc, touchpoint_id desc
        ) as touch_rank
    from credits
    where
        attribution_model = '{{ var("attribution_model") }}'
        and conversion_type = 'first_order'
        and not is_unattributed
        and person_id is not null

),

final as (

    select
        customers.person_id,
        customers.first_order_id,
        customers.first_order_at,
        customers.first_order_date,
        cast({{ dbt.date_trunc('month', 'customers.first_order_date') }} as date) as acquisition_month,
        second_orders.second_order_at,
        second_orders.second_order_date,
        customers.last_order_at,
        customers.last_order_date,
        cast(customers.orders_to_date as {{ dbt.type_bigint() }}) as orders_to_date,
        customers.is_repeat_customer,
        cast(customers.cross_sell_orders_to_date as {{ dbt.type_bigint() }}) as cross_sell_orders_to_date,
        cast(customers.gross_revenue_to_date as decimal(18, 2)) as gross_revenue_to_date,
        cast(customers.refunded_amount_to_date as decimal(18, 2)) as refunded_amount_to_date,
        cast(customers.net_revenue_to_date as decimal(18, 2)) as net_revenue_to_date,
        customers.currency,
        customers.first_order_channel,
        customers.first_order_campaign_id,
        acquisition_touches.person_id is not null as is_acquisition_attributed,
        acquisition_touches.channel as acquisition_channel,
        acquisition_touches.campaign_id as acquisition_campaign_id,
        cast(acquisition_touches.credit as double) as acquisition_credit
    from customers
    left join second_orders
        on customers.person_id = second_orders.person_id
    left join acquisition_touches
        on
            customers.person_id = acquisition_touches.person_id
            and acquisition_touches.touch_rank = 1

)

select * from final
