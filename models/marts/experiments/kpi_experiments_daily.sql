{#
    The Experiments KPI as long kpi_daily rows (macro `kpi_rows`):
    ab_conversion_rate = conversions / recipients of each A/B test, on the
    campaign's first send date (local), channel = the campaign's channel,
    campaign_id = the campaign. One row per variant (dimension `variant`)
    and one over all variants of the test (dimension `all`). A variant
    nobody was sent has denominator 0 and value null. Lift, z, p-value and
    significance stay in fct_ab_test_results (they are not ratios).
#}

with

results as (

    select * from {{ ref('fct_ab_test_results') }}

),

campaign_totals as (

    select
        campaign_id,
        channel,
        first_send_date,
        sum(conversions) as conversions,
        sum(recipients) as recipients
    from results
    group by campaign_id, channel, first_send_date

),

kpi_ab_conversion_rate_by_variant as (

    {{ jornada.kpi_rows(
        'results', 'ab_conversion_rate', 'experiments',
        numerator='conversions', denominator='recipients',
        metric_date='first_send_date',
        dimension="'variant'", dimension_value='variant',
    ) }}

),

kpi_ab_conversion_rate as (

    {{ jornada.kpi_rows(
        'campaign_totals', 'ab_conversion_rate', 'experiments',
        numerator='conversions', denominator='recipients',
        metric_date='first_send_date',
    ) }}

),

final as (

    select * from kpi_ab_conversion_rate
    union all
    select * from kpi_ab_conversion_rate_by_variant

)

select * from final
