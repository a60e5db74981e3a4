{#
    One row per period type (`week`: ISO week from Monday; `month`), period
    and lead origin channel (plus `all`): the leads created in the period
    and in the period before it, the inputs of lead_growth_rate
    ((this - previous) / previous). Periods come from the leads themselves,
    no calendar table: every period with leads and every period right after
    one (where the leads may have dropped to 0). A period with no leads
    after a period with none has no row (its growth is undefined anyway).
    A period is complete once its last day is on or before the data's last
    date (fct_leads.as_of_date); only complete periods are compared.
#}

{%- set periods = ['week', 'month'] -%}

with

leads as (

    select * from {{ ref('fct_leads') }}

),

as_of as (

    select max(as_of_date) as as_of_date
    from leads

),

leads_by_channel as (

    select
        lead_date,
        origin_channel as channel
    from leads
    union all
    select
        lead_date,
        'all' as channel
    from leads

),

period_leads as (

    {% for period in periods %}
        select
            '{{ period }}' as period,
            cast({{ dbt.date_trunc(period, 'lead_date') }} as date) as period_start_date,
            channel,
            count(*) as leads
        from leads_by_channel
        group by
            cast({{ dbt.date_trunc(period, 'lead_date') }} as date),
            channel
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

candidate_periods as (

    {#- Each period with leads, and the period after it. -#}
    select
        period,
        period_start_date,
        channel
    from period_leads
    {% for period in periods %}
        union distinct
        select
            period,
            cast({{ dbt.dateadd(period, 1, 'period_start_date') }} as date) as period_start_date,
            channel
        from period_leads
        where period = '{{ period }}'
    {% endfor %}

),

bounded_periods as (

    select
        candidate_periods.period,
        candidate_periods.period_start_date,
        candidate_periods.channel,
        as_of.as_of_date,
        case candidate_periods.period
            {%- for period in periods %}
                when '{{ period }}'
                    then cast({{ dbt.dateadd(period, -1, 'candidate_periods.period_start_date') }} as date)
            {%- endfor %}
        end as previous_period_start_date,
        case candidate_periods.period
            {%- for period in periods %}
                {%- set next_period_start = dbt.dateadd(period, 1, 'candidate_periods.period_start_date') %}
                when '{{ period }}'
                    then cast({{ dbt.dateadd('day', -1, next_period_start) }} as date)
            {%- endfor %}
        end as period_end_date
    from candidate_periods
    cross join as_of
    where candidate_periods.period_start_date <= as_of.as_of_date

),

compared as (

    select
        bounded_periods.period,
        bounded_periods.period_start_date,
        bounded_periods.period_end_date,
        bounded_periods.previous_period_start_date,
        bounded_periods.channel,
        bounded_periods.as_of_date,
        cast(coalesce(this_period.leads, 0) as bigint) as leads,
        cast(coalesce(previous_period.leads, 0) as bigint) as previous_period_leads
    from bounded_periods
    left join period_leads as this_period
        on
            bounded_periods.period = this_period.period
            and bounded_periods.period_start_date = this_period.period_start_date
            and bounded_periods.channel = this_period.channel
    left join period_leads as previous_period
        on
            bounded_periods.period = previous_period.period
            and bounded_periods.previous_period_start_date = previous_period.period_start_date
            and bounded_periods.channel = previous_period.channel

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "period", "'|'", "cast(period_start_date as " ~ dbt.type_string() ~ ")", "'|'", "channel"
        ])) }} as lead_period_id,
        period,
        period_start_date,
        period_end_date,
        previous_period_start_date,
        channel,
        leads,
        previous_period_leads,
        leads - previous_period_leads as lead_change,
        period_end_date <= as_of_date as is_complete,
        as_of_date
    from compared

)

select * from final
