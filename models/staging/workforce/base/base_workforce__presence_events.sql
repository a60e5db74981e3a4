{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('workforce', 'presence_events') }}

),

parsed as (

    select
        nullif(trim(event_id), '') as event_id,
        nullif(trim(agent_id), '') as agent_id,
        {{ jornada.iso_to_timestamp('occurred_at') }} as occurred_at,
        lower(trim(state)) as event_type,
        nullif(lower(trim(pause_reason)), '') as pause_reason,
        occurred_at as occurred_at_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when event_id is null then 'missing_id'
            when occurred_at is null then 'unparseable_timestamp'
            when event_type is null or event_type not in ('login', 'logout', 'pause_start', 'pause_end')
                then 'unknown_status'
            when
                agent_id is null
                or pause_reason not in ('lunch', 'training', 'personal')
                or (event_type in ('pause_start', 'pause_end') and pause_reason is null)
                then 'invalid_value'
        end as quarantine_reason
    from parsed

)

select * from validated
