{#
    WhatsApp conversations (the Cloud API's 24-hour billing windows under
    conversation-based pricing), from the status webhooks that carry a
    conversation id (`sent` and one of `delivered` or `read`).

    The webhooks carry no price. The charge of a billable conversation is
    the unit price the daily spend export implies for the day and campaign
    the conversation was opened in (amount / billable_conversations of that
    `whatsapp_cloud_api` row); a conversation WhatsApp does not bill costs 0;
    with no spend row (or the ad_spend source switched off) the cost is
    unknown (null).
#}

{%- set using_ad_spend = var('jornada__using_ad_spend') -%}

with

message_events as (

    select * from {{ ref('int_message_events_unioned') }}

),

{% if using_ad_spend %}
    daily_spend as (

        select * from {{ ref('stg_ad_spend__daily_spend') }}

    ),

{% endif %}
conversation_events as (

    select
        whatsapp_conversation_id,
        message_id,
        occurred_at,
        person_id,
        campaign_id,
        whatsapp_conversation_origin_type,
        whatsapp_conversation_expires_at,
        whatsapp_pricing_category,
        is_billable,
        row_number() over (
            partition by whatsapp_conversation_id
            order by occurred_at, message_id
        ) as event_rank
    from message_events
    where
        channel = 'whatsapp'
        and direction = 'outbound'
        and whatsapp_conversation_id is not null

),

conversations as (

    select
        whatsapp_conversation_id,
        max(person_id) as person_id,
        min(occurred_at) as opened_at,
        max(whatsapp_conversation_expires_at) as expires_at,
        max(whatsapp_conversation_origin_type) as origin_type,
        max(whatsapp_pricing_category) as pricing_category,
        {{ dbt.bool_or('is_billable') }} as is_billable,
        count(distinct message_id) as message_count
    from conversation_events
    group by whatsapp_conversation_id

),

opening_messages as (

    select
        whatsapp_conversation_id,
        message_id as opening_message_id,
        campaign_id
    from conversation_events
    where event_rank = 1

),

{% if using_ad_spend %}
    spend_unit_prices as (

        select
            spend_date,
            campaign_id,
            currency,
            cast(amount / billable_conversations as decimal(18, 2)) as conversation_price
        from daily_spend
        where
            channel = 'whatsapp'
            and billable_conversations > 0

    ),

{% endif %}
final as (

    select
        conversations.whatsapp_conversation_id,
        conversations.person_id,
        opening_messages.opening_message_id,
        opening_messages.campaign_id,
        conversations.origin_type,
        conversations.pricing_category,
        coalesce(conversations.is_billable, false) as is_billable,
        conversations.opened_at,
        {{ jornada.to_business_date('conversations.opened_at') }} as opened_date,
        conversations.expires_at,
        conversations.message_count,
        {% if using_ad_spend %}
            case
                when not coalesce(conversations.is_billable, false) then cast(0 as decimal(18, 2))
                else spend_unit_prices.conversation_price
            end as cost_amount,
            case
                when not coalesce(conversations.is_billable, false) then '{{ var("reporting_currency") }}'
                else spend_unit_prices.currency
            end as currency
        {%- else -%}
            case
                when not coalesce(conversations.is_billable, false) then cast(0 as decimal(18, 2))
            end as cost_amount,
            case
                when not coalesce(conversations.is_billable, false) then '{{ var("reporting_currency") }}'
            end as currency
        {%- endif %}
    from conversations
    inner join opening_messages
        on conversations.whatsapp_conversation_id = opening_messages.whatsapp_conversation_id
    {% if using_ad_spend %}
        left join spend_unit_prices
            on
                {{ jornada.to_business_date('conversations.opened_at') }} = spend_unit_prices.spend_date
                and opening_messages.campaign_id = spend_unit_prices.campaign_id
    {%- endif %}

)

select * from final
