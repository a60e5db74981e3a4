{#
    One row per outbound message with every step of its lifecycle, robust to
    webhooks that arrive late or out of order (steps are ordered by when they
    happened, never by when they were loaded) and to steps the vendor implies
    without reporting them. The rules, in the order they apply:

    1. Sent: the vendor took the send request (any status except a Twilio
       `scheduled`/`canceled` one). Dropped and failed messages are sent.
       sent_at is the earliest such status, or delivery (rule 2) when that
       is earlier: a reply quoting a WhatsApp message can be stamped before
       the only statuses the vendor sent (delivered and read, no sent).
    2. Delivered: a delivered status, or any step that cannot happen without
       delivery (an open, machine or human, a WhatsApp read, a click, an
       unsubscribe, a spam report, a reply). delivered_at is the earliest of
       them, so the lifecycle is monotonic even when vendor clocks disagree.
    3. Bounced or failed: the latest failure (bounce, drop, failure) wins
       over a delivered status reported before it (a late bounce), never
       over engagement; a delivered status after a failure wins.
       Delivered, bounced and failed are mutually exclusive.
    4. Opened: a human open or read (machine opens never count); a click
       counts as an open when var `messaging_click_implies_open` is true.
    5. Replied: a non-opt-out inbound answer within var `reply_window_hours`
       of delivery. Opt-out keywords count as unsubscribes, not replies.

    Incremental on DuckDB (README "Incremental models"), delete+insert by
    message: a run recomputes, from all their events, the messages with an
    event int_message_events_unioned rewrote since this model's last run
    (`computed_at`), the messages such rewritten inbound events answer, and
    the messages whose WhatsApp conversation charge or campaign journey
    changed; other messages keep their row.
#}

{{
    config(
        materialized=jornada.incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='message_id',
        on_schema_change='fail',
    )
}}

{%- set using_whatsapp = var('jornada__using_whatsapp') -%}
{%- set click_implies_open = var('messaging_click_implies_open') -%}

with

message_events as (

    select * from {{ ref('int_message_events_unioned') }}

),

campaigns as (

    select * from {{ ref('stg_campaigns__campaigns') }}

),

{% if using_whatsapp %}
    whatsapp_conversations as (

        select * from {{ ref('int_whatsapp_conversations_aggregated') }}

    ),

{% endif %}
{% if is_incremental() %}
    stored_lifecycles as (

        select * from {{ this }}

    ),

    last_run as (

        select coalesce(max(computed_at), cast('1900-01-01' as timestamp)) as last_computed_at
        from stored_lifecycles

    ),

    rewritten_events as (

        select message_events.*
        from message_events
        cross join last_run
        where message_events.computed_at > last_run.last_computed_at

    ),

    affected_messages as (

        select
            channel,
            message_id
        from rewritten_events
        where direction = 'outbound'
        union
        select
            channel,
            replied_to_message_id as message_id
        from rewritten_events
        where direction = 'inbound' and replied_to_message_id is not null
        union
        select
            stored_lifecycles.channel,
            stored_lifecycles.message_id
        from stored_lifecycles
        left join campaigns
            on stored_lifecycles.campaign_id = campaigns.campaign_id
        where stored_lifecycles.journey is distinct from campaigns.journey
        {%- if using_whatsapp %}
            union
            select
                stored_lifecycles.channel,
                stored_lifecycles.message_id
            from stored_lifecycles
            inner join whatsapp_conversations
                on stored_lifecycles.whatsapp_conversation_id = whatsapp_conversations.whatsapp_conversation_id
            where
                stored_lifecycles.cost_amount is distinct from case
                    when stored_lifecycles.message_id = whatsapp_conversations.opening_message_id
                        then whatsapp_conversations.cost_amount
                    else cast(0 as decimal(18, 2))
                end
                or stored_lifecycles.currency is distinct from coalesce(
                    whatsapp_conversations.currency, '{{ var("reporting_currency") }}'
                )
        {%- endif %}

    ),

    outbound_events as (

        select message_events.*
        from message_events
        inner join affected_messages
            on
                message_events.channel = affected_messages.channel
                and message_events.message_id = affected_messages.message_id
        where message_events.direction = 'outbound'

    ),

    inbound_answers as (

        select message_events.*
        from message_events
        inner join affected_messages
            on
                message_events.channel = affected_messages.channel
                and message_events.replied_to_message_id = affected_messages.message_id
        where message_events.direction = 'inbound'

    ),

{% else %}
    outbound_events as (

        select * from message_events
        where direction = 'outbound'

    ),

    inbound_answers as (

        select * from message_events
        where
            direction = 'inbound'
            and replied_to_message_id is not null

    ),

{% endif %}

message_steps as (

    select
        message_id,
        channel,
        max(person_id) as person_id,
        max(campaign_id) as campaign_id,
        max(ab_variant) as ab_variant,
        {{ dbt.bool_or("vendor_event_type not in ('scheduled', 'canceled')") }} as is_sent,
        min(case when vendor_event_type not in ('scheduled', 'canceled') then occurred_at end) as first_sent_event_at,
        min(case when event_type = 'delivered' then occurred_at end) as first_delivered_event_at,
        max(case when event_type = 'delivered' then occurred_at end) as last_delivered_event_at,
        min(case when event_type = 'opened' and not is_machine_open then occurred_at end) as first_human_open_at,
        min(case when event_type = 'opened' and is_machine_open then occurred_at end) as first_machine_open_at,
        sum(case when event_type = 'opened' and not is_machine_open then 1 else 0 end) as open_count,
        min(case when event_type = 'clicked' then occurred_at end) as first_clicked_at,
        sum(case when event_type = 'clicked' then 1 else 0 end) as click_count,
        min(case when event_type = 'unsubscribed' then occurred_at end) as first_unsubscribe_event_at,
        min(case when event_type = 'spam_reported' then occurred_at end) as spam_reported_at,
        max(case when event_type in ('bounced', 'failed', 'dropped') then occurred_at end) as last_failure_at,
        {{ dbt.bool_or('is_opt_out_error') }} as has_opt_out_error,
        max(whatsapp_conversation_id) as whatsapp_conversation_id,
        max(whatsapp_pricing_category) as whatsapp_pricing_category,
        {{ dbt.bool_or('is_billable') }} as has_billable_status,
        sum(cost_amount) as reported_cost_amount,
        max(currency) as reported_currency
    from outbound_events
    group by message_id, channel

),

failures_ranked as (

    select
        message_id,
        channel,
        event_type as failure_event_type,
        bounce_type as failure_bounce_type,
        error_code as failure_error_code,
        row_number() over (
            partition by message_id, channel
            order by occurred_at desc, message_event_id desc
        ) as failure_rank
    from outbound_events
    where event_type in ('bounced', 'failed', 'dropped')

),

answers as (

    select
        replied_to_message_id as message_id,
        channel,
        min(case when event_type = 'replied' then occurred_at end) as first_replied_at,
        min(case when event_type = 'unsubscribed' then occurred_at end) as first_opt_out_reply_at,
        min(occurred_at) as first_answer_at
    from inbound_answers
    group by replied_to_message_id, channel

),

message_evidence as (

    select
        message_steps.*,
        answers.first_replied_at,
        failures_ranked.failure_event_type,
        failures_ranked.failure_bounce_type,
        failures_ranked.failure_error_code,
        least(
            message_steps.first_unsubscribe_event_at, answers.first_opt_out_reply_at
        ) as first_opt_out_at,
        least(
            message_steps.first_human_open_at,
            message_steps.first_machine_open_at,
            message_steps.first_clicked_at,
            message_steps.first_unsubscribe_event_at,
            message_steps.spam_reported_at,
            answers.first_answer_at
        ) as first_engagement_at
    from message_steps
    left join answers
        on
            message_steps.message_id = answers.message_id
            and message_steps.channel = answers.channel
    left join failures_ranked
        on
            message_steps.message_id = failures_ranked.message_id
            and message_steps.channel = failures_ranked.channel
            and failures_ranked.failure_rank = 1

),

message_outcomes as (

    select
        *,
        is_sent and (
            first_engagement_at is not null
            or (
                first_delivered_event_at is not null
                and (last_failure_at is null or last_delivered_event_at >= last_failure_at)
            )
        ) as is_delivered
    from message_evidence

),

message_timeline as (

    select
        *,
        least(
            first_sent_event_at,
            case when is_delivered then least(first_delivered_event_at, first_engagement_at) end
        ) as sent_at,
        case
            when is_delivered then least(first_delivered_event_at, first_engagement_at)
        end as delivered_at,
        {% if click_implies_open -%}
            least(first_human_open_at, first_clicked_at) as first_opened_at,
        {%- else -%}
            first_human_open_at as first_opened_at,
        {%- endif %}
        case
            when is_sent and not is_delivered and failure_event_type = 'bounced' then last_failure_at
        end as bounced_at,
        case
            when is_sent and not is_delivered and failure_event_type in ('failed', 'dropped') then last_failure_at
        end as failed_at
    from message_outcomes

),

final as (

    select
        message_timeline.message_id,
        message_timeline.channel,
        message_timeline.campaign_id,
        message_timeline.ab_variant,
        campaigns.journey,
        message_timeline.person_id,
        message_timeline.sent_at,
        {{ jornada.to_business_date('message_timeline.sent_at') }} as send_date,
        message_timeline.delivered_at,
        message_timeline.first_opened_at,
        message_timeline.first_clicked_at,
        message_timeline.first_replied_at,
        message_timeline.bounced_at,
        message_timeline.failed_at,
        message_timeline.first_opt_out_at as unsubscribed_at,
        message_timeline.spam_reported_at,
        message_timeline.is_sent,
        message_timeline.is_delivered,
        message_timeline.is_delivered and message_timeline.first_delivered_event_at is null as is_delivery_implied,
        message_timeline.first_opened_at is not null as is_opened,
        message_timeline.first_machine_open_at is not null as has_machine_open,
        message_timeline.first_clicked_at is not null as is_clicked,
        coalesce(
            message_timeline.first_replied_at <= {{ dbt.dateadd(
                'hour', var('reply_window_hours'), 'message_timeline.delivered_at'
            ) }},
            false
        ) as is_replied,
        message_timeline.bounced_at is not null as is_bounced,
        case
            when message_timeline.bounced_at is not null or message_timeline.failed_at is not null
                then message_timeline.failure_bounce_type
        end as bounce_type,
        case
            when message_timeline.bounced_at is not null or message_timeline.failed_at is not null
                then message_timeline.failure_error_code
        end as error_code,
        message_timeline.failed_at is not null as is_failed,
        message_timeline.first_opt_out_at is not null as is_unsubscribed,
        message_timeline.spam_reported_at is not null as is_spam_reported,
        coalesce(message_timeline.has_opt_out_error, false) as has_opt_out_error,
        message_timeline.channel in ('email', 'whatsapp') as is_open_tracked,
        message_timeline.channel = 'email' as is_click_tracked,
        message_timeline.open_count,
        message_timeline.click_count,
        {% if using_whatsapp %}
            case
                when whatsapp_conversations.whatsapp_conversation_id is not null
                    then case
                        when message_timeline.message_id = whatsapp_conversations.opening_message_id
                            then whatsapp_conversations.cost_amount
                        else cast(0 as decimal(18, 2))
                    end
                when message_timeline.reported_cost_amount is not null
                    then message_timeline.reported_cost_amount
                when message_timeline.failed_at is not null and message_timeline.channel in ('sms', 'whatsapp')
                    then cast(0 as decimal(18, 2))
            end as cost_amount,
            case
                when whatsapp_conversations.whatsapp_conversation_id is not null
                    then coalesce(whatsapp_conversations.currency, '{{ var("reporting_currency") }}')
                when message_timeline.reported_cost_amount is not null
                    then message_timeline.reported_currency
                when message_timeline.failed_at is not null and message_timeline.channel in ('sms', 'whatsapp')
                    then coalesce(message_timeline.reported_currency, '{{ var("reporting_currency") }}')
            end as currency,
        {%- else -%}
            case
                when message_timeline.reported_cost_amount is not null
                    then message_timeline.reported_cost_amount
                when message_timeline.failed_at is not null and message_timeline.channel = 'sms'
                    then cast(0 as decimal(18, 2))
            end as cost_amount,
            case
                when message_timeline.reported_cost_amount is not null
                    then message_timeline.reported_currency
                when message_timeline.failed_at is not null and message_timeline.channel = 'sms'
                    then coalesce(message_timeline.reported_currency, '{{ var("reporting_currency") }}')
            end as currency,
        {%- endif %}
        message_timeline.whatsapp_conversation_id,
        message_timeline.whatsapp_pricing_category,
        coalesce(
            message_timeline.has_billable_status,
            case
                when message_timeline.reported_cost_amount is not null
                    then message_timeline.reported_cost_amount > 0
                when message_timeline.failed_at is not null and message_timeline.channel in ('sms', 'whatsapp')
                    then false
            end
        ) as is_billable,
        {{ jornada.incremental_run_at() }} as computed_at
    from message_timeline
    left join campaigns
        on message_timeline.campaign_id = campaigns.campaign_id
    {% if using_whatsapp %}
        left join whatsapp_conversations
            on message_timeline.whatsapp_conversation_id = whatsapp_conversations.whatsapp_conversation_id
    {%- endif %}

)

select * from final
