{#
    Every person-facing event on any channel, one row each: outbound
    messages and their opens, clicks and replies, web sessions, chat
    conversations, tickets, survey answers, reviews and orders.

    `is_attributable` marks the touches attribution may credit: delivered
    outbound messages, web sessions (whose channel comes from their traffic
    source, so a session started by an email click is an email touch) and
    chat conversations. Opens, clicks and replies belong to their message's
    touch, and service events and orders are outcomes, not marketing touches.
    `is_direct` marks direct web traffic, which last_non_direct passes over.
#}

{%- set using_messages = var('jornada__using_sendgrid') or var('jornada__using_whatsapp')
    or var('jornada__using_twilio') -%}
{%- set parts = [] -%}

with

{% if using_messages %}
    messages as (

        select * from {{ ref('int_message_lifecycles_pivoted') }}

    ),
{% endif %}

{% if var('jornada__using_ga4') %}
    web_sessions as (

        select * from {{ ref('int_web_sessions_aggregated') }}

    ),
{% endif %}

{% if var('jornada__using_chat') %}
    chat_conversations as (

        select * from {{ ref('int_chat_conversations_segmented') }}

    ),
{% endif %}

{% if var('jornada__using_zendesk') %}
    tickets as (

        select * from {{ ref('int_ticket_lifecycles_pivoted') }}

    ),
{% endif %}

{% if var('jornada__using_shopify') %}
    orders as (

        select * from {{ ref('int_orders_enriched') }}
        where is_valid_order

    ),
{% endif %}

{% if var('jornada__using_surveys') %}
    survey_responses as (

        select * from {{ ref('stg_surveys__responses') }}

    ),
{% endif %}

{% if var('jornada__using_reviews') %}
    reviews as (

        select * from {{ ref('stg_reviews__reviews') }}

    ),
{% endif %}

identity_nodes as (

    select * from {{ ref('int_identity_nodes_resolved') }}

),

{% if using_messages %}
    message_steps as (

    {% for step, occurred_at, direction, attributable in [
        ('message', 'sent_at', 'outbound', 'is_delivered'),
        ('message_open', 'first_opened_at', 'inbound', 'false'),
        ('message_click', 'first_clicked_at', 'inbound', 'false'),
        ('message_reply', 'first_replied_at', 'inbound', 'false'),
    ] %}
            select
                '{{ step }}' as touchpoint_type,
                message_id as source_id,
                'int_message_lifecycles_pivoted' as source_model,
                person_id,
                {{ occurred_at }} as occurred_at,
                channel,
                campaign_id,
                '{{ direction }}' as direction,
                {{ attributable }} as is_attributable,
                false as is_direct
            from messages
            where {{ occurred_at }} is not null
            {% if not loop.last %}union all{% endif %}
        {% endfor %}

    ),
    {% do parts.append('message_steps') %}
{% endif %}

{% if var('jornada__using_ga4') %}
    session_touches as (

        select
            'web_session' as touchpoint_type,
            session_key as source_id,
            'int_web_sessions_aggregated' as source_model,
            person_id,
            started_at as occurred_at,
            channel,
            campaign_id,
            'inbound' as direction,
            true as is_attributable,
            coalesce(traffic_source = '(direct)', false) as is_direct
        from web_sessions

    ),
    {% do parts.append('session_touches') %}
{% endif %}

{% if var('jornada__using_chat') %}
    chat_touches as (

        select
            'chat_conversation' as touchpoint_type,
            conversation_id as source_id,
            'int_chat_conversations_segmented' as source_model,
            person_id,
            started_at as occurred_at,
            channel,
            cast(null as {{ dbt.type_string() }}) as campaign_id,
            'inbound' as direction,
            true as is_attributable,
            false as is_direct
        from chat_conversations

    ),
    {% do parts.append('chat_touches') %}
{% endif %}

{% if var('jornada__using_zendesk') %}
    ticket_touches as (

        select
            'ticket' as touchpoint_type,
            cast(ticket_id as {{ dbt.type_string() }}) as source_id,
            'int_ticket_lifecycles_pivoted' as source_model,
            person_id,
            created_at as occurred_at,
            channel,
            cast(null as {{ dbt.type_string() }}) as campaign_id,
            'inbound' as direction,
            false as is_attributable,
            false as is_direct
        from tickets

    ),
    {% do parts.append('ticket_touches') %}
{% endif %}

{% if var('jornada__using_surveys') %}
    survey_touches as (

        select
            'survey_response' as touchpoint_type,
            survey_responses.response_id as source_id,
            'stg_surveys__responses' as source_model,
            coalesce(email_nodes.person_id, phone_nodes.person_id) as person_id,
            survey_responses.responded_at as occurred_at,
            survey_responses.channel,
            cast(null as {{ dbt.type_string() }}) as campaign_id,
            'inbound' as direction,
            false as is_attributable,
            false as is_direct
        from survey_responses
        left join identity_nodes as email_nodes
            on email_nodes.node_key = {{ jornada.identity_node_key('email', 'survey_responses.email_hash') }}
        left join identity_nodes as phone_nodes
            on phone_nodes.node_key = {{ jornada.identity_node_key('phone', 'survey_responses.phone_hash') }}

    ),
    {% do parts.append('survey_touches') %}
{% endif %}

{% if var('jornada__using_reviews') %}
    review_touches as (

        select
            'review' as touchpoint_type,
            reviews.review_id as source_id,
            'stg_reviews__reviews' as source_model,
            email_nodes.person_id,
            reviews.created_at as occurred_at,
            reviews.channel,
            cast(null as {{ dbt.type_string() }}) as campaign_id,
            'inbound' as direction,
            false as is_attributable,
            false as is_direct
        from reviews
        left join identity_nodes as email_nodes
            on email_nodes.node_key = {{ jornada.identity_node_key('email', 'reviews.email_hash') }}

    ),
    {% do parts.append('review_touches') %}
{% endif %}

{% if var('jornada__using_shopify') %}
    order_touches as (

        select
            'order' as touchpoint_type,
            order_id as source_id,
            'int_orders_enriched' as source_model,
            person_id,
            created_at as occurred_at,
            'store' as channel,
            campaign_id,
            'inbound' as direction,
            false as is_attributable,
            false as is_direct
        from orders

    ),
    {% do parts.append('order_touches') %}
{% endif %}

unioned as (

    {% for part in parts %}
        select * from {{ part }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        {{ dbt.hash(dbt.concat(["touchpoint_type", "'|'", "source_id"])) }} as touchpoint_id,
        touchpoint_type,
        source_id,
        source_model,
        person_id,
        occurred_at,
        {{ jornada.to_business_date('occurred_at') }} as occurred_date,
        channel,
        campaign_id,
        direction,
        is_attributable,
        is_direct
    from unioned
    where person_id is not null

)

select * from final
