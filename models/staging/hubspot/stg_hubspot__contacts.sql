with

base as (

    select * from {{ ref('base_hubspot__contacts') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ jornada.deduplicate(
        'base',
        partition_by='contact_id',
        order_by='updated_at desc, loaded_at desc, source_file_name desc'
    ) }}

),

final as (

    select
        contact_id,
        {{ jornada.hash_pii(jornada.normalize_email('email_raw')) }} as email_hash,
        {{ jornada.hash_pii(jornada.normalize_phone_br('phone_raw')) }} as phone_hash,
        {{ jornada.hash_pii(jornada.normalize_phone_br('mobile_phone_raw')) }} as mobile_phone_hash,
        {{ jornada.hash_pii(jornada.normalize_phone_br('whatsapp_phone_raw')) }} as whatsapp_phone_hash,
        {{ jornada.hash_pii(
            "nullif(lower(trim(" ~ dbt.concat(["coalesce(trim(first_name_raw), '')", "' '", "coalesce(trim(last_name_raw), '')"]) ~ ")), '')"
        ) }} as name_hash,
        city,
        state,
        created_at,
        updated_at,
        lifecycle_stage,
        lead_status,
        became_lead_at,
        {{ jornada.to_business_date('became_lead_at') }} as lead_date,
        became_customer_at,
        {{ jornada.to_business_date('became_customer_at') }} as customer_date,
        original_source,
        original_source_detail,
        case original_source
            when 'ORGANIC_SEARCH' then 'web'
            when 'DIRECT_TRAFFIC' then 'web'
            when 'REFERRALS' then 'web'
            when 'AI_REFERRALS' then 'web'
            when 'PAID_SEARCH' then 'ads'
            when 'PAID_SOCIAL' then 'ads'
            when 'OTHER_CAMPAIGNS' then 'ads'
            when 'SOCIAL_MEDIA' then 'social'
            when 'EMAIL_MARKETING' then 'email'
            when 'OFFLINE' then 'store'
        end as original_channel,
        is_archived,
        source_file_name,
        loaded_at
    from deduplicated

)

select * from final
