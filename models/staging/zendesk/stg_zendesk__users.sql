with

base as (

    select * from {{ ref('base_zendesk__users') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ jornada.deduplicate('base', partition_by='user_id', order_by='updated_at desc, loaded_at, source_file_name') }}

),

final as (

    select
        user_id,
        user_role,
        organization_id,
        created_at,
        updated_at,
        last_login_at,
        time_zone,
        iana_time_zone,
        locale_code,
        source_file_name,
        loaded_at,
        user_role in ('agent', 'admin') as is_agent,
        {{ jornada.hash_pii("nullif(lower(trim(name_raw)), '')") }} as name_hash,
        {{ jornada.hash_pii(jornada.normalize_email('email_raw')) }} as email_hash,
        {{ jornada.hash_pii(jornada.normalize_phone_br('phone_raw')) }} as phone_hash,
        case when user_role = 'end-user' then external_id end as crm_contact_id,
        coalesce(is_active, false) as is_active,
        coalesce(is_verified, false) as is_verified
    from deduplicated

)

select * from final
