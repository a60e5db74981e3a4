{#
    Best send hour per channel: open and click rates of outbound messages by
    the local hour (var `business_timezone`) they were sent, per channel.

    One row per channel and local send hour with messages sent and delivered,
    unique openers and clickers, open_rate and click_rate (over delivered, as
    the KPIs open_rate and click_through_rate; open_rate is null on SMS, which
    reports no opens), the 95% Wilson lower bounds of both rates, and their
    rank within the channel. Hours are ranked on the lower bound, not the raw
    rate, so an hour with few sends and a lucky click does not win; hours
    with fewer than var `analysis_min_messages` (default 30) delivered
    messages are not ranked. `is_best_open_hour` / `is_best_click_hour` mark
    the winners.
#}

{%- set min_messages = var('analysis_min_messages', 30) -%}
{#- z of a two-sided 95% interval, and its square -#}
{%- set z = 1.96 -%}
{%- set z_squared = 3.8416 -%}



with

messages as (

    select * from {{ ref('fct_messages') }}

),

sent_messages as (

    select
        channel,
        is_open_tracked,
        is_delivered,
        is_opened,
        is_clicked,
        {% if target.type == 'spark' -%}
            hour(from_utc_timestamp(sent_at, '{{ var("business_timezone") }}'))
        {%- else -%}
            extract(hour from timezone('{{ var("business_timezone") }}', sent_at at time zone 'UTC'))
        {%- endif %} as send_hour
    from messages
    where
        is_sent
        and sent_at is not null

),

hourly as (

    select
        channel,
        send_hour,
        count(*) as messages_sent,
        sum(case when is_delivered then 1 else 0 end) as messages_delivered,
        sum(case when is_delivered and is_opened then 1 else 0 end) as unique_openers,
        sum(case when is_delivered and is_clicked then 1 else 0 end) as unique_clickers,
        {{ dbt.bool_or('is_open_tracked') }} as is_open_tracked
    from sent_messages
    group by
        channel,
        send_hour

),

rated as (

    select
        channel,
        send_hour,
        messages_sent,
        messages_delivered,
        unique_openers,
        unique_clickers,
        messages_delivered >= {{ min_messages }} as is_ranked,
        case
            when is_open_tracked then {{ jornada.safe_divide('unique_openers', 'messages_delivered') }}
        end as open_rate,
        {{ jornada.safe_divide('unique_clickers', 'messages_delivered') }} as click_rate
    from hourly

),

bounded as (

    select
        channel,
        send_hour,
        messages_sent,
        messages_delivered,
        unique_openers,
        unique_clickers,
        is_ranked,
        open_rate,
        click_rate,
        -- 95% Wilson score lower bounds: (p + z²/2n - z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), 0 when p = 0
        case
            when messages_delivered > 0 and open_rate = 0 then 0.0
            when messages_delivered > 0
                then (
                    open_rate + {{ z_squared }} / (2.0 * messages_delivered)
                    - {{ z }} * sqrt(
                        open_rate * (1 - open_rate) / messages_delivered
                        + {{ z_squared }} / (4.0 * messages_delivered * messages_delivered)
                    )
                ) / (1 + {{ z_squared }} / messages_delivered)
        end as open_rate_lower_95,
        case
            when messages_delivered > 0 and click_rate = 0 then 0.0
            when messages_delivered > 0
                then (
                    click_rate + {{ z_squared }} / (2.0 * messages_delivered)
                    - {{ z }} * sqrt(
                        click_rate * (1 - click_rate) / messages_delivered
                        + {{ z_squared }} / (4.0 * messages_delivered * messages_delivered)
                    )
                ) / (1 + {{ z_squared }} / messages_delivered)
        end as click_rate_lower_95
    from rated

),

ranked as (

    select
        channel,
        send_hour,
        messages_sent,
        messages_delivered,
        unique_openers,
        unique_clickers,
        open_rate,
        click_rate,
        open_rate_lower_95,
        click_rate_lower_95,
        case
            when is_ranked and open_rate is not null
                then rank() over (
                    partition by channel, is_ranked, open_rate is not null
                    order by open_rate_lower_95 desc
                )
        end as open_rate_rank,
        case
            when is_ranked
                then rank() over (
                    partition by channel, is_ranked
                    order by click_rate_lower_95 desc
                )
        end as click_rate_rank
    from bounded

),

final as (

    select
        channel,
        send_hour,
        messages_sent,
        messages_delivered,
        unique_openers,
        unique_clickers,
        open_rate,
        click_rate,
        open_rate_lower_95,
        click_rate_lower_95,
        open_rate_rank,
        click_rate_rank,
        coalesce(open_rate_rank = 1, false) as is_best_open_hour,
        coalesce(click_rate_rank = 1, false) as is_best_click_hour
    from ranked

)

select * from final
order by channel, send_hour
