{#
    One row per Zendesk ticket with what the ticket KPIs need: channel and
    contact reason, local creation date, first-response and resolution
    minutes (recomputed from the metric events upstream), the reply-window
    flags (null while the window is still open at the export), handling
    time and the assignee as a workforce agent, and the SLA outcome (null
    while pending or without a policy). Ids are text, as in the other
    marts (fct_survey_responses.ticket_id).
#}

with

tickets as (

    select * from {{ ref('int_ticket_lifecycles_pivoted') }}

),

final as (

    select
        cast(ticket_id as {{ dbt.type_string() }}) as ticket_id,
        person_id,
        cast(requester_id as {{ dbt.type_string() }}) as requester_user_id,
        channel,
        via_channel,
        contact_reason,
        priority,
        ticket_type,
        status,
        is_solved,
        created_at,
        created_date,
        first_replied_at,
        solved_at,
        cast(first_response_minutes as {{ jornada.type_double() }}) as first_response_minutes,
        cast(resolution_minutes as {{ jornada.type_double() }}) as resolution_minutes,
        is_replied,
        is_replied_within_1h,
        is_replied_within_24h,
        cast(reply_count as {{ dbt.type_bigint() }}) as reply_count,
        cast(reopen_count as {{ dbt.type_bigint() }}) as reopen_count,
        cast(handling_minutes as {{ jornada.type_double() }}) as handling_minutes,
        cast(assignee_user_id as {{ dbt.type_string() }}) as assignee_user_id,
        agent_id,
        has_sla_policy,
        sla_policy_title,
        first_reply_sla_status,
        resolution_sla_status,
        sla_status,
        is_sla_met,
        is_sla_met is not null as is_sla_decided
    from tickets

)

select * from final
