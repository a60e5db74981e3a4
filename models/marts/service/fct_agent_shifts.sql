{#
    One row per scheduled agent shift with its schedule adherence: minutes
    logged in inside the scheduled window, pauses excluded (presence events
    replayed upstream in int_agent_shifts_measured), against the scheduled
    minutes, planned break included. A shift still running at the presence
    export's as-of instant is not measured yet (`is_shift_ended` false, no
    adherence). The input of schedule_adherence_rate, which sums minutes
    over the ended shifts of a local shift date (per agent and over all).
#}

with

shifts as (

    select * from {{ ref('int_agent_shifts_measured') }}

),

final as (

    select
        shift_id,
        agent_id,
        shift_date,
        scheduled_start_at,
        scheduled_end_at,
        cast(scheduled_minutes as {{ jornada.type_double() }}) as scheduled_minutes,
        cast(planned_break_minutes as {{ jornada.type_double() }}) as planned_break_minutes,
        cast(scheduled_work_minutes as {{ jornada.type_double() }}) as scheduled_work_minutes,
        first_login_at,
        cast(late_login_seconds as {{ dbt.type_bigint() }}) as late_login_seconds,
        cast(login_count as {{ dbt.type_bigint() }}) as login_count,
        cast(logged_in_minutes as {{ jornada.type_double() }}) as logged_in_minutes,
        cast(paused_minutes as {{ jornada.type_double() }}) as paused_minutes,
        cast(adherent_minutes as {{ jornada.type_double() }}) as adherent_minutes,
        is_no_show,
        is_shift_ended,
        case
            when is_shift_ended then {{ jornada.safe_divide('adherent_minutes', 'scheduled_minutes') }}
        end as schedule_adherence_rate,
        as_of_at
    from shifts

)

select * from final
