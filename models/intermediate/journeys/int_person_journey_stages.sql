{#
    Journey stage of every known person over time, as spells: one row per
    person and continuous stretch of days in one stage, with entry and exit
    dates. On any local day a person is in exactly one stage, by precedence:

    1. service    while a ticket of theirs is open;
    2. sales      while a checkout of theirs is open (not completed, not yet
                  abandoned);
    3. loyalty    while they are a customer: a valid order in the last
                  `churn_inactivity_days` days, or an active subscription;
    4. attraction otherwise, from the day they were first seen (a lapsed
                  customer goes back to attraction: win-back).

    Each interval adds 1 to its stage's open count on its start date and
    takes 1 away on its (exclusive) end date; running sums give the counts
    at every date where anything changes, and consecutive dates in the same
    stage are collapsed into one spell. Anonymous persons (web devices only)
    are left out.
#}

with

persons as (

    select * from {{ ref('int_persons_aggregated') }}
    where not is_anonymous

),

intervals as (

    select * from {{ ref('int_person_stage_intervals_unioned') }}

),

deltas as (

    select
        person_id,
        start_date as change_date,
        case when journey_stage = 'service' then 1 else 0 end as service_delta,
        case when journey_stage = 'sales' then 1 else 0 end as sales_delta,
        case when journey_stage = 'loyalty' then 1 else 0 end as loyalty_delta
    from intervals
    union all
    select
        person_id,
        end_date as change_date,
        case when journey_stage = 'service' then -1 else 0 end as service_delta,
        case when journey_stage = 'sales' then -1 else 0 end as sales_delta,
        case when journey_stage = 'loyalty' then -1 else 0 end as loyalty_delta
    from intervals
    where end_date is not null
    union all
    select
        person_id,
        {{ jornada.to_business_date('first_seen_at') }} as change_date,
        0 as service_delta,
        0 as sales_delta,
        0 as loyalty_delta
    from persons

),

per_date as (

    select
        deltas.person_id,
        deltas.change_date,
        sum(deltas.service_delta) as service_delta,
        sum(deltas.sales_delta) as sales_delta,
        sum(deltas.loyalty_delta) as loyalty_delta
    from deltas
    inner join persons
        on deltas.person_id = persons.person_id
    group by deltas.person_id, deltas.change_date

),

open_counts as (

    select
        person_id,
        change_date,
        sum(service_delta) over (
            partition by person_id order by change_date rows between unbounded preceding and current row
        ) as open_tickets,
        sum(sales_delta) over (
            partition by person_id order by change_date rows between unbounded preceding and current row
        ) as open_checkouts,
        sum(loyalty_delta) over (
            partition by person_id order by change_date rows between unbounded preceding and current row
        ) as customer_reasons
    from per_date

),

states as (

    select
        person_id,
        change_date,
        case
            when open_tickets > 0 then 'service'
            when open_checkouts > 0 then 'sales'
            when customer_reasons > 0 then 'loyalty'
            else 'attraction'
        end as journey_stage
    from open_counts

),

changes as (

    select
        person_id,
        change_date,
        journey_stage,
        lag(journey_stage) over (partition by person_id order by change_date) as previous_stage
    from states

),

spells as (

    select
        person_id,
        journey_stage,
        previous_stage,
        change_date as entered_date,
        lead(change_date) over (partition by person_id order by change_date) as exited_date,
        row_number() over (partition by person_id order by change_date) as spell_number
    from changes
    where previous_stage is null or previous_stage <> journey_stage

),

final as (

    select
        {{ dbt.hash(dbt.concat(["person_id", "'|'", "cast(entered_date as " ~ dbt.type_string() ~ ")"])) }}
            as journey_stage_spell_id,
        person_id,
        spell_number,
        journey_stage,
        previous_stage,
        entered_date,
        exited_date,
        exited_date is null as is_current,
        {{ dbt.datediff(
            'entered_date', 'exited_date', 'day'
        ) }} as days_in_stage
    from spells

)

select * from final
