{{ config(severity='warn', store_failures=true) }}

-- Each messaging platform's own summary counts (its dashboard export,
-- stg_platform_reports__campaign_summaries: one row per platform, campaign
-- and local send date) against the same counts recomputed here from the
-- message-level facts (fct_messages, one row per outbound message, dated by
-- its send date as the reports are), under the platform's definition:
--
-- - sent, delivered, unsubscribes, spam_reports: messages with that step;
-- - opens: messages with any open or read event, machine opens included;
-- - bounces: SendGrid counts bounces and not drops (failed), WhatsApp and
--   Twilio count every failure;
-- - clicks: SendGrid's click events only. WhatsApp and SMS clicks are visits
--   to tagged links, seen by web analytics and not on the message, so they
--   are left to fct_platform_report_divergences.
--
-- Lists every report metric whose count differs from the events by more than
-- var `divergence_tolerance` of the event count (or is non-zero where the
-- events have none), with its campaign. Warns: a platform's dashboard that
-- disagrees with its own events is a finding to explain, not a broken build.

{%- set metrics = [
    ('sent', "1"),
    ('delivered', "case when is_delivered then 1 else 0 end"),
    ('opens', "case when has_open_event then 1 else 0 end"),
    ('clicks', "case when channel = 'email' and is_clicked then 1 else 0 end"),
    ('bounces', "case when is_bounced_or_failed and not (channel = 'email' and is_failed) then 1 else 0 end"),
    ('unsubscribes', "case when is_unsubscribed then 1 else 0 end"),
    ('spam_reports', "case when is_spam_reported then 1 else 0 end"),
] %}

with

reports as (

    select * from {{ ref('stg_platform_reports__campaign_summaries') }}

),

messages as (

    select * from {{ ref('fct_messages') }}
    where is_sent

),

message_counts as (

    select
        channel,
        campaign_id,
        send_date,
        {% for metric, counted in metrics %}
            sum({{ counted }}) as {{ metric }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from messages
    group by channel, campaign_id, send_date

),

compared as (

    {% for metric, counted in metrics %}
        select
            reports.report_id,
            reports.platform,
            reports.channel,
            reports.campaign_id,
            reports.report_date,
            '{{ metric }}' as metric,
            reports.{{ metric }} as reported_count,
            coalesce(message_counts.{{ metric }}, 0) as event_count
        from reports
        left join message_counts
            on
                reports.channel = message_counts.channel
                and reports.campaign_id = message_counts.campaign_id
                and reports.report_date = message_counts.send_date
        where
            reports.{{ metric }} is not null
            {% if metric == 'clicks' %}and reports.channel = 'email'{% endif %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        report_id,
        platform,
        channel,
        campaign_id,
        report_date,
        metric,
        reported_count,
        event_count,
        reported_count - event_count as difference,
        {{ jornada.safe_divide('abs(reported_count - event_count)', 'event_count') }} as relative_difference
    from compared
    where
        (event_count = 0 and reported_count > 0)
        or abs(reported_count - event_count) > {{ var('divergence_tolerance') }} * event_count

)

select * from final
