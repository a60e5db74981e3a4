{#
    Which journeys precede churn: the touchpoints and journey stages of a
    customer in the N days (var `analysis_churn_window_days`, default 30)
    before they were lost, against the same window of customers who stayed.

    Population: customer months of fct_customer_months where the person was
    a customer at the month's start (the churn_rate denominator) and the
    whole window lies within the touchpoint history (its first day on or
    after the first outbound message), so a window is never empty only
    because the data starts later. Reference date:
      - lost customers: the day they left loyalty, i.e. the last day in
        that month int_person_journey_stages moves them out of it (so the
        window holds the journey up to the loss, not the loss itself); when
        the stages show no such exit, for `inactivity` the day after their
        last valid order turned `churn_inactivity_days` old (the rule of
        fct_customer_months), else the day after the month's end;
      - retained customers: the day after the month's end (or as-of date).
    The window is the N days before the reference date.

    Two views of a journey (path_kind):
      - touchpoints: the kinds of touch (int_touchpoints) in the order they
        first happened in the window, e.g. `message > engaged > ticket`
        (message = outbound message; engaged = its open, click or reply;
        web_visit; chat; ticket; survey; review; order), or `no touchpoints`;
      - journey_stages: the stages the person went through in the window, in
        order (int_person_journey_stages), e.g. `loyalty > service > loyalty`.

    One row per path kind and path with lost and retained customer months,
    churn_rate = lost / (lost + retained), its lift over the path kind's
    overall churn rate, and the path's share of all lost customers.
#}

{%- set window_days = var('analysis_churn_window_days', 30) -%}

with

customer_months as (

    select * from {{ ref('fct_customer_months') }}

),

stage_spells as (

    select * from {{ ref('int_person_journey_stages') }}

),

touchpoints as (

    select * from {{ ref('int_touchpoints') }}

),

history as (

    select min(occurred_date) as first_touch_date
    from touchpoints
    where touchpoint_type = 'message'

),

loyalty_exits as (

    select
        customer_months.customer_month_id,
        max(stage_spells.entered_date) as exited_loyalty_date
    from customer_months
    inner join stage_spells
        on
            customer_months.person_id = stage_spells.person_id
            and customer_months.month_start <= stage_spells.entered_date
            and customer_months.period_end_date >= stage_spells.entered_date
            and stage_spells.previous_stage = 'loyalty'
    where customer_months.is_lost_in_month
    group by customer_months.customer_month_id

),

observed as (

    select
        customer_months.customer_month_id,
        customer_months.person_id,
        customer_months.is_lost_in_month as is_lost,
        cast(
            case
                when not customer_months.is_lost_in_month
                    then {{ dbt.dateadd('day', 1, 'customer_months.period_end_date') }}
                when loyalty_exits.exited_loyalty_date is not null
                    then loyalty_exits.exited_loyalty_date
                when customer_months.lost_reason = 'inactivity'
                    then {{ dbt.dateadd('day', var('churn_inactivity_days') + 1, 'customer_months.last_order_date') }}
                else {{ dbt.dateadd('day', 1, 'customer_months.period_end_date') }}
            end as date
        ) as reference_date
    from customer_months
    left join loyalty_exits
        on customer_months.customer_month_id = loyalty_exits.customer_month_id
    where customer_months.is_customer_at_start

),

windows as (

    select
        observed.customer_month_id,
        observed.person_id,
        observed.is_lost,
        observed.reference_date,
        cast({{ dbt.dateadd('day', -window_days, 'observed.reference_date') }} as date) as window_start_date
    from observed
    cross join history
    where cast({{ dbt.dateadd('day', -window_days, 'observed.reference_date') }} as date) >= history.first_touch_date

),

window_touches as (

    select
        windows.customer_month_id,
        touchpoints.occurred_at,
        case
            when touchpoints.touchpoint_type = 'message' then 'message'
            when touchpoints.touchpoint_type in ('message_open', 'message_click', 'message_reply') then 'engaged'
            when touchpoints.touchpoint_type = 'web_session' then 'web_visit'
            when touchpoints.touchpoint_type = 'chat_conversation' then 'chat'
            when touchpoints.touchpoint_type = 'survey_response' then 'survey'
            else touchpoints.touchpoint_type
        end as touch_kind
    from windows
    inner join touchpoints
        on
            windows.person_id = touchpoints.person_id
            and windows.window_start_date <= touchpoints.occurred_date
            and windows.reference_date > touchpoints.occurred_date

),

first_touch_kinds as (

    select
        customer_month_id,
        touch_kind,
        min(occurred_at) as first_occurred_at
    from window_touches
    group by
        customer_month_id,
        touch_kind

),

touch_paths as (

    select
        customer_month_id,
        {{ dbt.listagg('touch_kind', "' > '", 'order by first_occurred_at, touch_kind') }} as journey_path
    from first_touch_kinds
    group by customer_month_id

),

window_stages as (

    select
        windows.customer_month_id,
        stage_spells.journey_stage,
        stage_spells.entered_date
    from windows
    inner join stage_spells
        on
            windows.person_id = stage_spells.person_id
            and windows.reference_date > stage_spells.entered_date
            and (
                windows.window_start_date < stage_spells.exited_date
                or stage_spells.exited_date is null
            )

),

stage_paths as (

    select
        customer_month_id,
        {{ dbt.listagg('journey_stage', "' > '", 'order by entered_date') }} as journey_path
    from window_stages
    group by customer_month_id

),

paths as (

    select
        'touchpoints' as path_kind,
        windows.customer_month_id,
        windows.is_lost,
        coalesce(touch_paths.journey_path, 'no touchpoints') as journey_path
    from windows
    left join touch_paths
        on windows.customer_month_id = touch_paths.customer_month_id

    union all

    select
        'journey_stages' as path_kind,
        windows.customer_month_id,
        windows.is_lost,
        coalesce(stage_paths.journey_path, 'no stage') as journey_path
    from windows
    left join stage_paths
        on windows.customer_month_id = stage_paths.customer_month_id

),

path_counts as (

    select
        path_kind,
        journey_path,
        sum(case when is_lost then 1 else 0 end) as lost_customers,
        sum(case when is_lost then 0 else 1 end) as retained_customers,
        count(*) as customer_months
    from paths
    group by
        path_kind,
        journey_path

),

kind_totals as (

    select
        path_kind,
        sum(lost_customers) as total_lost_customers,
        sum(customer_months) as total_customer_months
    from path_counts
    group by path_kind

),

final as (

    select
        path_counts.path_kind,
        path_counts.journey_path,
        path_counts.lost_customers,
        path_counts.retained_customers,
        path_counts.customer_months,
        {{ jornada.safe_divide('path_counts.lost_customers', 'path_counts.customer_months') }} as churn_rate,
        {{ jornada.safe_divide(
            jornada.safe_divide('path_counts.lost_customers', 'path_counts.customer_months'),
            jornada.safe_divide('kind_totals.total_lost_customers', 'kind_totals.total_customer_months')
        ) }} as churn_rate_lift,
        {{ jornada.safe_divide('path_counts.lost_customers', 'kind_totals.total_lost_customers') }} as share_of_lost
    from path_counts
    inner join kind_totals
        on path_counts.path_kind = kind_totals.path_kind

)

select * from final
order by path_kind asc, lost_customers desc, customer_months desc, journey_path asc
