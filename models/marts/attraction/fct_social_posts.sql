{#
    One row per brand post with its engagement, the input of
    social_engagement_rate: engagements (reactions + comments + shares +
    saves; saves count 0 on networks that do not report them, facebook and
    linkedin) over impressions. Metrics are the post's latest snapshot: the
    exporter freezes them 28 days after publication, so newer posts carry
    still-growing counts (engagements and impressions grow together). The
    post belongs to the local date it was published.
#}

with

posts as (

    select * from {{ ref('stg_social__posts') }}

),

final as (

    select
        post_id,
        network,
        channel,
        account_id,
        published_at,
        {{ jornada.to_business_date('published_at') }} as published_date,
        post_type,
        campaign_id,
        cast(impressions as bigint) as impressions,
        cast(reach as bigint) as reach,
        cast(reaction_count as bigint) as reaction_count,
        cast(comment_count as bigint) as comment_count,
        cast(share_count as bigint) as share_count,
        cast(save_count as bigint) as save_count,
        cast(reaction_count + comment_count + share_count + coalesce(save_count, 0) as bigint) as engagements,
        metrics_updated_at
    from posts

)

select * from final
