{#
    The persons of every A/B test and what happened to them, by intention
    to treat (doc blocks in _experiments__docs.md):

    - A/B test: the catalog lists at least two variants of the campaign and
      exactly one control; other campaigns are left out.
    - Recipient: a person sent a message of the test in a catalog variant.
      A person counts once per campaign, in the variant of their first sent
      message (earliest sent_at, then message_id).
    - Conversion: a valid order of the person at or after that first send
      and at most the campaign channel's lookback later (var
      attribution_lookback_days; inclusive; channels not listed use web's).
    - Clicker (secondary): a click reported on a message of the campaign to
      the person, or a web session tagged with the campaign started at or
      after the first send.
#}

{%- set using_ga4 = var('jornada__using_ga4') -%}
{%- set lookback_days = var('attribution_lookback_days') -%}
{%- set default_lookback_days = lookback_days.get('web', 30) -%}

with

messages as (

    select * from {{ ref('int_message_lifecycles_pivoted') }}

),

campaigns as (

    select * from {{ ref('stg_campaigns__campaigns') }}

),

variants as (

    select * from {{ ref('stg_campaigns__variants') }}

),

orders as (

    select * from {{ ref('int_orders_enriched') }}

),

{% if using_ga4 %}
    sessions as (

        select * from {{ ref('int_web_sessions_aggregated') }}

    ),

{% endif %}
ab_tests as (

    select variants.campaign_id
    from variants
    group by variants.campaign_id
    having
        count(*) >= 2
        and sum(case when variants.is_control then 1 else 0 end) = 1

),

ab_test_windows as (

    select
        ab_tests.campaign_id,
        campaigns.channel,
        case campaigns.channel
            {%- for channel, days in lookback_days.items() %}
                when '{{ channel }}' then {{ days }}
            {%- endfor %}
            else {{ default_lookback_days }}
        end as conversion_window_days
    from ab_tests
    inner join campaigns
        on ab_tests.campaign_id = campaigns.campaign_id

),

ab_test_sends as (

    select
        messages.message_id,
        messages.campaign_id,
        messages.person_id,
        messages.ab_variant as variant,
        messages.sent_at,
        messages.first_clicked_at
    from messages
    inner join ab_test_windows
        on messages.campaign_id = ab_test_windows.campaign_id
    inner join variants
        on
            messages.campaign_id = variants.campaign_id
            and messages.ab_variant = variants.variant
    where
        messages.is_sent
        and messages.sent_at is not null
        and messages.person_id is not null

),

sends_ranked as (

    select
        campaign_id,
        person_id,
        variant,
        message_id,
        sent_at,
        row_number() over (
            partition by campaign_id, person_id
            order by sent_at asc, message_id asc
        ) as send_rank
    from ab_test_sends

),

person_sends as (

    select
        campaign_id,
        person_id,
        count(*) as messages_sent,
        count(distinct variant) as variants_sent,
        min(first_clicked_at) as first_message_clicked_at
    from ab_test_sends
    group by campaign_id, person_id

),

assignments as (

    select
        sends_ranked.campaign_id,
        sends_ranked.person_id,
        sends_ranked.variant,
        sends_ranked.message_id as first_message_id,
        sends_ranked.sent_at as first_sent_at,
        ab_test_windows.channel,
        ab_test_windows.conversion_window_days,
        {{ dbt.dateadd('day', 'ab_test_windows.conversion_window_days', 'sends_ranked.sent_at') }}
            as conversion_window_end_at,
        person_sends.messages_sent,
        person_sends.variants_sent > 1 as has_multiple_variants,
        person_sends.first_message_clicked_at
    from sends_ranked
    inner join person_sends
        on
            sends_ranked.campaign_id = person_sends.campaign_id
            and sends_ranked.person_id = person_sends.person_id
    inner join ab_test_windows
        on sends_ranked.campaign_id = ab_test_windows.campaign_id
    where sends_ranked.send_rank = 1

),

window_orders as (

    select
        assignments.campaign_id,
        assignments.person_id,
        count(*) as conversion_orders,
        min(orders.created_at) as converted_at,
        sum(orders.net_revenue) as conversion_revenue
    from assignments
    inner join orders
        on
            assignments.person_id = orders.person_id
            and assignments.first_sent_at <= orders.created_at
            and assignments.conversion_window_end_at >= orders.created_at
    where orders.is_valid_order
    group by assignments.campaign_id, assignments.person_id

),

{% if using_ga4 %}
    tagged_sessions as (

        select
            assignments.campaign_id,
            assignments.person_id,
            min(sessions.started_at) as first_session_at
        from assignments
        inner join sessions
            on
                assignments.campaign_id = sessions.campaign_id
                and assignments.person_id = sessions.person_id
                and assignments.first_sent_at <= sessions.started_at
        group by assignments.campaign_id, assignments.person_id

    ),

{% endif %}
outcomes as (

    select
        assignments.*,
        window_orders.converted_at,
        window_orders.conversion_orders,
        window_orders.conversion_revenue,
        {% if using_ga4 -%}
            least(assignments.first_message_clicked_at, tagged_sessions.first_session_at) as first_clicked_at
        {%- else -%}
            assignments.first_message_clicked_at as first_clicked_at
        {%- endif %}
    from assignments
    left join window_orders
        on
            assignments.campaign_id = window_orders.campaign_id
            and assignments.person_id = window_orders.person_id
    {%- if using_ga4 %}
        left join tagged_sessions
            on
                assignments.campaign_id = tagged_sessions.campaign_id
                and assignments.person_id = tagged_sessions.person_id
    {%- endif %}

),

final as (

    select
        {{ dbt.hash(dbt.concat(["campaign_id", "'|'", "person_id"])) }} as ab_test_recipient_id,
        campaign_id,
        channel,
        person_id,
        variant,
        first_message_id,
        first_sent_at,
        {{ jornada.to_business_date('first_sent_at') }} as first_send_date,
        cast(messages_sent as {{ dbt.type_bigint() }}) as messages_sent,
        has_multiple_variants,
        cast(conversion_window_days as {{ dbt.type_bigint() }}) as conversion_window_days,
        conversion_window_end_at,
        converted_at is not null as is_converted,
        converted_at,
        cast(coalesce(conversion_orders, 0) as {{ dbt.type_bigint() }}) as conversion_orders,
        cast(coalesce(conversion_revenue, 0) as decimal(18, 2)) as conversion_revenue,
        '{{ var("reporting_currency") }}' as currency,
        first_clicked_at is not null as is_clicker,
        first_clicked_at
    from outcomes

)

select * from final
