{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('campaigns', 'variants') }}

),

parsed as (

    select
        nullif(trim(campaign_id), '') as campaign_id,
        upper(nullif(trim(variant), '')) as variant,
        case lower(trim(is_control))
            when 'true' then true
            when 'false' then false
        end as is_control,
        {{ jornada.safe_cast('trim(allocation_share)', 'decimal(5, 4)') }} as allocation_share,
        description,
        allocation_share as allocation_share_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when campaign_id is null or variant is null then 'missing_id'
            when
                variant not in ('A', 'B')
                or is_control is null
                or allocation_share is null
                or allocation_share <= 0
                or allocation_share > 1
                then 'invalid_value'
        end as quarantine_reason
    from parsed

)

select * from validated
