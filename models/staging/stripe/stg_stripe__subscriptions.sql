with

base as (

    select * from {{ ref('base_stripe__subscriptions') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ jornada.deduplicate('base', partition_by='subscription_id', order_by='loaded_at desc, source_file_name desc') }}

),

flagged as (

    select
        *,
        status in ('active', 'past_due') as is_active
    from deduplicated

),

final as (

    select
        subscription_id,
        customer_id,
        status,
        is_active,
        plan_name,
        created_at,
        started_at,
        billing_cycle_anchor_at,
        cancel_at,
        is_cancel_at_period_end,
        canceled_at,
        ended_at,
        cancellation_reason,
        collection_method,
        currency,
        is_livemode,
        source_file_name,
        loaded_at
    from flagged

)

select * from final
