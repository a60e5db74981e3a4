{#
    Persons who ever placed a valid order, with their order history to
    date. Guest orders without a customer (no person) are left out.
#}

with

orders as (

    select * from {{ ref('int_orders_enriched') }}

),

valid_orders as (

    select *
    from orders
    where
        is_valid_order
        and person_id is not null

),

aggregated as (

    select
        person_id,
        min(created_at) as first_order_at,
        max(created_at) as last_order_at,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date,
        count(*) as orders_to_date,
        count(distinct customer_id) as store_customers,
        sum(gross_revenue) as gross_revenue_to_date,
        sum(refunded_amount) as refunded_amount_to_date,
        sum(net_revenue) as net_revenue_to_date,
        sum(case when has_cross_sell_line then 1 else 0 end) as cross_sell_orders_to_date
    from valid_orders
    group by person_id

),

first_orders as (

    select
        person_id,
        order_id as first_order_id,
        channel as first_order_channel,
        campaign_id as first_order_campaign_id,
        net_revenue as first_order_net_revenue
    from valid_orders
    where is_first_order

),

final as (

    select
        aggregated.person_id,
        aggregated.first_order_at,
        aggregated.first_order_date,
        first_orders.first_order_id,
        first_orders.first_order_channel,
        first_orders.first_order_campaign_id,
        first_orders.first_order_net_revenue,
        aggregated.last_order_at,
        aggregated.last_order_date,
        aggregated.orders_to_date,
        aggregated.orders_to_date >= 2 as is_repeat_customer,
        aggregated.cross_sell_orders_to_date,
        aggregated.store_customers,
        aggregated.gross_revenue_to_date,
        aggregated.refunded_amount_to_date,
        aggregated.net_revenue_to_date,
        '{{ var("reporting_currency") }}' as currency
    from aggregated
    inner join first_orders
        on aggregated.person_id = first_orders.person_id

)

select * from final
