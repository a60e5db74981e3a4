{#
    One row per outbound message (email, WhatsApp, SMS): the lifecycle of
    int_message_lifecycles_pivoted plus what the Messaging KPIs add:

    - clicks on WhatsApp and SMS, whose exports carry none: a tagged GA4
      visit tied to this message in fct_messaging_web_clicks (same person,
      same campaign and channel, within var messaging_web_click_window_hours
      of the send) makes it clicked (`click_source` web_session); email
      clicks are SendGrid's (`click_source` vendor);
    - with var messaging_click_implies_open, such a click on an
      open-tracked channel (a WhatsApp link is tapped in the open chat) is a
      read too, so clickers never exceed openers; machine opens never count;
    - `has_open_event`: an open or read event of any kind was exported,
      machine opens included: what the vendors' dashboards count;
    - the opening message of a billable WhatsApp conversation, which
      carries the conversation's charge;
    - the gap to the person's previous touch: hours since the previous
      delivered message to the same person on any channel (delivered
      messages only; ties ordered by message id).
#}

{%- set using_whatsapp = var('jornada__using_whatsapp') -%}
{%- set click_implies_open = var('messaging_click_implies_open') -%}

with

lifecycles as (

    select * from {{ ref('int_message_lifecycles_pivoted') }}

),

web_clicks as (

    select * from {{ ref('fct_messaging_web_clicks') }}
    where is_linked_to_message

),

{% if using_whatsapp %}
    conversations as (

        select * from {{ ref('int_whatsapp_conversations_aggregated') }}
        where is_billable

    ),

{% endif %}
linked_clicks as (

    select
        message_id,
        min(clicked_at) as first_web_clicked_at,
        count(*) as web_click_sessions
    from web_clicks
    group by message_id

),

delivered_touches as (

    select
        message_id,
        lag(sent_at) over (
            partition by person_id
            order by sent_at, message_id
        ) as previous_touch_at,
        lag(channel) over (
            partition by person_id
            order by sent_at, message_id
        ) as previous_touch_channel
    from lifecycles
    where is_delivered

),

enriched as (

    select
        lifecycles.*,
        linked_clicks.first_web_clicked_at,
        coalesce(linked_clicks.web_click_sessions, 0) as web_click_sessions,
        delivered_touches.previous_touch_at,
        delivered_touches.previous_touch_channel,
        {{ dbt.datediff('delivered_touches.previous_touch_at', 'lifecycles.sent_at', 'second') }}
            as seconds_since_previous_touch,
        {% if using_whatsapp -%}
            conversations.whatsapp_conversation_id is not null as is_billable_conversation_opener
        {%- else -%}
            false as is_billable_conversation_opener
        {%- endif %}
    from lifecycles
    left join linked_clicks
        on lifecycles.message_id = linked_clicks.message_id
    left join delivered_touches
        on lifecycles.message_id = delivered_touches.message_id
    {% if using_whatsapp -%}
        left join conversations
            on lifecycles.message_id = conversations.opening_message_id
    {%- endif %}

),

final as (

    select
        message_id,
        channel,
        campaign_id,
        ab_variant,
        journey,
        person_id,
        sent_at,
        send_date,
        cast({{ dbt.date_trunc('week', 'send_date') }} as date) as send_week,
        delivered_at,
        {% if click_implies_open -%}
            case
                when is_open_tracked then least(first_opened_at, first_web_clicked_at)
                else first_opened_at
            end as first_opened_at,
        {%- else -%}
            first_opened_at,
        {%- endif %}
        least(first_clicked_at, first_web_clicked_at) as first_clicked_at,
        first_replied_at,
        bounced_at,
        failed_at,
        unsubscribed_at,
        spam_reported_at,
        is_sent,
        is_delivered,
        is_delivery_implied,
        is_open_tracked,
        {% if click_implies_open -%}
            is_opened or (is_open_tracked and first_web_clicked_at is not null) as is_opened,
        {%- else -%}
            is_opened,
        {%- endif %}
        open_count > 0 or has_machine_open as has_open_event,
        has_machine_open,
        is_click_tracked,
        is_clicked or first_web_clicked_at is not null as is_clicked,
        case
            when is_clicked then 'vendor'
            when first_web_clicked_at is not null then 'web_session'
        end as click_source,
        cast(web_click_sessions as {{ dbt.type_bigint() }}) as web_click_sessions,
        {{ jornada.messaging_channel_in(
            'channel', jornada.messaging_reply_tracked_channels()
        ) }} as is_reply_tracked,
        is_replied,
        is_bounced,
        is_failed,
        is_bounced or is_failed as is_bounced_or_failed,
        bounce_type,
        error_code,
        is_unsubscribed,
        {{ jornada.messaging_channel_in(
            'channel', jornada.messaging_spam_tracked_channels()
        ) }} as is_spam_tracked,
        is_spam_reported,
        has_opt_out_error,
        is_billable,
        whatsapp_conversation_id,
        is_billable_conversation_opener,
        cast(cost_amount as decimal(18, 2)) as cost_amount,
        currency,
        previous_touch_at,
        previous_touch_channel,
        cast(seconds_since_previous_touch as {{ jornada.type_double() }}) / 3600 as hours_since_previous_touch
    from enriched

)

select * from final
