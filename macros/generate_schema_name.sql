{#
    Custom schemas are used as they are (`raw`, `staging`, `intermediate`,
    `marts`) instead of dbt's default `<target_schema>_<custom>`, so that BI
    tools see stable schema names on every target.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
