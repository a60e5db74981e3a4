{#
    `<expression> in (<values>)` for a list held in a var, quoting text
    values and leaving numbers bare; an empty list renders `false`, so a
    team can empty a code list in dbt_project.yml without breaking the SQL.
    Used by the messaging models to classify vendor error codes and drop
    reasons (vars `messaging_hard_failure_error_codes`,
    `messaging_opt_out_errors`).
#}
{% macro messaging_value_in(expression, values) -%}
    {%- set rendered = [] -%}
    {%- for value in (values or []) -%}
        {%- if value is string -%}
            {%- do rendered.append("'" ~ value | replace("'", "''") ~ "'") -%}
        {%- else -%}
            {%- do rendered.append(value | string) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if rendered -%}
        {{ expression }} in ({{ rendered | join(', ') }})
    {%- else -%}
        false
    {%- endif -%}
{%- endmacro %}
