{#
    Link clicks of the channels whose exports carry no clicks (WhatsApp
    Cloud API and Twilio: `is_click_tracked` false in the lifecycle), as the
    web sees them: a GA4 session whose traffic channel is the message's
    channel (utm_source whatsapp or sms) and whose campaign is one of ours
    (utm_campaign cmp_NNNN) is a click on that campaign's message.

    Each tagged session is tied to a send of its campaign on its channel,
    sent at or before the session started and at most var
    `messaging_web_click_window_hours` earlier:
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

candidate_sends as (

    select
        tagged_sessions.session_key,
        messages.message_id,
        messages.sent_at,
        messages.send_date,
        coalesce(
            messages.is_delivered and messages.person_id = tagged_sessions.person_id, false
        ) as is_recipient
    from tagged_sessions
    inner join messages
        on
            tagged_sessions.campaign_id = messages.campaign_id
            and tagged_sessions.channel = messages.channel
            and tagged_sessions.started_at >= messages.sent_at
            and tagged_sessions.started_at <= {{ dbt.dateadd(
                'hour', var('messaging_web_click_window_hours'), 'messages.sent_at'
            ) }}

),

ranked_sends as (

    select
        *,
        row_number() over (
            partition by session_key
            order by case when is_recipient then 0 else 1 end, sent_at desc, message_id desc
        ) as send_rank
    from candidate_sends

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
        ranked_sends.send_date,
        case when ranked_sends.is_recipient then ranked_sends.message_id end as message_id,
        coalesce(ranked_sends.is_recipient, false) as is_linked_to_message,
        ranked_sends.session_key is not null as is_counted
    from tagged_sessions
    left join ranked_sends
        on
            tagged_sessions.session_key = ranked_sends.session_key
            and ranked_sends.send_rank = 1

)

select * from final
