with

base as (

    select * from {{ ref('base_social__posts') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ jornada.deduplicate(
        'base', partition_by='post_id', order_by='metrics_updated_at desc, loaded_at, source_file_name'
    ) }}

),

final as (

    select
        post_id,
        network,
        'social' as channel,
        account_id,
        published_at,
        post_type,
        campaign_id,
        caption,
        impressions,
        reach,
        reaction_count,
        comment_count,
        share_count,
        save_count,
        video_view_count,
        metrics_updated_at,
        source_file_name,
        loaded_at
    from deduplicated

)

select * from final
