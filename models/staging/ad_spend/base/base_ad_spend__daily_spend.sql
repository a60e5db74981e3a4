{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('ad_spend', 'daily_spend') }}

),

parsed as (

    select
        {{ jornada.safe_cast('trim(spend_date)', 'date') }} as spend_date,
        lower(trim(platform)) as platform,
        lower(trim(channel)) as channel,
        nullif(trim(campaign_id), '') as campaign_id,
        {{ jornada.to_money('trim(amount)') }} as amount,
        upper(trim(currency)) as currency,
        {{ jornada.safe_cast('trim(impressions)', 'bigint') }} as impressions,
        {{ jornada.safe_cast('trim(clicks)', 'bigint') }} as clicks,
        {{ jornada.safe_cast('trim(billable_conversations)', 'bigint') }} as billable_conversations,
        {{ jornada.safe_cast('trim(messages_sent)', 'bigint') }} as messages_sent,
        spend_date as spend_date_raw,
        amount as amount_raw,
        nullif(trim(impressions), '') as impressions_raw,
        nullif(trim(clicks), '') as clicks_raw,
        nullif(trim(billable_conversations), '') as billable_conversations_raw,
        nullif(trim(messages_sent), '') as messages_sent_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when campaign_id is null or platform is null or platform = '' then 'missing_id'
            when spend_date is null then 'unparseable_timestamp'
            when amount < 0 then 'negative_amount'
            when
                amount is null
                or currency is null
                or length(currency) <> 3
                or not (
                    (platform = 'sendgrid' and channel = 'email')
                    or (platform = 'whatsapp_cloud_api' and channel = 'whatsapp')
                    or (platform = 'twilio' and channel = 'sms')
                    or (platform in ('meta_ads', 'google_ads') and channel = 'ads')
                    or (platform = 'instagram' and channel = 'social')
                )
                or (impressions_raw is not null and impressions is null)
                or (clicks_raw is not null and clicks is null)
                or (billable_conversations_raw is not null and billable_conversations is null)
                or (messages_sent_raw is not null and messages_sent is null)
                or impressions < 0
                or clicks < 0
                or billable_conversations < 0
                or messages_sent < 0
                then 'invalid_value'
        end as quarantine_reason
    from parsed

)

select * from validated
