{#
    One row per customer mention: a comment, brand mention, direct message
    or public share the social listening tool captured from anyone but the
    brand. The brand's own replies are not mentions (they are never
    negative and would dilute negative_mention_share); they show here as
    `has_brand_reply` on the mention they answer. Input of
    negative_mention_share (negative mentions / mentions), on the local date
    the mention was posted.
#}

with

interactions as (

    select * from {{ ref('stg_social__interactions') }}

),

mentions as (

    select * from interactions
    where not is_reply_from_brand

),

brand_replies as (

    select
        parent_interaction_id,
        min(occurred_at) as first_brand_reply_at
    from interactions
    where
        is_reply_from_brand
        and parent_interaction_id is not null
    group by parent_interaction_id

),

final as (

    select
        mentions.interaction_id,
        mentions.network,
        mentions.channel,
        mentions.post_id,
        mentions.interaction_type,
        mentions.occurred_at,
        {{ jornada.to_business_date('mentions.occurred_at') }} as mention_date,
        mentions.sentiment,
        cast(mentions.sentiment_score as {{ jornada.type_double() }}) as sentiment_score,
        mentions.sentiment = 'negative' as is_negative,
        brand_replies.parent_interaction_id is not null as has_brand_reply,
        brand_replies.first_brand_reply_at
    from mentions
    left join brand_replies
        on mentions.interaction_id = brand_replies.parent_interaction_id

)

select * from final
