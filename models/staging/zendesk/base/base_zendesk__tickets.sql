{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('zendesk', 'tickets') }}

),

parsed as (

    select
        {{ jornada.safe_cast('id', 'bigint') }} as ticket_id,
        url as ticket_url,
        {{ jornada.iso_to_timestamp('created_at') }} as created_at,
        {{ jornada.iso_to_timestamp('updated_at') }} as updated_at,
        nullif(lower(trim(type)), '') as ticket_type,
        nullif(lower(trim(priority)), '') as priority,
        nullif(lower(trim(status)), '') as status,
        {{ jornada.safe_cast('requester_id', 'bigint') }} as requester_id,
        {{ jornada.safe_cast('submitter_id', 'bigint') }} as submitter_id,
        {{ jornada.safe_cast('assignee_id', 'bigint') }} as assignee_id,
        {{ jornada.safe_cast('group_id', 'bigint') }} as group_id,
        {{ jornada.safe_cast('organization_id', 'bigint') }} as organization_id,
        {{ jornada.safe_cast('brand_id', 'bigint') }} as brand_id,
        tags,
        nullif(lower(trim(via__channel)), '') as via_channel,
        nullif(lower(trim(satisfaction_rating__score)), '') as satisfaction_score,
        {{ jornada.safe_cast('custom_fields__total_time_spent_sec', 'integer') }} as total_time_spent_seconds,
        lower(trim(is_public)) = 'true' as is_public,
        subject as subject_raw,
        description as description_raw,
        id as ticket_id_raw,
        created_at as created_at_raw,
        updated_at as updated_at_raw,
        requester_id as requester_id_raw,
        custom_fields__total_time_spent_sec as total_time_spent_seconds_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when ticket_id_raw is null or trim(ticket_id_raw) = '' then 'missing_id'
            when ticket_id is null then 'invalid_value'
            when created_at is null or updated_at is null then 'unparseable_timestamp'
            when status not in (
                'new', 'open', 'pending', 'hold', 'solved', 'closed'
            ) or status is null then 'unknown_status'
            when priority not in ('low', 'normal', 'high', 'urgent') then 'invalid_value'
            when ticket_type not in ('question', 'incident', 'problem', 'task') then 'invalid_value'
            when satisfaction_score not in ('offered', 'unoffered', 'good', 'bad') then 'invalid_value'
            when requester_id_raw is not null and requester_id is null then 'invalid_value'
            when total_time_spent_seconds_raw is not null and total_time_spent_seconds is null then 'invalid_value'
        end as quarantine_reason
    from parsed

)

select * from validated
