{#
    One row per local creation date, channel (`all` included) and contact
    reason with tickets: the reason's tickets, the tickets of the date and
    channel, the reason's share of them and its rank among the reasons of
    that date and channel (1 = most tickets; ties share a rank, the next
    rank skips, as rank() does). The inputs of the contact_reason rows of
    tickets and of top_contact_reason_share; kpi_daily has no rank column,
    so a BI tool takes the rank from here (join on metric_date, channel and
    contact_reason = dimension_value). Untagged tickets (no reason tag) form
    the reason `untagged`: they count in the denominator and get no rank.
    Tickets without a channel (API-created) count only in channel `all`.
#}

{%- set untagged = "'untagged'" -%}

with

tickets as (

    select * from {{ ref('fct_tickets') }}

),

ticket_reasons as (

    select
        created_date,
        channel,
        coalesce(contact_reason, {{ untagged }}) as contact_reason
    from tickets

),

reason_counts as (

    select
        created_date as metric_date,
        'all' as channel,
        contact_reason,
        count(*) as tickets
    from ticket_reasons
    group by created_date, contact_reason

    union all

    select
        created_date as metric_date,
        channel,
        contact_reason,
        count(*) as tickets
    from ticket_reasons
    where channel is not null
    group by created_date, channel, contact_reason

),

with_totals as (

    select
        *,
        sum(tickets) over (partition by metric_date, channel) as channel_tickets,
        contact_reason = {{ untagged }} as is_untagged
    from reason_counts

),

ranked as (

    select
        *,
        case
            when not is_untagged
                then rank() over (partition by metric_date, channel, is_untagged order by tickets desc)
        end as contact_reason_rank
    from with_totals

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "cast(metric_date as " ~ dbt.type_string() ~ ")",
            "'|'",
            "channel",
            "'|'",
            "contact_reason",
        ])) }} as contact_reason_day_id,
        metric_date,
        channel,
        contact_reason,
        is_untagged,
        cast(tickets as {{ dbt.type_bigint() }}) as tickets,
        cast(channel_tickets as {{ dbt.type_bigint() }}) as channel_tickets,
        {{ jornada.safe_divide('tickets', 'channel_tickets') }} as ticket_share,
        cast(contact_reason_rank as {{ dbt.type_bigint() }}) as contact_reason_rank,
        coalesce(contact_reason_rank = 1, false) as is_top_contact_reason
    from ranked

)

select * from final
