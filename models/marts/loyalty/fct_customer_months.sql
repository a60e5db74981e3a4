{#
    The customer base month by month: each customer person and local
    calendar month in which they were a customer at the month's start or
    at its end, with how they moved.

    A person is a customer at the end of a local date when
      - a billing subscription of theirs is running (MRR in
        int_subscriptions_mrr_monthly), or
      - their latest valid order is at most `churn_inactivity_days` local
        days old (exactly that many days is still a customer; one day more
        and they are lost) and was placed after their last subscription
        cancellation: a cancellation ends the customer relationship in its
        month, so orders of that month or before no longer count; a later
        order starts a new one (a reactivation).
    A subscription is cancelled in a month when the person had MRR at its
    start and none at its end (a plan change or a second subscription is not
    a cancellation).

    Status is judged at the end of each month (the export's last order date
    for the current, partial month); at the start of a month is at the end
    of the month before (for a person's first month: a subscription already
    running). Lost in the month: customer at its start and not at its end;
    the reason is `subscription_cancelled` when their subscription was
    cancelled in it, else `inactivity`. Active in the month: a valid order
    in it, or a subscription running at its end, and still a customer at
    its end (whoever cancelled in the month is lost, not active, even if
    they ordered).

    Months run from the person's first month as a customer to the month of
    the store export's latest order (the as-of month). A month's customer
    base at its start is only known when the order history reaches
    `churn_inactivity_days` + 1 days before it: `is_history_complete` is
    true from the month starting at least that long after the history's
    start (var `loyalty_order_history_start_date`, by default the export's
    earliest order); the KPIs report complete months only.
#}

with

orders as (

    select * from {{ ref('int_orders_enriched') }}

),

subscription_months as (

    select * from {{ ref('int_subscriptions_mrr_monthly') }}

),

as_of as (

    select
        max(order_date) as as_of_date,
        cast({{ dbt.date_trunc('month', 'max(order_date)') }} as date) as as_of_month,
        {%- if var('loyalty_order_history_start_date') %}
            cast('{{ var("loyalty_order_history_start_date") }}' as date) as history_start_date
        {%- else %}
            min(order_date) as history_start_date
        {%- endif %}
    from orders

),

valid_orders as (

    select
        person_id,
        order_date,
        cast({{ dbt.date_trunc('month', 'order_date') }} as date) as month_start,
        net_revenue
    from orders
    where
        is_valid_order
        and person_id is not null

),

order_months as (

    select
        person_id,
        month_start,
        count(*) as orders,
        sum(net_revenue) as net_revenue,
        max(order_date) as last_order_date
    from valid_orders
    group by person_id, month_start

),

first_orders as (

    select
        person_id,
        min(order_date) as first_order_date
    from valid_orders
    group by person_id

),

person_subscription_months as (

    select
        person_id,
        month_start,
        sum(mrr_start) > 0 as has_subscription_at_start,
        sum(mrr_end) > 0 as has_subscription_at_end
    from subscription_months
    where person_id is not null
    group by person_id, month_start

),

customer_event_months as (

    select
        person_id,
        month_start
    from order_months
    union all
    select
        person_id,
        month_start
    from person_subscription_months

),

person_first_months as (

    select
        person_id,
        min(month_start) as first_month
    from customer_event_months
    group by person_id

),

person_spine as (

    select
        person_first_months.person_id,
        person_first_months.first_month,
        {{ jornada.month_series('person_first_months.first_month', 'as_of.as_of_month') }} as month_at
    from person_first_months
    cross join as_of
    where person_first_months.first_month <= as_of.as_of_month

),

person_months as (

    select
        person_spine.person_id,
        person_spine.first_month,
        cast(person_spine.month_at as date) as month_start,
        as_of.as_of_date,
        as_of.history_start_date
    from person_spine
    cross join as_of

),

months_measured as (

    select
        person_months.person_id,
        person_months.first_month,
        person_months.month_start,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'person_months.month_start')) }} as date)
            as month_end_date,
        person_months.as_of_date,
        person_months.month_start >= cast(
            {{ dbt.dateadd('day', var('churn_inactivity_days') + 1, 'person_months.history_start_date') }} as date
        ) as is_history_complete,
        coalesce(order_months.orders, 0) as orders_in_month,
        coalesce(order_months.net_revenue, 0) as net_revenue_in_month,
        order_months.last_order_date as month_last_order_date,
        first_orders.first_order_date,
        coalesce(person_subscription_months.has_subscription_at_start, false) as has_subscription_at_start,
        coalesce(person_subscription_months.has_subscription_at_end, false) as has_subscription_at_end
    from person_months
    left join order_months
        on
            person_months.person_id = order_months.person_id
            and person_months.month_start = order_months.month_start
    left join first_orders
        on person_months.person_id = first_orders.person_id
    left join person_subscription_months
        on
            person_months.person_id = person_subscription_months.person_id
            and person_months.month_start = person_subscription_months.month_start

),

cancellations as (

    select
        *,
        least(month_end_date, as_of_date) as period_end_date,
        has_subscription_at_start and not has_subscription_at_end as is_subscription_cancelled
    from months_measured

),

running as (

    select
        *,
        max(month_last_order_date) over (
            partition by person_id
            order by month_start
            rows between unbounded preceding and current row
        ) as last_order_date,
        max(case when is_subscription_cancelled then month_start end) over (
            partition by person_id
            order by month_start
            rows between unbounded preceding and current row
        ) as last_cancelled_month
    from cancellations

),

inactivity as (

    select
        *,
        {{ dbt.datediff('last_order_date', 'period_end_date', 'day') }}
            as days_since_last_order,
        coalesce(
            last_order_date >= cast({{ dbt.dateadd('month', 1, 'last_cancelled_month') }} as date),
            true
        ) as is_order_after_cancellation
    from running

),

status_at_end as (

    select
        *,
        has_subscription_at_end
        or coalesce(
            is_order_after_cancellation
            and days_since_last_order <= {{ var('churn_inactivity_days') }},
            false
        ) as is_customer_at_end
    from inactivity

),

status_at_start as (

    select
        *,
        coalesce(
            lag(is_customer_at_end) over (partition by person_id order by month_start),
            has_subscription_at_start
        ) as is_customer_at_start
    from status_at_end

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "person_id", "'|'", "cast(month_start as " ~ dbt.type_string() ~ ")"
        ])) }} as customer_month_id,
        person_id,
        month_start,
        period_end_date,
        period_end_date < month_end_date as is_partial_month,
        is_history_complete,
        first_month as acquisition_month,
        cast(
            {{ dbt.datediff('first_month', 'month_start', 'month') }}
            as {{ dbt.type_bigint() }}
        ) as months_since_acquisition,
        is_customer_at_start,
        is_customer_at_end,
        not is_customer_at_start and month_start = first_month as is_new_customer,
        not is_customer_at_start and month_start > first_month as is_reactivated_customer,
        has_subscription_at_end or (orders_in_month > 0 and is_customer_at_end) as is_active_in_month,
        is_customer_at_start and not is_customer_at_end as is_lost_in_month,
        case
            when is_customer_at_start and not is_customer_at_end and is_subscription_cancelled
                then 'subscription_cancelled'
            when is_customer_at_start and not is_customer_at_end
                then 'inactivity'
        end as lost_reason,
        has_subscription_at_start,
        has_subscription_at_end,
        is_subscription_cancelled,
        cast(orders_in_month as {{ dbt.type_bigint() }}) as orders_in_month,
        cast(net_revenue_in_month as decimal(18, 2)) as net_revenue_in_month,
        '{{ var("reporting_currency") }}' as currency,
        first_order_date,
        coalesce(first_order_date <= period_end_date, false) as has_ordered_to_date,
        coalesce(first_order_date >= month_start and first_order_date <= period_end_date, false)
            as is_first_order_month,
        last_order_date,
        cast(days_since_last_order as {{ dbt.type_bigint() }}) as days_since_last_order
    from status_at_start
    where is_customer_at_start or is_customer_at_end

)

select * from final
