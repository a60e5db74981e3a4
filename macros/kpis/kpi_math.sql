{#
    KPI building blocks, defined once and used by every mart. All dispatch
    or use only cross-database SQL, so the marts run on DuckDB and Spark.
#}

{# numerator / denominator as a float; null (never 0, never an error) when the denominator is 0 or null. #}
{% macro safe_divide(numerator, denominator) -%}
    case
        when ({{ denominator }}) is null or ({{ denominator }}) = 0 then null
        else cast(({{ numerator }}) as {{ jornada.type_double() }}) / ({{ denominator }})
    end
{%- endmacro %}

{# Continuous percentile (0 <= fraction <= 1) of an aggregate, interpolated like percentile_cont. #}
{% macro percentile(expression, fraction) -%}
    {{ return(adapter.dispatch('percentile', 'jornada')(expression, fraction)) }}
{%- endmacro %}

{% macro default__percentile(expression, fraction) -%}
    quantile_cont({{ expression }}, {{ fraction }})
{%- endmacro %}

{% macro spark__percentile(expression, fraction) -%}
    percentile({{ expression }}, {{ fraction }})
{%- endmacro %}

{% macro median(expression) -%}
    {{ jornada.percentile(expression, 0.5) }}
{%- endmacro %}

{# NPS category of a 0-10 score: promoter (9-10), passive (7-8), detractor (0-6). #}
{% macro nps_category(score) -%}
    case
        when {{ score }} is null then null
        when {{ score }} >= 9 then 'promoter'
        when {{ score }} >= 7 then 'passive'
        else 'detractor'
    end
{%- endmacro %}

{#
    Two-proportion z statistic of a variant (x1 conversions of n1) against
    control (x0 of n0), with the pooled standard error; null when it is
    undefined (no recipients, or a pooled rate of 0 or 1).
#}
{% macro two_proportion_z(x1, n1, x0, n0) -%}
    {%- set x1, n1, x0, n0 = '(' ~ x1 ~ ')', '(' ~ n1 ~ ')', '(' ~ x0 ~ ')', '(' ~ n0 ~ ')' -%}
    {%- set pooled = "(cast(" ~ x1 ~ " + " ~ x0 ~ " as " ~ jornada.type_double() ~ ") / (" ~ n1 ~ " + " ~ n0 ~ "))" -%}
    case
        when coalesce({{ n1 }}, 0) = 0 or coalesce({{ n0 }}, 0) = 0 then null
        when {{ pooled }} <= 0 or {{ pooled }} >= 1 then null
        else
            (cast({{ x1 }} as {{ jornada.type_double() }}) / {{ n1 }} - cast({{ x0 }} as {{ jornada.type_double() }}) / {{ n0 }})
            / sqrt({{ pooled }} * (1 - {{ pooled }}) * (1.0 / {{ n1 }} + 1.0 / {{ n0 }}))
    end
{%- endmacro %}

{#
    Upper tail 1 - Phi(z) of the standard normal for z >= 0, by the
    Abramowitz and Stegun 26.2.17 approximation (absolute error below
    7.5e-8), which needs only exp and sqrt, so it runs on every warehouse.
    Pass a column, not a long expression: z appears several times.
#}
{% macro normal_upper_tail(z) -%}
    {%- set t = "(1.0 / (1.0 + 0.2316419 * (" ~ z ~ ")))" -%}
    (exp(-0.5 * ({{ z }}) * ({{ z }})) / sqrt(2.0 * pi()))
    * {{ t }} * (0.319381530 + {{ t }} * (-0.356563782 + {{ t }} * (1.781477937
    + {{ t }} * (-1.821255978 + {{ t }} * 1.330274429))))
{%- endmacro %}

{# Standard normal cumulative distribution Phi(z), from the upper tail of |z|. #}
{% macro normal_cdf(z) -%}
    case
        when ({{ z }}) is null then null
        when ({{ z }}) >= 0 then 1.0 - {{ jornada.normal_upper_tail(z) }}
        else {{ jornada.normal_upper_tail('-(' ~ z ~ ')') }}
    end
{%- endmacro %}

{#
    Two-sided p-value of a z statistic: twice the upper tail of |z|,
    computed directly so that small p-values keep their digits; exactly 1
    at z = 0.
#}
{% macro two_sided_p_value(z) -%}
    case
        when ({{ z }}) is null then null
        when ({{ z }}) = 0 then 1.0
        else least(1.0, 2.0 * {{ jornada.normal_upper_tail('abs(' ~ z ~ ')') }})
    end
{%- endmacro %}
