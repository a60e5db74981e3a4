with

base as (

    select * from {{ ref('base_workforce__shifts') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ jornada.deduplicate('base', partition_by='shift_id', order_by='loaded_at desc, source_file_name desc') }}

),

durations as (

    select
        shift_id,
        agent_id,
        shift_date,
        scheduled_start_at,
        scheduled_end_at,
        planned_break_minutes,
        source_file_name,
        loaded_at,
        {{ dbt.datediff('scheduled_start_at', 'scheduled_end_at', 'minute') }}
            as scheduled_minutes,
        {{ dbt.datediff('scheduled_start_at', 'scheduled_end_at', 'minute') }}
        - planned_break_minutes as scheduled_work_minutes
    from deduplicated

),

final as (

    select
        shift_id,
        agent_id,
        shift_date,
        scheduled_start_at,
        scheduled_end_at,
        scheduled_minutes,
        planned_break_minutes,
        scheduled_work_minutes,
        source_file_name,
        loaded_at
    from durations

)

select * from final
