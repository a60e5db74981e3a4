{#
    Small helpers shared by the data-quality generic tests in this folder
    (duplicate_events_within_window, divergence_between, funnel_order,
    recency_within). They only shape SQL text; nothing here runs a query.
#}

{# A single string becomes a one-item list; none becomes an empty list. #}
{% macro dq_as_list(value) -%}
    {%- if value is none -%}
        {{ return([]) }}
    {%- elif value is string -%}
        {{ return([value]) }}
    {%- else -%}
        {{ return(value | list) }}
    {%- endif -%}
{%- endmacro %}

{#
    Output column name for an expression: the expression itself when it is a
    plain column name (so stored failures read naturally), else `fallback`.
#}
{% macro dq_column_alias(expression, fallback) -%}
    {%- if modules.re.match('^[A-Za-z_][A-Za-z0-9_]*$', expression | string | trim) -%}
        {{ return(expression | string | trim | lower) }}
    {%- else -%}
        {{ return(fallback) }}
    {%- endif -%}
{%- endmacro %}

{#
    Named steps from a list whose items are either a SQL expression (named
    after itself when it is a column name, else step_<n>) or a one-key
    mapping {name: expression}. Returns a list of {name, expression}.
#}
{% macro dq_named_steps(steps) -%}
    {%- set named = [] -%}
    {%- for step in jornada.dq_as_list(steps) -%}
        {%- if step is mapping -%}
            {%- if step | length != 1 -%}
                {{ exceptions.raise_compiler_error("a named step is a mapping with exactly one key, {name: expression}; got " ~ step) }}
            {%- endif -%}
            {%- for name, expression in step.items() -%}
                {%- do named.append({'name': name | string, 'expression': expression | string}) -%}
            {%- endfor -%}
        {%- else -%}
            {%- do named.append({
                'name': jornada.dq_column_alias(step, 'step_' ~ loop.index),
                'expression': step | string,
            }) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(named) }}
{%- endmacro %}

{# A SQL string literal of a Python/Jinja string, quotes escaped. #}
{% macro dq_string_literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}
