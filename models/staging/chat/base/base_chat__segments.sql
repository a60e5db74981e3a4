{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('chat', 'segments') }}

),

parsed as (

    select
        nullif(trim(segment_id), '') as segment_id,
        nullif(trim(conversation_id), '') as conversation_id,
        lower(trim(handler_type)) as handler_type,
        nullif(trim(handler_id), '') as handler_id,
        {{ jornada.iso_to_timestamp('started_at') }} as started_at,
        {{ jornada.iso_to_timestamp('ended_at') }} as ended_at,
        {{ jornada.safe_cast('messages_count', 'integer') }} as messages_count,
        started_at as started_at_raw,
        nullif(trim(ended_at), '') as ended_at_raw,
        messages_count as messages_count_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when segment_id is null then 'missing_id'
            when started_at is null or (ended_at_raw is not null and ended_at is null)
                then 'unparseable_timestamp'
            when handler_type is null or handler_type not in ('bot', 'human') then 'unknown_status'
            when
                conversation_id is null
                or handler_id is null
                or messages_count is null
                or messages_count < 0
                then 'invalid_value'
        end as quarantine_reason
    from parsed

)

select * from validated
