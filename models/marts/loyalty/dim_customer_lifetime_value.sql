{#
    Historical customer lifetime value per store customer (a person with a
    valid order): net revenue of every valid order to date (refunds
    subtracted), with the order history it comes from. Subscription
    billing is not order revenue and is not included (see mrr).
#}

with

customers as (

    select * from {{ ref('int_customers_aggregated') }}

),

final as (

    select
        person_id,
        first_order_date,
        cast({{ dbt.date_trunc('month', 'first_order_date') }} as date) as acquisition_month,
        first_order_channel as acquisition_channel,
        first_order_campaign_id as acquisition_campaign_id,
        last_order_date,
        cast(orders_to_date as {{ dbt.type_bigint() }}) as orders_to_date,
        is_repeat_customer,
        cast(gross_revenue_to_date as decimal(18, 2)) as gross_revenue_to_date,
        cast(refunded_amount_to_date as decimal(18, 2)) as refunded_amount_to_date,
        cast(net_revenue_to_date as decimal(18, 2)) as net_revenue_to_date,
        cast({{ jornada.safe_divide('net_revenue_to_date', 'orders_to_date') }} as decimal(18, 2))
            as average_ticket,
        currency
    from customers

)

select * from final
