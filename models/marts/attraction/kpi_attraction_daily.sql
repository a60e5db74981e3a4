{#
    The Attraction KPIs of the catalog as kpi_daily's long rows: one CTE per
    KPI, each built with `jornada.kpi_rows`, then union all. The facts and
    the rules live in the fct_ marts; here only aggregates over them. Each
    KPI's rows are listed in the yml (`config.meta.kpis`).
#}

{%- set stage = 'attraction' -%}
{#- Sources a team switched off leave their KPIs out. -#}
{%- set using_social = var('jornada__using_social') -%}
{%- set using_chat = var('jornada__using_chat') -%}

with

leads as (

    select * from {{ ref('fct_leads') }}

),

lead_growth_periods as (

    select * from {{ ref('fct_lead_growth_periods') }}
    where is_complete

),

web_sessions as (

    select * from {{ ref('fct_web_sessions') }}

),

web_visitors as (

    select * from {{ ref('fct_web_visitors_trailing_30d') }}
    where is_full_window

),

{% if using_social %}
    social_posts as (

        select * from {{ ref('fct_social_posts') }}

    ),

    social_mentions as (

        select * from {{ ref('fct_social_mentions') }}

    ),
{% endif %}
{% if using_chat %}
    chatbot_conversations as (

        select * from {{ ref('fct_chatbot_conversations') }}

    ),
{% endif %}

reach_daily as (

    select * from {{ ref('fct_reach_daily') }}

),

-- Leads per lead date and origin channel, and over all channels.
daily_leads as (

    select
        lead_date as metric_date,
        origin_channel as channel,
        count(*) as leads,
        sum(case when is_conversion_final and is_eligible_for_conversion then 1 else 0 end) as eligible_leads,
        sum(case when is_conversion_final and is_converted then 1 else 0 end) as converted_leads,
        sum(case when is_conversion_final then 1 else 0 end) as final_leads
    from leads
    group by lead_date, origin_channel
    union all
    select
        lead_date as metric_date,
        'all' as channel,
        count(*) as leads,
        sum(case when is_conversion_final and is_eligible_for_conversion then 1 else 0 end) as eligible_leads,
        sum(case when is_conversion_final and is_converted then 1 else 0 end) as converted_leads,
        sum(case when is_conversion_final then 1 else 0 end) as final_leads
    from leads
    group by lead_date

),

new_leads as (

    {{ jornada.kpi_rows(
        'daily_leads', 'new_leads', stage,
        numerator='leads', denominator='1', campaign_id='null'
    ) }}

),

lead_growth_rate as (

    {{ jornada.kpi_rows(
        'lead_growth_periods', 'lead_growth_rate', stage,
        numerator='lead_change', denominator='previous_period_leads',
        metric_date='period_start_date', period='period', campaign_id='null'
    ) }}

),

lead_conversion_rate as (

    {{ jornada.kpi_rows(
        'daily_leads', 'lead_conversion_rate', stage,
        numerator='converted_leads', denominator='eligible_leads', campaign_id='null',
        where='final_leads > 0'
    ) }}

),

{% if using_social %}
    -- Posts per published date, over all networks and per network.
    daily_posts as (

        select
            published_date as metric_date,
            channel,
            'all' as dimension,
            'all' as dimension_value,
            sum(engagements) as engagements,
            sum(impressions) as impressions
        from social_posts
        group by published_date, channel
        union all
        select
            published_date as metric_date,
            channel,
            'network' as dimension,
            network as dimension_value,
            sum(engagements) as engagements,
            sum(impressions) as impressions
        from social_posts
        group by published_date, channel, network

    ),

    social_engagement_rate as (

        {{ jornada.kpi_rows(
            'social_posts', 'social_engagement_rate', stage,
            numerator='engagements', denominator='impressions',
            metric_date='published_date', dimension="'post_id'", dimension_value='post_id'
        ) }}
        union all
        {{ jornada.kpi_rows(
            'daily_posts', 'social_engagement_rate', stage,
            numerator='engagements', denominator='impressions', campaign_id='null',
            dimension='dimension', dimension_value='dimension_value'
        ) }}

    ),

    -- Mentions per local date: over all, per network and per interaction type.
    daily_mentions as (

        {% for dimension in ['all', 'network', 'interaction_type'] %}
            select
                mention_date as metric_date,
                channel,
                '{{ dimension }}' as dimension,
                {{ "'all'" if dimension == 'all' else dimension }} as dimension_value,
                sum(case when is_negative then 1 else 0 end) as negative_mentions,
                count(*) as mentions
            from social_mentions
            group by
                mention_date,
                channel{% if dimension != 'all' %}, {{ dimension }}{% endif %}
            {% if not loop.last %}union all{% endif %}
        {% endfor %}

    ),

    negative_mention_share as (

        {{ jornada.kpi_rows(
            'daily_mentions', 'negative_mention_share', stage,
            numerator='negative_mentions', denominator='mentions', campaign_id='null',
            dimension='dimension', dimension_value='dimension_value'
        ) }}

    ),
{% endif %}

{% if using_chat %}
    -- Bot conversations per start date and channel (chat, whatsapp), and over both.
    daily_bot_conversations as (

        select
            started_date as metric_date,
            channel,
            count(*) as conversations,
            sum(case when is_decided then 1 else 0 end) as decided_conversations,
            sum(case when is_decided and is_converted then 1 else 0 end) as converted_conversations,
            sum(case when is_decided and is_escalated then 1 else 0 end) as escalated_conversations
        from chatbot_conversations
        group by started_date, channel
        union all
        select
            started_date as metric_date,
            'all' as channel,
            count(*) as conversations,
            sum(case when is_decided then 1 else 0 end) as decided_conversations,
            sum(case when is_decided and is_converted then 1 else 0 end) as converted_conversations,
            sum(case when is_decided and is_escalated then 1 else 0 end) as escalated_conversations
        from chatbot_conversations
        group by started_date

    ),

    chatbot_conversations_kpi as (

        {{ jornada.kpi_rows(
            'daily_bot_conversations', 'chatbot_conversations', stage,
            numerator='conversations', denominator='1', campaign_id='null'
        ) }}

    ),

    chatbot_conversion_rate as (

        {{ jornada.kpi_rows(
            'daily_bot_conversations', 'chatbot_conversion_rate', stage,
            numerator='converted_conversations', denominator='decided_conversations', campaign_id='null'
        ) }}

    ),

    chatbot_escalation_rate as (

        {{ jornada.kpi_rows(
            'daily_bot_conversations', 'chatbot_escalation_rate', stage,
            numerator='escalated_conversations', denominator='decided_conversations', campaign_id='null'
        ) }}

    ),
{% endif %}

-- Sessions per session date and traffic channel, and over all channels.
daily_sessions as (

    select
        session_date as metric_date,
        channel,
        count(*) as sessions,
        sum(case when is_bounce then 1 else 0 end) as bounces,
        sum(engagement_time_s) as engagement_time_s
    from web_sessions
    group by session_date, channel
    union all
    select
        session_date as metric_date,
        'all' as channel,
        count(*) as sessions,
        sum(case when is_bounce then 1 else 0 end) as bounces,
        sum(engagement_time_s) as engagement_time_s
    from web_sessions
    group by session_date

),

web_bounce_rate as (

    {{ jornada.kpi_rows(
        'daily_sessions', 'web_bounce_rate', stage,
        numerator='bounces', denominator='sessions', campaign_id='null'
    ) }}

),

avg_engagement_time_s as (

    {{ jornada.kpi_rows(
        'daily_sessions', 'avg_engagement_time_s', stage,
        numerator='engagement_time_s', denominator='sessions', campaign_id='null'
    ) }}

),

visit_frequency as (

    {{ jornada.kpi_rows(
        'web_visitors', 'visit_frequency', stage,
        numerator='sessions', denominator='active_visitors',
        period="'trailing_30d'", channel="'all'", campaign_id='null'
    ) }}

),

-- Distinct persons reached per day and per month, per channel and over all
-- channels (a person reached on two channels counts once in `all`).
reached_persons as (

    {% for period in ['day', 'month'] %}
        {%- set period_date = 'reach_date' if period == 'day'
            else 'cast(' ~ dbt.date_trunc(period, 'reach_date') ~ ' as date)' %}
        select
            {{ period_date }} as metric_date,
            '{{ period }}' as period,
            channel,
            count(distinct person_id) as persons
        from reach_daily
        group by {{ period_date }}, channel
        union all
        select
            {{ period_date }} as metric_date,
            '{{ period }}' as period,
            'all' as channel,
            count(distinct person_id) as persons
        from reach_daily
        group by {{ period_date }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

reach as (

    {{ jornada.kpi_rows(
        'reached_persons', 'reach', stage,
        numerator='persons', denominator='1', period='period', campaign_id='null'
    ) }}

),

final as (

    select * from new_leads
    union all
    select * from lead_growth_rate
    union all
    select * from lead_conversion_rate
    {%- if using_social %}
        union all
        select * from social_engagement_rate
        union all
        select * from negative_mention_share
    {%- endif %}
    {%- if using_chat %}
        union all
        select * from chatbot_conversations_kpi
        union all
        select * from chatbot_conversion_rate
        union all
        select * from chatbot_escalation_rate
    {%- endif %}
    union all
    select * from web_bounce_rate
    union all
    select * from avg_engagement_time_s
    union all
    select * from visit_frequency
    union all
    select * from reach

)

select * from final
