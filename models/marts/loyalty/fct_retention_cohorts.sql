{#
    Monthly acquisition cohorts (persons by their first month as a
    customer) followed month by month up to the as-of month, every month
    present even when no member is left. retention_rate is the catalog's:
    members who were customers at the month's start and active in it /
    members who were customers at its start (null in the acquisition month,
    which no member starts as a customer, and when none is left);
    cohort_activity_rate is the classic cohort curve: members active in the
    month / cohort size. `is_history_complete` is the activity month's (see
    fct_customer_months); cohorts formed before the history is complete
    may hold returning customers the exports cannot tell apart.
#}

with

customer_months as (

    select * from {{ ref('fct_customer_months') }}

),

as_of as (

    select max(month_start) as as_of_month
    from customer_months

),

cohorts as (

    select
        acquisition_month as cohort_month,
        count(distinct person_id) as cohort_customers
    from customer_months
    group by acquisition_month

),

cohort_spine as (

    select
        cohorts.cohort_month,
        cohorts.cohort_customers,
        {{ jornada.month_series('cohorts.cohort_month', 'as_of.as_of_month') }} as month_at
    from cohorts
    cross join as_of

),

cohort_months as (

    select
        cohort_month,
        cohort_customers,
        cast(month_at as date) as activity_month
    from cohort_spine

),

month_flags as (

    select
        month_start as activity_month,
        {{ dbt.bool_or('is_history_complete') }} as is_history_complete
    from customer_months
    group by month_start

),

activity as (

    select
        acquisition_month as cohort_month,
        month_start as activity_month,
        sum(case when is_customer_at_start then 1 else 0 end) as customers_at_start,
        sum(case when is_customer_at_start and is_active_in_month then 1 else 0 end) as retained_customers,
        sum(case when is_active_in_month then 1 else 0 end) as active_customers,
        sum(case when is_lost_in_month then 1 else 0 end) as lost_customers,
        sum(case when is_customer_at_end then 1 else 0 end) as customers_at_end
    from customer_months
    group by acquisition_month, month_start

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "cast(cohort_months.cohort_month as " ~ dbt.type_string() ~ ")", "'|'",
            "cast(cohort_months.activity_month as " ~ dbt.type_string() ~ ")"
        ])) }} as cohort_month_id,
        cohort_months.cohort_month,
        cohort_months.activity_month,
        cast(
            {{ dbt.datediff('cohort_months.cohort_month', 'cohort_months.activity_month', 'month') }}
            as {{ dbt.type_bigint() }}
        ) as months_since_acquisition,
        coalesce(month_flags.is_history_complete, false) as is_history_complete,
        cast(cohort_months.cohort_customers as {{ dbt.type_bigint() }}) as cohort_customers,
        cast(coalesce(activity.customers_at_start, 0) as {{ dbt.type_bigint() }}) as customers_at_start,
        cast(coalesce(activity.retained_customers, 0) as {{ dbt.type_bigint() }}) as retained_customers,
        cast(coalesce(activity.active_customers, 0) as {{ dbt.type_bigint() }}) as active_customers,
        cast(coalesce(activity.lost_customers, 0) as {{ dbt.type_bigint() }}) as lost_customers,
        cast(coalesce(activity.customers_at_end, 0) as {{ dbt.type_bigint() }}) as customers_at_end,
        {{ jornada.safe_divide('activity.retained_customers', 'activity.customers_at_start') }} as retention_rate,
        {{ jornada.safe_divide('coalesce(activity.active_customers, 0)', 'cohort_months.cohort_customers') }}
            as cohort_activity_rate
    from cohort_months
    left join month_flags
        on cohort_months.activity_month = month_flags.activity_month
    left join activity
        on
            cohort_months.cohort_month = activity.cohort_month
            and cohort_months.activity_month = activity.activity_month

)

select * from final
