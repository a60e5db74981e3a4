{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('social', 'interactions') }}

),

parsed as (

    select
        nullif(trim(interaction_id), '') as interaction_id,
        lower(trim(network)) as network,
        nullif(trim(post_id), '') as post_id,
        lower(trim(interaction_type)) as interaction_type,
        author_handle as author_handle_raw,
        {{ jornada.iso_to_timestamp('occurred_at') }} as occurred_at,
        lower(trim(sentiment)) as sentiment,
        {{ jornada.safe_cast('trim(sentiment_score)', 'decimal(6, 3)') }} as sentiment_score,
        case lower(trim(is_reply_from_brand))
            when 'true' then true
            when 'false' then false
        end as is_reply_from_brand,
        nullif(trim(parent_interaction_id), '') as parent_interaction_id,
        occurred_at as occurred_at_raw,
        sentiment_score as sentiment_score_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when interaction_id is null then 'missing_id'
            when occurred_at is null then 'unparseable_timestamp'
            when network is null or network not in ('instagram', 'facebook', 'tiktok', 'linkedin') then 'unknown_status'
            when
                interaction_type is null
                or interaction_type not in ('comment', 'mention', 'direct_message', 'share')
                then 'unknown_status'
            when sentiment is null or sentiment not in ('positive', 'neutral', 'negative') then 'unknown_status'
            when sentiment_score is null or sentiment_score < -1 or sentiment_score > 1 then 'invalid_value'
            when is_reply_from_brand is null then 'invalid_value'
        end as quarantine_reason
    from parsed

)

select * from validated
