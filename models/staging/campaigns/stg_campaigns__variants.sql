with

base as (

    select * from {{ ref('base_campaigns__variants') }}
    where quarantine_reason is null

),

deduplicated as (

    {#- A catalog is re-exported on every change: the latest export is the current state. -#}
    {{ jornada.deduplicate(
        'base',
        partition_by='campaign_id, variant',
        order_by='loaded_at desc, source_file_name desc',
    ) }}

),

final as (

    select
        {{ dbt.concat(["campaign_id", "'-'", "variant"]) }} as campaign_variant_id,
        campaign_id,
        variant,
        is_control,
        allocation_share,
        description,
        source_file_name,
        loaded_at
    from deduplicated

)

select * from final
