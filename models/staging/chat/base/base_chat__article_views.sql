{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('chat', 'article_views') }}

),

parsed as (

    select
        nullif(trim(view_id), '') as view_id,
        nullif(trim(conversation_id), '') as conversation_id,
        nullif(trim(article_id), '') as article_id,
        nullif(trim(article_title), '') as article_title,
        {{ jornada.iso_to_timestamp('viewed_at') }} as viewed_at,
        nullif(lower(trim(helpful_vote)), '') as helpful_vote,
        viewed_at as viewed_at_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when view_id is null then 'missing_id'
            when viewed_at is null then 'unparseable_timestamp'
            when
                conversation_id is null
                or article_id is null
                or helpful_vote not in ('yes', 'no')
                then 'invalid_value'
        end as quarantine_reason
    from parsed

)

select * from validated
