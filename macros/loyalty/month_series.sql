{#
    One row per month from `start_month` to `end_month` (both first-of-month
    dates, both included): a set-returning select-list expression, to be the
    only one of its select and given an alias. DuckDB yields timestamps,
    Spark dates: cast the alias to date in the next step. Callers keep
    start_month <= end_month (Spark's sequence fails on a reversed range).

        select person_id, {{ jornada.month_series('first_month', 'last_month') }} as month_at
        from persons
#}
{% macro month_series(start_month, end_month) -%}
    {{ return(adapter.dispatch('month_series', 'jornada')(start_month, end_month)) }}
{%- endmacro %}

{% macro default__month_series(start_month, end_month) -%}
    unnest(generate_series(cast({{ start_month }} as date), cast({{ end_month }} as date), interval 1 month))
{%- endmacro %}

{% macro spark__month_series(start_month, end_month) -%}
    explode(sequence(cast({{ start_month }} as date), cast({{ end_month }} as date), interval 1 month))
{%- endmacro %}
