{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('platform_reports', 'campaign_summaries') }}

),

parsed as (

    select
        nullif(trim(report_id), '') as report_id,
        lower(trim(platform)) as platform,
        nullif(trim(campaign_id), '') as campaign_id,
        {{ jornada.safe_cast('trim(report_date)', 'date') }} as report_date,
        {{ jornada.iso_to_timestamp('exported_at') }} as exported_at,
        {{ jornada.safe_cast('trim(sent)', 'integer') }} as sent,
        {{ jornada.safe_cast('trim(delivered)', 'integer') }} as delivered,
        {{ jornada.safe_cast('trim(opens)', 'integer') }} as opens,
        {{ jornada.safe_cast('trim(clicks)', 'integer') }} as clicks,
        {{ jornada.safe_cast('trim(bounces)', 'integer') }} as bounces,
        {{ jornada.safe_cast('trim(unsubscribes)', 'integer') }} as unsubscribes,
        {{ jornada.safe_cast('trim(spam_reports)', 'integer') }} as spam_reports,
        report_date as report_date_raw,
        exported_at as exported_at_raw,
        nullif(trim(opens), '') as opens_raw,
        nullif(trim(spam_reports), '') as spam_reports_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when report_id is null or campaign_id is null then 'missing_id'
            when report_date is null or exported_at is null then 'unparseable_timestamp'
            when
                platform is null
                or platform not in ('sendgrid', 'whatsapp_cloud_api', 'twilio')
                or sent is null
                or delivered is null
                or clicks is null
                or bounces is null
                or unsubscribes is null
                or (opens_raw is not null and opens is null)
                or (spam_reports_raw is not null and spam_reports is null)
                or sent < 0
                or delivered < 0
                or opens < 0
                or clicks < 0
                or bounces < 0
                or unsubscribes < 0
                or spam_reports < 0
                then 'invalid_value'
        end as quarantine_reason
    from parsed

)

select * from validated
