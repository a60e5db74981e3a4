{#
    Every conversion attribution credits, one vocabulary: first orders and
    repeat orders (valid Shopify orders; revenue is net of refunds, in the
    reporting currency), leads (HubSpot contacts becoming leads) and
    subscriptions (Stripe subscriptions starting). Leads and subscriptions
    carry no revenue here: subscription revenue is reported as MRR.
#}

{%- set parts = [] -%}

with

{% if var('jornada__using_shopify') %}
    orders as (

        select * from {{ ref('int_orders_enriched') }}
        where is_valid_order

    ),
{% endif %}

{% if var('jornada__using_hubspot') and var('jornada__using_shopify') %}
    leads as (

        select * from {{ ref('int_leads_converted') }}

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

{% if var('jornada__using_shopify') %}
    order_conversions as (

        select
            case when is_first_order then 'first_order' else 'repeat_order' end as conversion_type,
            order_id as source_id,
            'int_orders_enriched' as source_model,
            person_id,
            created_at as converted_at,
            net_revenue as revenue
        from orders

    ),
    {% do parts.append('order_conversions') %}
{% endif %}

{% if var('jornada__using_hubspot') and var('jornada__using_shopify') %}
    lead_conversions as (

        select
            'lead' as conversion_type,
            contact_id as source_id,
            'int_leads_converted' as source_model,
            person_id,
            lead_created_at as converted_at,
            cast(0 as decimal(18, 2)) as revenue
        from leads
        where lead_created_at is not null

    ),
    {% do parts.append('lead_conversions') %}
{% endif %}

{% if var('jornada__using_stripe') %}
    subscription_conversions as (

        select
            'subscription' as conversion_type,
            subscriptions.subscription_id as source_id,
            'stg_stripe__subscriptions' as source_model,
            identity_nodes.person_id,
            coalesce(subscriptions.started_at, subscriptions.created_at) as converted_at,
            cast(0 as decimal(18, 2)) as revenue
        from subscriptions
        left join identity_nodes
            on identity_nodes.node_key = {{ jornada.identity_node_key(
                'billing_customer', 'subscriptions.customer_id'
            ) }}

    ),
    {% do parts.append('subscription_conversions') %}
{% endif %}

unioned as (

    {% for part in parts %}
        select * from {{ part }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        {{ dbt.hash(dbt.concat(["conversion_type", "'|'", "source_id"])) }} as conversion_id,
        conversion_type,
        source_id,
        source_model,
        person_id,
        converted_at,
        {{ jornada.to_business_date('converted_at') }} as converted_date,
        revenue,
        '{{ var("reporting_currency") }}' as currency
    from unioned

)

select * from final
