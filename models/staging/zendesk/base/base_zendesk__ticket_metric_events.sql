{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('zendesk', 'ticket_metric_events') }}

),

parsed as (

    select
        {{ jornada.safe_cast('id', 'bigint') }} as metric_event_id,
        {{ jornada.safe_cast('ticket_id', 'bigint') }} as ticket_id,
        nullif(lower(trim(metric)), '') as metric,
        {{ jornada.safe_cast('instance_id', 'integer') }} as instance_id,
        nullif(lower(trim(type)), '') as event_type,
        {{ jornada.iso_to_timestamp('time') }} as occurred_at,
        {{ jornada.safe_cast('sla__target', 'integer') }} as sla_target_minutes,
        lower(trim(sla__business_hours)) = 'true' as is_sla_business_hours,
        {{ jornada.safe_cast('sla__policy__id', 'bigint') }} as sla_policy_id,
        sla__policy__title as sla_policy_title,
        sla__policy__description as sla_policy_description,
        {{ jornada.safe_cast('status__calendar', 'integer') }} as status_calendar_minutes,
        {{ jornada.safe_cast('status__business', 'integer') }} as status_business_minutes,
        lower(trim(deleted)) = 'true' as is_deleted,
        id as metric_event_id_raw,
        ticket_id as ticket_id_raw,
        time as occurred_at_raw,
        instance_id as instance_id_raw,
        sla__target as sla_target_raw,
        sla__policy__id as sla_policy_id_raw,
        status__calendar as status_calendar_raw,
        status__business as status_business_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when metric_event_id_raw is null or trim(metric_event_id_raw) = '' then 'missing_id'
            when ticket_id_raw is null or trim(ticket_id_raw) = '' then 'missing_id'
            when metric_event_id is null or ticket_id is null then 'invalid_value'
            when occurred_at is null then 'unparseable_timestamp'
            when event_type is null or event_type not in (
                'activate', 'pause', 'fulfill', 'apply_sla', 'breach', 'update_status', 'measure'
            ) then 'unknown_status'
            when metric is null or metric not in (
                'agent_work_time', 'pausable_update_time', 'periodic_update_time',
                'reply_time', 'requester_wait_time', 'resolution_time'
            ) then 'unknown_status'
            when instance_id_raw is not null and instance_id is null then 'invalid_value'
            when sla_target_raw is not null and sla_target_minutes is null then 'invalid_value'
            when sla_policy_id_raw is not null and sla_policy_id is null then 'invalid_value'
            when status_calendar_raw is not null and status_calendar_minutes is null then 'invalid_value'
            when status_business_raw is not null and status_business_minutes is null then 'invalid_value'
            when event_type = 'apply_sla' and sla_target_minutes is null then 'invalid_value'
        end as quarantine_reason
    from parsed

)

select * from validated
