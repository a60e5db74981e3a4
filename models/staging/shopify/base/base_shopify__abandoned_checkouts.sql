{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('shopify', 'abandoned_checkouts') }}

),

parsed as (

    select
        nullif(trim(id), '') as checkout_id,
        nullif(trim(token), '') as checkout_token,
        nullif(trim(cart_token), '') as cart_token,
        nullif(trim(customer__id), '') as customer_id,
        {{ jornada.iso_to_timestamp('created_at') }} as created_at,
        {{ jornada.iso_to_timestamp('updated_at') }} as updated_at,
        {{ jornada.iso_to_timestamp('completed_at') }} as completed_at,
        upper(trim(currency)) as currency,
        upper(trim(presentment_currency)) as presentment_currency,
        {{ jornada.to_money('total_line_items_price') }} as total_line_items_price,
        {{ jornada.to_money('subtotal_price') }} as subtotal_price,
        {{ jornada.to_money('total_discounts') }} as total_discounts,
        {{ jornada.to_money('total_tax') }} as total_tax,
        {{ jornada.to_money('total_price') }} as total_price,
        lower(buyer_accepts_marketing) = 'true' as is_accepting_marketing,
        customer_locale,
        lower(trim(source_name)) as source_name,
        landing_site,
        referring_site,
        email as email_raw,
        phone as phone_raw,
        abandoned_checkout_url as abandoned_checkout_url_raw,
        updated_at as updated_at_raw,
        completed_at as completed_at_raw,
        subtotal_price as subtotal_price_raw,
        total_discounts as total_discounts_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when checkout_id is null then 'missing_id'
            when
                created_at is null
                or (updated_at is null and nullif(trim(updated_at_raw), '') is not null)
                or (completed_at is null and nullif(trim(completed_at_raw), '') is not null)
                then 'unparseable_timestamp'
            when
                total_price is null
                or (subtotal_price is null and nullif(trim(subtotal_price_raw), '') is not null)
                or (total_discounts is null and nullif(trim(total_discounts_raw), '') is not null)
                then 'invalid_value'
            when total_price < 0 or subtotal_price < 0 or total_discounts < 0 then 'negative_amount'
        end as quarantine_reason
    from parsed

)

select * from validated
