{#
    Daily spend of every paid platform in the reporting currency, converted
    with the rate of the spend's local date; the billed currency and amount
    are kept.
#}

with

spend as (

    select * from {{ ref('stg_ad_spend__daily_spend') }}

),

fx_rates as (

    select * from {{ ref('int_fx_rates_daily') }}

),

final as (

    select
        spend.daily_spend_id,
        spend.spend_date,
        spend.channel,
        spend.campaign_id,
        spend.platform,
        {{ jornada.to_reporting_currency('spend.amount', 'fx_rates.rate_to_reporting') }} as amount,
        '{{ var("reporting_currency") }}' as currency,
        spend.amount as original_amount,
        spend.currency as original_currency,
        fx_rates.rate_to_reporting as fx_rate,
        spend.impressions,
        spend.clicks,
        spend.billable_conversations,
        spend.messages_sent
    from spend
    left join fx_rates
        on
            spend.spend_date = fx_rates.rate_date
            and spend.currency = fx_rates.currency

)

select * from final
