{#
    One row per chat conversation: its person, its bot segment and its
    human segment (when the bot handed over), and how it ended: contained
    by the bot, escalated to an agent, converted to a lead or an order.
#}

with

conversations as (

    select * from {{ ref('stg_chat__conversations') }}

),

segments as (

    select * from {{ ref('stg_chat__segments') }}

),

identity_nodes as (

    select * from {{ ref('int_identity_nodes_resolved') }}

),

segments_ranked as (

    select
        *,
        row_number() over (
            partition by conversation_id, handler_type
            order by started_at, segment_id
        ) as handler_position,
        row_number() over (
            partition by conversation_id
            order by started_at, segment_id
        ) as conversation_position
    from segments

),

-- A transfer between agents makes several human segments: the human part
-- runs from the first one's start to the last one's end.
segments_pivoted as (

    select
        conversation_id,
        {{ dbt.bool_or("conversation_position = 1 and handler_type = 'bot'") }} as is_first_segment_bot,
        min(case when handler_type = 'bot' then started_at end) as bot_started_at,
        max(case when handler_type = 'bot' then ended_at end) as bot_ended_at,
        sum(case when handler_type = 'bot' then duration_seconds end) as bot_seconds,
        sum(case when handler_type = 'bot' and ended_at is null then 1 else 0 end) as open_bot_segments,
        min(case when handler_type = 'human' then started_at end) as human_started_at,
        max(case when handler_type = 'human' then ended_at end) as human_ended_at,
        sum(case when handler_type = 'human' then duration_seconds end) as human_seconds,
        sum(case when handler_type = 'human' and ended_at is null then 1 else 0 end) as open_human_segments,
        max(case when handler_type = 'human' and handler_position = 1 then agent_id end) as first_human_agent_id,
        sum(case when handler_type = 'human' then 1 else 0 end) as human_segment_count
    from segments_ranked
    group by conversation_id

),

joined as (

    select
        conversations.conversation_id,
        coalesce(
            email_person.person_id,
            phone_person.person_id,
            device_person.person_id,
            shared_email_person.person_id,
            shared_phone_person.person_id
        ) as person_id,
        case conversations.entry_point
            when 'whatsapp_bot' then 'whatsapp'
            else 'chat'
        end as channel,
        conversations.entry_point,
        conversations.bot_id,
        conversations.started_at,
        conversations.ended_at,
        conversations.conversation_status,
        conversations.outcome,
        conversations.handed_over_at,
        coalesce(
            segments_pivoted.is_first_segment_bot,
            conversations.bot_id is not null,
            conversations.is_bot_started
        ) as is_bot_started,
        -- Without an exported bot segment, the bot's part runs from the
        -- conversation's start to the hand-over; an open one has no end yet.
        coalesce(segments_pivoted.bot_started_at, conversations.started_at) as bot_started_at,
        case
            when coalesce(segments_pivoted.open_bot_segments, 0) = 0
                then coalesce(segments_pivoted.bot_ended_at, conversations.handed_over_at)
        end as bot_ended_at,
        case
            when coalesce(segments_pivoted.open_bot_segments, 0) = 0
                then coalesce(
                    segments_pivoted.bot_seconds,
                    {{ dbt.datediff('conversations.started_at', 'conversations.handed_over_at', 'second') }}
                )
        end as bot_seconds,
        segments_pivoted.human_started_at,
        case
            when coalesce(segments_pivoted.open_human_segments, 0) = 0 then segments_pivoted.human_ended_at
        end as human_ended_at,
        case
            when coalesce(segments_pivoted.open_human_segments, 0) = 0 then segments_pivoted.human_seconds
        end as human_seconds,
        coalesce(segments_pivoted.human_segment_count, 0) as human_segment_count,
        coalesce(conversations.agent_id, segments_pivoted.first_human_agent_id) as agent_id,
        conversations.lead_id,
        conversations.order_id
    from conversations
    left join segments_pivoted
        on conversations.conversation_id = segments_pivoted.conversation_id
    left join identity_nodes as email_person
        on
            email_person.node_key = {{ jornada.identity_node_key('email', 'conversations.email_hash') }}
            and not email_person.is_shared_identifier
    left join identity_nodes as phone_person
        on
            phone_person.node_key = {{ jornada.identity_node_key('phone', 'conversations.phone_hash') }}
            and not phone_person.is_shared_identifier
    left join identity_nodes as device_person
        on device_person.node_key = {{ jornada.identity_node_key('web_device', 'conversations.visitor_id') }}
    left join identity_nodes as shared_email_person
        on shared_email_person.node_key = {{ jornada.identity_node_key('email', 'conversations.email_hash') }}
    left join identity_nodes as shared_phone_person
        on shared_phone_person.node_key = {{ jornada.identity_node_key('phone', 'conversations.phone_hash') }}

),

outcomes as (

    select
        *,
        handed_over_at is not null or agent_id is not null or human_segment_count > 0 as is_escalated,
        conversation_status = 'open' or outcome is null as is_open
    from joined

),

final as (

    select
        conversation_id,
        person_id,
        channel,
        entry_point,
        bot_id,
        started_at,
        {{ jornada.to_business_date('started_at') }} as started_date,
        ended_at,
        conversation_status,
        outcome,
        is_open,
        is_bot_started,
        bot_started_at,
        bot_ended_at,
        bot_seconds,
        is_escalated,
        handed_over_at,
        human_started_at,
        human_ended_at,
        human_seconds,
        {{ dbt.datediff('handed_over_at', 'human_started_at', 'second') }}
            as handover_wait_seconds,
        human_segment_count,
        agent_id,
        is_bot_started
        and not is_escalated
        and coalesce(outcome in ('resolved_by_bot', 'lead_created', 'order_placed'), false) as is_contained,
        coalesce(outcome in ('lead_created', 'order_placed'), false) as is_converted,
        coalesce(outcome = 'lead_created', false) as is_lead_created,
        coalesce(outcome = 'order_placed', false) as is_order_placed,
        lead_id,
        order_id
    from outcomes

)

select * from final
