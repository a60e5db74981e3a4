{#
    The customer base per local calendar month (from fct_customer_months)
    with the monthly Loyalty KPIs and the inputs of customer lifetime value.

    retention_rate = customers at the month's start who were active in it /
    customers at its start; churn_rate = customers lost in it / customers at
    its start (both null without customers at the start).

    Customer lifetime value counts store customers (persons with a valid
    order by the end of the period) and order revenue; subscription-only
    customers are in retention and churn but not in CLV.
    - Historical, to date: net revenue of all valid orders up to the
      period's end / store customers up to it.
    - Predicted, from the month's own figures: average ticket (net revenue
      / valid orders) x purchases per customer per year (valid orders /
      store customers in the month, scaled from the month's days to 365)
      x expected lifetime in years (1 / annual churn, the store customers'
      churn of the month compounded over 365 days) - acquisition cost
      (marketing spend of the month, all platforms / new store customers,
      i.e. first valid orders, of the month). Null when an input is
      unknown: no churn (an unbounded lifetime), no orders, no new
      customers, or a month the spend export does not cover (cost unknown,
      not zero).
#}

{%- set days_per_year = 365 -%}

with

customer_months as (

    select * from {{ ref('fct_customer_months') }}

),

spend as (

    select * from {{ ref('int_spend_daily_converted') }}

),

base_monthly as (

    select
        month_start,
        max(period_end_date) as period_end_date,
        {{ dbt.bool_or('is_history_complete') }} as is_history_complete,
        sum(case when is_customer_at_start then 1 else 0 end) as customers_at_start,
        sum(case when is_new_customer then 1 else 0 end) as new_customers,
        sum(case when is_reactivated_customer then 1 else 0 end) as reactivated_customers,
        sum(case when is_customer_at_start and is_active_in_month then 1 else 0 end) as retained_customers,
        sum(case when is_active_in_month then 1 else 0 end) as active_customers,
        sum(case when is_lost_in_month then 1 else 0 end) as lost_customers,
        sum(case when lost_reason = 'subscription_cancelled' then 1 else 0 end) as lost_to_cancellation,
        sum(case when lost_reason = 'inactivity' then 1 else 0 end) as lost_to_inactivity,
        sum(case when is_customer_at_end then 1 else 0 end) as customers_at_end,
        sum(case when has_ordered_to_date then 1 else 0 end) as store_customers,
        sum(
            case when is_customer_at_start and has_ordered_to_date and not is_first_order_month then 1 else 0 end
        ) as store_customers_at_start,
        sum(
            case when is_lost_in_month and has_ordered_to_date and not is_first_order_month then 1 else 0 end
        ) as store_customers_lost,
        sum(case when is_first_order_month then 1 else 0 end) as new_store_customers,
        sum(orders_in_month) as orders,
        sum(net_revenue_in_month) as net_revenue
    from customer_months
    group by month_start

),

spend_monthly as (

    select
        cast({{ dbt.date_trunc('month', 'spend_date') }} as date) as month_start,
        sum(amount) as marketing_spend
    from spend
    group by cast({{ dbt.date_trunc('month', 'spend_date') }} as date)

),

rates as (

    select
        base_monthly.*,
        {{ dbt.datediff('base_monthly.month_start', 'base_monthly.period_end_date', 'day') }}
        + 1 as days_in_period,
        spend_monthly.month_start is not null as has_spend_data,
        spend_monthly.marketing_spend,
        {{ jornada.safe_divide('base_monthly.retained_customers', 'base_monthly.customers_at_start') }}
            as retention_rate,
        {{ jornada.safe_divide('base_monthly.lost_customers', 'base_monthly.customers_at_start') }} as churn_rate,
        {{ jornada.safe_divide('base_monthly.net_revenue', 'base_monthly.orders') }} as average_ticket,
        {{ jornada.safe_divide('base_monthly.store_customers_lost', 'base_monthly.store_customers_at_start') }}
            as store_churn_rate,
        {{ jornada.safe_divide('spend_monthly.marketing_spend', 'base_monthly.new_store_customers') }}
            as acquisition_cost,
        sum(base_monthly.new_store_customers) over (
            order by base_monthly.month_start
            rows between unbounded preceding and current row
        ) as store_customers_to_date,
        sum(base_monthly.net_revenue) over (
            order by base_monthly.month_start
            rows between unbounded preceding and current row
        ) as net_revenue_to_date
    from base_monthly
    left join spend_monthly
        on base_monthly.month_start = spend_monthly.month_start

),

annualised as (

    select
        *,
        {{ jornada.safe_divide('orders * ' ~ days_per_year, '(store_customers * days_in_period)') }}
            as purchases_per_customer_year,
        1 - power(1 - store_churn_rate, {{ jornada.safe_divide(days_per_year, 'days_in_period') }})
            as annual_churn_rate
    from rates

),

predicted as (

    select
        *,
        {{ jornada.safe_divide(1, 'annual_churn_rate') }} as expected_lifetime_years
    from annualised

),

final as (

    select
        month_start,
        period_end_date,
        cast(days_in_period as {{ dbt.type_bigint() }}) as days_in_period,
        is_history_complete,
        cast(customers_at_start as {{ dbt.type_bigint() }}) as customers_at_start,
        cast(new_customers as {{ dbt.type_bigint() }}) as new_customers,
        cast(reactivated_customers as {{ dbt.type_bigint() }}) as reactivated_customers,
        cast(retained_customers as {{ dbt.type_bigint() }}) as retained_customers,
        cast(active_customers as {{ dbt.type_bigint() }}) as active_customers,
        cast(lost_customers as {{ dbt.type_bigint() }}) as lost_customers,
        cast(lost_to_cancellation as {{ dbt.type_bigint() }}) as lost_to_cancellation,
        cast(lost_to_inactivity as {{ dbt.type_bigint() }}) as lost_to_inactivity,
        cast(customers_at_end as {{ dbt.type_bigint() }}) as customers_at_end,
        cast(retention_rate as {{ jornada.type_double() }}) as retention_rate,
        cast(churn_rate as {{ jornada.type_double() }}) as churn_rate,
        cast(store_customers as {{ dbt.type_bigint() }}) as store_customers,
        cast(store_customers_at_start as {{ dbt.type_bigint() }}) as store_customers_at_start,
        cast(store_customers_lost as {{ dbt.type_bigint() }}) as store_customers_lost,
        cast(new_store_customers as {{ dbt.type_bigint() }}) as new_store_customers,
        cast(orders as {{ dbt.type_bigint() }}) as orders,
        cast(net_revenue as decimal(18, 2)) as net_revenue,
        cast(average_ticket as decimal(18, 2)) as average_ticket,
        cast(purchases_per_customer_year as {{ jornada.type_double() }}) as purchases_per_customer_year,
        cast(store_churn_rate as {{ jornada.type_double() }}) as store_churn_rate,
        cast(annual_churn_rate as {{ jornada.type_double() }}) as annual_churn_rate,
        cast(expected_lifetime_years as {{ jornada.type_double() }}) as expected_lifetime_years,
        has_spend_data,
        cast(marketing_spend as decimal(18, 2)) as marketing_spend,
        cast(acquisition_cost as decimal(18, 2)) as acquisition_cost,
        cast(
            average_ticket * purchases_per_customer_year * expected_lifetime_years - acquisition_cost
            as decimal(18, 2)
        ) as predicted_customer_lifetime_value,
        cast(store_customers_to_date as {{ dbt.type_bigint() }}) as store_customers_to_date,
        cast(net_revenue_to_date as decimal(18, 2)) as net_revenue_to_date,
        cast({{ jornada.safe_divide('net_revenue_to_date', 'store_customers_to_date') }} as decimal(18, 2))
            as historical_customer_lifetime_value,
        '{{ var("reporting_currency") }}' as currency
    from predicted

)

select * from final
