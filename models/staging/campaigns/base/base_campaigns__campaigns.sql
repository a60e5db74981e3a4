{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('campaigns', 'campaigns') }}

),

parsed as (

    select
        nullif(trim(campaign_id), '') as campaign_id,
        nullif(trim(campaign_name), '') as campaign_name,
        lower(trim(channel)) as channel,
        lower(trim(journey)) as journey,
        case lower(trim(is_triggered))
            when 'true' then true
            when 'false' then false
        end as is_triggered,
        {{ jornada.iso_to_timestamp('scheduled_send_at') }} as scheduled_send_at,
        {{ jornada.safe_cast('trim(send_hour_local)', 'integer') }} as send_hour_local,
        subject_or_template,
        nullif(trim(owner), '') as owner_team,
        {{ jornada.iso_to_timestamp('created_at') }} as created_at,
        lower(trim(status)) as status,
        nullif(trim(scheduled_send_at), '') as scheduled_send_at_raw,
        nullif(trim(send_hour_local), '') as send_hour_local_raw,
        created_at as created_at_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when campaign_id is null then 'missing_id'
            when
                created_at is null
                or (scheduled_send_at_raw is not null and scheduled_send_at is null)
                then 'unparseable_timestamp'
            when
                status is null
                or status not in ('draft', 'scheduled', 'sent', 'active', 'archived')
                then 'unknown_status'
            when
                channel is null
                or channel not in ('email', 'whatsapp', 'sms')
                or journey is null
                or journey not in ('promo', 'newsletter', 'welcome', 'cart_recovery', 'win_back', 'post_purchase')
                or is_triggered is null
                or (send_hour_local_raw is not null and send_hour_local is null)
                or send_hour_local < 0
                or send_hour_local > 23
                or (not is_triggered and status in ('scheduled', 'sent') and scheduled_send_at is null)
                then 'invalid_value'
        end as quarantine_reason
    from parsed

)

select * from validated
