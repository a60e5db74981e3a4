{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('stripe', 'customers') }}

),

parsed as (

    select
        nullif(trim(id), '') as customer_id,
        email as email_raw,
        name as name_raw,
        phone as phone_raw,
        {{ jornada.epoch_seconds_to_timestamp('created') }} as created_at,
        upper(trim(currency)) as currency,
        coalesce(lower(delinquent) = 'true', false) as is_delinquent,
        nullif(trim(metadata__crm_contact_id), '') as crm_contact_id,
        coalesce(lower(livemode) = 'true', false) as is_livemode,
        created as created_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when customer_id is null then 'missing_id'
            when created_at is null then 'unparseable_timestamp'
        end as quarantine_reason
    from parsed

)

select * from validated
