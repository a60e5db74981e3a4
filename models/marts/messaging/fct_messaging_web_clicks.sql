{#
    Link clicks of the channels whose exports carry no clicks (WhatsApp
    Cloud API and Twilio: `is_click_tracked` false in the lifecycle), as the
    web sees them: a GA4 session whose traffic channel is the message's
    channel (utm_source whatsapp or sms) and whose campaign is one of ours
    (utm_campaign cmp_NNNN) is a click on that campaign's message.

    Each tagged session is tied to a send of its campaign on its channel,
    sent at or before the session started and at most var
    `messaging_web_click_window_hours` earlier (both lookups are linear in
    sessions and sends: an equi-join on the person, and a running max over
    the campaign's time line instead of a range join of every session with
    every send of its campaign):
    - preferably the same person's delivered message (identity graph): the
      message is clicked (`message_id`, used by fct_messages);
    - else the campaign's latest send in the window (the visitor's device is
      not linked to the recipient, e.g. never logged in): the click still
      counts for the campaign, dated to that send's local date.
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

send_instants as (

    select distinct
        campaign_id,
        channel,
        sent_at,
        send_date
    from messages

),

campaign_timeline as (

    -- Send instants and tagged sessions of a campaign and channel on one
    -- time line; a send sorts before a session at the same instant.
    select
        campaign_id,
        channel,
        sent_at as event_at,
        0 as event_order,
        sent_at,
        cast(null as {{ dbt.type_string() }}) as session_key,
        cast(null as timestamp) as started_at
    from send_instants

    union all

    select
        campaign_id,
        channel,
        started_at as event_at,
        1 as event_order,
        cast(null as timestamp) as sent_at,
        session_key,
        started_at
    from tagged_sessions

),

latest_sends as (

    -- The campaign's latest send at or before each session (a running max,
    -- not a join of every session with every send of its campaign).
    select
        campaign_id,
        channel,
        session_key,
        started_at,
        max(sent_at) over (
            partition by campaign_id, channel
            order by event_at, event_order
            rows between unbounded preceding and current row
        ) as latest_sent_at
    from campaign_timeline

),

campaign_sends as (

    select
        latest_sends.session_key,
        send_instants.send_date
    from latest_sends
    inner join send_instants
        on
            latest_sends.campaign_id = send_instants.campaign_id
            and latest_sends.channel = send_instants.channel
            and latest_sends.latest_sent_at = send_instants.sent_at
    where
        latest_sends.session_key is not null
        and latest_sends.started_at <= {{ dbt.dateadd(
            'hour', var('messaging_web_click_window_hours'), 'latest_sends.latest_sent_at'
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
        on tagged_sessions.session_key = campaign_sends.session_key

)

select * from final
