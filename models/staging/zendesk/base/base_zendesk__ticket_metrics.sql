{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('zendesk', 'ticket_metrics') }}

),

parsed as (

    select
        {{ jornada.safe_cast('id', 'bigint') }} as ticket_metric_id,
        {{ jornada.safe_cast('ticket_id', 'bigint') }} as ticket_id,
        {{ jornada.iso_to_timestamp('created_at') }} as created_at,
        {{ jornada.iso_to_timestamp('updated_at') }} as updated_at,
        {{ jornada.safe_cast('reply_time_in_minutes__calendar', 'integer') }} as reply_time_calendar_minutes,
        {{ jornada.safe_cast('reply_time_in_minutes__business', 'integer') }} as reply_time_business_minutes,
        {{ jornada.safe_cast('first_resolution_time_in_minutes__calendar', 'integer') }}
            as first_resolution_time_calendar_minutes,
        {{ jornada.safe_cast('first_resolution_time_in_minutes__business', 'integer') }}
            as first_resolution_time_business_minutes,
        {{ jornada.safe_cast('full_resolution_time_in_minutes__calendar', 'integer') }}
            as full_resolution_time_calendar_minutes,
        {{ jornada.safe_cast('full_resolution_time_in_minutes__business', 'integer') }}
            as full_resolution_time_business_minutes,
        {{ jornada.safe_cast('agent_wait_time_in_minutes__calendar', 'integer') }} as agent_wait_time_calendar_minutes,
        {{ jornada.safe_cast('agent_wait_time_in_minutes__business', 'integer') }} as agent_wait_time_business_minutes,
        {{ jornada.safe_cast('requester_wait_time_in_minutes__calendar', 'integer') }}
            as requester_wait_time_calendar_minutes,
        {{ jornada.safe_cast('requester_wait_time_in_minutes__business', 'integer') }}
            as requester_wait_time_business_minutes,
        {{ jornada.safe_cast('on_hold_time_in_minutes__calendar', 'integer') }} as on_hold_time_calendar_minutes,
        {{ jornada.safe_cast('on_hold_time_in_minutes__business', 'integer') }} as on_hold_time_business_minutes,
        {{ jornada.safe_cast('replies', 'integer') }} as reply_count,
        {{ jornada.safe_cast('reopens', 'integer') }} as reopen_count,
        {{ jornada.safe_cast('assignee_stations', 'integer') }} as assignee_stations,
        {{ jornada.safe_cast('group_stations', 'integer') }} as group_stations,
        {{ jornada.iso_to_timestamp('solved_at') }} as solved_at,
        {{ jornada.iso_to_timestamp('initially_assigned_at') }} as initially_assigned_at,
        {{ jornada.iso_to_timestamp('assigned_at') }} as assigned_at,
        {{ jornada.iso_to_timestamp('status_updated_at') }} as status_updated_at,
        {{ jornada.iso_to_timestamp('latest_comment_added_at') }} as latest_comment_added_at,
        id as ticket_metric_id_raw,
        ticket_id as ticket_id_raw,
        reply_time_in_minutes__calendar as reply_time_calendar_minutes_raw,
        full_resolution_time_in_minutes__calendar as full_resolution_time_calendar_minutes_raw,
        replies as replies_raw,
        reopens as reopens_raw,
        solved_at as solved_at_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when ticket_metric_id_raw is null or trim(ticket_metric_id_raw) = '' then 'missing_id'
            when ticket_id_raw is null or trim(ticket_id_raw) = '' then 'missing_id'
            when ticket_metric_id is null or ticket_id is null then 'invalid_value'
            when created_at is null or updated_at is null then 'unparseable_timestamp'
            when solved_at_raw is not null and solved_at is null then 'unparseable_timestamp'
            when reply_time_calendar_minutes_raw is not null and reply_time_calendar_minutes is null
                then 'invalid_value'
            when full_resolution_time_calendar_minutes_raw is not null and full_resolution_time_calendar_minutes is null
                then 'invalid_value'
            when replies_raw is not null and reply_count is null then 'invalid_value'
            when reopens_raw is not null and reopen_count is null then 'invalid_value'
            when reply_time_calendar_minutes < 0 or reply_count < 0 then 'invalid_value'
        end as quarantine_reason
    from parsed

)

select * from validated
