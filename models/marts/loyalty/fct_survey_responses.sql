{#
    Survey answers (NPS, CSAT, CES) with the respondent's person and the
    inputs of nps, csat and ces. The person comes from the respondent's
    email, else from their phone (the survey tool holds at least one).
    NPS buckets use the catalog's rule (macro `nps_category`); a CSAT answer
    is satisfied from var `loyalty_csat_satisfied_min_score` (4: a 3 is
    not satisfied).
#}

with

responses as (

    select * from {{ ref('stg_surveys__responses') }}

),

identity_nodes as (

    select * from {{ ref('int_identity_nodes_resolved') }}

),

with_person as (

    {#- Staging's own nps_category and is_satisfied are not carried: the
        rules are applied here, once, from the score. -#}
    select
        responses.response_id,
        responses.survey_id,
        responses.survey_type,
        responses.score,
        responses.channel,
        responses.touchpoint,
        responses.sent_at,
        responses.responded_at,
        responses.order_id,
        responses.ticket_id,
        responses.conversation_id,
        responses.has_comment,
        coalesce(email_nodes.person_id, phone_nodes.person_id) as person_id
    from responses
    left join identity_nodes as email_nodes
        on email_nodes.node_key = {{ jornada.identity_node_key('email', 'responses.email_hash') }}
    left join identity_nodes as phone_nodes
        on phone_nodes.node_key = {{ jornada.identity_node_key('phone', 'responses.phone_hash') }}

),

scored as (

    select
        *,
        case when survey_type = 'nps' then {{ jornada.nps_category('score') }} end as nps_category,
        case
            when survey_type = 'csat' then score >= {{ var('loyalty_csat_satisfied_min_score') }}
        end as is_satisfied
    from with_person

),

final as (

    select
        response_id,
        survey_id,
        survey_type,
        person_id,
        cast(score as {{ dbt.type_bigint() }}) as score,
        nps_category,
        case when survey_type = 'nps' then nps_category = 'promoter' end as is_promoter,
        case when survey_type = 'nps' then nps_category = 'detractor' end as is_detractor,
        is_satisfied,
        channel,
        touchpoint,
        sent_at,
        responded_at,
        {{ jornada.to_business_date('responded_at') }} as response_date,
        order_id,
        ticket_id,
        conversation_id,
        has_comment
    from scored

)

select * from final
