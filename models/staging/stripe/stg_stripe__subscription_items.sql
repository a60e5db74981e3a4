with

base as (

    select * from {{ ref('base_stripe__subscription_items') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ jornada.deduplicate(
        'base',
        partition_by='subscription_item_id',
        order_by='loaded_at desc, source_file_name desc'
    ) }}

),

sequenced as (

    select
        *,
        lead(created_at) over (
            partition by subscription_id
            order by created_at, subscription_item_id
        ) as next_item_created_at,
        case billing_interval
            when 'day' then 12.0 / 365
            when 'week' then 12.0 / 52
            when 'month' then 1.0
            when 'year' then 12.0
        end * billing_interval_count as months_per_interval
    from deduplicated

),

amounts as (

    select
        *,
        cast(unit_amount_cents / 100.0 as decimal(18, 2)) as unit_amount,
        cast(unit_amount_cents * quantity / (100.0 * months_per_interval) as decimal(18, 2)) as monthly_amount,
        case when is_deleted then next_item_created_at end as replaced_at
    from sequenced

),

final as (

    select
        subscription_item_id,
        subscription_id,
        price_id,
        product_id,
        created_at,
        quantity,
        unit_amount,
        currency,
        billing_interval,
        billing_interval_count,
        monthly_amount,
        current_period_start_at,
        current_period_end_at,
        is_deleted,
        replaced_at,
        source_file_name,
        loaded_at
    from amounts

)

select * from final
