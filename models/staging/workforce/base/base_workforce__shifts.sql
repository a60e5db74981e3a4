{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('workforce', 'shifts') }}

),

parsed as (

    select
        nullif(trim(shift_id), '') as shift_id,
        nullif(trim(agent_id), '') as agent_id,
        {{ jornada.safe_cast('shift_date', 'date') }} as shift_date,
        {{ jornada.iso_to_timestamp('scheduled_start_at') }} as scheduled_start_at,
        {{ jornada.iso_to_timestamp('scheduled_end_at') }} as scheduled_end_at,
        {{ jornada.safe_cast('planned_break_minutes', 'integer') }} as planned_break_minutes,
        scheduled_start_at as scheduled_start_at_raw,
        scheduled_end_at as scheduled_end_at_raw,
        planned_break_minutes as planned_break_minutes_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when shift_id is null then 'missing_id'
            when scheduled_start_at is null or scheduled_end_at is null then 'unparseable_timestamp'
            when
                agent_id is null
                or shift_date is null
                or planned_break_minutes is null
                or planned_break_minutes < 0
                or scheduled_end_at <= scheduled_start_at
                then 'invalid_value'
        end as quarantine_reason
    from parsed

)

select * from validated
