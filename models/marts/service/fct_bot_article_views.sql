{#
    One row per help-center article the chat bot showed in a conversation,
    with the visitor's helpful vote (yes, no or none) and the channel of
    the conversation (site widget and app `chat`, WhatsApp bot `whatsapp`).
    The input of bot_article_views: views per local view date and article,
    and the helpful-vote rate (helpful votes / views with a vote).
#}

with

article_views as (

    select * from {{ ref('stg_chat__article_views') }}

),

conversations as (

    select * from {{ ref('int_chat_conversations_segmented') }}

),

final as (

    select
        article_views.view_id,
        article_views.conversation_id,
        article_views.article_id,
        article_views.article_title,
        article_views.viewed_at,
        {{ jornada.to_business_date('article_views.viewed_at') }} as viewed_date,
        conversations.channel,
        article_views.has_vote,
        article_views.is_helpful,
        coalesce(article_views.is_helpful, false) as is_helpful_vote,
        conversations.is_escalated as is_conversation_escalated
    from article_views
    left join conversations
        on article_views.conversation_id = conversations.conversation_id

)

select * from final
