with

base as (

    select * from {{ ref('base_stripe__customers') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ jornada.deduplicate('base', partition_by='customer_id', order_by='loaded_at desc, source_file_name desc') }}

),

final as (

    select
        customer_id,
        {{ jornada.hash_pii(jornada.normalize_email('email_raw')) }} as email_hash,
        {{ jornada.hash_pii(jornada.normalize_phone_br('phone_raw')) }} as phone_hash,
        {{ jornada.hash_pii("nullif(lower(trim(name_raw)), '')") }} as name_hash,
        crm_contact_id,
        created_at,
        currency,
        is_delinquent,
        is_livemode,
        source_file_name,
        loaded_at
    from deduplicated

)

select * from final
