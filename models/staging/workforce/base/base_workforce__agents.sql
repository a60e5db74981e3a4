{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('workforce', 'agents') }}

),

parsed as (

    select
        nullif(trim(agent_id), '') as agent_id,
        agent_name as name_raw,
        lower(trim(team)) as team,
        email as email_raw,
        {{ jornada.iso_to_timestamp('hired_at') }} as hired_at,
        case lower(trim(is_active))
            when 'true' then true
            when 'false' then false
        end as is_active,
        hired_at as hired_at_raw,
        is_active as is_active_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when agent_id is null then 'missing_id'
            when hired_at is null then 'unparseable_timestamp'
            when team is null or team not in ('support', 'sales') then 'unknown_status'
            when is_active is null or nullif(trim(name_raw), '') is null then 'invalid_value'
        end as quarantine_reason
    from parsed

)

select * from validated
