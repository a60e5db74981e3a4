{#
    Each messaging platform's own dashboard (stg_platform_reports__campaign_summaries)
    against the event-level counts of our models, per report row (platform,
    campaign, local send date) and metric. Both sides are send-date cohorts.
    Event-level counts follow the platform's own definition of the metric:

    - sent, delivered, unsubscribes: messages sent, delivered, opted out from;
    - opens: messages with any open or read event, machine opens included
      (SendGrid's dashboard counts privacy-proxy opens; WhatsApp reads);
    - clicks: unique clickers (SendGrid clicks; for WhatsApp and Twilio the
      visitors of tagged web sessions, see fct_messaging_web_clicks);
    - bounces: SendGrid bounces, hard and soft, drops excluded; WhatsApp
      failures; Twilio failed and undelivered;
    - spam_reports: SendGrid spam complaints.
    A metric the platform does not report (empty: SMS opens, WhatsApp and
    SMS spam reports) has no row. Divergent: the absolute difference exceeds
    var `divergence_tolerance` (a fraction) of the event-level count, or the
    event-level count is 0 and the platform reports more.
#}

{%- set metrics = [
    ('sent', 'campaign_days.messages_sent'),
    ('delivered', 'campaign_days.messages_delivered'),
    ('opens', 'campaign_days.messages_with_open_events'),
    ('clicks', 'campaign_days.unique_clickers'),
    ('bounces', "case when reports.platform = 'sendgrid' then campaign_days.messages_bounced"
        ~ " - campaign_days.messages_failed else campaign_days.messages_bounced end"),
    ('unsubscribes', 'campaign_days.messages_unsubscribed'),
    ('spam_reports', 'campaign_days.spam_reports'),
] -%}

with

reports as (

    select * from {{ ref('stg_platform_reports__campaign_summaries') }}

),

campaign_days as (

    select * from {{ ref('fct_campaign_channel_daily') }}

),

compared as (

    {% for metric, event_expression in metrics %}
        select
            reports.report_id,
            reports.platform,
            reports.channel,
            reports.campaign_id,
            reports.report_date,
            reports.exported_at,
            '{{ metric }}' as metric,
            reports.{{ metric }} as reported_count,
            coalesce({{ event_expression }}, 0) as event_count
        from reports
        left join campaign_days
            on
                reports.campaign_id = campaign_days.campaign_id
                and reports.channel = campaign_days.channel
                and reports.report_date = campaign_days.send_date
        where reports.{{ metric }} is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

differences as (

    select
        *,
        reported_count - event_count as difference,
        abs(reported_count - event_count) as absolute_difference
    from compared

),

final as (

    select
        {{ dbt.hash(dbt.concat(["report_id", "'|'", "metric"])) }} as divergence_id,
        report_id,
        platform,
        channel,
        campaign_id,
        report_date,
        exported_at,
        metric,
        cast(reported_count as {{ dbt.type_bigint() }}) as reported_count,
        cast(event_count as {{ dbt.type_bigint() }}) as event_count,
        cast(difference as {{ dbt.type_bigint() }}) as difference,
        cast(absolute_difference as {{ dbt.type_bigint() }}) as absolute_difference,
        cast({{ jornada.safe_divide('absolute_difference', 'event_count') }} as {{ jornada.type_double() }})
            as relative_difference,
        case
            when event_count = 0 then absolute_difference > 0
            else absolute_difference > {{ var('divergence_tolerance') }} * event_count
        end as is_divergent
    from differences

)

select * from final
