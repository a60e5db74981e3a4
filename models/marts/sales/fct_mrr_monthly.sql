{#
    Subscription MRR per local calendar month: MRR at the month's first
    instant and at its end (at the export for the current, partial month),
    and the movements between them, from the subscription-month rows of
    int_subscriptions_mrr_monthly (amounts normalised to a month there: an
    annual price counts 1/12).
    mrr_start + new + reactivation + expansion - contraction - churned = mrr_end.
#}

with

subscription_months as (

    select * from {{ ref('int_subscriptions_mrr_monthly') }}

),

aggregated as (

    select
        month_start,
        {{ dbt.bool_or('is_partial_month') }} as is_partial_month,
        sum(mrr_start) as mrr_start,
        sum(mrr_end) as mrr_end,
        sum(new_mrr) as new_mrr,
        sum(reactivation_mrr) as reactivation_mrr,
        sum(expansion_mrr) as expansion_mrr,
        sum(contraction_mrr) as contraction_mrr,
        sum(churned_mrr) as churned_mrr,
        sum(case when mrr_start > 0 then 1 else 0 end) as subscriptions_start,
        sum(case when mrr_end > 0 then 1 else 0 end) as subscriptions_end,
        count(distinct case when mrr_end > 0 then person_id end) as subscribers_end,
        sum(case when movement_type = 'churn' then 1 else 0 end) as churned_subscriptions
    from subscription_months
    group by month_start

),

final as (

    select
        month_start,
        is_partial_month,
        cast(mrr_start as decimal(18, 2)) as mrr_start,
        cast(mrr_end as decimal(18, 2)) as mrr_end,
        cast(new_mrr as decimal(18, 2)) as new_mrr,
        cast(reactivation_mrr as decimal(18, 2)) as reactivation_mrr,
        cast(expansion_mrr as decimal(18, 2)) as expansion_mrr,
        cast(contraction_mrr as decimal(18, 2)) as contraction_mrr,
        cast(churned_mrr as decimal(18, 2)) as churned_mrr,
        cast(churned_mrr + contraction_mrr as decimal(18, 2)) as lost_mrr,
        cast(mrr_end - mrr_start as decimal(18, 2)) as net_new_mrr,
        cast(subscriptions_start as {{ dbt.type_bigint() }}) as subscriptions_start,
        cast(subscriptions_end as {{ dbt.type_bigint() }}) as subscriptions_end,
        cast(subscribers_end as {{ dbt.type_bigint() }}) as subscribers_end,
        cast(churned_subscriptions as {{ dbt.type_bigint() }}) as churned_subscriptions,
        '{{ var("reporting_currency") }}' as currency
    from aggregated

)

select * from final
