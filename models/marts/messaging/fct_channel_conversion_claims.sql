{#
    What each channel's own dashboard would claim, against the real orders.

    A platform counts a conversion for itself when the buyer had any of its
    touches within its lookback window, whatever other channels did: a
    valid order (first or repeat, int_conversions_unioned) is claimed by a
    channel when the same person (identity graph) had a touch on that
    channel at or before the order and at most the channel's var
    `attribution_lookback_days` earlier (a touch exactly that old still
    counts; channels not listed use `web`'s). Touches: the attributable ones
    (delivered messages, web visits by traffic channel, chat conversations)
    and a message's open, click or reply. One order can be claimed by many
    channels (and campaigns), so claims summed over channels exceed the
    real orders: the over-claiming that single-touch attribution removes.

    One row per local order date and channel (campaign_id null: the
    channel's claims over all its campaigns), with every channel that has
    touches on every date with orders, plus one row per date, channel and
    campaign with claims.
#}

{%- set lookback_days = var('attribution_lookback_days') -%}
{%- set default_lookback_days = lookback_days.get('web', 30) -%}

with

conversions as (

    select * from {{ ref('int_conversions_unioned') }}
    where conversion_type in ('first_order', 'repeat_order')

),

touchpoints as (

    select * from {{ ref('int_touchpoints') }}
    where
        is_attributable
        or touchpoint_type in ('message_open', 'message_click', 'message_reply')

),

touch_lookbacks as (

    select
        person_id,
        channel,
        campaign_id,
        occurred_at,
        case channel
            {%- for channel, days in lookback_days.items() %}
                when '{{ channel }}' then {{ days }}
            {%- endfor %}
            else {{ default_lookback_days }}
        end as lookback_days
    from touchpoints

),

claim_touches as (

    select
        conversions.conversion_id,
        conversions.converted_date,
        conversions.revenue,
        touch_lookbacks.channel,
        touch_lookbacks.campaign_id,
        touch_lookbacks.lookback_days
    from conversions
    inner join touch_lookbacks
        on
            conversions.person_id = touch_lookbacks.person_id
            and conversions.converted_at >= touch_lookbacks.occurred_at
            and {{ dbt.datediff('touch_lookbacks.occurred_at', 'conversions.converted_at', 'second') }}
            <= touch_lookbacks.lookback_days * 86400

),

channel_claims as (

    select distinct
        conversion_id,
        converted_date,
        revenue,
        channel
    from claim_touches

),

campaign_claims as (

    select distinct
        conversion_id,
        converted_date,
        revenue,
        channel,
        campaign_id
    from claim_touches
    where campaign_id is not null

),

daily_orders as (

    select
        converted_date,
        count(*) as real_orders,
        sum(revenue) as real_revenue
    from conversions
    group by converted_date

),

daily_claims as (

    select
        converted_date,
        count(distinct conversion_id) as orders_claimed_by_any_channel
    from channel_claims
    group by converted_date

),

channels as (

    select
        channel,
        max(lookback_days) as lookback_days
    from touch_lookbacks
    group by channel

),

channel_days as (

    select
        daily_orders.converted_date,
        channels.channel,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        channels.lookback_days,
        count(channel_claims.conversion_id) as claimed_orders,
        coalesce(sum(channel_claims.revenue), 0) as claimed_revenue
    from daily_orders
    cross join channels
    left join channel_claims
        on
            daily_orders.converted_date = channel_claims.converted_date
            and channels.channel = channel_claims.channel
    group by
        daily_orders.converted_date,
        channels.channel,
        channels.lookback_days

),

campaign_days as (

    select
        campaign_claims.converted_date,
        campaign_claims.channel,
        campaign_claims.campaign_id,
        channels.lookback_days,
        count(*) as claimed_orders,
        sum(campaign_claims.revenue) as claimed_revenue
    from campaign_claims
    inner join channels
        on campaign_claims.channel = channels.channel
    group by
        campaign_claims.converted_date,
        campaign_claims.channel,
        campaign_claims.campaign_id,
        channels.lookback_days

),

day_totals as (

    select
        converted_date,
        sum(claimed_orders) as all_channel_claimed_orders
    from channel_days
    group by converted_date

),

claim_rows as (

    select * from channel_days
    union all
    select * from campaign_days

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "cast(claim_rows.converted_date as " ~ dbt.type_string() ~ ")", "'|'",
            "claim_rows.channel", "'|'", "coalesce(claim_rows.campaign_id, '')",
        ])) }} as channel_claim_id,
        claim_rows.converted_date as order_date,
        claim_rows.channel,
        claim_rows.campaign_id,
        cast(claim_rows.lookback_days as {{ dbt.type_bigint() }}) as lookback_days,
        cast(claim_rows.claimed_orders as {{ dbt.type_bigint() }}) as claimed_orders,
        cast(claim_rows.claimed_revenue as decimal(18, 2)) as claimed_revenue,
        cast(daily_orders.real_orders as {{ dbt.type_bigint() }}) as real_orders,
        cast(daily_orders.real_revenue as decimal(18, 2)) as real_revenue,
        cast(coalesce(daily_claims.orders_claimed_by_any_channel, 0) as {{ dbt.type_bigint() }})
            as orders_claimed_by_any_channel,
        cast(day_totals.all_channel_claimed_orders as {{ dbt.type_bigint() }}) as all_channel_claimed_orders,
        day_totals.all_channel_claimed_orders > daily_orders.real_orders as is_over_claimed,
        '{{ var("reporting_currency") }}' as currency
    from claim_rows
    inner join daily_orders
        on claim_rows.converted_date = daily_orders.converted_date
    inner join day_totals
        on claim_rows.converted_date = day_totals.converted_date
    left join daily_claims
        on claim_rows.converted_date = daily_claims.converted_date

)

select * from final
