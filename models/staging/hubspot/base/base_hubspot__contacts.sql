{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('hubspot', 'contacts') }}

),

parsed as (

    select
        nullif(trim(id), '') as contact_id,
        properties__email as email_raw,
        properties__firstname as first_name_raw,
        properties__lastname as last_name_raw,
        properties__phone as phone_raw,
        properties__mobilephone as mobile_phone_raw,
        properties__hs_whatsapp_phone_number as whatsapp_phone_raw,
        nullif(trim(properties__city), '') as city,
        nullif(upper(trim(properties__state)), '') as state,
        {{ jornada.iso_to_timestamp('properties__createdate') }} as created_at,
        {{ jornada.iso_to_timestamp('properties__lastmodifieddate') }} as updated_at,
        {{ jornada.iso_to_timestamp('properties__hs_lifecyclestage_lead_date') }} as became_lead_at,
        {{ jornada.iso_to_timestamp('properties__hs_lifecyclestage_customer_date') }} as became_customer_at,
        nullif(lower(trim(properties__lifecyclestage)), '') as lifecycle_stage,
        nullif(upper(trim(properties__hs_lead_status)), '') as lead_status,
        nullif(upper(trim(properties__hs_analytics_source)), '') as original_source,
        nullif(trim(properties__hs_analytics_source_data_1), '') as original_source_detail,
        coalesce(lower(archived) = 'true', false) as is_archived,
        properties__createdate as createdate_raw,
        properties__lastmodifieddate as lastmodifieddate_raw,
        properties__hs_lifecyclestage_lead_date as lead_date_raw,
        properties__hs_lifecyclestage_customer_date as customer_date_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when contact_id is null then 'missing_id'
            when
                created_at is null
                or (nullif(trim(lastmodifieddate_raw), '') is not null and updated_at is null)
                or (nullif(trim(lead_date_raw), '') is not null and became_lead_at is null)
                or (nullif(trim(customer_date_raw), '') is not null and became_customer_at is null)
                then 'unparseable_timestamp'
            when lifecycle_stage not in (
                'subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead',
                'opportunity', 'customer', 'evangelist', 'other'
            )
            or lead_status not in (
                'NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED',
                'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING'
            ) then 'unknown_status'
            when original_source not in (
                'ORGANIC_SEARCH', 'PAID_SEARCH', 'EMAIL_MARKETING', 'SOCIAL_MEDIA', 'REFERRALS',
                'OTHER_CAMPAIGNS', 'DIRECT_TRAFFIC', 'OFFLINE', 'PAID_SOCIAL', 'AI_REFERRALS'
            ) then 'invalid_value'
        end as quarantine_reason
    from parsed

)

select * from validated
