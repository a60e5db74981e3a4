{#
    Link clicks of the channels whose exports carry no clicks (WhatsApp
    Cloud API and Twilio: `is_click_tracked` false in the lifecycle), as the
    web sees them: a GA4 session whose traffic channel is the message's
    channel (utm_source whatsapp or sms) and whose campaign is one of ours
    (utm_campaign cmp_NNNN) is a click on that campaign's message.

    Each tagged session is tied to a send of its campaign on its channel,
    sent at or before the session started and at most var
    `messaging_web_click_window_hours` earlier (both lookups stay linear in
    sessions: an equi-join on the person, and a join with the campaign's
    few send days instead of every send of its campaign):
    - preferably the same person's delivered message (identity graph): the
      message is clicked (`message_id`, used by fct_messages);
    - else (the visitor's device is not linked to the recipient, e.g. never
      logged in) the click still counts for the campaign, dated to the
      campaign's main send day in the window: the day with a send in the
      window that sent the most messages (the latest on a tie).
    A session with no send of its campaign in the window is kept, not
    counted (`is_counted` false).
#}

with

sessions as (

    select * from {{ ref('int_web_sessions_aggregated') }}

),

messages as (

    select * from {{ ref('int_message_lifecycles_pivoted') }}
    where is_sent

),

untracked_channels as (

    select distinct channel
    from messages
    where not is_click_tracked

),

tagged_sessions as (

    select
        sessions.session_key,
        sessions.person_id,
        sessions.channel,
        sessions.campaign_id,
        sessions.started_at,
        sessions.session_date,
        coalesce(sessions.person_id, sessions.session_key) as visitor_key
    from sessions
    inner join untracked_channels
        on sessions.channel = untracked_channels.channel
    where sessions.campaign_id is not null

),

recipient_sends as (

    -- The visitor's own delivered message of the campaign in the window:
    -- an equi-join on person, so it stays linear in sessions.
    select
        tagged_sessions.session_key,
        messages.message_id,
        messages.send_date,
        row_number() over (
            partition by tagged_sessions.session_key
            order by messages.sent_at desc, messages.message_id desc
        ) as send_rank
    from tagged_sessions
    inner join messages
        on
            tagged_sessions.person_id = messages.person_id
            and tagged_sessions.campaign_id = messages.campaign_id
            and tagged_sessions.channel = messages.channel
            and tagged_sessions.started_at >= messages.sent_at
            and tagged_sessions.started_at <= {{ dbt.dateadd(
                'hour', var('messaging_web_click_window_hours'), 'messages.sent_at'
            ) }}
    where messages.is_delivered

),

send_days as (

    -- One row per day a campaign sent on a channel (send_date is the
    -- business-timezone date): its first and last send and its volume.
    select
        campaign_id,
        channel,
        send_date,
        min(sent_at) as first_sent_at,
        max(sent_at) as last_sent_at,
        count(*) as messages_sent
    from messages
    group by campaign_id, channel, send_date

),

campaign_sends as (

    -- The send days with a send in the session's window: a day's sends
    -- span at most 25 hours, less than the window, so "first send at or
    -- before the session and last send at most the window earlier" holds
    -- exactly when one of the day's sends falls in the window. A campaign
    -- sends on a few days, so this joins each session with a handful of
    -- rows. The unlinked click is dated to the day that sent the most
    -- messages (the latest such day on a tie): the likeliest origin of an
    -- anonymous click, not a one-message straggler after midnight while
    -- the main wave is still in the window.
    select
        tagged_sessions.session_key,
        send_days.send_date,
        row_number() over (
            partition by tagged_sessions.session_key
            order by send_days.messages_sent desc, send_days.send_date desc
        ) as day_rank
    from tagged_sessions
    inner join send_days
        on
            tagged_sessions.campaign_id = send_days.campaign_id
            and tagged_sessions.channel = send_days.channel
            and tagged_sessions.started_at >= send_days.first_sent_at
            and tagged_sessions.started_at <= {{ dbt.dateadd(
                'hour', var('messaging_web_click_window_hours'), 'send_days.last_sent_at'
            ) }}

),

final as (

    select
        tagged_sessions.session_key,
        tagged_sessions.channel,
        tagged_sessions.campaign_id,
        tagged_sessions.person_id,
        tagged_sessions.visitor_key,
        tagged_sessions.started_at as clicked_at,
        tagged_sessions.session_date,
        recipient_sends.message_id,
        coalesce(recipient_sends.send_date, campaign_sends.send_date) as send_date,
        recipient_sends.session_key is not null as is_linked_to_message,
        campaign_sends.session_key is not null as is_counted
    from tagged_sessions
    left join recipient_sends
        on
            tagged_sessions.session_key = recipient_sends.session_key
            and recipient_sends.send_rank = 1
    left join campaign_sends
        on
            tagged_sessions.session_key = campaign_sends.session_key
            and campaign_sends.day_rank = 1

)

select * from final
