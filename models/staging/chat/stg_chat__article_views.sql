with

base as (

    select * from {{ ref('base_chat__article_views') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ jornada.deduplicate('base', partition_by='view_id') }}

),

votes as (

    select
        *,
        case helpful_vote
            when 'yes' then true
            when 'no' then false
        end as is_helpful,
        helpful_vote is not null as has_vote
    from deduplicated

),

final as (

    select
        view_id,
        conversation_id,
        article_id,
        article_title,
        viewed_at,
        is_helpful,
        has_vote,
        source_file_name,
        loaded_at
    from votes

)

select * from final
