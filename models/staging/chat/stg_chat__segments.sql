with

base as (

    select * from {{ ref('base_chat__segments') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ jornada.deduplicate('base', partition_by='segment_id', order_by='loaded_at desc, source_file_name desc') }}

),

final as (

    select
        segment_id,
        conversation_id,
        handler_type,
        handler_id,
        case when handler_type = 'human' then handler_id end as agent_id,
        case when handler_type = 'bot' then handler_id end as bot_id,
        started_at,
        ended_at,
        {{ dbt.datediff('started_at', 'ended_at', 'second') }}
            as duration_seconds,
        messages_count,
        source_file_name,
        loaded_at
    from deduplicated

)

select * from final
