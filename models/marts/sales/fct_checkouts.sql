{#
    One row per Shopify checkout with its abandonment and recovery outcome.

    - Abandoned: not completed within `cart_abandonment_hours` of its start
      (completion at exactly the limit is within). A checkout still open
      whose limit has not passed by the export's latest change (`as of`)
      is neither abandoned nor completed in time yet: `is_outcome_known`
      is false and cart_abandonment_rate leaves it out.
    - Recovery message: a sent message of the `cart_recovery` journey to
      the same person (identity graph), after the checkout started, at most
      `cart_recovery_window_hours` later and before the checkout completed.
      A message belongs to one checkout: the person's latest one still open
      when it was sent.
    - Recovered: abandoned, and completed after such a message (so a
      checkout completed 25 h after its start, after a recovery message, is
      abandoned and recovered).
#}

{%- set abandonment_hours = var('cart_abandonment_hours') -%}
{%- set recovery_window_hours = var('cart_recovery_window_hours') -%}

with

checkouts as (

    select * from {{ ref('stg_shopify__abandoned_checkouts') }}

),

identity_nodes as (

    select * from {{ ref('int_identity_nodes_resolved') }}

),

messages as (

    select * from {{ ref('int_message_lifecycles_pivoted') }}

),

as_of as (

    {#- The export's latest change: what is known about every checkout. -#}
    select max(coalesce(updated_at, completed_at, created_at)) as as_of_at
    from checkouts

),

checkout_persons as (

    select
        checkouts.checkout_id,
        checkouts.customer_id,
        coalesce(customer_nodes.person_id, email_nodes.person_id, phone_nodes.person_id) as person_id,
        checkouts.created_at as started_at,
        {{ jornada.to_business_date('checkouts.created_at') }} as checkout_date,
        checkouts.completed_at,
        checkouts.source_name,
        checkouts.channel as sales_channel,
        case
            when checkouts.source_name = 'pos' then 'store'
            else {{ jornada.traffic_channel(
                'coalesce(checkouts.landing_utm_source, ' ~ jornada.referring_social_network('checkouts.referring_site') ~ ')',
                'checkouts.landing_utm_medium',
                "checkouts.landing_site like '%gclid=%'",
            ) }}
        end as channel,
        checkouts.landing_utm_campaign,
        checkouts.currency as original_currency,
        checkouts.total_price as original_total_price,
        {{ dbt.dateadd('hour', abandonment_hours, 'checkouts.created_at') }} as abandonment_deadline_at
    from checkouts
    left join identity_nodes as customer_nodes
        on customer_nodes.node_key = {{ jornada.identity_node_key('store_customer', 'checkouts.customer_id') }}
    left join identity_nodes as email_nodes
        on email_nodes.node_key = {{ jornada.identity_node_key('email', 'checkouts.email_hash') }}
    left join identity_nodes as phone_nodes
        on phone_nodes.node_key = {{ jornada.identity_node_key('phone', 'checkouts.phone_hash') }}

),

recovery_messages as (

    select
        message_id,
        person_id,
        channel,
        campaign_id,
        sent_at,
        is_delivered
    from messages
    where
        journey = 'cart_recovery'
        and is_sent
        and sent_at is not null

),

message_checkouts as (

    {#- Each recovery message goes to the person's latest checkout still open when it was sent. -#}
    select
        recovery_messages.message_id,
        recovery_messages.channel,
        recovery_messages.campaign_id,
        recovery_messages.sent_at,
        recovery_messages.is_delivered,
        checkout_persons.checkout_id,
        row_number() over (
            partition by recovery_messages.message_id
            order by checkout_persons.started_at desc, checkout_persons.checkout_id desc
        ) as checkout_rank
    from recovery_messages
    inner join checkout_persons
        on
            recovery_messages.person_id = checkout_persons.person_id
            and recovery_messages.sent_at > checkout_persons.started_at
            and recovery_messages.sent_at
            <= {{ dbt.dateadd('hour', recovery_window_hours, 'checkout_persons.started_at') }}
            and (
                checkout_persons.completed_at is null
                or recovery_messages.sent_at < checkout_persons.completed_at
            )

),

checkout_messages as (

    select
        *,
        row_number() over (
            partition by checkout_id
            order by sent_at, message_id
        ) as message_rank
    from message_checkouts
    where checkout_rank = 1

),

recovery_aggregated as (

    select
        checkout_id,
        count(*) as recovery_messages,
        {{ dbt.bool_or('is_delivered') }} as has_delivered_recovery_message
    from checkout_messages
    group by checkout_id

),

first_recovery_messages as (

    select
        checkout_id,
        message_id as first_recovery_message_id,
        sent_at as first_recovery_message_at,
        channel as recovery_channel,
        campaign_id as recovery_campaign_id
    from checkout_messages
    where message_rank = 1

),

measured as (

    select
        checkout_persons.*,
        as_of.as_of_at,
        first_recovery_messages.first_recovery_message_id,
        first_recovery_messages.first_recovery_message_at,
        first_recovery_messages.recovery_channel,
        first_recovery_messages.recovery_campaign_id,
        {{ dbt.datediff('checkout_persons.started_at', 'checkout_persons.completed_at', 'second') }}
            as seconds_to_complete,
        coalesce(checkout_persons.completed_at <= checkout_persons.abandonment_deadline_at, false)
            as is_completed_in_time,
        checkout_persons.abandonment_deadline_at <= as_of.as_of_at as has_deadline_passed,
        coalesce(recovery_aggregated.recovery_messages, 0) as recovery_messages,
        coalesce(recovery_aggregated.has_delivered_recovery_message, false) as has_delivered_recovery_message
    from checkout_persons
    cross join as_of
    left join recovery_aggregated
        on checkout_persons.checkout_id = recovery_aggregated.checkout_id
    left join first_recovery_messages
        on checkout_persons.checkout_id = first_recovery_messages.checkout_id

),

final as (

    select
        checkout_id,
        person_id,
        customer_id,
        started_at,
        checkout_date,
        completed_at,
        completed_at is not null as is_completed,
        cast(seconds_to_complete as {{ jornada.type_double() }}) / 3600 as hours_to_complete,
        abandonment_deadline_at,
        as_of_at,
        is_completed_in_time,
        is_completed_in_time or has_deadline_passed as is_outcome_known,
        not is_completed_in_time and has_deadline_passed as is_abandoned,
        cast(recovery_messages as {{ dbt.type_bigint() }}) as recovery_messages,
        recovery_messages > 0 as has_recovery_message,
        has_delivered_recovery_message,
        first_recovery_message_id,
        first_recovery_message_at,
        recovery_channel,
        recovery_campaign_id,
        not is_completed_in_time
        and has_deadline_passed
        and recovery_messages > 0
        and completed_at is not null as is_recovered,
        source_name,
        sales_channel,
        channel,
        {{ jornada.traffic_campaign_id('landing_utm_campaign', 'channel') }} as campaign_id,
        original_currency,
        original_total_price
    from measured

)

select * from final
