with

base as (

    select * from {{ ref('base_chat__conversations') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ jornada.deduplicate('base', partition_by='conversation_id', order_by='loaded_at desc, source_file_name desc') }}

),

final as (

    select
        conversation_id,
        'chat' as channel,
        entry_point,
        bot_id,
        started_at,
        ended_at,
        visitor_id,
        {{ jornada.hash_pii(jornada.normalize_email('email_raw')) }} as email_hash,
        {{ jornada.hash_pii(jornada.normalize_phone_br('phone_raw')) }} as phone_hash,
        {{ jornada.hash_pii("nullif(lower(trim(name_raw)), '')") }} as name_hash,
        true as is_bot_started,
        conversation_status,
        resolution as outcome,
        handed_over_at is not null or agent_id is not null as is_escalated,
        handed_over_at,
        agent_id,
        coalesce(
            handed_over_at is null
            and agent_id is null
            and resolution in ('resolved_by_bot', 'lead_created', 'order_placed'),
            false
        ) as is_contained,
        coalesce(resolution in ('lead_created', 'order_placed'), false) as is_converted,
        lead_id,
        order_id,
        source_file_name,
        loaded_at
    from deduplicated

)

select * from final
