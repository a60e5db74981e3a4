with

base as (

    select * from {{ ref('base_shopify__abandoned_checkouts') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ jornada.deduplicate(
        'base',
        partition_by='checkout_id',
        order_by='updated_at desc, loaded_at, source_file_name',
    ) }}

),

enriched as (

    select
        *,
        {{ dbt.datediff('created_at', 'completed_at', 'second') }} as seconds_to_complete,  -- noqa: LT05
        nullif({{ dbt.split_part(dbt.split_part('landing_site', "'utm_source='", 2), "'&'", 1) }}, '')
            as landing_utm_source,
        nullif({{ dbt.split_part(dbt.split_part('landing_site', "'utm_medium='", 2), "'&'", 1) }}, '')
            as landing_utm_medium,
        nullif({{ dbt.split_part(dbt.split_part('landing_site', "'utm_campaign='", 2), "'&'", 1) }}, '')
            as landing_utm_campaign
    from deduplicated

),

final as (

    select
        checkout_id,
        checkout_token,
        cart_token,
        customer_id,
        created_at,
        updated_at,
        completed_at,
        completed_at is not null as is_completed,
        cast(seconds_to_complete / 3600.0 as decimal(10, 2)) as hours_to_complete,
        source_name,
        case when source_name = 'pos' then 'store' else 'web' end as channel,
        currency,
        presentment_currency,
        total_line_items_price,
        subtotal_price,
        total_discounts,
        total_tax,
        total_price,
        coalesce(is_accepting_marketing, false) as is_accepting_marketing,
        customer_locale,
        {{ jornada.hash_pii(jornada.normalize_email('email_raw')) }} as email_hash,
        {{ jornada.hash_pii(jornada.normalize_phone_br('phone_raw')) }} as phone_hash,
        landing_site,
        landing_utm_source,
        landing_utm_medium,
        landing_utm_campaign,
        referring_site,
        source_file_name,
        loaded_at
    from enriched

)

select * from final
