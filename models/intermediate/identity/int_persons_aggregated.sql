{#
    The person dimension of the journey layer: every person_id with the
    system ids it unites (one per system where there is one; the count says
    when there are more) and when it was first and last seen anywhere.
#}

with

resolved as (

    select * from {{ ref('int_identity_nodes_resolved') }}

),

aggregated as (

    select
        person_id,
        min(case when identifier_type = 'crm_contact' then identifier_value end) as crm_contact_id,
        min(case when identifier_type = 'store_customer' then identifier_value end) as store_customer_id,
        min(case when identifier_type = 'billing_customer' then identifier_value end) as billing_customer_id,
        min(case when identifier_type = 'helpdesk_user' then identifier_value end) as helpdesk_user_id,
        sum(case when identifier_type = 'email' then 1 else 0 end) as emails,
        sum(case when identifier_type = 'phone' then 1 else 0 end) as phones,
        sum(case when identifier_type = 'web_device' then 1 else 0 end) as web_devices,
        sum(case when identifier_type = 'crm_contact' then 1 else 0 end) as crm_contacts,
        sum(case when identifier_type = 'store_customer' then 1 else 0 end) as store_customers,
        count(*) as identifiers,
        {{ dbt.bool_or('is_shared_identifier') }} as has_shared_identifier,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at
    from resolved
    group by person_id

),

final as (

    select
        person_id,
        crm_contact_id,
        store_customer_id,
        billing_customer_id,
        helpdesk_user_id,
        emails,
        phones,
        web_devices,
        crm_contacts,
        store_customers,
        identifiers,
        has_shared_identifier,
        first_seen_at,
        last_seen_at,
        emails + phones + crm_contacts + store_customers
        + (case when billing_customer_id is not null then 1 else 0 end)
        + (case when helpdesk_user_id is not null then 1 else 0 end) = 0 as is_anonymous
    from aggregated

)

select * from final
