{#
    One row per local date with web sessions: the sessions and the active
    visitors (distinct persons after identity stitching with at least one
    session) of the 30 local days ending on that date, the inputs of
    visit_frequency (sessions per active visitor, period `trailing_30d`).
    A window that starts before the first session date in the data is
    partial (`is_full_window` false): it would understate the frequency, so
    the KPI leaves it out. 30 days is the definition of the `trailing_30d`
    period of kpi_daily, not a tunable threshold.
#}

{%- set window_days = 30 -%}

with

sessions as (

    select * from {{ ref('fct_web_sessions') }}

),

data_start as (

    select min(session_date) as first_session_date
    from sessions

),

window_ends as (

    select distinct session_date as metric_date
    from sessions

),

windows as (

    select
        window_ends.metric_date,
        cast({{ dbt.dateadd('day', 1 - window_days, 'window_ends.metric_date') }} as date) as window_start_date,
        data_start.first_session_date
    from window_ends
    cross join data_start

),

window_sessions as (

    select
        windows.metric_date,
        windows.window_start_date,
        windows.first_session_date,
        sessions.session_key,
        sessions.person_id
    from windows
    inner join sessions
        on
            windows.window_start_date <= sessions.session_date
            and windows.metric_date >= sessions.session_date

),

final as (

    select
        metric_date,
        window_start_date,
        cast(count(*) as bigint) as sessions,
        cast(count(distinct person_id) as bigint) as active_visitors,
        window_start_date >= first_session_date as is_full_window
    from window_sessions
    group by
        metric_date,
        window_start_date,
        first_session_date

)

select * from final
