{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('shopify', 'customers') }}

),

parsed as (

    select
        nullif(trim(id), '') as customer_id,
        {{ jornada.iso_to_timestamp('created_at') }} as created_at,
        {{ jornada.iso_to_timestamp('updated_at') }} as updated_at,
        {{ jornada.safe_cast('orders_count', 'integer') }} as orders_count,
        {{ jornada.to_money('total_spent') }} as total_spent,
        upper(trim(currency)) as currency,
        nullif(trim(last_order_id), '') as last_order_id,
        lower(trim(state)) as customer_state,
        lower(verified_email) = 'true' as is_verified_email,
        lower(accepts_marketing) = 'true' as is_accepting_marketing,
        nullif(lower(trim(email_marketing_consent__state)), '') as email_marketing_consent_state,
        nullif(lower(trim(email_marketing_consent__opt_in_level)), '') as email_marketing_opt_in_level,
        {{ jornada.iso_to_timestamp('email_marketing_consent__consent_updated_at') }}
            as email_marketing_consent_updated_at,
        tags,
        default_address__city as city,
        upper(trim(default_address__province_code)) as province_code,
        upper(trim(default_address__country_code)) as country_code,
        email as email_raw,
        phone as phone_raw,
        first_name as first_name_raw,
        last_name as last_name_raw,
        updated_at as updated_at_raw,
        email_marketing_consent__consent_updated_at as email_marketing_consent_updated_at_raw,
        orders_count as orders_count_raw,
        total_spent as total_spent_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when customer_id is null then 'missing_id'
            when
                created_at is null
                or (updated_at is null and nullif(trim(updated_at_raw), '') is not null)
                or (
                    email_marketing_consent_updated_at is null
                    and nullif(trim(email_marketing_consent_updated_at_raw), '') is not null
                )
                then 'unparseable_timestamp'
            when
                customer_state is null
                or customer_state not in ('disabled', 'invited', 'enabled', 'declined')
                or email_marketing_consent_state not in (
                    'subscribed', 'not_subscribed', 'pending', 'unsubscribed', 'redacted', 'invalid'
                )
                or email_marketing_opt_in_level not in ('single_opt_in', 'confirmed_opt_in', 'unknown')
                then 'unknown_status'
            when
                (orders_count is null and nullif(trim(orders_count_raw), '') is not null)
                or (total_spent is null and nullif(trim(total_spent_raw), '') is not null)
                then 'invalid_value'
            when total_spent < 0 or orders_count < 0 then 'negative_amount'
        end as quarantine_reason
    from parsed

)

select * from validated
