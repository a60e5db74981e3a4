with

base as (

    select * from {{ ref('base_zendesk__ticket_metrics') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ jornada.deduplicate(
        'base', partition_by='ticket_metric_id', order_by='updated_at desc, loaded_at, source_file_name'
    ) }}

),

final as (

    select
        ticket_metric_id,
        ticket_id,
        created_at,
        updated_at,
        reply_time_calendar_minutes,
        reply_time_business_minutes,
        first_resolution_time_calendar_minutes,
        first_resolution_time_business_minutes,
        full_resolution_time_calendar_minutes,
        full_resolution_time_business_minutes,
        agent_wait_time_calendar_minutes,
        agent_wait_time_business_minutes,
        requester_wait_time_calendar_minutes,
        requester_wait_time_business_minutes,
        on_hold_time_calendar_minutes,
        on_hold_time_business_minutes,
        reply_count,
        reopen_count,
        assignee_stations,
        group_stations,
        solved_at,
        initially_assigned_at,
        assigned_at,
        status_updated_at,
        latest_comment_added_at,
        source_file_name,
        loaded_at
    from deduplicated

)

select * from final
