{#
    Attribution credit rolled up from touches to channel and campaign: one
    row per conversion, attribution model, channel and campaign. Several
    credited touches of one channel and campaign (a message and the web
    visit its link opened, under linear, time_decay or position_based) add
    up to one row. A conversion with no eligible touch keeps its one
    unattributed row (channel and campaign null), so credits of a
    conversion sum to 1 per model and attributed revenue adds up to real
    revenue. `attributed_date` is the local date of the earliest credited
    touch of the row (a message's send, a tagged visit's start), the date
    the messaging KPIs report the credit on.
#}

with

credited_touches as (

    select * from {{ ref('int_attribution_touches_credited') }}

),

rolled_up as (

    select
        attribution_model,
        conversion_id,
        channel,
        campaign_id,
        max(conversion_type) as conversion_type,
        max(person_id) as person_id,
        max(converted_at) as converted_at,
        max(converted_date) as converted_date,
        {{ dbt.bool_or('is_unattributed') }} as is_unattributed,
        sum(case when touchpoint_id is not null then 1 else 0 end) as credited_touches,
        min(touched_at) as first_touched_at,
        min(touched_date) as first_touched_date,
        sum(credit) as credit,
        max(revenue) as revenue,
        sum(attributed_revenue) as attributed_revenue
    from credited_touches
    group by
        attribution_model,
        conversion_id,
        channel,
        campaign_id

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "conversion_id", "'|'", "attribution_model", "'|'",
            "coalesce(channel, '')", "'|'", "coalesce(campaign_id, '')",
        ])) }} as attributed_conversion_id,
        attribution_model,
        attribution_model = '{{ var("attribution_model") }}' as is_selected_model,
        conversion_id,
        conversion_type,
        conversion_type = 'first_order' as is_first_order,
        person_id,
        converted_at,
        converted_date,
        channel,
        campaign_id,
        is_unattributed,
        cast(credited_touches as {{ dbt.type_bigint() }}) as credited_touches,
        first_touched_at,
        coalesce(first_touched_date, converted_date) as attributed_date,
        cast(credit as {{ jornada.type_double() }}) as credit,
        cast(revenue as decimal(18, 2)) as revenue,
        cast(attributed_revenue as decimal(18, 2)) as attributed_revenue,
        '{{ var("reporting_currency") }}' as currency
    from rolled_up

)

select * from final
