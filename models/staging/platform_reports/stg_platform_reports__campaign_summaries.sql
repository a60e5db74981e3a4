with

base as (

    select * from {{ ref('base_platform_reports__campaign_summaries') }}
    where quarantine_reason is null

),

deduplicated as (

    {#- A re-exported report repeats its row: the latest load is kept. -#}
    {{ jornada.deduplicate(
        'base',
        partition_by='platform, campaign_id, report_date',
        order_by='loaded_at desc, source_file_name desc',
    ) }}

),

with_channel as (

    select
        *,
        case platform
            when 'sendgrid' then 'email'
            when 'whatsapp_cloud_api' then 'whatsapp'
            when 'twilio' then 'sms'
        end as channel
    from deduplicated

),

final as (

    select
        report_id,
        platform,
        channel,
        campaign_id,
        report_date,
        exported_at,
        sent,
        delivered,
        opens,
        clicks,
        bounces,
        unsubscribes,
        spam_reports,
        source_file_name,
        loaded_at
    from with_channel

)

select * from final
