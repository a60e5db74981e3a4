{#
    The Sales KPIs as long kpi_daily rows, one CTE per KPI (macro
    `kpi_rows`), then union all.

    Daily KPIs have a row for every local date with any order or checkout
    (the calendar), so a date with orders but no checkouts has a
    cart_abandonment_rate row with denominator 0 and value null; checkout
    KPIs use the calendar between the first and last checkout date.
    Slices: channel 'all' and, for order KPIs, the order's landing channel
    (and channel x landing campaign), for cart_abandonment_rate the
    checkout's landing channel, for cart_recovery_rate the channel of the
    first recovery message; dimension `customer_type` (new / repeat order)
    for order KPIs and `movement_type` (churn / contraction) for
    mrr_churn_rate. Monthly KPIs have metric_date = the month's first day.
#}

with

orders as (

    select * from {{ ref('fct_orders') }}

),

checkouts as (

    select * from {{ ref('fct_checkouts') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

acquisition as (

    select * from {{ ref('fct_acquisition_monthly') }}

),

mrr_monthly as (

    select * from {{ ref('fct_mrr_monthly') }}

),

calendar as (

    select order_date as metric_date from orders
    union
    select checkout_date as metric_date from checkouts

),

valid_orders as (

    select * from orders
    where is_valid_order

),

-- Orders, revenue, average ticket and cross-sell: every calendar date for
-- all channels, then the channel, channel x campaign and customer type slices.
orders_daily as (

    select
        calendar.metric_date,
        'all' as channel,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        'all' as dimension,
        'all' as dimension_value,
        count(valid_orders.order_id) as orders,
        coalesce(sum(valid_orders.net_revenue), 0) as revenue,
        coalesce(sum(case when valid_orders.has_cross_sell_line then 1 else 0 end), 0) as cross_sell_orders
    from calendar
    left join valid_orders
        on calendar.metric_date = valid_orders.order_date
    group by calendar.metric_date

    union all

    select
        order_date as metric_date,
        channel,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        'all' as dimension,
        'all' as dimension_value,
        count(*) as orders,
        sum(net_revenue) as revenue,
        sum(case when has_cross_sell_line then 1 else 0 end) as cross_sell_orders
    from valid_orders
    group by order_date, channel

    union all

    select
        order_date as metric_date,
        channel,
        campaign_id,
        'all' as dimension,
        'all' as dimension_value,
        count(*) as orders,
        sum(net_revenue) as revenue,
        sum(case when has_cross_sell_line then 1 else 0 end) as cross_sell_orders
    from valid_orders
    where campaign_id is not null
    group by order_date, channel, campaign_id

    union all

    select
        order_date as metric_date,
        'all' as channel,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        'customer_type' as dimension,
        customer_type as dimension_value,
        count(*) as orders,
        sum(net_revenue) as revenue,
        sum(case when has_cross_sell_line then 1 else 0 end) as cross_sell_orders
    from valid_orders
    group by order_date, customer_type

),

checkout_range as (

    select
        min(checkout_date) as first_checkout_date,
        max(checkout_date) as last_checkout_date
    from checkouts

),

checkout_calendar as (

    select calendar.metric_date
    from calendar
    inner join checkout_range
        on calendar.metric_date between checkout_range.first_checkout_date and checkout_range.last_checkout_date

),

-- Checkouts by start date: all channels on every checkout date, then by landing channel.
abandonment_daily as (

    select
        checkout_calendar.metric_date,
        'all' as channel,
        coalesce(sum(case when checkouts.is_outcome_known then 1 else 0 end), 0) as decided_checkouts,
        coalesce(sum(case when checkouts.is_abandoned then 1 else 0 end), 0) as abandoned_checkouts
    from checkout_calendar
    left join checkouts
        on checkout_calendar.metric_date = checkouts.checkout_date
    group by checkout_calendar.metric_date

    union all

    select
        checkout_date as metric_date,
        channel,
        sum(case when is_outcome_known then 1 else 0 end) as decided_checkouts,
        sum(case when is_abandoned then 1 else 0 end) as abandoned_checkouts
    from checkouts
    group by checkout_date, channel

),

-- Abandoned checkouts that got a recovery message, by start date: all channels, then by message channel.
recovery_daily as (

    select
        checkout_calendar.metric_date,
        'all' as channel,
        coalesce(sum(
            case when checkouts.is_abandoned and checkouts.has_recovery_message then 1 else 0 end
        ), 0) as messaged_abandoned_checkouts,
        coalesce(sum(case when checkouts.is_recovered then 1 else 0 end), 0) as recovered_checkouts
    from checkout_calendar
    left join checkouts
        on checkout_calendar.metric_date = checkouts.checkout_date
    group by checkout_calendar.metric_date

    union all

    select
        checkout_date as metric_date,
        recovery_channel as channel,
        sum(case when is_abandoned then 1 else 0 end) as messaged_abandoned_checkouts,
        sum(case when is_recovered then 1 else 0 end) as recovered_checkouts
    from checkouts
    where has_recovery_message
    group by checkout_date, recovery_channel

),

-- Customers to date: persons whose first (second) valid order is on or before the date.
customer_events as (

    select
        first_order_date as metric_date,
        1 as new_customers,
        0 as new_repeat_customers
    from customers

    union all

    select
        second_order_date as metric_date,
        0 as new_customers,
        1 as new_repeat_customers
    from customers
    where second_order_date is not null

),

customer_events_daily as (

    select
        calendar.metric_date,
        coalesce(sum(customer_events.new_customers), 0) as new_customers,
        coalesce(sum(customer_events.new_repeat_customers), 0) as new_repeat_customers
    from calendar
    left join customer_events
        on calendar.metric_date = customer_events.metric_date
    group by calendar.metric_date

),

customers_to_date as (

    select
        metric_date,
        sum(new_customers) over (
            order by metric_date
            rows between unbounded preceding and current row
        ) as customers_to_date,
        sum(new_repeat_customers) over (
            order by metric_date
            rows between unbounded preceding and current row
        ) as repeat_customers_to_date
    from customer_events_daily

),

kpi_orders as (

    {{ jornada.kpi_rows(
        'orders_daily', 'orders', 'sales',
        numerator='orders', denominator='1',
        dimension='dimension', dimension_value='dimension_value',
    ) }}

),

kpi_revenue as (

    {{ jornada.kpi_rows(
        'orders_daily', 'revenue', 'sales',
        numerator='revenue', denominator='1',
        dimension='dimension', dimension_value='dimension_value',
    ) }}

),

kpi_average_ticket as (

    {{ jornada.kpi_rows(
        'orders_daily', 'average_ticket', 'sales',
        numerator='revenue', denominator='orders',
        dimension='dimension', dimension_value='dimension_value',
    ) }}

),

kpi_cart_abandonment_rate as (

    {{ jornada.kpi_rows(
        'abandonment_daily', 'cart_abandonment_rate', 'sales',
        numerator='abandoned_checkouts', denominator='decided_checkouts',
        campaign_id='null',
    ) }}

),

kpi_cart_recovery_rate as (

    {{ jornada.kpi_rows(
        'recovery_daily', 'cart_recovery_rate', 'sales',
        numerator='recovered_checkouts', denominator='messaged_abandoned_checkouts',
        campaign_id='null',
    ) }}

),

kpi_repurchase_rate as (

    {{ jornada.kpi_rows(
        'customers_to_date', 'repurchase_rate', 'sales',
        numerator='repeat_customers_to_date', denominator='customers_to_date',
        period="'to_date'", channel="'all'", campaign_id='null',
    ) }}

),

kpi_cross_sell_rate as (

    {{ jornada.kpi_rows(
        'orders_daily', 'cross_sell_rate', 'sales',
        numerator='cross_sell_orders', denominator='orders',
        dimension='dimension', dimension_value='dimension_value',
    ) }}

),

kpi_customer_acquisition_cost as (

    {{ jornada.kpi_rows(
        'acquisition', 'customer_acquisition_cost', 'sales',
        numerator='marketing_spend', denominator='new_customers',
        metric_date='month_start', period="'month'", channel="'all'", campaign_id='null',
        where='has_spend_data',
    ) }}

),

kpi_mrr as (

    {{ jornada.kpi_rows(
        'mrr_monthly', 'mrr', 'sales',
        numerator='mrr_end', denominator='1',
        metric_date='month_start', period="'month'", channel="'all'", campaign_id='null',
    ) }}

),

kpi_mrr_churn_rate as (

    {{ jornada.kpi_rows(
        'mrr_monthly', 'mrr_churn_rate', 'sales',
        numerator='churned_mrr + contraction_mrr', denominator='mrr_start',
        metric_date='month_start', period="'month'", channel="'all'", campaign_id='null',
    ) }}

    union all

    {{ jornada.kpi_rows(
        'mrr_monthly', 'mrr_churn_rate', 'sales',
        numerator='churned_mrr', denominator='mrr_start',
        metric_date='month_start', period="'month'", channel="'all'", campaign_id='null',
        dimension="'movement_type'", dimension_value="'churn'",
    ) }}

    union all

    {{ jornada.kpi_rows(
        'mrr_monthly', 'mrr_churn_rate', 'sales',
        numerator='contraction_mrr', denominator='mrr_start',
        metric_date='month_start', period="'month'", channel="'all'", campaign_id='null',
        dimension="'movement_type'", dimension_value="'contraction'",
    ) }}

),

final as (

    select * from kpi_orders
    union all
    select * from kpi_revenue
    union all
    select * from kpi_average_ticket
    union all
    select * from kpi_cart_abandonment_rate
    union all
    select * from kpi_cart_recovery_rate
    union all
    select * from kpi_repurchase_rate
    union all
    select * from kpi_cross_sell_rate
    union all
    select * from kpi_customer_acquisition_cost
    union all
    select * from kpi_mrr
    union all
    select * from kpi_mrr_churn_rate

)

select * from final
