{#
    One row per scheduled agent shift: the minutes the agent was logged in
    inside the scheduled window, pauses excluded, against the scheduled
    minutes (schedule adherence).

    Presence events are replayed per agent in time order (ties: pause_end,
    logout, login, pause_start), whatever order they arrived in. After each
    event the agent is logged in when the latest login is more recent than
    the latest logout, and paused when, in addition, the latest pause_start
    is more recent than both the latest pause_end and the latest login (a
    new login clears a pause left open). Stray events (a second login, a
    pause_end without pause_start, a logout while logged out) change nothing.
    The time from one event to the next keeps the state after the first.
    A session without a logout ends at the agent's next login or at the end
    of the shift it started in (the first shift ending after its login),
    whichever comes first.
#}

with

shifts as (

    select * from {{ ref('stg_workforce__shifts') }}

),

presence_events as (

    select * from {{ ref('stg_workforce__presence_events') }}

),

export_as_of as (

    {{ jornada.service_as_of_at('presence_events') }}

),

shifts_sequenced as (

    select
        *,
        lag(scheduled_end_at) over (
            partition by agent_id
            order by scheduled_start_at, shift_id
        ) as previous_shift_end_at
    from shifts

),

events_sequenced as (

    select
        agent_id,
        event_id,
        occurred_at,
        event_type,
        row_number() over (
            partition by agent_id
            order by
                occurred_at,
                case event_type
                    when 'pause_end' then 1
                    when 'logout' then 2
                    when 'login' then 3
                    when 'pause_start' then 4
                end,
                event_id
        ) as event_sequence
    from presence_events

),

events_with_state as (

    select
        *,
        max(case when event_type = 'login' then event_sequence end) over (
            partition by agent_id order by event_sequence rows between unbounded preceding and current row
        ) as last_login_sequence,
        max(case when event_type = 'login' then occurred_at end) over (
            partition by agent_id order by event_sequence rows between unbounded preceding and current row
        ) as session_login_at,
        max(case when event_type = 'logout' then event_sequence end) over (
            partition by agent_id order by event_sequence rows between unbounded preceding and current row
        ) as last_logout_sequence,
        max(case when event_type = 'pause_start' then event_sequence end) over (
            partition by agent_id order by event_sequence rows between unbounded preceding and current row
        ) as last_pause_start_sequence,
        max(case when event_type = 'pause_end' then event_sequence end) over (
            partition by agent_id order by event_sequence rows between unbounded preceding and current row
        ) as last_pause_end_sequence,
        lead(occurred_at) over (partition by agent_id order by event_sequence) as next_occurred_at,
        lead(event_type) over (partition by agent_id order by event_sequence) as next_event_type
    from events_sequenced

),

intervals as (

    select
        agent_id,
        occurred_at as interval_start_at,
        next_occurred_at as interval_end_at,
        session_login_at,
        coalesce(
            last_pause_start_sequence > coalesce(last_pause_end_sequence, 0)
            and last_pause_start_sequence > last_login_sequence,
            false
        ) as is_paused,
        -- The last stretch of a session that never logged out.
        next_event_type is null or next_event_type = 'login' as is_unterminated
    from events_with_state
    where last_login_sequence > coalesce(last_logout_sequence, 0)

),

interval_overlaps as (

    select
        shifts_sequenced.shift_id,
        intervals.is_paused,
        {{ dbt.datediff(
            'greatest(intervals.interval_start_at, shifts_sequenced.scheduled_start_at)',
            'least(coalesce(intervals.interval_end_at, shifts_sequenced.scheduled_end_at),'
            ~ ' shifts_sequenced.scheduled_end_at)',
            'second'
        ) }} as overlap_seconds
    from intervals
    inner join shifts_sequenced
        on
            intervals.agent_id = shifts_sequenced.agent_id
            and intervals.interval_start_at < shifts_sequenced.scheduled_end_at
            and coalesce(intervals.interval_end_at, shifts_sequenced.scheduled_end_at)
            > shifts_sequenced.scheduled_start_at
    where
        not intervals.is_unterminated
        or (
            intervals.session_login_at < shifts_sequenced.scheduled_end_at
            and (
                shifts_sequenced.previous_shift_end_at is null
                or intervals.session_login_at >= shifts_sequenced.previous_shift_end_at
            )
        )

),

shift_presence as (

    select
        shift_id,
        sum(overlap_seconds) as logged_in_seconds,
        sum(case when is_paused then overlap_seconds else 0 end) as paused_seconds,
        sum(case when is_paused then 0 else overlap_seconds end) as adherent_seconds
    from interval_overlaps
    group by shift_id

),

-- Logins belong to the first shift of the agent ending after them.
shift_logins as (

    select
        shifts_sequenced.shift_id,
        min(events_sequenced.occurred_at) as first_login_at,
        count(*) as login_count
    from events_sequenced
    inner join shifts_sequenced
        on
            events_sequenced.agent_id = shifts_sequenced.agent_id
            and events_sequenced.occurred_at < shifts_sequenced.scheduled_end_at
            and (
                shifts_sequenced.previous_shift_end_at is null
                or events_sequenced.occurred_at >= shifts_sequenced.previous_shift_end_at
            )
    where events_sequenced.event_type = 'login'
    group by shifts_sequenced.shift_id

),

measured as (

    select
        shifts_sequenced.shift_id,
        shifts_sequenced.agent_id,
        shifts_sequenced.shift_date,
        shifts_sequenced.scheduled_start_at,
        shifts_sequenced.scheduled_end_at,
        shifts_sequenced.scheduled_minutes,
        shifts_sequenced.planned_break_minutes,
        shifts_sequenced.scheduled_work_minutes,
        shift_logins.first_login_at,
        export_as_of.as_of_at,
        coalesce(shift_logins.login_count, 0) as login_count,
        coalesce(shift_presence.logged_in_seconds, 0) as logged_in_seconds,
        coalesce(shift_presence.paused_seconds, 0) as paused_seconds,
        coalesce(shift_presence.adherent_seconds, 0) as adherent_seconds,
        shifts_sequenced.scheduled_end_at <= export_as_of.as_of_at as is_shift_ended
    from shifts_sequenced
    cross join export_as_of
    left join shift_presence
        on shifts_sequenced.shift_id = shift_presence.shift_id
    left join shift_logins
        on shifts_sequenced.shift_id = shift_logins.shift_id

),

final as (

    select
        shift_id,
        agent_id,
        shift_date,
        scheduled_start_at,
        scheduled_end_at,
        scheduled_minutes,
        planned_break_minutes,
        scheduled_work_minutes,
        first_login_at,
        case
            when first_login_at is not null
                then greatest({{ dbt.datediff('scheduled_start_at', 'first_login_at', 'second') }}, 0)
        end as late_login_seconds,
        login_count,
        {{ jornada.service_seconds_to_minutes('logged_in_seconds') }} as logged_in_minutes,
        {{ jornada.service_seconds_to_minutes('paused_seconds') }} as paused_minutes,
        {{ jornada.service_seconds_to_minutes('adherent_seconds') }} as adherent_minutes,
        is_shift_ended and logged_in_seconds = 0 as is_no_show,
        is_shift_ended,
        case
            when is_shift_ended and scheduled_minutes > 0
                then cast(round(adherent_seconds / (scheduled_minutes * 60.0), 4) as decimal(10, 4))
        end as schedule_adherence_rate,
        as_of_at
    from measured

)

select * from final
