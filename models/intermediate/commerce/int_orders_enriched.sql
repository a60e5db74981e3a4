{#
    Shopify orders with what the Sales KPIs need: validity (paid or
    refunded, not cancelled, not a test; pending, authorized and voided
    orders are not orders), money in the reporting currency (refunds
    subtracted, never below zero), the person's order sequence among valid
    orders (historical orders included), cross-sell lines and the landing
    visit's channel and campaign.
#}

with

orders as (

    select * from {{ ref('stg_shopify__orders') }}

),

refunds as (

    select * from {{ ref('stg_shopify__refunds') }}

),

line_items as (

    select * from {{ ref('stg_shopify__order_line_items') }}

),

identity_nodes as (

    select * from {{ ref('int_identity_nodes_resolved') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_daily') }}

),

refunds_aggregated as (

    {#- Only successful refund transactions move money. -#}
    select
        order_id,
        count(*) as refunds,
        sum(refund_amount) as refunded_amount,
        max(created_at) as last_refunded_at
    from refunds
    where transaction_status = 'success'
    group by order_id

),

line_items_aggregated as (

    select
        order_id,
        count(*) as line_items,
        sum(quantity) as items_quantity,
        {{ dbt.bool_or('is_cross_sell') }} as has_cross_sell_line
    from line_items
    group by order_id

),

landing as (

    select
        *,
        {{ jornada.to_business_date('created_at') }} as order_date,
        landing_site like '%gclid=%' as has_landing_gclid,
        case
            when referring_site like '%instagram.%' then 'instagram'
            when referring_site like '%facebook.%' then 'facebook'
            when referring_site like '%tiktok.%' then 'tiktok'
            when referring_site like '%youtube.%' then 'youtube'
            when referring_site like '%linkedin.%' then 'linkedin'
            when referring_site like '%pinterest.%' then 'pinterest'
        end as referring_social_network
    from orders

),

joined as (

    select
        landing.*,
        identity_nodes.person_id,
        fx_rates.rate_to_reporting,
        coalesce(refunds_aggregated.refunds, 0) as refunds,
        coalesce(refunds_aggregated.refunded_amount, 0) as original_refunded_amount,
        refunds_aggregated.last_refunded_at,
        coalesce(line_items_aggregated.line_items, 0) as line_items,
        coalesce(line_items_aggregated.items_quantity, 0) as items_quantity,
        coalesce(line_items_aggregated.has_cross_sell_line, false) as has_cross_sell_line,
        case
            when landing.source_name = 'pos' then 'store'
            else {{ jornada.traffic_channel(
                'coalesce(landing.landing_utm_source, landing.referring_social_network)',
                'landing.landing_utm_medium',
                'landing.has_landing_gclid',
            ) }}
        end as traffic_channel,
        landing.financial_status in ('paid', 'partially_refunded', 'refunded')
        and not landing.is_cancelled
        and not landing.is_test as is_valid_order
    from landing
    left join identity_nodes
        on identity_nodes.node_key = {{ jornada.identity_node_key('store_customer', 'landing.customer_id') }}
    left join fx_rates
        on
            landing.order_date = fx_rates.rate_date
            and landing.currency = fx_rates.currency
    left join refunds_aggregated
        on landing.order_id = refunds_aggregated.order_id
    left join line_items_aggregated
        on landing.order_id = line_items_aggregated.order_id

),

converted as (

    select
        *,
        {{ jornada.to_reporting_currency('total_price', 'rate_to_reporting') }} as gross_revenue,
        {{ jornada.to_reporting_currency('original_refunded_amount', 'rate_to_reporting') }} as refunded_amount
    from joined

),

sequenced as (

    {#- Guests without a customer (no person) are each their own buyer. -#}
    select
        *,
        case
            when is_valid_order
                then row_number() over (
                    partition by is_valid_order, coalesce(person_id, order_id)
                    order by created_at, order_id
                )
        end as person_order_number,
        case
            when is_valid_order
                then lag(created_at) over (
                    partition by is_valid_order, coalesce(person_id, order_id)
                    order by created_at, order_id
                )
        end as previous_order_at
    from converted

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
        fulfillment_status,
        is_cancelled,
        cancelled_at,
        cancel_reason,
        is_test,
        is_valid_order,
        refunds > 0 as has_refund,
        person_order_number,
        coalesce(person_order_number = 1, false) as is_first_order,
        previous_order_at,
        source_name,
        channel as sales_channel,
        currency as original_currency,
        '{{ var("reporting_currency") }}' as currency,
        rate_to_reporting as fx_rate,
        total_price as original_gross_revenue,
        original_refunded_amount,
        gross_revenue,
        refunded_amount,
        case
            when gross_revenue - refunded_amount < 0 then cast(0 as decimal(18, 2))
            else cast(gross_revenue - refunded_amount as decimal(18, 2))
        end as net_revenue,
        refunds,
        last_refunded_at,
        line_items,
        items_quantity,
        has_cross_sell_line,
        landing_site,
        referring_site,
        landing_utm_source,
        landing_utm_medium,
        landing_utm_campaign,
        traffic_channel as channel,
        {{ jornada.traffic_campaign_id('landing_utm_campaign', 'traffic_channel') }} as campaign_id
    from sequenced

)

select * from final
