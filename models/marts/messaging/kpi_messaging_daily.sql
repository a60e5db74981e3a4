{#
    The Messaging KPIs as long kpi_daily rows, one CTE per KPI (macro
    `kpi_rows`), then union all.

    Daily KPIs read fct_campaign_channel_daily, a send-date cohort: on a
    local send date, one row per campaign (channel = the campaign's
    channel), one per channel over all its campaigns (campaign_id null) and
    one over every messaging channel (`all`); messages sent with no known
    campaign count in the last two only. A KPI a channel's exports
    cannot measure has no rows for that channel, and its `all` row covers
    the channels that measure it: open_rate and click_to_open_rate (email,
    whatsapp), reply_rate (whatsapp, sms), spam_complaint_rate (email),
    cost_per_conversation and return_on_conversation_spend (whatsapp only).
    bounce_rate has dimension `bounce_type` rows (hard, soft) beside the
    headline. Weekly KPIs (period `week`, metric_date the ISO week's
    Monday) read fct_messages: messages_per_person_week and
    median_hours_between_touches, per channel and `all`.
#}

{%- set text = dbt.type_string() -%}

with

campaign_days as (

    select * from {{ ref('fct_campaign_channel_daily') }}

),

delivered_messages as (

    select * from {{ ref('fct_messages') }}
    where is_delivered

),

campaign_slices as (

    select
        send_date as metric_date,
        channel,
        campaign_id,
        is_open_tracked,
        is_reply_tracked,
        is_spam_tracked,
        messages_sent,
        messages_delivered,
        unique_clickers,
        messages_bounced,
        hard_bounces,
        soft_bounces,
        messages_unsubscribed,
        case when is_open_tracked then messages_delivered else 0 end as open_tracked_delivered,
        case when is_open_tracked then unique_openers else 0 end as open_tracked_openers,
        case when is_open_tracked then unique_clickers else 0 end as open_tracked_clickers,
        case when is_reply_tracked then messages_delivered else 0 end as reply_tracked_delivered,
        case when is_reply_tracked then messages_replied else 0 end as reply_tracked_replied,
        case when is_spam_tracked then messages_delivered else 0 end as spam_tracked_delivered,
        case when is_spam_tracked then spam_reports else 0 end as spam_tracked_reports,
        priced_billable_conversations,
        conversation_cost_amount,
        spend_amount,
        attributed_conversions,
        attributed_first_orders,
        attributed_revenue
    from campaign_days

),

-- Every slice of a send date: campaign rows, channel rows, then `all`.
-- Messages of no known campaign count in their channel and in `all` only.
daily_slices as (

    select * from campaign_slices
    where campaign_id is not null

    union all

    select
        metric_date,
        channel,
        cast(null as {{ text }}) as campaign_id,
        {{ dbt.bool_or('is_open_tracked') }} as is_open_tracked,
        {{ dbt.bool_or('is_reply_tracked') }} as is_reply_tracked,
        {{ dbt.bool_or('is_spam_tracked') }} as is_spam_tracked,
        sum(messages_sent) as messages_sent,
        sum(messages_delivered) as messages_delivered,
        sum(unique_clickers) as unique_clickers,
        sum(messages_bounced) as messages_bounced,
        sum(hard_bounces) as hard_bounces,
        sum(soft_bounces) as soft_bounces,
        sum(messages_unsubscribed) as messages_unsubscribed,
        sum(open_tracked_delivered) as open_tracked_delivered,
        sum(open_tracked_openers) as open_tracked_openers,
        sum(open_tracked_clickers) as open_tracked_clickers,
        sum(reply_tracked_delivered) as reply_tracked_delivered,
        sum(reply_tracked_replied) as reply_tracked_replied,
        sum(spam_tracked_delivered) as spam_tracked_delivered,
        sum(spam_tracked_reports) as spam_tracked_reports,
        sum(priced_billable_conversations) as priced_billable_conversations,
        sum(conversation_cost_amount) as conversation_cost_amount,
        sum(spend_amount) as spend_amount,
        sum(attributed_conversions) as attributed_conversions,
        sum(attributed_first_orders) as attributed_first_orders,
        sum(attributed_revenue) as attributed_revenue
    from campaign_slices
    group by
        metric_date,
        channel

    union all

    select
        metric_date,
        'all' as channel,
        cast(null as {{ text }}) as campaign_id,
        true as is_open_tracked,
        true as is_reply_tracked,
        true as is_spam_tracked,
        sum(messages_sent) as messages_sent,
        sum(messages_delivered) as messages_delivered,
        sum(unique_clickers) as unique_clickers,
        sum(messages_bounced) as messages_bounced,
        sum(hard_bounces) as hard_bounces,
        sum(soft_bounces) as soft_bounces,
        sum(messages_unsubscribed) as messages_unsubscribed,
        sum(open_tracked_delivered) as open_tracked_delivered,
        sum(open_tracked_openers) as open_tracked_openers,
        sum(open_tracked_clickers) as open_tracked_clickers,
        sum(reply_tracked_delivered) as reply_tracked_delivered,
        sum(reply_tracked_replied) as reply_tracked_replied,
        sum(spam_tracked_delivered) as spam_tracked_delivered,
        sum(spam_tracked_reports) as spam_tracked_reports,
        sum(priced_billable_conversations) as priced_billable_conversations,
        sum(conversation_cost_amount) as conversation_cost_amount,
        sum(spend_amount) as spend_amount,
        sum(attributed_conversions) as attributed_conversions,
        sum(attributed_first_orders) as attributed_first_orders,
        sum(attributed_revenue) as attributed_revenue
    from campaign_slices
    group by metric_date

),

-- bounce_rate's headline (all failures) and its hard / soft breakdown rows.
bounce_slices as (

    select
        metric_date,
        channel,
        campaign_id,
        'all' as dimension,
        'all' as dimension_value,
        messages_bounced as bounced,
        messages_sent
    from daily_slices

    union all

    select
        metric_date,
        channel,
        campaign_id,
        'bounce_type' as dimension,
        'hard' as dimension_value,
        hard_bounces as bounced,
        messages_sent
    from daily_slices

    union all

    select
        metric_date,
        channel,
        campaign_id,
        'bounce_type' as dimension,
        'soft' as dimension_value,
        soft_bounces as bounced,
        messages_sent
    from daily_slices

),

-- Delivered messages and distinct persons reached per ISO week of the send date.
weekly_reach_slices as (

    select
        send_week as metric_date,
        channel,
        count(*) as delivered_messages,
        count(distinct person_id) as reached_persons
    from delivered_messages
    group by
        send_week,
        channel

    union all

    select
        send_week as metric_date,
        'all' as channel,
        count(*) as delivered_messages,
        count(distinct person_id) as reached_persons
    from delivered_messages
    group by send_week

),

-- Gaps before each delivered message (previous delivered message to the
-- person on any channel), per ISO week of the later message's send date.
weekly_gap_slices as (

    select
        send_week as metric_date,
        channel,
        {{ jornada.median('hours_since_previous_touch') }} as median_hours
    from delivered_messages
    where hours_since_previous_touch is not null
    group by
        send_week,
        channel

    union all

    select
        send_week as metric_date,
        'all' as channel,
        {{ jornada.median('hours_since_previous_touch') }} as median_hours
    from delivered_messages
    where hours_since_previous_touch is not null
    group by send_week

),

delivery_rate as (

    {{ jornada.kpi_rows(
        'daily_slices', 'delivery_rate', 'messaging',
        numerator='messages_delivered', denominator='messages_sent',
    ) }}

),

open_rate as (

    {{ jornada.kpi_rows(
        'daily_slices', 'open_rate', 'messaging',
        numerator='open_tracked_openers', denominator='open_tracked_delivered',
        where='is_open_tracked',
    ) }}

),

click_through_rate as (

    {{ jornada.kpi_rows(
        'daily_slices', 'click_through_rate', 'messaging',
        numerator='unique_clickers', denominator='messages_delivered',
    ) }}

),

click_to_open_rate as (

    {{ jornada.kpi_rows(
        'daily_slices', 'click_to_open_rate', 'messaging',
        numerator='open_tracked_clickers', denominator='open_tracked_openers',
        where='is_open_tracked',
    ) }}

),

reply_rate as (

    {{ jornada.kpi_rows(
        'daily_slices', 'reply_rate', 'messaging',
        numerator='reply_tracked_replied', denominator='reply_tracked_delivered',
        where='is_reply_tracked',
    ) }}

),

bounce_rate as (

    {{ jornada.kpi_rows(
        'bounce_slices', 'bounce_rate', 'messaging',
        numerator='bounced', denominator='messages_sent',
        dimension='dimension', dimension_value='dimension_value',
    ) }}

),

unsubscribe_rate as (

    {{ jornada.kpi_rows(
        'daily_slices', 'unsubscribe_rate', 'messaging',
        numerator='messages_unsubscribed', denominator='messages_delivered',
    ) }}

),

spam_complaint_rate as (

    {{ jornada.kpi_rows(
        'daily_slices', 'spam_complaint_rate', 'messaging',
        numerator='spam_tracked_reports', denominator='spam_tracked_delivered',
        where='is_spam_tracked',
    ) }}

),

messages_per_person_week as (

    {{ jornada.kpi_rows(
        'weekly_reach_slices', 'messages_per_person_week', 'messaging',
        numerator='delivered_messages', denominator='reached_persons',
        period="'week'", campaign_id='null',
    ) }}

),

median_hours_between_touches as (

    {{ jornada.kpi_rows(
        'weekly_gap_slices', 'median_hours_between_touches', 'messaging',
        numerator='median_hours', denominator='1', value='median_hours',
        period="'week'", campaign_id='null',
    ) }}

),

channel_conversion_rate as (

    {{ jornada.kpi_rows(
        'daily_slices', 'channel_conversion_rate', 'messaging',
        numerator='attributed_conversions', denominator='messages_delivered',
    ) }}

),

attributed_revenue as (

    {{ jornada.kpi_rows(
        'daily_slices', 'attributed_revenue', 'messaging',
        numerator='attributed_revenue', denominator='1',
    ) }}

),

cost_per_conversation as (

    {{ jornada.kpi_rows(
        'daily_slices', 'cost_per_conversation', 'messaging',
        numerator='conversation_cost_amount', denominator='priced_billable_conversations',
        where="channel = 'whatsapp'",
    ) }}

),

return_on_conversation_spend as (

    {{ jornada.kpi_rows(
        'daily_slices', 'return_on_conversation_spend', 'messaging',
        numerator='attributed_revenue', denominator='conversation_cost_amount',
        where="channel = 'whatsapp'",
    ) }}

),

roi as (

    {{ jornada.kpi_rows(
        'daily_slices', 'roi', 'messaging',
        numerator='attributed_revenue - spend_amount', denominator='spend_amount',
    ) }}

),

cost_per_acquisition as (

    {{ jornada.kpi_rows(
        'daily_slices', 'cost_per_acquisition', 'messaging',
        numerator='spend_amount', denominator='attributed_first_orders',
    ) }}

),

unioned as (

    {% for kpi in [
        'delivery_rate', 'open_rate', 'click_through_rate', 'click_to_open_rate', 'reply_rate',
        'bounce_rate', 'unsubscribe_rate', 'spam_complaint_rate', 'messages_per_person_week',
        'median_hours_between_touches', 'channel_conversion_rate', 'attributed_revenue',
        'cost_per_conversation', 'return_on_conversation_spend', 'roi', 'cost_per_acquisition',
    ] %}
        select * from {{ kpi }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        kpi_name,
        journey_stage,
        metric_date,
        period,
        channel,
        campaign_id,
        dimension,
        dimension_value,
        numerator,
        denominator,
        value
    from unioned

)

select * from final
