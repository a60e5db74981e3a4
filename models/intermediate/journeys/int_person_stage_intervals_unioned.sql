{#
    The intervals that put a person in a journey stage, from every source,
    as local dates [start_date, end_date) with an exclusive end (null while
    still open):

    - service: a ticket from its creation day through the day it was solved;
    - sales: a checkout from the day it started through the day it was
      completed, or the day `cart_abandonment_hours` ran out;
    - loyalty: a valid order keeps its person a customer for
      `churn_inactivity_days` days; an active subscription from its start
      through the day it ended.
#}

{%- set parts = [] -%}

with

{% if var('jornada__using_zendesk') %}
    tickets as (

        select * from {{ ref('int_ticket_lifecycles_pivoted') }}

    ),
{% endif %}

{% if var('jornada__using_shopify') %}
    checkouts as (

        select * from {{ ref('stg_shopify__abandoned_checkouts') }}

    ),
{% endif %}

{% if var('jornada__using_shopify') %}
    orders as (

        select * from {{ ref('int_orders_enriched') }}
        where is_valid_order

    ),
{% endif %}

{% if var('jornada__using_stripe') %}
    subscriptions as (

        select * from {{ ref('stg_stripe__subscriptions') }}

    ),
{% endif %}

identity_nodes as (

    select * from {{ ref('int_identity_nodes_resolved') }}

),

{% if var('jornada__using_zendesk') %}
    ticket_intervals as (

        select
            'service' as journey_stage,
            'ticket' as source_type,
            cast(ticket_id as {{ dbt.type_string() }}) as source_id,
            person_id,
            {{ jornada.to_business_date('created_at') }} as start_date,
            {{ dbt.dateadd('day', 1, jornada.to_business_date('solved_at')) }} as end_date
        from tickets

    ),
    {% do parts.append('ticket_intervals') %}
{% endif %}

{% if var('jornada__using_shopify') %}
    checkout_intervals as (

        select
            'sales' as journey_stage,
            'checkout' as source_type,
            checkouts.checkout_id as source_id,
            coalesce(customer_nodes.person_id, email_nodes.person_id) as person_id,
            {{ jornada.to_business_date('checkouts.created_at') }} as start_date,
        {{ dbt.dateadd('day', 1, jornada.to_business_date(
            'coalesce(checkouts.completed_at, ' ~ dbt.dateadd(
                'hour', var('cart_abandonment_hours'), 'checkouts.created_at'
            ) ~ ')'
        )) }} as end_date
        from checkouts
        left join identity_nodes as customer_nodes
            on customer_nodes.node_key = {{ jornada.identity_node_key('store_customer', 'checkouts.customer_id') }}
        left join identity_nodes as email_nodes
            on email_nodes.node_key = {{ jornada.identity_node_key('email', 'checkouts.email_hash') }}

    ),
    {% do parts.append('checkout_intervals') %}
{% endif %}

{% if var('jornada__using_shopify') %}
    order_intervals as (

        select
            'loyalty' as journey_stage,
            'order' as source_type,
            order_id as source_id,
            person_id,
            order_date as start_date,
            {{ dbt.dateadd('day', var('churn_inactivity_days'), 'order_date') }} as end_date
        from orders

    ),
    {% do parts.append('order_intervals') %}
{% endif %}

{% if var('jornada__using_stripe') %}
    subscription_intervals as (

        select
            'loyalty' as journey_stage,
            'subscription' as source_type,
            subscriptions.subscription_id as source_id,
            identity_nodes.person_id,
            {{ jornada.to_business_date(
                'coalesce(subscriptions.started_at, subscriptions.created_at)'
            ) }} as start_date,
        {{ dbt.dateadd('day', 1, jornada.to_business_date(
            'coalesce(subscriptions.ended_at, subscriptions.canceled_at)'
        )) }} as end_date
        from subscriptions
        left join identity_nodes
            on identity_nodes.node_key = {{ jornada.identity_node_key(
                'billing_customer', 'subscriptions.customer_id'
            ) }}
        where subscriptions.status in ('active', 'past_due', 'canceled')

    ),
    {% do parts.append('subscription_intervals') %}
{% endif %}

unioned as (

    {% for part in parts %}
        select * from {{ part }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        {{ dbt.hash(dbt.concat(["source_type", "'|'", "source_id"])) }} as stage_interval_id,
        journey_stage,
        source_type,
        source_id,
        person_id,
        start_date,
        cast(end_date as date) as end_date
    from unioned
    where person_id is not null and start_date is not null

)

select * from final
