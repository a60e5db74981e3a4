with

base as (

    select * from {{ ref('base_ad_spend__daily_spend') }}
    where quarantine_reason is null

),

deduplicated as (

    {#- A re-exported day repeats its rows: the first load is kept. -#}
    {{ jornada.deduplicate('base', partition_by='spend_date, platform, campaign_id') }}

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "cast(spend_date as " ~ dbt.type_string() ~ ")", "'|'", "platform", "'|'", "campaign_id"
        ])) }} as daily_spend_id,
        spend_date,
        platform,
        channel,
        campaign_id,
        amount,
        currency,
        impressions,
        clicks,
        billable_conversations,
        messages_sent,
        source_file_name,
        loaded_at
    from deduplicated

)

select * from final
