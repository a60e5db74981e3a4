-- Attributed revenue never exceeds real revenue: per conversion and model,
-- the credited revenue adds up to the conversion's revenue (to the cent),
-- and over all conversions of a model it adds up to the valid orders' net
-- revenue.

with

credits as (

    select * from {{ ref('int_attribution_touches_credited') }}

),

orders as (

    select * from {{ ref('int_orders_enriched') }}
    where is_valid_order

),

per_conversion as (

    select
        attribution_model,
        conversion_id,
        max(revenue) as revenue,
        sum(attributed_revenue) as attributed_revenue
    from credits
    group by attribution_model, conversion_id

),

over_credited_conversions as (

    select
        attribution_model,
        conversion_id as checked_id,
        revenue,
        attributed_revenue
    from per_conversion
    where attributed_revenue > revenue + 0.005

),

per_model as (

    select
        attribution_model,
        sum(attributed_revenue) as attributed_revenue
    from credits
    group by attribution_model

),

order_revenue as (

    select sum(net_revenue) as revenue
    from orders

),

over_credited_models as (

    select
        per_model.attribution_model,
        'all conversions' as checked_id,
        order_revenue.revenue,
        per_model.attributed_revenue
    from per_model
    cross join order_revenue
    where per_model.attributed_revenue > order_revenue.revenue + 0.005

),

final as (

    select * from over_credited_conversions
    union all
    select * from over_credited_models

)

select * from final
