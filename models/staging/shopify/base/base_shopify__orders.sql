{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('shopify', 'orders') }}

),

parsed as (

    select
        nullif(trim(id), '') as order_id,
        name as order_name,
        {{ jornada.safe_cast('order_number', 'integer') }} as order_number,
        nullif(trim(customer__id), '') as customer_id,
        nullif(trim(checkout_id), '') as checkout_id,
        nullif(trim(checkout_token), '') as checkout_token,
        nullif(trim(cart_token), '') as cart_token,
        {{ jornada.iso_to_timestamp('created_at') }} as created_at,
        {{ jornada.iso_to_timestamp('updated_at') }} as updated_at,
        {{ jornada.iso_to_timestamp('processed_at') }} as processed_at,
        {{ jornada.iso_to_timestamp('cancelled_at') }} as cancelled_at,
        {{ jornada.iso_to_timestamp('closed_at') }} as closed_at,
        lower(trim(financial_status)) as financial_status,
        nullif(lower(trim(fulfillment_status)), '') as fulfillment_status,
        nullif(lower(trim(cancel_reason)), '') as cancel_reason,
        lower(trim(source_name)) as source_name,
        upper(trim(currency)) as currency,
        upper(trim(presentment_currency)) as presentment_currency,
        {{ jornada.to_money('total_line_items_price') }} as total_line_items_price,
        {{ jornada.to_money('subtotal_price') }} as subtotal_price,
        {{ jornada.to_money('total_discounts') }} as total_discounts,
        {{ jornada.to_money('total_shipping_price_set__shop_money__amount') }} as total_shipping,
        {{ jornada.to_money('total_tax') }} as total_tax,
        {{ jornada.to_money('total_price') }} as total_price,
        lower(taxes_included) = 'true' as is_taxes_included,
        lower(buyer_accepts_marketing) = 'true' as is_accepting_marketing,
        lower(test) = 'true' as is_test,
        email as email_raw,
        contact_email as contact_email_raw,
        phone as phone_raw,
        customer__first_name as first_name_raw,
        customer__last_name as last_name_raw,
        billing_address__city as billing_city,
        upper(trim(billing_address__province_code)) as billing_province_code,
        upper(trim(billing_address__country_code)) as billing_country_code,
        landing_site,
        referring_site,
        tags,
        created_at as created_at_raw,
        updated_at as updated_at_raw,
        processed_at as processed_at_raw,
        cancelled_at as cancelled_at_raw,
        closed_at as closed_at_raw,
        total_price as total_price_raw,
        subtotal_price as subtotal_price_raw,
        total_discounts as total_discounts_raw,
        total_shipping_price_set__shop_money__amount as total_shipping_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when order_id is null then 'missing_id'
            when
                created_at is null
                or (updated_at is null and nullif(trim(updated_at_raw), '') is not null)
                or (processed_at is null and nullif(trim(processed_at_raw), '') is not null)
                or (cancelled_at is null and nullif(trim(cancelled_at_raw), '') is not null)
                or (closed_at is null and nullif(trim(closed_at_raw), '') is not null)
                then 'unparseable_timestamp'
            when
                financial_status is null
                or financial_status not in (
                    'pending', 'authorized', 'partially_paid', 'paid',
                    'partially_refunded', 'refunded', 'voided'
                )
                or fulfillment_status not in ('fulfilled', 'partial', 'restocked')
                or cancel_reason not in ('customer', 'declined', 'fraud', 'inventory', 'staff', 'other')
                then 'unknown_status'
            when
                total_price is null
                or (subtotal_price is null and nullif(trim(subtotal_price_raw), '') is not null)
                or (total_discounts is null and nullif(trim(total_discounts_raw), '') is not null)
                or (total_shipping is null and nullif(trim(total_shipping_raw), '') is not null)
                then 'invalid_value'
            when total_price < 0 or subtotal_price < 0 or total_discounts < 0 or total_shipping < 0
                then 'negative_amount'
        end as quarantine_reason
    from parsed

)

select * from validated
