{#
    The one long table every dashboard can use: every KPI of the catalog as
    rows (kpi_name, journey_stage, metric_date, period, channel,
    campaign_id, dimension, dimension_value, numerator, denominator, value),
    the union of the six kpi_<stage>_daily models. One row per KPI, date,
    period, channel, campaign and breakdown (kpi_daily_id).
#}

{{ config(contract={'enforced': true}) }}

with

{% for stage in jornada.kpi_journey_stages() %}
    {{ stage }}_kpis as (

        select * from {{ ref('kpi_' ~ stage ~ '_daily') }}

    ),
{% endfor %}

unioned as (

    {% for stage in jornada.kpi_journey_stages() %}
        select * from {{ stage }}_kpis
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "kpi_name", "'|'", "cast(metric_date as " ~ dbt.type_string() ~ ")", "'|'", "period", "'|'",
            "channel", "'|'", "coalesce(campaign_id, '')", "'|'", "dimension", "'|'", "dimension_value",
        ])) }} as kpi_daily_id,
        kpi_name,
        journey_stage,
        metric_date,
        period,
        channel,
        campaign_id,
        dimension,
        dimension_value,
        numerator,
        denominator,
        value
    from unioned

)

select * from final
