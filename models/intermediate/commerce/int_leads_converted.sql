{#
    HubSpot leads and whether they became customers: converted when the
    person's first valid order falls within `conversion_window_days` local
    days of the lead date (the lead day is day 0), at or after the moment
    the contact became a lead. A person whose first valid order came before
    they became a lead was already a customer: not converted and not
    eligible, so the conversion rate's denominator can leave them out.
#}

with

contacts as (

    select * from {{ ref('stg_hubspot__contacts') }}

),

identity_nodes as (

    select * from {{ ref('int_identity_nodes_resolved') }}

),

customers as (

    select * from {{ ref('int_customers_aggregated') }}

),

leads as (

    select
        contacts.contact_id,
        identity_nodes.person_id,
        contacts.became_lead_at as lead_created_at,
        contacts.lead_date,
        contacts.original_source,
        contacts.original_channel as origin_channel,
        contacts.lifecycle_stage,
        contacts.became_customer_at as crm_customer_at,
        contacts.is_archived,
        customers.first_order_id,
        customers.first_order_at,
        customers.first_order_date
    from contacts
    left join identity_nodes
        on identity_nodes.node_key = {{ jornada.identity_node_key('crm_contact', 'contacts.contact_id') }}
    left join customers
        on identity_nodes.person_id = customers.person_id
    where contacts.became_lead_at is not null

),

measured as (

    select
        *,
        coalesce(first_order_at < lead_created_at, false) as was_customer_before_lead,
        case
            when first_order_at >= lead_created_at
                then {{ dbt.datediff('lead_date', 'first_order_date', 'day') }}
        end as days_to_first_order,
        cast({{ dbt.dateadd('day', var('conversion_window_days'), 'lead_date') }} as date)
            as conversion_window_ends_on
    from leads

),

final as (

    select
        contact_id,
        person_id,
        lead_created_at,
        lead_date,
        original_source,
        origin_channel,
        lifecycle_stage,
        is_archived,
        crm_customer_at,
        first_order_id,
        first_order_at,
        first_order_date,
        was_customer_before_lead,
        not was_customer_before_lead as is_eligible_for_conversion,
        days_to_first_order,
        conversion_window_ends_on,
        coalesce(days_to_first_order <= {{ var('conversion_window_days') }}, false) as is_converted
    from measured

)

select * from final
