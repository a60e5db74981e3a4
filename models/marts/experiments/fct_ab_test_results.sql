{#
    A/B test results per variant against the campaign's control:

    - conversion_rate = conversions / recipients (safe_divide: null without
      recipients), click_rate = clickers / recipients, revenue per recipient;
    - absolute lift = rate - control rate, relative lift = absolute lift /
      control rate (null when the control rate is 0 or unknown);
    - two-proportion z with the pooled standard error (jornada.two_proportion_z)
      and its two-sided p-value (jornada.two_sided_p_value); significant when
      p < var ab_alpha. The control's own row has no lift, z or p and is
      never significant;
    - sample ratio mismatch: the variant's recipients against the share the
      catalog allocated it (allocation_share over the sum of the campaign's
      shares), one-sample binomial z = (n - N s) / sqrt(N s (1 - s)) and its
      two-sided p-value; mismatch when p < var ab_srm_alpha. With two
      variants this is the chi-square goodness-of-fit test (chi2 = z^2, 1 df).

    Lifts and z statistics are rounded to 6 decimals, p-values to 5 (the
    normal approximation is accurate to 1.5e-7); the flags use unrounded values.
#}

with

variants as (

    select * from {{ ref('fct_ab_test_variants') }}

),

variant_rates as (

    select
        *,
        {{ jornada.safe_divide('conversions', 'recipients') }} as conversion_rate,
        {{ jornada.safe_divide('clickers', 'recipients') }} as click_rate,
        {{ jornada.safe_divide('conversion_revenue', 'recipients') }} as revenue_per_recipient
    from variants

),

controls as (

    select
        campaign_id,
        variant as control_variant,
        recipients as control_recipients,
        conversions as control_conversions,
        conversion_rate as control_conversion_rate
    from variant_rates
    where is_control

),

campaign_totals as (

    select
        campaign_id,
        sum(recipients) as campaign_recipients,
        sum(allocation_share) as campaign_allocation_share
    from variants
    group by campaign_id

),

compared as (

    select
        variant_rates.*,
        controls.control_variant,
        controls.control_recipients,
        controls.control_conversions,
        controls.control_conversion_rate,
        campaign_totals.campaign_recipients,
        {{ jornada.safe_divide(
            'variant_rates.allocation_share', 'campaign_totals.campaign_allocation_share'
        ) }} as expected_share,
        case
            when not variant_rates.is_control
                then variant_rates.conversion_rate - controls.control_conversion_rate
        end as absolute_lift_unrounded,
        case
            when not variant_rates.is_control
                then {{ jornada.two_proportion_z(
                    'variant_rates.conversions', 'variant_rates.recipients',
                    'controls.control_conversions', 'controls.control_recipients',
                ) }}
        end as z_statistic_unrounded
    from variant_rates
    left join controls
        on variant_rates.campaign_id = controls.campaign_id
    inner join campaign_totals
        on variant_rates.campaign_id = campaign_totals.campaign_id

),

sample_ratio as (

    select
        *,
        campaign_recipients * expected_share as expected_recipients,
        case
            when campaign_recipients > 0 and expected_share > 0 and expected_share < 1
                then
                    (recipients - campaign_recipients * expected_share)
                    / sqrt(campaign_recipients * expected_share * (1 - expected_share))
        end as srm_z_statistic_unrounded
    from compared

),

tested as (

    select
        *,
        {{ jornada.two_sided_p_value('z_statistic_unrounded') }} as p_value_unrounded,
        {{ jornada.two_sided_p_value('srm_z_statistic_unrounded') }} as srm_p_value_unrounded
    from sample_ratio

),

final as (

    select
        campaign_variant_id,
        campaign_id,
        variant,
        channel,
        is_control,
        allocation_share,
        first_sent_at,
        first_send_date,
        conversion_window_days,
        recipients,
        conversions,
        cast(conversion_rate as {{ jornada.type_double() }}) as conversion_rate,
        clickers,
        cast(click_rate as {{ jornada.type_double() }}) as click_rate,
        conversion_orders,
        conversion_revenue,
        cast(revenue_per_recipient as decimal(18, 2)) as revenue_per_recipient,
        currency,
        control_variant,
        control_recipients,
        control_conversions,
        cast(control_conversion_rate as {{ jornada.type_double() }}) as control_conversion_rate,
        cast(round(absolute_lift_unrounded, 6) as {{ jornada.type_double() }}) as absolute_lift,
        cast(
            round({{ jornada.safe_divide('absolute_lift_unrounded', 'control_conversion_rate') }}, 6)
            as {{ jornada.type_double() }}
        ) as relative_lift,
        cast(round(z_statistic_unrounded, 6) as {{ jornada.type_double() }}) as z_statistic,
        cast(round(p_value_unrounded, 5) as {{ jornada.type_double() }}) as p_value,
        coalesce(p_value_unrounded < {{ var('ab_alpha') }}, false) as is_significant,
        multiple_variant_recipients,
        cast(campaign_recipients as {{ dbt.type_bigint() }}) as campaign_recipients,
        cast(round(expected_recipients, 6) as {{ jornada.type_double() }}) as expected_recipients,
        cast(round(srm_z_statistic_unrounded, 6) as {{ jornada.type_double() }}) as srm_z_statistic,
        cast(round(srm_p_value_unrounded, 5) as {{ jornada.type_double() }}) as srm_p_value,
        coalesce(srm_p_value_unrounded < {{ var('ab_srm_alpha') }}, false) as has_sample_ratio_mismatch
    from tested

)

select * from final
