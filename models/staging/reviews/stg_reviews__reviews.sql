with

base as (

    select * from {{ ref('base_reviews__reviews') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ jornada.deduplicate('base', partition_by='review_id', order_by='loaded_at desc, source_file_name desc') }}

),

final as (

    select
        review_id,
        platform,
        case platform
            when 'store_site' then 'store'
            when 'google' then 'web'
        end as channel,
        product_sku is not null as is_product_review,
        product_sku,
        order_id,
        rating,
        has_title,
        body_length,
        {{ jornada.hash_pii("nullif(lower(trim(reviewer_name_raw)), '')") }} as name_hash,
        {{ jornada.hash_pii(jornada.normalize_email('reviewer_email_raw')) }} as email_hash,
        created_at,
        is_published,
        is_verified_buyer,
        source_file_name,
        loaded_at
    from deduplicated

)

select * from final
