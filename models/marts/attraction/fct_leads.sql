{#
    One row per HubSpot lead that is not archived, with the inputs of
    new_leads and lead_conversion_rate. A lead converted when the person's
    first valid order came at or after the lead moment and at most
    `conversion_window_days` local days after the lead date (day 0 is the
    lead date: an order on day 30 converts, on day 31 it does not). The
    outcome is final once the window has closed by the data's last date
    (the latest lead or first-order date in the data); before that a lead
    that has not converted yet still could, so lead_conversion_rate counts
    final leads only.
#}

with

leads as (

    select * from {{ ref('int_leads_converted') }}
    where not is_archived

),

as_of as (

    select
        max(
            case
                when first_order_date > lead_date then first_order_date
                else lead_date
            end
        ) as as_of_date
    from leads

),

final as (

    select
        leads.contact_id,
        leads.person_id,
        leads.lead_created_at,
        leads.lead_date,
        leads.origin_channel,
        leads.original_source,
        leads.lifecycle_stage,
        leads.was_customer_before_lead,
        leads.is_eligible_for_conversion,
        leads.first_order_id,
        leads.first_order_at,
        leads.first_order_date,
        cast(leads.days_to_first_order as bigint) as days_to_first_order,
        leads.conversion_window_ends_on,
        as_of.as_of_date,
        leads.conversion_window_ends_on <= as_of.as_of_date as is_conversion_final,
        coalesce(
            leads.is_eligible_for_conversion
            and leads.days_to_first_order <= {{ var('conversion_window_days') }},
            false
        ) as is_converted
    from leads
    cross join as_of

)

select * from final
