with

base as (

    select * from {{ ref('base_workforce__presence_events') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ jornada.deduplicate('base', partition_by='event_id') }}

),

flagged as (

    select
        *,
        event_type in ('pause_start', 'pause_end') as is_pause_event
    from deduplicated

),

final as (

    select
        event_id,
        agent_id,
        occurred_at,
        event_type,
        pause_reason,
        is_pause_event,
        source_file_name,
        loaded_at
    from flagged

)

select * from final
