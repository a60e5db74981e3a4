{#
    One row per Zendesk ticket: who asked (person_id), through which
    channel and why, when it was answered and solved (recomputed from the
    ticket metric events, Zendesk's own minutes kept beside them), how long
    agents worked on it, which agent it is assigned to, and its SLA outcome.
    The logic lives in the parents; this model joins them.
#}

with

tickets as (

    select * from {{ ref('stg_zendesk__tickets') }}

),

ticket_metrics as (

    select * from {{ ref('stg_zendesk__ticket_metrics') }}

),

metric_events_pivoted as (

    select * from {{ ref('int_ticket_metric_events_pivoted') }}

),

identity_nodes as (

    select * from {{ ref('int_identity_nodes_resolved') }}

),

helpdesk_agents as (

    select * from {{ ref('int_zendesk_agents_mapped') }}

),

final as (

    select
        tickets.ticket_id,
        identity_nodes.person_id,
        tickets.requester_id,
        tickets.channel,
        tickets.via_channel,
        tickets.contact_reason,
        tickets.priority,
        tickets.ticket_type,
        tickets.status,
        tickets.is_solved,
        tickets.created_at,
        {{ jornada.to_business_date('tickets.created_at') }} as created_date,
        metric_events_pivoted.first_replied_at,
        metric_events_pivoted.first_solved_at,
        metric_events_pivoted.solved_at,
        metric_events_pivoted.first_response_minutes,
        metric_events_pivoted.resolution_minutes,
        ticket_metrics.reply_time_calendar_minutes as zendesk_reply_time_calendar_minutes,
        ticket_metrics.reply_time_business_minutes as zendesk_reply_time_business_minutes,
        ticket_metrics.full_resolution_time_calendar_minutes as zendesk_full_resolution_time_calendar_minutes,
        ticket_metrics.full_resolution_time_business_minutes as zendesk_full_resolution_time_business_minutes,
        ticket_metrics.reply_count,
        ticket_metrics.reopen_count,
        coalesce(metric_events_pivoted.is_replied, false) as is_replied,
        metric_events_pivoted.is_replied_within_1h,
        metric_events_pivoted.is_replied_within_24h,
        {{ jornada.service_seconds_to_minutes('tickets.total_time_spent_seconds') }} as handling_minutes,
        tickets.assignee_id as assignee_user_id,
        helpdesk_agents.agent_id,
        coalesce(metric_events_pivoted.has_sla_policy, false) as has_sla_policy,
        metric_events_pivoted.sla_policy_id,
        metric_events_pivoted.sla_policy_title,
        metric_events_pivoted.is_sla_business_hours,
        {% for sla_metric, prefix in jornada.service_sla_metrics() %}
            metric_events_pivoted.{{ prefix }}_sla_target_minutes,
            metric_events_pivoted.{{ prefix }}_sla_due_at,
            metric_events_pivoted.is_{{ prefix }}_sla_fulfilled,
            metric_events_pivoted.is_{{ prefix }}_sla_breached,
            metric_events_pivoted.{{ prefix }}_sla_status,
        {% endfor %}
        coalesce(metric_events_pivoted.sla_target_count, 0) as sla_target_count,
        metric_events_pivoted.sla_status,
        metric_events_pivoted.is_sla_met
    from tickets
    left join ticket_metrics
        on tickets.ticket_id = ticket_metrics.ticket_id
    left join metric_events_pivoted
        on tickets.ticket_id = metric_events_pivoted.ticket_id
    left join identity_nodes
        on identity_nodes.node_key = {{ jornada.identity_node_key('helpdesk_user', 'tickets.requester_id') }}
    left join helpdesk_agents
        on tickets.assignee_id = helpdesk_agents.user_id

)

select * from final
