with

base as (

    select * from {{ ref('base_surveys__responses') }}
    where quarantine_reason is null

),

deduplicated as (

    {{ jornada.deduplicate('base', partition_by='response_id') }}

),

final as (

    select
        response_id,
        survey_id,
        survey_type,
        question,
        score,
        case
            when survey_type = 'nps' and score >= 9 then 'promoter'
            when survey_type = 'nps' and score >= 7 then 'passive'
            when survey_type = 'nps' then 'detractor'
        end as nps_category,
        case when survey_type = 'csat' then score >= 4 end as is_satisfied,
        has_comment,
        comment_length,
        sent_at,
        responded_at,
        delivery_channel as channel,
        touchpoint,
        {{ jornada.hash_pii(jornada.normalize_email('respondent_email_raw')) }} as email_hash,
        {{ jornada.hash_pii(jornada.normalize_phone_br('respondent_phone_raw')) }} as phone_hash,
        order_id,
        ticket_id,
        conversation_id,
        source_file_name,
        loaded_at
    from deduplicated

)

select * from final
