{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('stripe', 'subscriptions') }}

),

parsed as (

    select
        nullif(trim(id), '') as subscription_id,
        nullif(trim(customer), '') as customer_id,
        lower(trim(status)) as status,
        {{ jornada.epoch_seconds_to_timestamp('created') }} as created_at,
        {{ jornada.epoch_seconds_to_timestamp('start_date') }} as started_at,
        {{ jornada.epoch_seconds_to_timestamp('billing_cycle_anchor') }} as billing_cycle_anchor_at,
        {{ jornada.epoch_seconds_to_timestamp('cancel_at') }} as cancel_at,
        coalesce(lower(cancel_at_period_end) = 'true', false) as is_cancel_at_period_end,
        {{ jornada.epoch_seconds_to_timestamp('canceled_at') }} as canceled_at,
        {{ jornada.epoch_seconds_to_timestamp('ended_at') }} as ended_at,
        nullif(trim(cancellation_details__reason), '') as cancellation_reason,
        nullif(trim(collection_method), '') as collection_method,
        upper(trim(currency)) as currency,
        coalesce(lower(livemode) = 'true', false) as is_livemode,
        nullif(trim(metadata__plan_name), '') as plan_name,
        created as created_raw,
        start_date as start_date_raw,
        billing_cycle_anchor as billing_cycle_anchor_raw,
        cancel_at as cancel_at_raw,
        canceled_at as canceled_at_raw,
        ended_at as ended_at_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when subscription_id is null then 'missing_id'
            when
                created_at is null
                or (nullif(trim(start_date_raw), '') is not null and started_at is null)
                or (nullif(trim(billing_cycle_anchor_raw), '') is not null and billing_cycle_anchor_at is null)
                or (nullif(trim(cancel_at_raw), '') is not null and cancel_at is null)
                or (nullif(trim(canceled_at_raw), '') is not null and canceled_at is null)
                or (nullif(trim(ended_at_raw), '') is not null and ended_at is null)
                then 'unparseable_timestamp'
            when status is null or status not in (
                'incomplete', 'incomplete_expired', 'trialing', 'active',
                'past_due', 'canceled', 'unpaid', 'paused'
            ) then 'unknown_status'
        end as quarantine_reason
    from parsed

)

select * from validated
