{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('zendesk', 'users') }}

),

parsed as (

    select
        {{ jornada.safe_cast('id', 'bigint') }} as user_id,
        url as user_url,
        name as name_raw,
        email as email_raw,
        phone as phone_raw,
        nullif(lower(trim(role)), '') as user_role,
        {{ jornada.iso_to_timestamp('created_at') }} as created_at,
        {{ jornada.iso_to_timestamp('updated_at') }} as updated_at,
        {{ jornada.iso_to_timestamp('last_login_at') }} as last_login_at,
        nullif(trim(time_zone), '') as time_zone,
        nullif(trim(iana_time_zone), '') as iana_time_zone,
        nullif(trim(locale), '') as locale_code,
        nullif(trim(external_id), '') as external_id,
        {{ jornada.safe_cast('organization_id', 'bigint') }} as organization_id,
        lower(trim(active)) = 'true' as is_active,
        lower(trim(verified)) = 'true' as is_verified,
        id as user_id_raw,
        created_at as created_at_raw,
        updated_at as updated_at_raw,
        last_login_at as last_login_at_raw,
        organization_id as organization_id_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when user_id_raw is null or trim(user_id_raw) = '' then 'missing_id'
            when user_id is null then 'invalid_value'
            when created_at is null or updated_at is null then 'unparseable_timestamp'
            when last_login_at_raw is not null and last_login_at is null then 'unparseable_timestamp'
            when user_role not in ('end-user', 'agent', 'admin') or user_role is null then 'invalid_value'
            when organization_id_raw is not null and organization_id is null then 'invalid_value'
        end as quarantine_reason
    from parsed

)

select * from validated
