{#
    One KPI as rows of kpi_daily's long format, from a relation (usually a
    CTE) that has the KPI's inputs. Every stage's kpi_<stage>_daily model
    builds its rows with this macro, so all of them share one shape:

      kpi_name, journey_stage, metric_date, period, channel, campaign_id,
      dimension, dimension_value, numerator, denominator, value

    - numerator / denominator: SQL expressions. A count passes
      denominator='1'. value defaults to safe_divide(numerator, denominator):
      null when the denominator is 0.
    - value: pass an expression only where the KPI is not a plain ratio
      (NPS is 100 x ratio; a median is not a ratio: numerator = the median,
      denominator = 1).
    - period: 'day' (default), 'week' (ISO week, metric_date its Monday),
      'month' (metric_date its first day), 'trailing_30d', 'to_date'.
    - channel: 'all' or a channel of the vocabulary; campaign_id: null for
      all campaigns; dimension / dimension_value: 'all' / 'all' for the
      headline row, else a breakdown ('bounce_type' / 'hard',
      'contact_reason' / 'billing', 'percentile' / 'p90', ...).
#}
{% macro kpi_rows(
    relation,
    kpi_name,
    journey_stage,
    numerator,
    denominator,
    value=none,
    metric_date='metric_date',
    period="'day'",
    channel='channel',
    campaign_id='campaign_id',
    dimension="'all'",
    dimension_value="'all'",
    where=none
) -%}
    select
        cast('{{ kpi_name }}' as {{ dbt.type_string() }}) as kpi_name,
        cast('{{ journey_stage }}' as {{ dbt.type_string() }}) as journey_stage,
        cast({{ metric_date }} as date) as metric_date,
        cast({{ period }} as {{ dbt.type_string() }}) as period,
        cast({{ channel }} as {{ dbt.type_string() }}) as channel,
        cast({{ campaign_id }} as {{ dbt.type_string() }}) as campaign_id,
        cast({{ dimension }} as {{ dbt.type_string() }}) as dimension,
        cast({{ dimension_value }} as {{ dbt.type_string() }}) as dimension_value,
        cast({{ numerator }} as {{ jornada.type_double() }}) as numerator,
        cast({{ denominator }} as {{ jornada.type_double() }}) as denominator,
        cast(
            {%- if value is none %} {{ jornada.safe_divide(numerator, denominator) }}
            {%- else %} {{ value }}
            {%- endif %} as {{ jornada.type_double() }}
        ) as value
    from {{ relation }}
    {%- if where is not none %}
        where {{ where }}
    {%- endif %}
{%- endmacro %}

{# The stages of kpi_daily, in catalog order; each has a kpi_<stage>_daily model. #}
{% macro kpi_journey_stages() %}
    {{ return(['attraction', 'messaging', 'sales', 'service', 'loyalty', 'experiments']) }}
{% endmacro %}

{# A Jinja value as a SQL text literal (quotes doubled, newlines folded), typed as a string. #}
{% macro string_literal(value) -%}
    cast('{{ value | string | replace("'", "''") | replace("\n", " ") | trim }}' as {{ dbt.type_string() }})
{%- endmacro %}
