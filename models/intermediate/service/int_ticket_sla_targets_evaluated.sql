{%- set unpausable_metrics = "'" ~ (jornada.service_unpausable_metrics() | join("', '")) ~ "'" %}

{#
    One row per SLA target a Zendesk policy set on a ticket: the latest
    apply_sla event of each (ticket, metric, instance), judged met,
    breached, paused or pending as of the export.
#}

with

metric_events as (

    select * from {{ ref('stg_zendesk__ticket_metric_events') }}

),

export_as_of as (

    {{ jornada.service_as_of_at(
        'metric_events', scheduled_filter="event_type = 'breach' and occurred_at > loaded_at"
    ) }}

),

applications as (

    select
        ticket_id,
        metric,
        instance_id,
        occurred_at as sla_applied_at,
        sla_target_minutes,
        is_sla_business_hours,
        sla_policy_id,
        sla_policy_title,
        row_number() over (
            partition by ticket_id, metric, instance_id
            order by occurred_at desc, metric_event_id desc
        ) as application_recency
    from metric_events
    where event_type = 'apply_sla'

),

latest_applications as (

    select * from applications
    where application_recency = 1

),

-- A breach Zendesk later invalidated (`deleted`) never counts.
breaches as (

    select
        ticket_id,
        metric,
        instance_id,
        min(occurred_at) as breach_event_at
    from metric_events
    where event_type = 'breach' and not is_deleted
    group by ticket_id, metric, instance_id

),

clock_events as (

    select
        metric_events.ticket_id,
        metric_events.metric,
        metric_events.instance_id,
        metric_events.event_type,
        metric_events.occurred_at,
        row_number() over (
            partition by metric_events.ticket_id, metric_events.metric, metric_events.instance_id
            order by metric_events.occurred_at desc, metric_events.metric_event_id desc
        ) as clock_recency
    from metric_events
    cross join export_as_of
    where
        metric_events.event_type in ('activate', 'pause', 'fulfill')
        and metric_events.occurred_at <= export_as_of.as_of_at

),

clocks as (

    select
        ticket_id,
        metric,
        instance_id,
        min(case when event_type = 'activate' then occurred_at end) as clock_started_at,
        max(case when clock_recency = 1 then event_type end) as clock_state_event
    from clock_events
    group by ticket_id, metric, instance_id

),

last_fulfillments as (

    select
        ticket_id,
        metric,
        instance_id,
        occurred_at as fulfilled_at
    from clock_events
    where clock_recency = 1 and event_type = 'fulfill'

),

targets as (

    select
        latest_applications.ticket_id,
        latest_applications.metric,
        latest_applications.instance_id,
        latest_applications.sla_policy_id,
        latest_applications.sla_policy_title,
        latest_applications.sla_applied_at,
        latest_applications.sla_target_minutes,
        last_fulfillments.fulfilled_at,
        breaches.breach_event_at,
        export_as_of.as_of_at,
        coalesce(latest_applications.is_sla_business_hours, false) as is_sla_business_hours,
        coalesce(clocks.clock_started_at, latest_applications.sla_applied_at) as clock_started_at,
        case clocks.clock_state_event
            when 'fulfill' then 'fulfilled'
            when 'pause' then 'paused'
            else 'running'
        end as clock_state
    from latest_applications
    cross join export_as_of
    left join clocks
        on
            latest_applications.ticket_id = clocks.ticket_id
            and latest_applications.metric = clocks.metric
            and latest_applications.instance_id = clocks.instance_id
    left join last_fulfillments
        on
            latest_applications.ticket_id = last_fulfillments.ticket_id
            and latest_applications.metric = last_fulfillments.metric
            and latest_applications.instance_id = last_fulfillments.instance_id
    left join breaches
        on
            latest_applications.ticket_id = breaches.ticket_id
            and latest_applications.metric = breaches.metric
            and latest_applications.instance_id = breaches.instance_id

),

-- The due time: Zendesk's breach event (it also covers business hours and
-- pauses); without one, a calendar target of a clock that never pauses is
-- due at clock start + target.
due_times as (

    select
        *,
        coalesce(
            breach_event_at,
            case
                when
                    not is_sla_business_hours
                    and metric in ({{ unpausable_metrics }})
                    then
                        {{ dbt.dateadd('minute', 'sla_target_minutes', 'clock_started_at') }}
            end
        ) as sla_due_at
    from targets

),

judged as (

    select
        *,
        case
            when clock_state = 'fulfilled' and sla_due_at is not null and fulfilled_at > sla_due_at then 'breached'
            when clock_state = 'fulfilled' then 'met'
            when sla_due_at is not null and sla_due_at <= as_of_at then 'breached'
            when clock_state = 'paused' then 'paused'
            else 'pending'
        end as sla_status
    from due_times

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "cast(ticket_id as " ~ dbt.type_string() ~ ")",
            "'|'",
            "metric",
            "'|'",
            "cast(instance_id as " ~ dbt.type_string() ~ ")",
        ])) }} as ticket_sla_target_id,
        ticket_id,
        case
            when metric = 'reply_time' and instance_id = 1 then 'first_reply_time'
            when metric = 'reply_time' then 'next_reply_time'
            else metric
        end as sla_metric,
        metric,
        instance_id,
        sla_policy_id,
        sla_policy_title,
        sla_applied_at,
        sla_target_minutes,
        is_sla_business_hours,
        clock_started_at,
        clock_state,
        fulfilled_at,
        sla_due_at,
        case when sla_status = 'breached' then sla_due_at end as breached_at,
        sla_status,
        clock_state = 'fulfilled' as is_fulfilled,
        sla_status = 'breached' as is_breached,
        sla_status = 'met' as is_met,
        sla_status in ('pending', 'paused') as is_pending,
        as_of_at
    from judged

)

select * from final
