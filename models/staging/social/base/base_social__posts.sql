{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('social', 'posts') }}

),

parsed as (

    select
        nullif(trim(post_id), '') as post_id,
        lower(trim(network)) as network,
        nullif(trim(account_id), '') as account_id,
        {{ jornada.iso_to_timestamp('published_at') }} as published_at,
        lower(trim(post_type)) as post_type,
        nullif(trim(campaign_id), '') as campaign_id,
        caption,
        {{ jornada.safe_cast('trim(impressions)', 'bigint') }} as impressions,
        {{ jornada.safe_cast('trim(reach)', 'bigint') }} as reach,
        {{ jornada.safe_cast('trim(reactions)', 'bigint') }} as reaction_count,
        {{ jornada.safe_cast('trim(comments)', 'bigint') }} as comment_count,
        {{ jornada.safe_cast('trim(shares)', 'bigint') }} as share_count,
        {{ jornada.safe_cast('trim(saves)', 'bigint') }} as save_count,
        {{ jornada.safe_cast('trim(video_views)', 'bigint') }} as video_view_count,
        {{ jornada.iso_to_timestamp('metrics_updated_at') }} as metrics_updated_at,
        nullif(trim(saves), '') is not null as has_save_count_raw,
        nullif(trim(video_views), '') is not null as has_video_view_count_raw,
        published_at as published_at_raw,
        metrics_updated_at as metrics_updated_at_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when post_id is null then 'missing_id'
            when published_at is null or metrics_updated_at is null then 'unparseable_timestamp'
            when network is null or network not in ('instagram', 'facebook', 'tiktok', 'linkedin') then 'unknown_status'
            when
                post_type is null
                or post_type not in ('image', 'video', 'reel', 'carousel', 'text')
                then 'unknown_status'
            when
                impressions is null or reach is null or reaction_count is null
                or comment_count is null or share_count is null
                then 'invalid_value'
            when has_save_count_raw and save_count is null then 'invalid_value'
            when has_video_view_count_raw and video_view_count is null then 'invalid_value'
            when
                impressions < 0 or reach < 0 or reaction_count < 0 or comment_count < 0 or share_count < 0
                or save_count < 0 or video_view_count < 0
                then 'invalid_value'
        end as quarantine_reason
    from parsed

)

select * from validated
