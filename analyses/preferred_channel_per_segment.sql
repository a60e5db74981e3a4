{#
    Preferred channel per segment: for each customer segment, the outbound
    channel (email, WhatsApp, SMS) whose delivered messages get the most
    engagement.

    Segments (segment_type / segment_value):
      - all / all: every recipient, the baseline;
      - customer_status: the recipient's status when the message was sent
        (`prospect` before their first valid order, `first_time_customer`
        after it, `repeat_customer` from their second), from dim_customers;
      - crm_lifecycle_stage: the HubSpot lifecycle stage of the person's
        CRM contact (`lead`, `customer`, ...; `no_crm_contact` without one);
      - state: the Brazilian state of that contact (`unknown` without one).

    Engagement is a click (SendGrid click, or a tagged web visit tied to a
    WhatsApp or SMS message) or a reply, over delivered messages: the
    response every channel can measure (opens are not measurable on SMS and
    replies are not tracked on email, so open_rate and reply_rate are shown
    beside it where tracked, but do not decide). Within a segment, channels
    with at least var `analysis_min_messages` (default 30) delivered messages
    are ranked on engagement_rate; `is_preferred_channel` marks rank 1.
#}

{%- set min_messages = var('analysis_min_messages', 30) -%}

with

messages as (

    select * from {{ ref('fct_messages') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

crm_contacts as (

    select * from {{ ref('stg_hubspot__contacts') }}

),

identity_nodes as (

    select * from {{ ref('int_identity_nodes_resolved') }}

),

person_contacts as (

    select
        identity_nodes.person_id,
        crm_contacts.lifecycle_stage,
        crm_contacts.state,
        row_number() over (
            partition by identity_nodes.person_id
            order by crm_contacts.updated_at desc, crm_contacts.contact_id desc
        ) as contact_recency
    from crm_contacts
    inner join identity_nodes
        on identity_nodes.node_key = {{ jornada.identity_node_key('crm_contact', 'crm_contacts.contact_id') }}

),

latest_person_contacts as (

    select
        person_id,
        lifecycle_stage,
        state
    from person_contacts
    where contact_recency = 1

),

delivered_messages as (

    select
        messages.message_id,
        messages.person_id,
        messages.channel,
        messages.is_open_tracked,
        messages.is_reply_tracked,
        messages.is_opened,
        messages.is_clicked,
        messages.is_replied,
        messages.is_clicked or messages.is_replied as is_engaged,
        case
            when customers.first_order_at is null or customers.first_order_at > messages.sent_at
                then 'prospect'
            when customers.second_order_at is null or customers.second_order_at > messages.sent_at
                then 'first_time_customer'
            else 'repeat_customer'
        end as customer_status,
        coalesce(latest_person_contacts.lifecycle_stage, 'no_crm_contact') as crm_lifecycle_stage,
        coalesce(latest_person_contacts.state, 'unknown') as state
    from messages
    left join customers
        on messages.person_id = customers.person_id
    left join latest_person_contacts
        on messages.person_id = latest_person_contacts.person_id
    where messages.is_delivered

),

segmented as (

    {%- set segments = [
        ("'all'", "'all'"),
        ("'customer_status'", "customer_status"),
        ("'crm_lifecycle_stage'", "crm_lifecycle_stage"),
        ("'state'", "state"),
    ] %}
    {%- for segment_type, segment_value in segments %}

        select
            {{ segment_type }} as segment_type,
            {{ segment_value }} as segment_value,
            message_id,
            person_id,
            channel,
            is_open_tracked,
            is_reply_tracked,
            is_opened,
            is_clicked,
            is_replied,
            is_engaged
        from delivered_messages
        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}

),

channel_engagement as (

    select
        segment_type,
        segment_value,
        channel,
        count(distinct person_id) as persons_reached,
        count(*) as messages_delivered,
        sum(case when is_engaged then 1 else 0 end) as engaged_messages,
        sum(case when is_opened then 1 else 0 end) as opened_messages,
        sum(case when is_clicked then 1 else 0 end) as clicked_messages,
        sum(case when is_replied then 1 else 0 end) as replied_messages,
        {{ dbt.bool_or('is_open_tracked') }} as is_open_tracked,
        {{ dbt.bool_or('is_reply_tracked') }} as is_reply_tracked
    from segmented
    group by
        segment_type,
        segment_value,
        channel

),

rated as (

    select
        segment_type,
        segment_value,
        channel,
        persons_reached,
        messages_delivered,
        engaged_messages,
        messages_delivered >= {{ min_messages }} as is_ranked,
        {{ jornada.safe_divide('engaged_messages', 'messages_delivered') }} as engagement_rate,
        {{ jornada.safe_divide('clicked_messages', 'messages_delivered') }} as click_rate,
        case
            when is_open_tracked then {{ jornada.safe_divide('opened_messages', 'messages_delivered') }}
        end as open_rate,
        case
            when is_reply_tracked then {{ jornada.safe_divide('replied_messages', 'messages_delivered') }}
        end as reply_rate
    from channel_engagement

),

ranked as (

    select
        segment_type,
        segment_value,
        channel,
        persons_reached,
        messages_delivered,
        engaged_messages,
        engagement_rate,
        click_rate,
        open_rate,
        reply_rate,
        case
            when is_ranked
                then rank() over (
                    partition by segment_type, segment_value, is_ranked
                    order by engagement_rate desc
                )
        end as channel_rank
    from rated

),

final as (

    select
        segment_type,
        segment_value,
        channel,
        persons_reached,
        messages_delivered,
        engaged_messages,
        engagement_rate,
        click_rate,
        open_rate,
        reply_rate,
        channel_rank,
        coalesce(channel_rank = 1, false) as is_preferred_channel
    from ranked

)

select * from final
order by segment_type, segment_value, channel
