with

base as (

    select * from {{ ref('base_workforce__agents') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ jornada.deduplicate('base', partition_by='agent_id', order_by='loaded_at desc, source_file_name desc') }}

),

final as (

    select
        agent_id,
        {{ jornada.hash_pii("nullif(lower(trim(name_raw)), '')") }} as name_hash,
        {{ jornada.hash_pii(jornada.normalize_email('email_raw')) }} as email_hash,
        team,
        hired_at,
        is_active,
        source_file_name,
        loaded_at
    from deduplicated

)

select * from final
