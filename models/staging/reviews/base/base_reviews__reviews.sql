{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('reviews', 'reviews') }}

),

parsed as (

    select
        nullif(trim(review_id), '') as review_id,
        lower(trim(platform)) as platform,
        nullif(trim(product_sku), '') as product_sku,
        nullif(trim(order_id), '') as order_id,
        {{ jornada.safe_cast('trim(rating)', 'integer') }} as rating,
        coalesce(trim(title) <> '', false) as has_title,
        coalesce(length(trim(body)), 0) as body_length,
        reviewer_name as reviewer_name_raw,
        reviewer_email as reviewer_email_raw,
        {{ jornada.iso_to_timestamp('created_at') }} as created_at,
        case lower(trim(published))
            when 'true' then true
            when 'false' then false
        end as is_published,
        case lower(trim(verified_buyer))
            when 'true' then true
            when 'false' then false
        end as is_verified_buyer,
        rating as rating_raw,
        created_at as created_at_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when review_id is null then 'missing_id'
            when created_at is null then 'unparseable_timestamp'
            when platform is null or platform not in ('store_site', 'google') then 'unknown_status'
            when rating is null or rating < 1 or rating > 5 then 'invalid_value'
            when is_published is null or is_verified_buyer is null then 'invalid_value'
        end as quarantine_reason
    from parsed

)

select * from validated
