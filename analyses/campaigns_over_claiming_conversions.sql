{#
    Which campaigns over-claim conversions: the orders each campaign would
    claim the way a platform's dashboard counts them (every order of a buyer
    it touched within the channel's lookback, fct_channel_conversion_claims)
    against the credit attribution gives it (fct_attributed_conversions).

    One row per campaign and channel, over the whole history: claimed orders
    and revenue; the orders and revenue credited by the selected attribution
    model (var `attribution_model`, the one the KPIs report) and by the most
    generous of the six models for that campaign; the over-claim (claimed
    minus credited orders) and its ratio. A campaign over-claims
    (`is_over_claiming`) when its claims exceed the selected model's credit
    by more than var `divergence_tolerance` (default 2%) of the credit, or
    when it claims orders attribution never credits it with. Conversions are
    the valid orders (first and repeat) both sides count; leads and
    subscriptions are left out, as claims cover orders only.
#}

with

claims as (

    select * from {{ ref('fct_channel_conversion_claims') }}

),

attributed_conversions as (

    select * from {{ ref('fct_attributed_conversions') }}

),

campaign_claims as (

    select
        campaign_id,
        channel,
        sum(claimed_orders) as claimed_orders,
        sum(claimed_revenue) as claimed_revenue
    from claims
    where campaign_id is not null
    group by
        campaign_id,
        channel

),

credit_per_model as (

    select
        campaign_id,
        channel,
        attribution_model,
        {{ dbt.bool_or('is_selected_model') }} as is_selected_model,
        sum(credit) as credited_orders,
        sum(attributed_revenue) as credited_revenue
    from attributed_conversions
    where
        campaign_id is not null
        and conversion_type in ('first_order', 'repeat_order')
    group by
        campaign_id,
        channel,
        attribution_model

),

campaign_credit as (

    select
        campaign_id,
        channel,
        sum(case when is_selected_model then credited_orders else 0 end) as credited_orders,
        sum(case when is_selected_model then credited_revenue else 0 end) as credited_revenue,
        max(credited_orders) as max_model_credited_orders
    from credit_per_model
    group by
        campaign_id,
        channel

),

compared as (

    select
        coalesce(campaign_claims.campaign_id, campaign_credit.campaign_id) as campaign_id,
        coalesce(campaign_claims.channel, campaign_credit.channel) as channel,
        coalesce(campaign_claims.claimed_orders, 0) as claimed_orders,
        coalesce(campaign_credit.credited_orders, 0) as credited_orders,
        coalesce(campaign_credit.max_model_credited_orders, 0) as max_model_credited_orders,
        coalesce(campaign_claims.claimed_revenue, 0) as claimed_revenue,
        coalesce(campaign_credit.credited_revenue, 0) as credited_revenue
    from campaign_claims
    full outer join campaign_credit
        on
            campaign_claims.campaign_id = campaign_credit.campaign_id
            and campaign_claims.channel = campaign_credit.channel

),

final as (

    select
        campaign_id,
        channel,
        claimed_orders,
        credited_orders,
        max_model_credited_orders,
        claimed_orders - credited_orders as over_claimed_orders,
        {{ jornada.safe_divide('claimed_orders', 'credited_orders') }} as claim_to_credit_ratio,
        claimed_revenue,
        credited_revenue,
        claimed_revenue - credited_revenue as over_claimed_revenue,
        claimed_orders > credited_orders * (1 + {{ var('divergence_tolerance') }}) as is_over_claiming
    from compared

)

select * from final
order by over_claimed_orders desc, campaign_id asc, channel asc
