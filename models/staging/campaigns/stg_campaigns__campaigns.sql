with

base as (

    select * from {{ ref('base_campaigns__campaigns') }}
    where quarantine_reason is null

),

deduplicated as (

    {#- A catalog is re-exported on every change: the latest export is the current state. -#}
    {{ jornada.deduplicate(
        'base',
        partition_by='campaign_id',
        order_by='loaded_at desc, source_file_name desc',
    ) }}

),

final as (

    select
        campaign_id,
        campaign_name,
        channel,
        journey,
        is_triggered,
        scheduled_send_at,
        {{ jornada.to_business_date('scheduled_send_at') }} as scheduled_send_date,
        send_hour_local,
        subject_or_template,
        owner_team,
        created_at,
        status,
        source_file_name,
        loaded_at
    from deduplicated

)

select * from final
