{#
    The "as of" instant of an export: the moment up to which its facts are
    known. Open work (an SLA target, a reply window, a scheduled shift) is
    judged against it: a deadline before it has passed, one after it is
    still pending.

    Var `service_as_of_at` (UTC text, 'YYYY-MM-DD HH:MM:SS') fixes it;
    empty (the default) takes the latest event of the export. Events dated
    after their own load (`scheduled_filter`, e.g. a Zendesk breach event
    scheduled ahead of time) are not facts yet and do not move it.

    Renders a select of one row and one column, `as_of_at`: use it as the
    body of a CTE and cross join it.
#}
{% macro service_as_of_at(relation, time_column='occurred_at', scheduled_filter=none) -%}
    {%- if var('service_as_of_at', '') -%}
    select cast('{{ var("service_as_of_at") }}' as timestamp) as as_of_at
    {%- else -%}
    select max({{ time_column }}) as as_of_at
    from {{ relation }}
    {%- if scheduled_filter %}
    where not ({{ scheduled_filter }})
    {%- endif %}
    {%- endif %}
{%- endmacro %}
