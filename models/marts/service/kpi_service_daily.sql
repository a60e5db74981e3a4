{%- set using_zendesk = var('jornada__using_zendesk') -%}
{%- set using_chat = var('jornada__using_chat') -%}
{%- set using_workforce = var('jornada__using_workforce') -%}
{#
    The Service KPIs as long kpi_daily rows, one CTE per KPI (macro
    `kpi_rows`), then union all. The facts and their rules live in the
    fct_ marts; here only aggregates over them.

    Calendar: every local date with a ticket, a bot conversation, a shift
    or a bot article view. Count and rate KPIs have their `all` row on
    every calendar date, so a date without tickets shows tickets 0 and the
    ticket rates 0 / 0 = null. Medians and percentiles have rows only on
    dates with at least one measured ticket (a median of nothing is not 0),
    and, not being additive, also per month (period `month`, metric_date the
    month's first day); every other KPI is daily and re-aggregates as
    sum(numerator) / sum(denominator).
    Slices: channel `all` and the ticket's channel (tickets without a
    channel count in `all` only); dimension `contact_reason` (tickets,
    top_contact_reason_share), `percentile` / `p90` (minutes KPIs),
    `agent_id` (avg_handling_minutes, schedule_adherence_rate), `article_id`
    and `article_helpful_rate` (bot_article_views). Sources a team switched
    off leave their KPIs out.
#}

{%- set stage = 'service' -%}
{%- set tail_percentile = 0.9 -%}
{%- set tail_label = "'p90'" -%}
{#- Medians and percentiles are rounded to 0.001 minute (0.06 s): exact for
    the median of two-decimal inputs, and free of the floating-point noise
    of interpolation, so DuckDB and Spark publish the same figures. -#}
{%- set statistic_decimals = 3 -%}

with

{% if using_zendesk %}
    tickets as (

        select * from {{ ref('fct_tickets') }}

    ),

    contact_reasons as (

        select * from {{ ref('fct_contact_reasons_daily') }}

    ),
{% endif %}
{% if using_chat %}
    chatbot_conversations as (

        select * from {{ ref('fct_chatbot_conversations') }}

    ),

    article_views as (

        select * from {{ ref('fct_bot_article_views') }}

    ),
{% endif %}
{% if using_workforce %}
    ended_shifts as (

        select * from {{ ref('fct_agent_shifts') }}
        where is_shift_ended

    ),
{% endif %}

{%- set calendar_parts = [] -%}
{%- if using_zendesk -%}
    {%- do calendar_parts.append('select created_date as metric_date from tickets') -%}
{%- endif -%}
{%- if using_chat -%}
    {%- do calendar_parts.append('select started_date as metric_date from chatbot_conversations') -%}
    {%- do calendar_parts.append('select viewed_date as metric_date from article_views') -%}
{%- endif -%}
{%- if using_workforce -%}
    {%- do calendar_parts.append('select shift_date as metric_date from ended_shifts') -%}
{%- endif %}

calendar as (

    {{ calendar_parts | join('\n    union\n    ') }}

),

{% if using_zendesk %}
    -- One row per ticket with 0/1 inputs of the ticket rates.
    ticket_inputs as (

        select
            created_date,
            channel,
            agent_id,
            handling_minutes,
            case when is_replied_within_1h then 1 else 0 end as replied_within_1h,
            case when is_replied_within_1h is not null then 1 else 0 end as decided_1h,
            case when is_replied_within_24h then 1 else 0 end as replied_within_24h,
            case when is_replied_within_24h is not null then 1 else 0 end as decided_24h,
            case when has_sla_policy then 1 else 0 end as sla_policy_ticket,
            case when is_sla_met then 1 else 0 end as sla_met,
            case when is_sla_decided then 1 else 0 end as sla_decided,
            case when handling_minutes is not null then 1 else 0 end as handled
        from tickets

    ),

    -- Ticket counts and rate inputs: every calendar date over all channels,
    -- then per channel on the dates it has tickets.
    ticket_daily as (

        select
            calendar.metric_date,
            'all' as channel,
            count(ticket_inputs.created_date) as tickets,
            coalesce(sum(ticket_inputs.replied_within_1h), 0) as replied_within_1h,
            coalesce(sum(ticket_inputs.decided_1h), 0) as decided_1h,
            coalesce(sum(ticket_inputs.replied_within_24h), 0) as replied_within_24h,
            coalesce(sum(ticket_inputs.decided_24h), 0) as decided_24h,
            coalesce(sum(ticket_inputs.sla_policy_ticket), 0) as sla_policy_tickets,
            coalesce(sum(ticket_inputs.sla_met), 0) as sla_met,
            coalesce(sum(ticket_inputs.sla_decided), 0) as sla_decided,
            coalesce(sum(ticket_inputs.handled), 0) as handled_tickets,
            coalesce(sum(ticket_inputs.handling_minutes), 0) as handling_minutes
        from calendar
        left join ticket_inputs
            on calendar.metric_date = ticket_inputs.created_date
        group by calendar.metric_date

        union all

        select
            created_date as metric_date,
            channel,
            count(*) as tickets,
            sum(replied_within_1h) as replied_within_1h,
            sum(decided_1h) as decided_1h,
            sum(replied_within_24h) as replied_within_24h,
            sum(decided_24h) as decided_24h,
            sum(sla_policy_ticket) as sla_policy_tickets,
            sum(sla_met) as sla_met,
            sum(sla_decided) as sla_decided,
            sum(handled) as handled_tickets,
            coalesce(sum(handling_minutes), 0) as handling_minutes
        from ticket_inputs
        where channel is not null
        group by created_date, channel

    ),

    -- Handling time of the tickets assigned to each workforce agent.
    agent_handling_daily as (

        select
            created_date as metric_date,
            agent_id,
            count(*) as handled_tickets,
            sum(handling_minutes) as handling_minutes
        from ticket_inputs
        where agent_id is not null and handling_minutes is not null
        group by created_date, agent_id

    ),

    -- Medians are not additive: a BI tool cannot get a month's median from
    -- daily rows, so the minutes KPIs are published per day and per month.
    ticket_minutes_periods as (

        select
            'day' as period,
            created_date as metric_date,
            channel,
            first_response_minutes,
            resolution_minutes
        from tickets

        union all

        select
            'month' as period,
            cast({{ dbt.date_trunc('month', 'created_date') }} as date) as metric_date,
            channel,
            first_response_minutes,
            resolution_minutes
        from tickets

    ),

    -- Median and tail of the minutes of the tickets created in the period
    -- that were replied (solved) by the export, over all channels and per
    -- channel.
    ticket_minutes as (

        select
            period,
            metric_date,
            'all' as channel,
            count(first_response_minutes) as replied_tickets,
            count(resolution_minutes) as resolved_tickets,
            round({{ jornada.median('first_response_minutes') }}, {{ statistic_decimals }}) as first_response_median,
            round(
                {{ jornada.percentile('first_response_minutes', tail_percentile) }}, {{ statistic_decimals }}
            ) as first_response_tail,
            round({{ jornada.median('resolution_minutes') }}, {{ statistic_decimals }}) as resolution_median,
            round(
                {{ jornada.percentile('resolution_minutes', tail_percentile) }}, {{ statistic_decimals }}
            ) as resolution_tail
        from ticket_minutes_periods
        group by period, metric_date

        union all

        select
            period,
            metric_date,
            channel,
            count(first_response_minutes) as replied_tickets,
            count(resolution_minutes) as resolved_tickets,
            round({{ jornada.median('first_response_minutes') }}, {{ statistic_decimals }}) as first_response_median,
            round(
                {{ jornada.percentile('first_response_minutes', tail_percentile) }}, {{ statistic_decimals }}
            ) as first_response_tail,
            round({{ jornada.median('resolution_minutes') }}, {{ statistic_decimals }}) as resolution_median,
            round(
                {{ jornada.percentile('resolution_minutes', tail_percentile) }}, {{ statistic_decimals }}
            ) as resolution_tail
        from ticket_minutes_periods
        where channel is not null
        group by period, metric_date, channel

    ),

    -- The share of the date's most frequent contact reason (rank 1 in
    -- fct_contact_reasons_daily): every calendar date over all channels,
    -- then per channel on the dates it has tickets.
    top_reason_daily as (

        select
            calendar.metric_date,
            'all' as channel,
            coalesce(max(case when contact_reasons.contact_reason_rank = 1 then contact_reasons.tickets end), 0)
                as top_reason_tickets,
            coalesce(max(contact_reasons.channel_tickets), 0) as tickets
        from calendar
        left join contact_reasons
            on
                calendar.metric_date = contact_reasons.metric_date
                and contact_reasons.channel = 'all'
        group by calendar.metric_date

        union all

        select
            metric_date,
            channel,
            coalesce(max(case when contact_reason_rank = 1 then tickets end), 0) as top_reason_tickets,
            max(channel_tickets) as tickets
        from contact_reasons
        where channel <> 'all'
        group by metric_date, channel

    ),

    kpi_tickets as (

        {{ jornada.kpi_rows(
            'ticket_daily', 'tickets', stage,
            numerator='tickets', denominator='1', campaign_id='null',
        ) }}

        union all

        {{ jornada.kpi_rows(
            'contact_reasons', 'tickets', stage,
            numerator='tickets', denominator='1', campaign_id='null',
            dimension="'contact_reason'", dimension_value='contact_reason',
        ) }}

    ),

    kpi_first_response_minutes as (

        {{ jornada.kpi_rows(
            'ticket_minutes', 'first_response_minutes', stage,
            numerator='first_response_median', denominator='1', period='period', campaign_id='null',
            where='replied_tickets > 0',
        ) }}

        union all

        {{ jornada.kpi_rows(
            'ticket_minutes', 'first_response_minutes', stage,
            numerator='first_response_tail', denominator='1', period='period', campaign_id='null',
            dimension="'percentile'", dimension_value=tail_label,
            where='replied_tickets > 0',
        ) }}

    ),

    kpi_resolution_minutes as (

        {{ jornada.kpi_rows(
            'ticket_minutes', 'resolution_minutes', stage,
            numerator='resolution_median', denominator='1', period='period', campaign_id='null',
            where='resolved_tickets > 0',
        ) }}

        union all

        {{ jornada.kpi_rows(
            'ticket_minutes', 'resolution_minutes', stage,
            numerator='resolution_tail', denominator='1', period='period', campaign_id='null',
            dimension="'percentile'", dimension_value=tail_label,
            where='resolved_tickets > 0',
        ) }}

    ),

    kpi_avg_handling_minutes as (

        {{ jornada.kpi_rows(
            'ticket_daily', 'avg_handling_minutes', stage,
            numerator='handling_minutes', denominator='handled_tickets', campaign_id='null',
        ) }}

        union all

        {{ jornada.kpi_rows(
            'agent_handling_daily', 'avg_handling_minutes', stage,
            numerator='handling_minutes', denominator='handled_tickets', channel="'all'", campaign_id='null',
            dimension="'agent_id'", dimension_value='agent_id',
        ) }}

    ),

    kpi_response_within_1h_rate as (

        {{ jornada.kpi_rows(
            'ticket_daily', 'response_within_1h_rate', stage,
            numerator='replied_within_1h', denominator='decided_1h', campaign_id='null',
        ) }}

    ),

    kpi_response_within_24h_rate as (

        {{ jornada.kpi_rows(
            'ticket_daily', 'response_within_24h_rate', stage,
            numerator='replied_within_24h', denominator='decided_24h', campaign_id='null',
        ) }}

    ),

    kpi_sla_compliance_rate as (

        {{ jornada.kpi_rows(
            'ticket_daily', 'sla_compliance_rate', stage,
            numerator='sla_met', denominator='sla_decided', campaign_id='null',
            where="channel = 'all' or sla_policy_tickets > 0",
        ) }}

    ),

    kpi_top_contact_reason_share as (

        {{ jornada.kpi_rows(
            'top_reason_daily', 'top_contact_reason_share', stage,
            numerator='top_reason_tickets', denominator='tickets', campaign_id='null',
        ) }}

        union all

        {{ jornada.kpi_rows(
            'contact_reasons', 'top_contact_reason_share', stage,
            numerator='tickets', denominator='channel_tickets', campaign_id='null',
            dimension="'contact_reason'", dimension_value='contact_reason',
        ) }}

    ),
{% endif %}

{% if using_chat %}
    -- Decided (ended) bot conversations by local start date: every calendar
    -- date over all channels, then per channel (chat, whatsapp).
    bot_conversations_daily as (

        select
            calendar.metric_date,
            'all' as channel,
            coalesce(sum(case when chatbot_conversations.is_decided then 1 else 0 end), 0)
                as decided_conversations,
            coalesce(sum(
                case when chatbot_conversations.is_decided and chatbot_conversations.is_contained then 1 else 0 end
            ), 0) as contained_conversations
        from calendar
        left join chatbot_conversations
            on calendar.metric_date = chatbot_conversations.started_date
        group by calendar.metric_date

        union all

        select
            started_date as metric_date,
            channel,
            sum(case when is_decided then 1 else 0 end) as decided_conversations,
            sum(case when is_decided and is_contained then 1 else 0 end) as contained_conversations
        from chatbot_conversations
        group by started_date, channel

    ),

    -- Article views and votes by local view date: every calendar date over
    -- all articles, then per article on the dates it was shown.
    article_views_daily as (

        select
            calendar.metric_date,
            'all' as dimension,
            'all' as dimension_value,
            count(article_views.view_id) as shown_views,
            coalesce(sum(case when article_views.has_vote then 1 else 0 end), 0) as voted_views,
            coalesce(sum(case when article_views.is_helpful_vote then 1 else 0 end), 0) as helpful_views
        from calendar
        left join article_views
            on calendar.metric_date = article_views.viewed_date
        group by calendar.metric_date

        union all

        select
            viewed_date as metric_date,
            'article_id' as dimension,
            article_id as dimension_value,
            count(*) as shown_views,
            sum(case when has_vote then 1 else 0 end) as voted_views,
            sum(case when is_helpful_vote then 1 else 0 end) as helpful_views
        from article_views
        group by viewed_date, article_id

    ),

    kpi_chatbot_containment_rate as (

        {{ jornada.kpi_rows(
            'bot_conversations_daily', 'chatbot_containment_rate', stage,
            numerator='contained_conversations', denominator='decided_conversations', campaign_id='null',
        ) }}

    ),

    kpi_bot_article_views as (

        {{ jornada.kpi_rows(
            'article_views_daily', 'bot_article_views', stage,
            numerator='shown_views', denominator='1', channel="'all'", campaign_id='null',
            dimension='dimension', dimension_value='dimension_value',
        ) }}

        union all

        {{ jornada.kpi_rows(
            'article_views_daily', 'bot_article_views', stage,
            numerator='helpful_views', denominator='voted_views', channel="'all'", campaign_id='null',
            dimension="'article_helpful_rate'", dimension_value='dimension_value',
        ) }}

    ),
{% endif %}

{% if using_workforce %}
    -- Ended shifts by local shift date: every calendar date over all agents,
    -- then per agent on the dates they had a shift.
    shifts_daily as (

        select
            calendar.metric_date,
            'all' as dimension,
            'all' as dimension_value,
            coalesce(sum(ended_shifts.adherent_minutes), 0) as adherent_minutes,
            coalesce(sum(ended_shifts.scheduled_minutes), 0) as scheduled_minutes
        from calendar
        left join ended_shifts
            on calendar.metric_date = ended_shifts.shift_date
        group by calendar.metric_date

        union all

        select
            shift_date as metric_date,
            'agent_id' as dimension,
            agent_id as dimension_value,
            sum(adherent_minutes) as adherent_minutes,
            sum(scheduled_minutes) as scheduled_minutes
        from ended_shifts
        group by shift_date, agent_id

    ),

    kpi_schedule_adherence_rate as (

        {{ jornada.kpi_rows(
            'shifts_daily', 'schedule_adherence_rate', stage,
            numerator='adherent_minutes', denominator='scheduled_minutes', channel="'all'", campaign_id='null',
            dimension='dimension', dimension_value='dimension_value',
        ) }}

    ),
{% endif %}

{%- set kpi_ctes = [] -%}
{%- if using_zendesk -%}
    {%- do kpi_ctes.extend([
        'kpi_tickets',
        'kpi_first_response_minutes',
        'kpi_resolution_minutes',
        'kpi_avg_handling_minutes',
        'kpi_response_within_1h_rate',
        'kpi_response_within_24h_rate',
        'kpi_sla_compliance_rate',
        'kpi_top_contact_reason_share',
    ]) -%}
{%- endif -%}
{%- if using_chat -%}
    {%- do kpi_ctes.extend(['kpi_chatbot_containment_rate', 'kpi_bot_article_views']) -%}
{%- endif -%}
{%- if using_workforce -%}
    {%- do kpi_ctes.append('kpi_schedule_adherence_rate') -%}
{%- endif %}

final as (

    {% for kpi_cte in kpi_ctes %}
        select * from {{ kpi_cte }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {% endfor %}

)

select * from final
