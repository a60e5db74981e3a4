{# The whole raw row as JSON text, for quarantine rows. #}
{% macro row_to_json(relation_alias) -%}
    {{ return(adapter.dispatch('row_to_json', 'jornada')(relation_alias)) }}
{%- endmacro %}

{% macro default__row_to_json(relation_alias) -%}
    cast(to_json({{ relation_alias }}) as varchar)
{%- endmacro %}

{# Null fields kept (Spark drops them by default), so the text matches DuckDB's. #}
{% macro spark__row_to_json(relation_alias) -%}
    to_json(struct({{ relation_alias }}.*), map('ignoreNullFields', 'false'))
{%- endmacro %}

{#
    Cast that gives null instead of an error on input it cannot read, so base
    models can quarantine the row. (dbt's own `dbt.safe_cast` is a plain,
    failing cast on dbt-duckdb.)
#}
{% macro safe_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('safe_cast', 'jornada')(expression, data_type)) }}
{%- endmacro %}

{% macro default__safe_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{# Text to a decimal amount; unparseable gives null. #}
{% macro to_money(expression) -%}
    cast({{ jornada.safe_cast(expression, 'decimal(18, 4)') }} as decimal(18, 2))
{%- endmacro %}

{#
    8-byte floating point. dbt's type_float() is a 4-byte `float` on DuckDB,
    too coarse for credits and rates that must add up to exactly 1.
#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'jornada')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double
{%- endmacro %}

{#
    Put after `<cte name> as` for a CTE that several later CTEs read but that is
    cheaper to compute again than to hold: DuckDB otherwise materialises such a
    CTE (every row, every column) before the query goes on. Other adapters
    inline CTEs already and get nothing.
#}
{% macro cte_not_materialized() -%}
    {{ return(adapter.dispatch('cte_not_materialized', 'jornada')()) }}
{%- endmacro %}

{% macro default__cte_not_materialized() -%}
{%- endmacro %}

{% macro duckdb__cte_not_materialized() -%}
    not materialized
{%- endmacro %}
