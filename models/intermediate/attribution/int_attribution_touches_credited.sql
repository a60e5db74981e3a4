{#
    Multi-touch attribution across every channel at once.

    A touch is eligible for a conversion when it is the same person's, at or
    before the conversion and no older than its channel's lookback
    (var attribution_lookback_days). Every model of `attribution_models()`
    splits one unit of credit over the eligible touches of each conversion:

    - first_touch, last_touch: all of it to the earliest / latest touch;
    - last_non_direct: to the latest touch that is not direct traffic, or to
      the latest touch when every touch is direct;
    - linear: 1 / n to each;
    - time_decay: weight 0.5 ^ (age / half-life) (var
      attribution_half_life_days), normalised to sum to 1;
    - position_based: 40% first, 40% last, 20% shared by the middle (one
      touch: 100%; two: 50/50).

    Touches at the same instant are ordered by touchpoint_id, so results are
    deterministic. A conversion with no eligible touch gets one unattributed
    row (no touch, no channel) per model, so credits sum to exactly 1 for
    every conversion and attributed revenue adds up to real revenue.
#}

{%- set lookback_days = var('attribution_lookback_days') -%}
{%- set default_lookback_days = lookback_days.get('web', 30) -%}
{%- set half_life_seconds = var('attribution_half_life_days') * 86400 -%}

with

conversions as (

    select * from {{ ref('int_conversions_unioned') }}

),

touchpoints as (

    select * from {{ ref('int_touchpoints') }}
    where is_attributable

),

eligible_touches as (

    select
        conversions.conversion_id,
        conversions.conversion_type,
        conversions.person_id,
        conversions.converted_at,
        conversions.revenue,
        touchpoints.touchpoint_id,
        touchpoints.touchpoint_type,
        touchpoints.channel,
        touchpoints.campaign_id,
        touchpoints.occurred_at as touched_at,
        touchpoints.is_direct,
        {{ dbt.datediff(
            'touchpoints.occurred_at', 'conversions.converted_at', 'second'
        ) }} as seconds_before_conversion,
        case touchpoints.channel
            {%- for channel, days in lookback_days.items() %}
                when '{{ channel }}' then {{ days * 86400 }}
            {%- endfor %}
            else {{ default_lookback_days * 86400 }}
        end as lookback_seconds
    from conversions
    inner join touchpoints
        on
            conversions.person_id = touchpoints.person_id
            and conversions.converted_at >= touchpoints.occurred_at

),

in_lookback as (

    select *
    from eligible_touches
    where seconds_before_conversion <= lookback_seconds

),

positioned as (

    select
        *,
        row_number() over (
            partition by conversion_id
            order by touched_at asc, touchpoint_id asc
        ) as touch_position,
        count(*) over (partition by conversion_id) as path_touches,
        max(case when is_direct then 0 else 1 end) over (partition by conversion_id) as has_non_direct_touch,
        row_number() over (
            partition by conversion_id, is_direct
            order by touched_at desc, touchpoint_id desc
        ) as recency_rank_within_directness,
        power(0.5, seconds_before_conversion / {{ half_life_seconds }}.0) as decay_weight
    from in_lookback

),

weighted as (

    select
        *,
        sum(decay_weight) over (partition by conversion_id) as decay_weight_total
    from positioned

),

credited as (

    {% for attribution_model in jornada.attribution_models() %}
        select
            '{{ attribution_model }}' as attribution_model,
            touch_position,
            path_touches,
            {{ jornada.attribution_credit(attribution_model) }} as credit,
            conversion_id,
            conversion_type,
            person_id,
            converted_at,
            revenue,
            touchpoint_id,
            touchpoint_type,
            channel,
            campaign_id,
            touched_at,
            is_direct,
            seconds_before_conversion,
            false as is_unattributed
        from weighted
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

attributed as (

    select *
    from credited
    where credit > 0

),

unattributed as (

    {% for attribution_model in jornada.attribution_models() %}
        select
            '{{ attribution_model }}' as attribution_model,
            cast(null as {{ dbt.type_bigint() }}) as touch_position,
            cast(0 as {{ dbt.type_bigint() }}) as path_touches,
            cast(1 as {{ jornada.type_double() }}) as credit,
            conversions.conversion_id,
            conversions.conversion_type,
            conversions.person_id,
            conversions.converted_at,
            conversions.revenue,
            cast(null as {{ dbt.type_string() }}) as touchpoint_id,
            cast(null as {{ dbt.type_string() }}) as touchpoint_type,
            cast(null as {{ dbt.type_string() }}) as channel,
            cast(null as {{ dbt.type_string() }}) as campaign_id,
            cast(null as {{ dbt.type_timestamp() }}) as touched_at,
            cast(null as {{ dbt.type_boolean() }}) as is_direct,
            cast(null as {{ dbt.type_bigint() }}) as seconds_before_conversion,
            true as is_unattributed
        from conversions
        left join in_lookback
            on conversions.conversion_id = in_lookback.conversion_id
        where in_lookback.conversion_id is null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

unioned as (

    select * from attributed
    union all
    select * from unattributed

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "conversion_id", "'|'", "attribution_model", "'|'", "coalesce(touchpoint_id, 'unattributed')",
        ])) }} as attribution_credit_id,
        attribution_model,
        conversion_id,
        conversion_type,
        person_id,
        converted_at,
        {{ jornada.to_business_date('converted_at') }} as converted_date,
        touchpoint_id,
        touchpoint_type,
        channel,
        campaign_id,
        touched_at,
        {{ jornada.to_business_date('touched_at') }} as touched_date,
        is_direct,
        is_unattributed,
        seconds_before_conversion,
        touch_position,
        path_touches,
        credit,
        revenue,
        credit * revenue as attributed_revenue
    from unioned

)

select * from final
