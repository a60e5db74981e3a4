with

base as (

    select * from {{ ref('base_zendesk__tickets') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ jornada.deduplicate('base', partition_by='ticket_id', order_by='updated_at desc, loaded_at, source_file_name') }}

),

final as (

    select
        ticket_id,
        created_at,
        updated_at,
        ticket_type,
        priority,
        status,
        requester_id,
        submitter_id,
        assignee_id,
        group_id,
        organization_id,
        brand_id,
        via_channel,
        tags,
        satisfaction_score,
        total_time_spent_seconds,
        is_public,
        source_file_name,
        loaded_at,
        status in ('solved', 'closed') as is_solved,
        case via_channel
            when 'email' then 'email'
            when 'web' then 'web'
            when 'chat' then 'chat'
            when 'voice' then 'phone'
            when 'whatsapp' then 'whatsapp'
        end as channel,
        -- The contact reason is the ticket's reason tag (Jornada's macros tag every ticket with one).
        case
            when tags like '%"entrega_atrasada"%' then 'entrega_atrasada'
            when tags like '%"troca_devolucao"%' then 'troca_devolucao'
            when tags like '%"pagamento"%' then 'pagamento'
            when tags like '%"duvida_produto"%' then 'duvida_produto'
            when tags like '%"cancelamento"%' then 'cancelamento'
            when tags like '%"assinatura"%' then 'assinatura'
            when tags like '%"elogio"%' then 'elogio'
        end as contact_reason,
        satisfaction_score in ('good', 'bad') as has_satisfaction_response,
        length(description_raw) as description_length
    from deduplicated

)

select * from final
