{%- set short_window = var('service_response_window_short_minutes') -%}
{%- set long_window = var('service_response_window_long_minutes') -%}

with

metric_events as (

    select * from {{ ref('stg_zendesk__ticket_metric_events') }}

),

sla_targets as (

    select * from {{ ref('int_ticket_sla_targets_evaluated') }}

),

export_as_of as (

    {{ jornada.service_as_of_at(
        'metric_events', scheduled_filter="event_type = 'breach' and occurred_at > loaded_at"
    ) }}

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

-- First reply: the reply_time metric, instance 1, from its activation (the
-- ticket's creation) to its fulfilment (the first public agent reply).
first_replies as (

    select
        ticket_id,
        min(case when event_type = 'activate' then occurred_at end) as reply_started_at,
        min(case when event_type = 'fulfill' then occurred_at end) as first_replied_at
    from clock_events
    where metric = 'reply_time' and instance_id = 1
    group by ticket_id

),

-- Resolution: the resolution_time clock; the ticket is solved when its
-- latest clock event is a fulfilment (a reopen activates it again).
resolutions as (

    select
        ticket_id,
        min(case when event_type = 'activate' then occurred_at end) as resolution_started_at,
        min(case when event_type = 'fulfill' then occurred_at end) as first_solved_at,
        max(case when clock_recency = 1 and event_type = 'fulfill' then occurred_at end) as solved_at
    from clock_events
    where metric = 'resolution_time'
    group by ticket_id

),

tickets as (

    select distinct ticket_id
    from metric_events

),

sla_ranked as (

    select
        *,
        row_number() over (partition by ticket_id order by sla_applied_at desc, sla_metric asc) as policy_recency
    from sla_targets

),

sla_pivoted as (

    select
        ticket_id,
        max(case when policy_recency = 1 then sla_policy_id end) as sla_policy_id,
        max(case when policy_recency = 1 then sla_policy_title end) as sla_policy_title,
        {{ dbt.bool_or('case when policy_recency = 1 then is_sla_business_hours end') }} as is_sla_business_hours,
        {% for sla_metric, prefix in jornada.service_sla_metrics() %}
            max(case when sla_metric = '{{ sla_metric }}' then sla_target_minutes end)
                as {{ prefix }}_sla_target_minutes,
            max(case when sla_metric = '{{ sla_metric }}' then sla_due_at end) as {{ prefix }}_sla_due_at,
            {{ dbt.bool_or("case when sla_metric = '" ~ sla_metric ~ "' then is_fulfilled end") }}
                as is_{{ prefix }}_sla_fulfilled,
            {{ dbt.bool_or("case when sla_metric = '" ~ sla_metric ~ "' then is_breached end") }}
                as is_{{ prefix }}_sla_breached,
            max(case when sla_metric = '{{ sla_metric }}' then sla_status end) as {{ prefix }}_sla_status,
        {% endfor %}
        count(*) as sla_target_count,
        sum(case when is_met then 1 else 0 end) as sla_met_count,
        sum(case when is_breached then 1 else 0 end) as sla_breached_count,
        sum(case when is_pending then 1 else 0 end) as sla_pending_count
    from sla_ranked
    group by ticket_id

),

joined as (

    select
        tickets.ticket_id,
        first_replies.reply_started_at,
        first_replies.first_replied_at,
        resolutions.resolution_started_at,
        resolutions.first_solved_at,
        resolutions.solved_at,
        {{ dbt.datediff('first_replies.reply_started_at', 'first_replies.first_replied_at', 'second') }}
            as first_response_seconds,
        {{ dbt.datediff('resolutions.resolution_started_at', 'resolutions.solved_at', 'second') }}
            as resolution_seconds,
        {{ dbt.datediff('first_replies.reply_started_at', 'export_as_of.as_of_at', 'second') }}
            as seconds_open_at_as_of,
        sla_pivoted.sla_policy_id,
        sla_pivoted.sla_policy_title,
        sla_pivoted.is_sla_business_hours,
        {% for sla_metric, prefix in jornada.service_sla_metrics() %}
            sla_pivoted.{{ prefix }}_sla_target_minutes,
            sla_pivoted.{{ prefix }}_sla_due_at,
            sla_pivoted.is_{{ prefix }}_sla_fulfilled,
            sla_pivoted.is_{{ prefix }}_sla_breached,
            sla_pivoted.{{ prefix }}_sla_status,
        {% endfor %}
        coalesce(sla_pivoted.sla_target_count, 0) as sla_target_count,
        coalesce(sla_pivoted.sla_met_count, 0) as sla_met_count,
        coalesce(sla_pivoted.sla_breached_count, 0) as sla_breached_count,
        coalesce(sla_pivoted.sla_pending_count, 0) as sla_pending_count,
        export_as_of.as_of_at
    from tickets
    cross join export_as_of
    left join first_replies
        on tickets.ticket_id = first_replies.ticket_id
    left join resolutions
        on tickets.ticket_id = resolutions.ticket_id
    left join sla_pivoted
        on tickets.ticket_id = sla_pivoted.ticket_id

),

-- A reply window is decided once the reply came or the window ran out
-- before the export; until then the flag is null (not yet known).
flagged as (

    select
        *,
        case
            when first_response_seconds is not null then first_response_seconds <= {{ short_window }} * 60
            when seconds_open_at_as_of > {{ short_window }} * 60 then false
        end as is_replied_within_1h,
        case
            when first_response_seconds is not null then first_response_seconds <= {{ long_window }} * 60
            when seconds_open_at_as_of > {{ long_window }} * 60 then false
        end as is_replied_within_24h,
        case
            when sla_target_count = 0 then null
            when sla_breached_count > 0 then 'breached'
            when sla_met_count = sla_target_count then 'met'
            else 'pending'
        end as sla_status
    from joined

),

final as (

    select
        ticket_id,
        reply_started_at,
        first_replied_at,
        resolution_started_at,
        first_solved_at,
        solved_at,
        first_response_seconds,
        {{ jornada.service_seconds_to_minutes('first_response_seconds') }} as first_response_minutes,
        {{ jornada.service_seconds_to_minutes('resolution_seconds') }} as resolution_minutes,
        first_replied_at is not null as is_replied,
        is_replied_within_1h,
        is_replied_within_24h,
        sla_target_count > 0 as has_sla_policy,
        sla_policy_id,
        sla_policy_title,
        is_sla_business_hours,
        {% for sla_metric, prefix in jornada.service_sla_metrics() %}
            {{ prefix }}_sla_target_minutes,
            {{ prefix }}_sla_due_at,
            is_{{ prefix }}_sla_fulfilled,
            is_{{ prefix }}_sla_breached,
            {{ prefix }}_sla_status,
        {% endfor %}
        sla_target_count,
        sla_met_count,
        sla_breached_count,
        sla_pending_count,
        sla_status,
        case sla_status
            when 'met' then true
            when 'breached' then false
        end as is_sla_met,
        as_of_at
    from flagged

)

select * from final
