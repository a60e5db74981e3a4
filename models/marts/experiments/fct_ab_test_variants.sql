{#
    The intention-to-treat totals of every A/B test variant: every variant
    of the catalog, a variant nobody was sent included (0 recipients), for
    the tests of fct_ab_test_recipients (the campaigns with at least one
    recipient). The statistics are in fct_ab_test_results.
#}

with

recipients as (

    select * from {{ ref('fct_ab_test_recipients') }}

),

variants as (

    select * from {{ ref('stg_campaigns__variants') }}

),

ab_tests as (

    select
        campaign_id,
        max(channel) as channel,
        max(conversion_window_days) as conversion_window_days,
        min(first_sent_at) as first_sent_at
    from recipients
    group by campaign_id

),

variant_totals as (

    select
        campaign_id,
        variant,
        count(*) as recipients,
        sum(case when is_converted then 1 else 0 end) as conversions,
        sum(case when is_clicker then 1 else 0 end) as clickers,
        sum(conversion_orders) as conversion_orders,
        sum(conversion_revenue) as conversion_revenue,
        sum(case when has_multiple_variants then 1 else 0 end) as multiple_variant_recipients
    from recipients
    group by campaign_id, variant

),

final as (

    select
        variants.campaign_variant_id,
        variants.campaign_id,
        variants.variant,
        ab_tests.channel,
        variants.is_control,
        cast(variants.allocation_share as {{ jornada.type_double() }}) as allocation_share,
        ab_tests.first_sent_at,
        {{ jornada.to_business_date('ab_tests.first_sent_at') }} as first_send_date,
        cast(ab_tests.conversion_window_days as {{ dbt.type_bigint() }}) as conversion_window_days,
        cast(coalesce(variant_totals.recipients, 0) as {{ dbt.type_bigint() }}) as recipients,
        cast(coalesce(variant_totals.conversions, 0) as {{ dbt.type_bigint() }}) as conversions,
        cast(coalesce(variant_totals.clickers, 0) as {{ dbt.type_bigint() }}) as clickers,
        cast(coalesce(variant_totals.conversion_orders, 0) as {{ dbt.type_bigint() }}) as conversion_orders,
        cast(coalesce(variant_totals.conversion_revenue, 0) as decimal(18, 2)) as conversion_revenue,
        '{{ var("reporting_currency") }}' as currency,
        cast(coalesce(variant_totals.multiple_variant_recipients, 0) as {{ dbt.type_bigint() }})
            as multiple_variant_recipients
    from variants
    inner join ab_tests
        on variants.campaign_id = ab_tests.campaign_id
    left join variant_totals
        on
            variants.campaign_id = variant_totals.campaign_id
            and variants.variant = variant_totals.variant

)

select * from final
