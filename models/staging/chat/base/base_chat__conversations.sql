{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('chat', 'conversations') }}

),

parsed as (

    select
        nullif(trim(conversation_id), '') as conversation_id,
        {{ jornada.iso_to_timestamp('started_at') }} as started_at,
        {{ jornada.iso_to_timestamp('ended_at') }} as ended_at,
        lower(trim(entry_point)) as entry_point,
        nullif(trim(visitor_id), '') as visitor_id,
        contact_email as email_raw,
        contact_phone as phone_raw,
        contact_name as name_raw,
        nullif(trim(bot_id), '') as bot_id,
        lower(trim(status)) as conversation_status,
        nullif(lower(trim(resolution)), '') as resolution,
        {{ jornada.iso_to_timestamp('handed_over_at') }} as handed_over_at,
        nullif(trim(agent_id), '') as agent_id,
        nullif(trim(lead_id), '') as lead_id,
        nullif(trim(order_id), '') as order_id,
        started_at as started_at_raw,
        nullif(trim(ended_at), '') as ended_at_raw,
        nullif(trim(handed_over_at), '') as handed_over_at_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when conversation_id is null then 'missing_id'
            when
                started_at is null
                or (ended_at_raw is not null and ended_at is null)
                or (handed_over_at_raw is not null and handed_over_at is null)
                then 'unparseable_timestamp'
            when
                conversation_status is null
                or conversation_status not in ('open', 'closed', 'abandoned')
                or resolution not in (
                    'resolved_by_bot', 'resolved_by_agent', 'abandoned', 'lead_created', 'order_placed'
                )
                or entry_point is null
                or entry_point not in ('site_widget', 'app', 'whatsapp_bot')
                then 'unknown_status'
        end as quarantine_reason
    from parsed

)

select * from validated
