{# The whole raw row as JSON text, for quarantine rows. #}
{% macro row_to_json(relation_alias) -%}
    {{ return(adapter.dispatch('row_to_json', 'jornada')(relation_alias)) }}
{%- endmacro %}

{% macro default__row_to_json(relation_alias) -%}
    cast(to_json({{ relation_alias }}) as varchar)
{%- endmacro %}

{% macro spark__row_to_json(relation_alias) -%}
    to_json(struct({{ relation_alias }}.*))
{%- endmacro %}

{# Text to a decimal amount; unparseable gives null. #}
{% macro to_money(expression) -%}
    cast({{ dbt.safe_cast(expression, 'decimal(18, 4)') }} as decimal(18, 2))
{%- endmacro %}
