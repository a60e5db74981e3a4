with

base as (

    select * from {{ ref('base_shopify__orders') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ jornada.deduplicate(
        'base',
        partition_by='order_id',
        order_by='updated_at desc, loaded_at, source_file_name',
    ) }}

),

normalized as (

    select
        *,
        coalesce(
            {{ jornada.normalize_email('email_raw') }},
            {{ jornada.normalize_email('contact_email_raw') }}
        ) as email_normalized,
        nullif(
            lower(trim({{ dbt.concat(["coalesce(first_name_raw, '')", "' '", "coalesce(last_name_raw, '')"]) }})),
            ''
        ) as name_normalized,
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
        order_id,
        order_name,
        order_number,
        customer_id,
        checkout_id,
        checkout_token,
        cart_token,
        created_at,
        processed_at,
        updated_at,
        cancelled_at,
        closed_at,
        financial_status,
        fulfillment_status,
        cancel_reason,
        cancelled_at is not null as is_cancelled,
        coalesce(is_test, false) as is_test,
        source_name,
        case when source_name = 'pos' then 'store' else 'web' end as channel,
        currency,
        presentment_currency,
        total_line_items_price,
        subtotal_price,
        total_discounts,
        total_shipping,
        total_tax,
        total_price,
        coalesce(is_taxes_included, false) as is_taxes_included,
        coalesce(is_accepting_marketing, false) as is_accepting_marketing,
        {{ jornada.hash_pii('email_normalized') }} as email_hash,
        {{ jornada.hash_pii(jornada.normalize_phone_br('phone_raw')) }} as phone_hash,
        {{ jornada.hash_pii('name_normalized') }} as name_hash,
        billing_city,
        billing_province_code,
        billing_country_code,
        landing_site,
        landing_utm_source,
        landing_utm_medium,
        landing_utm_campaign,
        referring_site,
        tags,
        source_file_name,
        loaded_at
    from normalized

)

select * from final
