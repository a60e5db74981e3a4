{#
    The Loyalty KPIs of the catalog as kpi_daily's long rows: one CTE per
    KPI, each built with `jornada.kpi_rows`, then union all. The facts and
    the rules live in the fct_/dim_ marts; here only sums over them. Each
    KPI's definition, periods and breakdowns are listed in the yml
    (`config.meta.kpis`).

    Survey and review KPIs are daily, by the local date of the answer or
    review. A day without answers (or reviews) has no row: never a 0.
    Monthly KPIs have no row for a month without customers at its start,
    nor for a month whose customer base the order history cannot tell
    (`is_history_complete` false, see fct_customer_months).
#}

{%- set stage = 'loyalty' -%}
{#- Sources a team switched off leave their KPIs out. -#}
{%- set using_surveys = var('jornada__using_surveys') -%}
{%- set using_reviews = var('jornada__using_reviews') -%}

with

{% if using_surveys %}
    survey_responses as (

        select * from {{ ref('fct_survey_responses') }}

    ),
{% endif %}
{% if using_reviews %}
    reviews as (

        select * from {{ ref('fct_reviews') }}
        where is_counted_in_rating

    ),
{% endif %}

customer_base as (

    select * from {{ ref('fct_customer_base_monthly') }}
    where is_history_complete

),

retention_cohorts as (

    select * from {{ ref('fct_retention_cohorts') }}
    where
        is_history_complete
        and customers_at_start > 0

),

{% if using_surveys %}
    -- Answers per local date, survey type, channel and touchpoint.
    survey_daily as (

        select
            response_date as metric_date,
            survey_type,
            channel,
            touchpoint,
            count(*) as responses,
            sum(case when is_promoter then 1 else 0 end) as promoters,
            sum(case when is_detractor then 1 else 0 end) as detractors,
            sum(case when is_satisfied then 1 else 0 end) as satisfied,
            sum(score) as score_sum
        from survey_responses
        group by response_date, survey_type, channel, touchpoint

    ),

    -- The slices every survey KPI is published in: per channel, over all
    -- channels, and per touchpoint over all channels.
    survey_slices as (

        select
            metric_date,
            survey_type,
            channel,
            'all' as dimension,
            'all' as dimension_value,
            sum(responses) as responses,
            sum(promoters) as promoters,
            sum(detractors) as detractors,
            sum(satisfied) as satisfied,
            sum(score_sum) as score_sum
        from survey_daily
        group by metric_date, survey_type, channel
        union all
        select
            metric_date,
            survey_type,
            'all' as channel,
            'all' as dimension,
            'all' as dimension_value,
            sum(responses) as responses,
            sum(promoters) as promoters,
            sum(detractors) as detractors,
            sum(satisfied) as satisfied,
            sum(score_sum) as score_sum
        from survey_daily
        group by metric_date, survey_type
        union all
        select
            metric_date,
            survey_type,
            'all' as channel,
            'touchpoint' as dimension,
            touchpoint as dimension_value,
            sum(responses) as responses,
            sum(promoters) as promoters,
            sum(detractors) as detractors,
            sum(satisfied) as satisfied,
            sum(score_sum) as score_sum
        from survey_daily
        group by metric_date, survey_type, touchpoint

    ),

    nps as (

        {{ jornada.kpi_rows(
            'survey_slices', 'nps', stage,
            numerator='promoters - detractors',
            denominator='responses',
            value='100 * ' ~ jornada.safe_divide('promoters - detractors', 'responses'),
            campaign_id='null',
            dimension='dimension',
            dimension_value='dimension_value',
            where="survey_type = 'nps'",
        ) }}

    ),

    csat as (

        {{ jornada.kpi_rows(
            'survey_slices', 'csat', stage,
            numerator='satisfied',
            denominator='responses',
            campaign_id='null',
            dimension='dimension',
            dimension_value='dimension_value',
            where="survey_type = 'csat'",
        ) }}

    ),

    ces as (

        {{ jornada.kpi_rows(
            'survey_slices', 'ces', stage,
            numerator='score_sum',
            denominator='responses',
            campaign_id='null',
            dimension='dimension',
            dimension_value='dimension_value',
            where="survey_type = 'ces'",
        ) }}

    ),
{% endif %}

{% if using_reviews %}
    -- Counted reviews per local date, channel and subject.
    review_daily as (

        select
            review_date as metric_date,
            channel,
            case when is_product_review then 'product' else 'store' end as review_subject,
            count(*) as reviews,
            sum(rating) as rating_sum
        from reviews
        group by review_date, channel, is_product_review

    ),

    -- Per channel, over all channels, and per subject over all channels.
    review_slices as (

        select
            metric_date,
            channel,
            'all' as dimension,
            'all' as dimension_value,
            sum(reviews) as reviews,
            sum(rating_sum) as rating_sum
        from review_daily
        group by metric_date, channel
        union all
        select
            metric_date,
            'all' as channel,
            'all' as dimension,
            'all' as dimension_value,
            sum(reviews) as reviews,
            sum(rating_sum) as rating_sum
        from review_daily
        group by metric_date
        union all
        select
            metric_date,
            'all' as channel,
            'review_subject' as dimension,
            review_subject as dimension_value,
            sum(reviews) as reviews,
            sum(rating_sum) as rating_sum
        from review_daily
        group by metric_date, review_subject

    ),

    review_rating as (

        {{ jornada.kpi_rows(
            'review_slices', 'review_rating', stage,
            numerator='rating_sum',
            denominator='reviews',
            campaign_id='null',
            dimension='dimension',
            dimension_value='dimension_value',
        ) }}

    ),
{% endif %}

retention_rate as (

    {{ jornada.kpi_rows(
        'customer_base', 'retention_rate', stage,
        numerator='retained_customers',
        denominator='customers_at_start',
        metric_date='month_start',
        period="'month'",
        channel="'all'",
        campaign_id='null',
        where='customers_at_start > 0',
    ) }}
    union all
    {{ jornada.kpi_rows(
        'retention_cohorts', 'retention_rate', stage,
        numerator='retained_customers',
        denominator='customers_at_start',
        metric_date='activity_month',
        period="'month'",
        channel="'all'",
        campaign_id='null',
        dimension="'acquisition_cohort'",
        dimension_value='substr(cast(cohort_month as ' ~ dbt.type_string() ~ '), 1, 7)',
    ) }}

),

churn_rate as (

    {{ jornada.kpi_rows(
        'customer_base', 'churn_rate', stage,
        numerator='lost_customers',
        denominator='customers_at_start',
        metric_date='month_start',
        period="'month'",
        channel="'all'",
        campaign_id='null',
        where='customers_at_start > 0',
    ) }}
    union all
    {{ jornada.kpi_rows(
        'customer_base', 'churn_rate', stage,
        numerator='lost_to_cancellation',
        denominator='customers_at_start',
        metric_date='month_start',
        period="'month'",
        channel="'all'",
        campaign_id='null',
        dimension="'churn_reason'",
        dimension_value="'subscription_cancelled'",
        where='customers_at_start > 0',
    ) }}
    union all
    {{ jornada.kpi_rows(
        'customer_base', 'churn_rate', stage,
        numerator='lost_to_inactivity',
        denominator='customers_at_start',
        metric_date='month_start',
        period="'month'",
        channel="'all'",
        campaign_id='null',
        dimension="'churn_reason'",
        dimension_value="'inactivity'",
        where='customers_at_start > 0',
    ) }}

),

customer_lifetime_value as (

    {{ jornada.kpi_rows(
        'customer_base', 'customer_lifetime_value', stage,
        numerator='net_revenue_to_date',
        denominator='store_customers_to_date',
        metric_date='period_end_date',
        period="'to_date'",
        channel="'all'",
        campaign_id='null',
        where='store_customers_to_date > 0',
    ) }}
    union all
    {{ jornada.kpi_rows(
        'customer_base', 'customer_lifetime_value', stage,
        numerator='predicted_customer_lifetime_value',
        denominator='1',
        metric_date='month_start',
        period="'month'",
        channel="'all'",
        campaign_id='null',
        dimension="'estimate'",
        dimension_value="'predicted'",
        where='predicted_customer_lifetime_value is not null',
    ) }}

),

unioned as (

    {% if using_surveys -%}
        select * from nps
        union all
        select * from csat
        union all
        select * from ces
        union all
    {% endif -%}
    {% if using_reviews -%}
        select * from review_rating
        union all
    {% endif -%}
    select * from retention_rate
    union all
    select * from churn_rate
    union all
    select * from customer_lifetime_value

),

final as (

    select
        kpi_name,
        journey_stage,
        metric_date,
        period,
        channel,
        campaign_id,
        dimension,
        dimension_value,
        numerator,
        denominator,
        value
    from unioned

)

select * from final
