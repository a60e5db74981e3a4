with

base as (

    select * from {{ ref('base_zendesk__ticket_metric_events') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ jornada.deduplicate('base', partition_by='metric_event_id') }}

),

final as (

    select
        metric_event_id,
        ticket_id,
        metric,
        instance_id,
        event_type,
        occurred_at,
        sla_target_minutes,
        sla_policy_id,
        sla_policy_title,
        status_calendar_minutes,
        status_business_minutes,
        source_file_name,
        loaded_at,
        case when event_type = 'apply_sla' then coalesce(is_sla_business_hours, false) end as is_sla_business_hours,
        coalesce(is_deleted, false) as is_deleted
    from deduplicated

)

select * from final
