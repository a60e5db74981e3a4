{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('stripe', 'subscription_items') }}

),

parsed as (

    select
        nullif(trim(id), '') as subscription_item_id,
        nullif(trim(subscription), '') as subscription_id,
        {{ jornada.epoch_seconds_to_timestamp('created') }} as created_at,
        {{ jornada.safe_cast('quantity', 'integer') }} as quantity,
        {{ jornada.epoch_seconds_to_timestamp('current_period_start') }} as current_period_start_at,
        {{ jornada.epoch_seconds_to_timestamp('current_period_end') }} as current_period_end_at,
        nullif(trim(price__id), '') as price_id,
        nullif(trim(price__product), '') as product_id,
        {{ jornada.safe_cast('price__unit_amount', 'bigint') }} as unit_amount_cents,
        upper(trim(price__currency)) as currency,
        lower(trim(price__recurring__interval)) as billing_interval,
        {{ jornada.safe_cast('price__recurring__interval_count', 'integer') }} as billing_interval_count,
        coalesce(lower(deleted) = 'true', false) as is_deleted,
        created as created_raw,
        current_period_start as current_period_start_raw,
        current_period_end as current_period_end_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when subscription_item_id is null then 'missing_id'
            when
                created_at is null
                or (nullif(trim(current_period_start_raw), '') is not null and current_period_start_at is null)
                or (nullif(trim(current_period_end_raw), '') is not null and current_period_end_at is null)
                then 'unparseable_timestamp'
            when unit_amount_cents < 0 then 'negative_amount'
            when
                subscription_id is null
                or unit_amount_cents is null
                or quantity is null
                or billing_interval_count is null
                or billing_interval is null
                or billing_interval not in ('day', 'week', 'month', 'year')
                then 'invalid_value'
        end as quarantine_reason
    from parsed

)

select * from validated
