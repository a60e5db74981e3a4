{#
    Marketing spend and new customers per local calendar month, the inputs
    of customer_acquisition_cost. Spend is every paid platform's daily
    spend (ads, social boosts, email, SMS and WhatsApp sends) converted to
    the reporting currency; a new customer is a person whose first valid
    order falls in the month. Months before the spend export starts have
    new customers but no spend data (`has_spend_data` false): their CAC is
    unknown, not zero.
#}

with

spend as (

    select * from {{ ref('int_spend_daily_converted') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

spend_monthly as (

    select
        cast({{ dbt.date_trunc('month', 'spend_date') }} as date) as month_start,
        sum(amount) as marketing_spend,
        count(*) as spend_rows
    from spend
    group by cast({{ dbt.date_trunc('month', 'spend_date') }} as date)

),

new_customers_monthly as (

    select
        acquisition_month as month_start,
        count(*) as new_customers
    from customers
    group by acquisition_month

),

months as (

    select month_start from spend_monthly
    union
    select month_start from new_customers_monthly

),

final as (

    select
        months.month_start,
        spend_monthly.month_start is not null as has_spend_data,
        cast(coalesce(spend_monthly.marketing_spend, 0) as decimal(18, 2)) as marketing_spend,
        cast(coalesce(spend_monthly.spend_rows, 0) as {{ dbt.type_bigint() }}) as spend_rows,
        cast(coalesce(new_customers_monthly.new_customers, 0) as {{ dbt.type_bigint() }}) as new_customers,
        '{{ var("reporting_currency") }}' as currency
    from months
    left join spend_monthly
        on months.month_start = spend_monthly.month_start
    left join new_customers_monthly
        on months.month_start = new_customers_monthly.month_start

)

select * from final
