{{ config(severity='warn') }}

-- Zendesk's own first reply time and full resolution time (ticket metrics,
-- whole calendar minutes) against the same times recomputed from the ticket
-- metric events (int_ticket_lifecycles_pivoted, minutes with two decimals).
-- Zendesk truncates to whole minutes, so the two agree within one minute;
-- a ticket warns, once per metric, when they are further apart or when only
-- one side has a value. The KPIs use the recomputed times: this lists the
-- tickets whose helpdesk report a team would see disagree with the warehouse.

with

tickets as (

    select * from {{ ref('int_ticket_lifecycles_pivoted') }}

),

reply_times as (

    select
        ticket_id,
        'reply_time' as metric,
        zendesk_reply_time_calendar_minutes as zendesk_minutes,
        first_response_minutes as recomputed_minutes
    from tickets

),

resolution_times as (

    select
        ticket_id,
        'full_resolution_time' as metric,
        zendesk_full_resolution_time_calendar_minutes as zendesk_minutes,
        resolution_minutes as recomputed_minutes
    from tickets

),

metrics as (

    select * from reply_times
    union all
    select * from resolution_times

),

final as (

    select
        ticket_id,
        metric,
        zendesk_minutes,
        recomputed_minutes,
        zendesk_minutes - recomputed_minutes as difference_minutes
    from metrics
    where
        (zendesk_minutes is null and recomputed_minutes is not null)
        or (zendesk_minutes is not null and recomputed_minutes is null)
        or abs(zendesk_minutes - recomputed_minutes) > 1

)

select * from final
