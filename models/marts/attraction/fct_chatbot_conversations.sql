{#
    One row per chat conversation a bot started (site widget, app or
    WhatsApp bot), the input of chatbot_conversations,
    chatbot_conversion_rate and chatbot_escalation_rate. Outcomes come from
    int_chat_conversations_segmented: escalated when the bot handed over to
    a human (hand-over time, agent or human segment), converted when it
    ended in a lead or an order, contained when the bot resolved it alone.
    A conversation still open at export (`is_open`) has no final outcome:
    it counts as a conversation, and the rates leave it out until it ends
    (`is_decided`).
#}

with

conversations as (

    select * from {{ ref('int_chat_conversations_segmented') }}
    where is_bot_started

),

final as (

    select
        conversation_id,
        person_id,
        channel,
        entry_point,
        bot_id,
        started_at,
        started_date,
        ended_at,
        conversation_status,
        outcome,
        is_open,
        is_escalated,
        handed_over_at,
        is_contained,
        is_converted,
        is_lead_created,
        is_order_placed,
        not is_open as is_decided
    from conversations

)

select * from final
