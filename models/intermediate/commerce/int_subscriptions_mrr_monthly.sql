{#
    Stripe MRR per subscription and local calendar month.

    Each subscription item bills its monthly amount (unit amount x quantity
    x billing intervals per year / 12: an annual price / 12) from the local date it started (item created, not
    before the subscription started) to the local date it ended (replaced by
    a plan change, or the subscription ended). MRR at the start of a month
    counts the items running at its first instant (started before the 1st,
    not ended before the 1st); MRR at the end counts those running at the
    first instant of the next month, or at the export (`as of`) for the
    current month. Rows run from the subscription's first month to the month
    it ended, or to the as-of month while it runs; months where it had no
    MRR at either end (started and ended inside one month) are dropped.

    Counted: live-mode subscriptions that bill (`active`, `past_due`) or did
    bill until they ended (`canceled`). Trialing, incomplete, unpaid and
    paused ones are left out (the export has no history of when they
    stopped billing).

    Movements compare start and end in the original currency (so FX moves
    are not expansion) and look at the person's other subscriptions:
    new (person's first MRR ever), reactivation (the person had MRR in an
    earlier month, none at this month's start), expansion / contraction
    (more / less MRR, including a subscription added or ended while the
    person keeps another), churn (the person's last MRR ended), retained.
    Amounts are converted at the month's first-day rate.
#}

with

subscriptions as (

    select * from {{ ref('stg_stripe__subscriptions') }}

),

subscription_items as (

    select * from {{ ref('stg_stripe__subscription_items') }}

),

identity_nodes as (

    select * from {{ ref('int_identity_nodes_resolved') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_daily') }}

),

as_of as (

    select
        cast({{ dbt.date_trunc('month', jornada.to_business_date('max(loaded_at)')) }} as date) as as_of_month
    from subscriptions

),

billing_subscriptions as (

    select
        subscriptions.subscription_id,
        subscriptions.customer_id,
        subscriptions.status,
        subscriptions.plan_name,
        coalesce(subscriptions.started_at, subscriptions.created_at) as started_at,
        subscriptions.ended_at,
        coalesce(
            identity_nodes.person_id,
            {{ jornada.identity_node_key('billing_customer', 'subscriptions.customer_id') }}
        ) as person_key,
        identity_nodes.person_id
    from subscriptions
    left join identity_nodes
        on identity_nodes.node_key = {{ jornada.identity_node_key('billing_customer', 'subscriptions.customer_id') }}
    where
        subscriptions.is_livemode
        and subscriptions.status in ('active', 'past_due', 'canceled')

),

item_intervals as (

    select
        subscription_items.subscription_item_id,
        subscription_items.subscription_id,
        cast(
            subscription_items.unit_amount * subscription_items.quantity
            * case subscription_items.billing_interval
                when 'day' then 365
                when 'week' then 52
                when 'month' then 12
                when 'year' then 1
            end
            / (12.0 * coalesce(subscription_items.billing_interval_count, 1))
            as decimal(18, 2)
        ) as monthly_amount,
        subscription_items.currency,
        case
            when subscription_items.created_at < billing_subscriptions.started_at
                then billing_subscriptions.started_at
            else subscription_items.created_at
        end as item_started_at,
        coalesce(
            case
                when billing_subscriptions.ended_at < subscription_items.replaced_at
                    then billing_subscriptions.ended_at
                else subscription_items.replaced_at
            end,
            billing_subscriptions.ended_at,
            subscription_items.replaced_at,
            case when subscription_items.is_deleted then subscription_items.current_period_end_at end
        ) as item_ended_at
    from subscription_items
    inner join billing_subscriptions
        on subscription_items.subscription_id = billing_subscriptions.subscription_id

),

item_dates as (

    select
        subscription_item_id,
        subscription_id,
        monthly_amount,
        currency,
        {{ jornada.to_business_date('item_started_at') }} as valid_from_date,
        {{ jornada.to_business_date('item_ended_at') }} as valid_to_date
    from item_intervals

),

subscription_spans as (

    select
        item_dates.subscription_id,
        max(item_dates.currency) as currency,
        cast({{ dbt.date_trunc('month', 'min(item_dates.valid_from_date)') }} as date) as first_month,
        case
            when {{ dbt.bool_or('item_dates.valid_to_date is null') }} then max(as_of.as_of_month)
            else cast({{ dbt.date_trunc('month', 'max(item_dates.valid_to_date)') }} as date)
        end as last_month
    from item_dates
    cross join as_of
    group by item_dates.subscription_id

),

months as (

    {#- The months the FX calendar has a first-day rate for, per currency. -#}
    select
        rate_date as month_start,
        currency,
        rate_to_reporting
    from fx_rates
    where rate_date = cast({{ dbt.date_trunc('month', 'rate_date') }} as date)

),

subscription_months as (

    select
        subscription_spans.subscription_id,
        subscription_spans.currency,
        months.month_start,
        cast({{ dbt.dateadd('month', 1, 'months.month_start') }} as date) as next_month_start,
        months.rate_to_reporting
    from subscription_spans
    inner join months
        on
            subscription_spans.currency = months.currency
            and subscription_spans.first_month <= months.month_start
            and subscription_spans.last_month >= months.month_start

),

month_amounts as (

    select
        subscription_months.subscription_id,
        subscription_months.month_start,
        subscription_months.currency,
        subscription_months.rate_to_reporting,
        sum(
            case
                when
                    item_dates.valid_from_date < subscription_months.month_start
                    and (
                        item_dates.valid_to_date is null
                        or item_dates.valid_to_date >= subscription_months.month_start
                    )
                    then item_dates.monthly_amount
                else 0
            end
        ) as original_mrr_start,
        sum(
            case
                when
                    item_dates.valid_from_date < subscription_months.next_month_start
                    and (
                        item_dates.valid_to_date is null
                        or item_dates.valid_to_date >= subscription_months.next_month_start
                    )
                    then item_dates.monthly_amount
                else 0
            end
        ) as original_mrr_end
    from subscription_months
    inner join item_dates
        on subscription_months.subscription_id = item_dates.subscription_id
    group by
        subscription_months.subscription_id,
        subscription_months.month_start,
        subscription_months.currency,
        subscription_months.rate_to_reporting

),

with_mrr as (

    select
        month_amounts.*,
        billing_subscriptions.person_key,
        billing_subscriptions.person_id,
        billing_subscriptions.customer_id,
        billing_subscriptions.status,
        billing_subscriptions.plan_name
    from month_amounts
    inner join billing_subscriptions
        on month_amounts.subscription_id = billing_subscriptions.subscription_id
    where month_amounts.original_mrr_start > 0 or month_amounts.original_mrr_end > 0

),

person_context as (

    select
        *,
        sum(original_mrr_start) over (partition by person_key, month_start) - original_mrr_start
            as other_original_mrr_start,
        sum(original_mrr_end) over (partition by person_key, month_start) - original_mrr_end
            as other_original_mrr_end,
        min(case when original_mrr_end > 0 then month_start end) over (partition by person_key)
            as person_first_mrr_month
    from with_mrr

),

classified as (

    select
        *,
        case
            when original_mrr_start = 0 and month_start <= person_first_mrr_month then 'new'
            when original_mrr_start = 0 and other_original_mrr_start > 0 then 'expansion'
            when original_mrr_start = 0 then 'reactivation'
            when original_mrr_end = 0 and other_original_mrr_end > 0 then 'contraction'
            when original_mrr_end = 0 then 'churn'
            when original_mrr_end > original_mrr_start then 'expansion'
            when original_mrr_end < original_mrr_start then 'contraction'
            else 'retained'
        end as movement_type
    from person_context

),

converted as (

    select
        *,
        {{ jornada.to_reporting_currency('original_mrr_start', 'rate_to_reporting') }} as mrr_start,
        {{ jornada.to_reporting_currency('original_mrr_end', 'rate_to_reporting') }} as mrr_end
    from classified

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "converted.subscription_id", "'|'", "cast(converted.month_start as " ~ dbt.type_string() ~ ")"
        ])) }} as subscription_month_id,
        converted.subscription_id,
        converted.month_start,
        converted.person_id,
        converted.customer_id,
        converted.status,
        converted.plan_name,
        converted.month_start = as_of.as_of_month as is_partial_month,
        converted.movement_type,
        converted.mrr_start,
        converted.mrr_end,
        cast(converted.mrr_end - converted.mrr_start as decimal(18, 2)) as mrr_change,
        case
            when converted.movement_type = 'new' then converted.mrr_end else cast(0 as decimal(18, 2))
        end as new_mrr,
        case
            when converted.movement_type = 'reactivation' then converted.mrr_end else cast(0 as decimal(18, 2))
        end as reactivation_mrr,
        case
            when converted.movement_type = 'expansion'
                then cast(converted.mrr_end - converted.mrr_start as decimal(18, 2))
            else cast(0 as decimal(18, 2))
        end as expansion_mrr,
        case
            when converted.movement_type = 'contraction'
                then cast(converted.mrr_start - converted.mrr_end as decimal(18, 2))
            else cast(0 as decimal(18, 2))
        end as contraction_mrr,
        case
            when converted.movement_type = 'churn' then converted.mrr_start else cast(0 as decimal(18, 2))
        end as churned_mrr,
        '{{ var("reporting_currency") }}' as currency,
        converted.currency as original_currency,
        converted.rate_to_reporting as fx_rate,
        converted.original_mrr_start,
        converted.original_mrr_end
    from converted
    cross join as_of

)

select * from final
