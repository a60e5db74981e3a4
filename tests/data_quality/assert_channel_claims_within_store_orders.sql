{{ config(severity='warn', store_failures=true) }}

-- The store's valid orders of a local order date (fct_orders) against the
-- orders every channel claims for itself by its own rules that day
-- (fct_channel_conversion_claims, channel rows over all campaigns): each
-- platform counts an order when the buyer had one of its touches within its
-- lookback, so channels claim the same order many times. Lists every day on
-- which the channels together claim more orders than the store took, beyond
-- var `divergence_tolerance`, with each claiming channel's count; the
-- conversion_over_claim alert of kpi_alerts fires on the same days. Warns:
-- over-claiming is structural in multi-touch journeys, and the list shows
-- how far the platforms' own dashboards overstate conversions.

with

orders as (

    select * from {{ ref('fct_orders') }}
    where is_valid_order

),

claims as (

    select * from {{ ref('fct_channel_conversion_claims') }}
    where campaign_id is null and claimed_orders > 0

),

store_orders as (

    select
        order_date,
        count(*) as store_orders
    from orders
    group by order_date

),

daily_claims as (

    select
        order_date,
        sum(claimed_orders) as claimed_orders,
        count(*) as claiming_channels,
        {{ dbt.listagg(
            dbt.concat(["channel", "': '", "cast(claimed_orders as " ~ dbt.type_string() ~ ")"]),
            "', '",
            "order by claimed_orders desc, channel",
        ) }} as claims_by_channel
    from claims
    group by order_date

),

compared as (

    select
        daily_claims.order_date,
        daily_claims.claimed_orders,
        daily_claims.claiming_channels,
        daily_claims.claims_by_channel,
        coalesce(store_orders.store_orders, 0) as store_orders
    from daily_claims
    left join store_orders
        on daily_claims.order_date = store_orders.order_date

),

final as (

    select
        order_date,
        store_orders,
        claimed_orders,
        claiming_channels,
        claims_by_channel,
        claimed_orders - store_orders as over_claimed_orders,
        {{ jornada.safe_divide('claimed_orders', 'store_orders') }} as claims_per_store_order
    from compared
    where claimed_orders > store_orders * (1 + {{ var('divergence_tolerance') }})

)

select * from final
