{#
    One row per campaign, channel and local send date: the send-date cohort
    of every message sent that day (each step of a message counts on its
    send date, whenever it happened), so counts add up exactly over days,
    weeks, channels and campaigns. Beside the funnel:

    - unique clickers: SendGrid clicks on email; on WhatsApp and SMS the
      distinct web visitors of fct_messaging_web_clicks, dated to the send
      their visit was tied to;
    - costs, kept apart because they disagree: `spend_amount` from the
      daily spend export (int_spend_daily_converted, the billed amount in
      BRL, the cost of roi and cost_per_acquisition); `vendor_cost_amount`,
      what the vendors report per message (Twilio price, WhatsApp
      conversation charges; SendGrid reports none); the WhatsApp
      conversations opened and their charges;
    - attribution under the selected model (var `attribution_model`) of the
      conversion types in var `messaging_conversion_types`: credit of this
      campaign's touches (its messages and its tagged visits) dated to the
      local date of the earliest credited touch.
    A row exists when the campaign sent, was billed or was credited that day.

    Messages sent with no known campaign (an SMS carries its campaign only on
    its Twilio status callbacks; when none arrived, it has none) make one row
    per channel and day with campaign_id null, so channel totals still count
    them; spend, web clicks and attribution always have a campaign. Rows are
    matched on campaign_id with `is not distinct from` for that row.
#}

{%- set conversion_types = var('messaging_conversion_types') -%}

with

messages as (

    select * from {{ ref('fct_messages') }}
    where is_sent

),

web_clicks as (

    select * from {{ ref('fct_messaging_web_clicks') }}
    where is_counted

),

spend as (

    select * from {{ ref('int_spend_daily_converted') }}
    where {{ jornada.messaging_channel_in('channel', jornada.messaging_channels()) }}

),

attributed_conversions as (

    select * from {{ ref('fct_attributed_conversions') }}
    where
        is_selected_model
        and {{ jornada.messaging_channel_in('channel', jornada.messaging_channels()) }}
        and campaign_id is not null
        and {{ jornada.messaging_value_in('conversion_type', conversion_types) }}

),

channel_tracking as (

    select
        channel,
        {{ dbt.bool_or('is_open_tracked') }} as is_open_tracked,
        {{ dbt.bool_or('is_click_tracked') }} as is_click_tracked,
        {{ dbt.bool_or('is_reply_tracked') }} as is_reply_tracked,
        {{ dbt.bool_or('is_spam_tracked') }} as is_spam_tracked
    from messages
    group by channel

),

message_daily as (

    select
        send_date,
        channel,
        campaign_id,
        count(*) as messages_sent,
        sum(case when is_delivered then 1 else 0 end) as messages_delivered,
        sum(case when is_opened then 1 else 0 end) as unique_openers,
        sum(case when has_open_event then 1 else 0 end) as messages_with_open_events,
        sum(case when has_machine_open and not is_opened then 1 else 0 end) as machine_only_opens,
        sum(case when is_click_tracked and is_clicked then 1 else 0 end) as vendor_clickers,
        sum(case when is_replied then 1 else 0 end) as messages_replied,
        sum(case when is_bounced_or_failed then 1 else 0 end) as messages_bounced,
        sum(case when is_bounced_or_failed and bounce_type = 'hard' then 1 else 0 end) as hard_bounces,
        sum(case when is_bounced_or_failed and bounce_type = 'soft' then 1 else 0 end) as soft_bounces,
        sum(case when is_failed then 1 else 0 end) as messages_failed,
        sum(case when is_unsubscribed then 1 else 0 end) as messages_unsubscribed,
        sum(case when is_spam_reported then 1 else 0 end) as spam_reports,
        sum(case when currency = '{{ var("reporting_currency") }}' then cost_amount end) as vendor_cost_amount,
        sum(case when is_billable_conversation_opener then 1 else 0 end) as billable_conversations,
        sum(
            case when is_billable_conversation_opener and cost_amount is not null then 1 else 0 end
        ) as priced_billable_conversations,
        sum(
            case when is_billable_conversation_opener then cost_amount end
        ) as conversation_cost_amount
    from messages
    group by
        send_date,
        channel,
        campaign_id

),

web_click_daily as (

    select
        send_date,
        channel,
        campaign_id,
        count(distinct visitor_key) as web_clickers
    from web_clicks
    group by
        send_date,
        channel,
        campaign_id

),

spend_daily as (

    select
        spend_date as send_date,
        channel,
        campaign_id,
        sum(amount) as spend_amount
    from spend
    group by
        spend_date,
        channel,
        campaign_id

),

attribution_daily as (

    select
        attributed_date as send_date,
        channel,
        campaign_id,
        sum(credit) as attributed_conversions,
        sum(case when is_first_order then credit else 0 end) as attributed_first_orders,
        sum(attributed_revenue) as attributed_revenue
    from attributed_conversions
    group by
        attributed_date,
        channel,
        campaign_id

),

day_keys as (

    select
        send_date,
        channel,
        campaign_id
    from message_daily
    union
    select
        send_date,
        channel,
        campaign_id
    from web_click_daily
    union
    select
        send_date,
        channel,
        campaign_id
    from spend_daily
    union
    select
        send_date,
        channel,
        campaign_id
    from attribution_daily

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "coalesce(day_keys.campaign_id, '')", "'|'", "day_keys.channel", "'|'",
            "cast(day_keys.send_date as " ~ dbt.type_string() ~ ")",
        ])) }} as campaign_channel_day_id,
        day_keys.send_date,
        day_keys.channel,
        day_keys.campaign_id,
        coalesce(channel_tracking.is_open_tracked, false) as is_open_tracked,
        coalesce(channel_tracking.is_click_tracked, false) as is_click_tracked,
        coalesce(channel_tracking.is_reply_tracked, false) as is_reply_tracked,
        coalesce(channel_tracking.is_spam_tracked, false) as is_spam_tracked,
        cast(coalesce(message_daily.messages_sent, 0) as {{ dbt.type_bigint() }}) as messages_sent,
        cast(coalesce(message_daily.messages_delivered, 0) as {{ dbt.type_bigint() }}) as messages_delivered,
        cast(coalesce(message_daily.unique_openers, 0) as {{ dbt.type_bigint() }}) as unique_openers,
        cast(
            coalesce(message_daily.messages_with_open_events, 0) as {{ dbt.type_bigint() }}
        ) as messages_with_open_events,
        cast(coalesce(message_daily.machine_only_opens, 0) as {{ dbt.type_bigint() }}) as machine_only_opens,
        cast(
            coalesce(message_daily.vendor_clickers, 0) + coalesce(web_click_daily.web_clickers, 0)
            as {{ dbt.type_bigint() }}
        ) as unique_clickers,
        cast(coalesce(message_daily.vendor_clickers, 0) as {{ dbt.type_bigint() }}) as vendor_clickers,
        cast(coalesce(web_click_daily.web_clickers, 0) as {{ dbt.type_bigint() }}) as web_clickers,
        cast(coalesce(message_daily.messages_replied, 0) as {{ dbt.type_bigint() }}) as messages_replied,
        cast(coalesce(message_daily.messages_bounced, 0) as {{ dbt.type_bigint() }}) as messages_bounced,
        cast(coalesce(message_daily.hard_bounces, 0) as {{ dbt.type_bigint() }}) as hard_bounces,
        cast(coalesce(message_daily.soft_bounces, 0) as {{ dbt.type_bigint() }}) as soft_bounces,
        cast(coalesce(message_daily.messages_failed, 0) as {{ dbt.type_bigint() }}) as messages_failed,
        cast(
            coalesce(message_daily.messages_unsubscribed, 0) as {{ dbt.type_bigint() }}
        ) as messages_unsubscribed,
        cast(coalesce(message_daily.spam_reports, 0) as {{ dbt.type_bigint() }}) as spam_reports,
        cast(coalesce(spend_daily.spend_amount, 0) as decimal(18, 2)) as spend_amount,
        cast(message_daily.vendor_cost_amount as decimal(18, 2)) as vendor_cost_amount,
        cast(
            coalesce(message_daily.billable_conversations, 0) as {{ dbt.type_bigint() }}
        ) as billable_conversations,
        cast(
            coalesce(message_daily.priced_billable_conversations, 0) as {{ dbt.type_bigint() }}
        ) as priced_billable_conversations,
        cast(coalesce(message_daily.conversation_cost_amount, 0) as decimal(18, 2)) as conversation_cost_amount,
        '{{ var("reporting_currency") }}' as currency,
        cast(
            coalesce(attribution_daily.attributed_conversions, 0) as {{ jornada.type_double() }}
        ) as attributed_conversions,
        cast(
            coalesce(attribution_daily.attributed_first_orders, 0) as {{ jornada.type_double() }}
        ) as attributed_first_orders,
        cast(coalesce(attribution_daily.attributed_revenue, 0) as decimal(18, 2)) as attributed_revenue
    from day_keys
    left join channel_tracking
        on day_keys.channel = channel_tracking.channel
    left join message_daily
        on
            day_keys.send_date = message_daily.send_date
            and day_keys.channel = message_daily.channel
            and day_keys.campaign_id is not distinct from message_daily.campaign_id
    left join web_click_daily
        on
            day_keys.send_date = web_click_daily.send_date
            and day_keys.channel = web_click_daily.channel
            and day_keys.campaign_id is not distinct from web_click_daily.campaign_id
    left join spend_daily
        on
            day_keys.send_date = spend_daily.send_date
            and day_keys.channel = spend_daily.channel
            and day_keys.campaign_id is not distinct from spend_daily.campaign_id
    left join attribution_daily
        on
            day_keys.send_date = attribution_daily.send_date
            and day_keys.channel = attribution_daily.channel
            and day_keys.campaign_id is not distinct from attribution_daily.campaign_id

)

select * from final
