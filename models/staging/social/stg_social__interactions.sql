with

base as (

    select * from {{ ref('base_social__interactions') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ jornada.deduplicate('base', partition_by='interaction_id') }}

),

final as (

    select
        interaction_id,
        network,
        'social' as channel,
        post_id,
        interaction_type,
        {{ jornada.hash_pii("nullif(lower(trim(replace(author_handle_raw, '@', ''))), '')") }} as author_hash,
        occurred_at,
        sentiment,
        sentiment_score,
        is_reply_from_brand,
        parent_interaction_id,
        source_file_name,
        loaded_at
    from deduplicated

)

select * from final
