with

base as (

    select * from {{ ref('base_shopify__customers') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ jornada.deduplicate(
        'base',
        partition_by='customer_id',
        order_by='updated_at desc, loaded_at, source_file_name',
    ) }}

),

normalized as (

    select
        *,
        nullif(
            lower(trim({{ dbt.concat(["coalesce(first_name_raw, '')", "' '", "coalesce(last_name_raw, '')"]) }})),
            ''
        ) as name_normalized
    from deduplicated

),

final as (

    select
        customer_id,
        {{ jornada.hash_pii(jornada.normalize_email('email_raw')) }} as email_hash,
        {{ jornada.hash_pii(jornada.normalize_phone_br('phone_raw')) }} as phone_hash,
        {{ jornada.hash_pii('name_normalized') }} as name_hash,
        created_at,
        updated_at,
        orders_count,
        total_spent,
        currency,
        last_order_id,
        customer_state,
        coalesce(is_verified_email, false) as is_verified_email,
        coalesce(is_accepting_marketing, false) as is_accepting_marketing,
        email_marketing_consent_state,
        email_marketing_opt_in_level,
        email_marketing_consent_updated_at,
        tags,
        city,
        province_code,
        country_code,
        source_file_name,
        loaded_at
    from normalized

)

select * from final
