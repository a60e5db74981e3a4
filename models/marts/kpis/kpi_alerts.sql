{#
    One row per alert: a KPI that left its expected band, a platform whose
    own numbers disagree with the events, channels claiming more
    conversions than there were orders. The rules of the KPI catalog:

    - engagement_drop: open, click-through or reply rate of a channel below
      its trailing mean by more than `alert_z` standard deviations;
    - opt_out_spike: unsubscribe or spam-complaint rate above it, same rule;
    - negative_feedback: negative-mention share, or the detractor share of
      NPS answers (reported under kpi nps), above its trailing band;
    - platform_divergence: a platform's reported count differs from the
      event-level count by more than `divergence_tolerance`;
    - conversion_over_claim: conversions the channels claim by their own
      rules exceed the real orders of the day by more than the tolerance.

    The trailing band of a day is the mean and sample standard deviation of
    the KPI's daily values over the `alert_trailing_days` days before it (at
    least `alert_min_history_days` of them). Severity is error from
    `alert_error_z` standard deviations on, or for a platform divergence of
    more than 5x the tolerance; else warn. Over-claiming is structural in
    multi-touch journeys (every channel counts the orders it touched), so it
    is always a warning.
#}

{%- set band_rules = [
    ('open_rate', 'engagement_drop', 'below'),
    ('click_through_rate', 'engagement_drop', 'below'),
    ('reply_rate', 'engagement_drop', 'below'),
    ('unsubscribe_rate', 'opt_out_spike', 'above'),
    ('spam_complaint_rate', 'opt_out_spike', 'above'),
    ('negative_mention_share', 'negative_feedback', 'above'),
] -%}

{{ config(contract={'enforced': true}) }}

with

kpis as (

    select * from {{ ref('kpi_daily') }}

),

survey_responses as (

    select * from {{ ref('fct_survey_responses') }}

),

platform_divergences as (

    select * from {{ ref('fct_platform_report_divergences') }}

),

conversion_claims as (

    select * from {{ ref('fct_channel_conversion_claims') }}

),

rules as (

    {% for kpi_name, alert_rule, direction in band_rules %}
        select
            '{{ kpi_name }}' as kpi_name,
            '{{ alert_rule }}' as alert_rule,
            '{{ direction }}' as direction
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

kpi_values as (

    select
        kpis.kpi_name,
        kpis.kpi_name as alert_signal,
        kpis.journey_stage,
        kpis.channel,
        kpis.metric_date,
        kpis.value as daily_value,
        rules.alert_rule,
        rules.direction
    from kpis
    inner join rules
        on kpis.kpi_name = rules.kpi_name
    where
        kpis.period = 'day'
        and kpis.campaign_id is null
        and kpis.dimension = 'all'
        and kpis.value is not null

),

detractor_shares as (

    select
        'nps' as kpi_name,
        'detractor_share' as alert_signal,
        'loyalty' as journey_stage,
        'all' as channel,
        response_date as metric_date,
        {{ jornada.safe_divide('sum(case when is_detractor then 1 else 0 end)', 'count(*)') }} as daily_value,
        'negative_feedback' as alert_rule,
        'above' as direction
    from survey_responses
    where survey_type = 'nps'
    group by response_date

),

daily_values as (

    select * from kpi_values
    union all
    select * from detractor_shares

),

trailing_bands as (

    select
        day_checked.alert_signal,
        day_checked.channel,
        day_checked.metric_date,
        avg(prior_day.daily_value) as expected_value,
        stddev_samp(prior_day.daily_value) as value_stddev,
        count(prior_day.daily_value) as history_days
    from daily_values as day_checked
    inner join daily_values as prior_day
        on
            day_checked.alert_signal = prior_day.alert_signal
            and day_checked.channel = prior_day.channel
            and day_checked.metric_date > prior_day.metric_date
            and {{ dbt.dateadd(
                'day', -1 * var('alert_trailing_days'), 'day_checked.metric_date'
            ) }} <= prior_day.metric_date
    group by day_checked.alert_signal, day_checked.channel, day_checked.metric_date

),

scored as (

    select
        daily_values.*,
        trailing_bands.expected_value,
        trailing_bands.value_stddev,
        trailing_bands.history_days,
        {{ jornada.safe_divide(
            'daily_values.daily_value - trailing_bands.expected_value', 'trailing_bands.value_stddev'
        ) }} as z_score
    from daily_values
    inner join trailing_bands
        on
            daily_values.alert_signal = trailing_bands.alert_signal
            and daily_values.channel = trailing_bands.channel
            and daily_values.metric_date = trailing_bands.metric_date
    where trailing_bands.history_days >= {{ var('alert_min_history_days') }}

),

band_alerts as (

    select
        alert_rule,
        kpi_name,
        alert_signal,
        cast(null as {{ dbt.type_string() }}) as source_id,
        journey_stage,
        channel,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        metric_date,
        daily_value as observed_value,
        expected_value,
        expected_value - {{ var('alert_z') }} * value_stddev as band_lower,
        expected_value + {{ var('alert_z') }} * value_stddev as band_upper,
        z_score,
        case when abs(z_score) >= {{ var('alert_error_z') }} then 'error' else 'warn' end as severity
    from scored
    where
        (direction = 'below' and z_score <= -{{ var('alert_z') }})
        or (direction = 'above' and z_score >= {{ var('alert_z') }})

),

divergence_alerts as (

    select
        'platform_divergence' as alert_rule,
        case metric
            when 'sent' then 'delivery_rate'
            when 'delivered' then 'delivery_rate'
            when 'opens' then 'open_rate'
            when 'clicks' then 'click_through_rate'
            when 'bounces' then 'bounce_rate'
            when 'unsubscribes' then 'unsubscribe_rate'
            when 'spam_reports' then 'spam_complaint_rate'
            else metric
        end as kpi_name,
        {{ dbt.concat(["platform", "'.'", "metric"]) }} as alert_signal,
        report_id as source_id,
        'messaging' as journey_stage,
        channel,
        campaign_id,
        report_date as metric_date,
        reported_count as observed_value,
        event_count as expected_value,
        event_count * (1 - {{ var('divergence_tolerance') }}) as band_lower,
        event_count * (1 + {{ var('divergence_tolerance') }}) as band_upper,
        cast(null as {{ jornada.type_double() }}) as z_score,
        case
            when relative_difference > 5 * {{ var('divergence_tolerance') }} then 'error'
            else 'warn'
        end as severity
    from platform_divergences
    where is_divergent

),

daily_claims as (

    select
        order_date,
        max(all_channel_claimed_orders) as claimed_orders,
        max(real_orders) as real_orders
    from conversion_claims
    where campaign_id is null
    group by order_date

),

over_claim_alerts as (

    select
        'conversion_over_claim' as alert_rule,
        'channel_conversion_rate' as kpi_name,
        'claimed_orders' as alert_signal,
        cast(null as {{ dbt.type_string() }}) as source_id,
        'messaging' as journey_stage,
        'all' as channel,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        order_date as metric_date,
        claimed_orders as observed_value,
        real_orders as expected_value,
        cast(0 as {{ jornada.type_double() }}) as band_lower,
        real_orders * (1 + {{ var('divergence_tolerance') }}) as band_upper,
        cast(null as {{ jornada.type_double() }}) as z_score,
        'warn' as severity
    from daily_claims
    where claimed_orders > real_orders * (1 + {{ var('divergence_tolerance') }})

),

all_alerts as (

    select * from band_alerts
    union all
    select * from divergence_alerts
    union all
    select * from over_claim_alerts

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "alert_rule", "'|'", "alert_signal", "'|'", "coalesce(source_id, '')", "'|'", "channel", "'|'",
            "coalesce(campaign_id, '')", "'|'", "cast(metric_date as " ~ dbt.type_string() ~ ")",
        ])) }} as alert_id,
        alert_rule,
        kpi_name,
        alert_signal,
        source_id,
        journey_stage,
        channel,
        campaign_id,
        metric_date,
        cast(observed_value as {{ jornada.type_double() }}) as observed_value,
        cast(expected_value as {{ jornada.type_double() }}) as expected_value,
        cast(band_lower as {{ jornada.type_double() }}) as band_lower,
        cast(band_upper as {{ jornada.type_double() }}) as band_upper,
        cast(z_score as {{ jornada.type_double() }}) as z_score,
        severity
    from all_alerts

)

select * from final
