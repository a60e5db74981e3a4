-- Every conversion's credits sum to exactly 1 under every attribution model
-- (to float precision), and every conversion appears under every model.

with

credits as (

    select * from {{ ref('int_attribution_touches_credited') }}

),

conversions as (

    select * from {{ ref('int_conversions_unioned') }}

),

models as (

    {% for attribution_model in jornada.attribution_models() %}
        select '{{ attribution_model }}' as attribution_model
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

expected as (

    select
        conversions.conversion_id,
        models.attribution_model
    from conversions
    cross join models

),

summed as (

    select
        conversion_id,
        attribution_model,
        sum(credit) as total_credit
    from credits
    group by conversion_id, attribution_model

),

final as (

    select
        expected.conversion_id,
        expected.attribution_model,
        summed.total_credit
    from expected
    left join summed
        on
            expected.conversion_id = summed.conversion_id
            and expected.attribution_model = summed.attribution_model
    where summed.total_credit is null or abs(summed.total_credit - 1) > 1e-9

)

select * from final
