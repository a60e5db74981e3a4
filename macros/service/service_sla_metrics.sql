{#
    SLA metrics that int_ticket_metric_events_pivoted spreads into columns of
    their own, as (sla_metric, column prefix). Every other SLA metric a
    policy may set (next_reply_time, requester_wait_time, agent_work_time,
    periodic_update_time, pausable_update_time) still counts in the
    ticket-level totals and in `is_sla_met`; add it here to get its own
    columns.
#}
{% macro service_sla_metrics() %}
    {{ return([
        ('first_reply_time', 'first_reply'),
        ('resolution_time', 'resolution'),
    ]) }}
{% endmacro %}

{#
    Zendesk metrics whose clock never pauses: for a calendar-hours target
    the due time is the clock start plus the target. Pausable metrics and
    business-hours targets take their due time from Zendesk's breach event.
#}
{% macro service_unpausable_metrics() %}
    {{ return(['reply_time', 'resolution_time', 'periodic_update_time']) }}
{% endmacro %}

{# Seconds to minutes, two decimals (exact for whole seconds: 3600 s is 60.00). #}
{% macro service_seconds_to_minutes(seconds) -%}
    cast(round({{ seconds }} / 60.0, 2) as decimal(18, 2))
{%- endmacro %}
