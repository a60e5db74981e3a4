{{ config(materialized='view') }}

with

source as (

    select * from {{ jornada.raw_source('surveys', 'responses') }}

),

parsed as (

    select
        nullif(trim(response_id), '') as response_id,
        nullif(trim(survey_id), '') as survey_id,
        lower(trim(survey_type)) as survey_type,
        question,
        {{ jornada.safe_cast('trim(score)', 'integer') }} as score,
        coalesce(trim(comment) <> '', false) as has_comment,
        coalesce(length(trim(comment)), 0) as comment_length,
        {{ jornada.iso_to_timestamp('sent_at') }} as sent_at,
        {{ jornada.iso_to_timestamp('responded_at') }} as responded_at,
        lower(trim(delivery_channel)) as delivery_channel,
        lower(trim(touchpoint)) as touchpoint,
        respondent_email as respondent_email_raw,
        respondent_phone as respondent_phone_raw,
        nullif(trim(order_id), '') as order_id,
        nullif(trim(ticket_id), '') as ticket_id,
        nullif(trim(conversation_id), '') as conversation_id,
        score as score_raw,
        sent_at as sent_at_raw,
        responded_at as responded_at_raw,
        {{ jornada.loader_columns('source') }}
    from source

),

validated as (

    select
        *,
        case
            when response_id is null then 'missing_id'
            when sent_at is null or responded_at is null then 'unparseable_timestamp'
            when survey_type is null or survey_type not in ('nps', 'csat', 'ces') then 'unknown_status'
            when
                delivery_channel is null
                or delivery_channel not in ('email', 'whatsapp', 'sms', 'chat', 'web')
                then 'unknown_status'
            when
                touchpoint is null
                or touchpoint not in ('post_purchase', 'post_ticket', 'post_chat', 'relationship')
                then 'unknown_status'
            when score is null then 'invalid_value'
            when survey_type = 'nps' and (score < 0 or score > 10) then 'invalid_value'
            when survey_type = 'csat' and (score < 1 or score > 5) then 'invalid_value'
            when survey_type = 'ces' and (score < 1 or score > 7) then 'invalid_value'
        end as quarantine_reason
    from parsed

)

select * from validated
