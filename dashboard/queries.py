"""Every number the dashboard shows, as SQL on the warehouse's marts.

KPIs come from `marts.kpi_daily` and are re-aggregated the way the README
says a BI tool re-aggregates them, in SQL, never recomputed from facts:

- additive KPIs (`kpi_catalog.is_additive`): sum(numerator) / sum(denominator)
  over the rows of the range, within one kind of slice; counts and amounts
  (denominator 1 on every row) are totals, sum(numerator); NPS is on its
  -100..100 scale (unit `nps_points`: 100 x the ratio);
- other KPIs (medians, distinct counts, to-date and period-bound figures):
  the latest published value in the range, of the broadest period the KPI
  is published with there (to_date, trailing_30d, month, week, day).

A week or month row belongs to the range its period ends in, so a range
ending on a month's last day shows that month, and the previous range the
month before.

The slice: the selected channel and campaign, else the rows over all
channels (`channel = 'all'`) and all campaigns (`campaign_id` null). A KPI
that has no such row sums its per-channel or per-campaign rows (additive
KPIs only): a KPI published for one channel (social engagement), per
campaign only (A/B conversion), or a campaign's rows over its channels.

Facts that are not KPIs (funnel counts, attribution credits, survey score
counts, SLA outcomes, alerts, A/B results) are read from their marts.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from filters import Filters
from warehouse import query

# kpi_catalog, and how each KPI is published on its headline rows (dimension 'all').
KPI_SHAPE_CTES = """
catalog as (
    select kpi_name, journey_stage, definition, unit, direction, is_additive, periods, catalog_order
    from marts.kpi_catalog
),

kpi_shape as (
    select
        kpi_name,
        -- counts and amounts carry denominator 1: their total is sum(numerator)
        bool_and(denominator = 1) as is_count,
        bool_or(campaign_id is null) as has_all_campaigns_rows,
        bool_or(channel = 'all') as has_all_channels_rows
    from marts.kpi_daily
    where dimension = 'all'
    group by kpi_name
)"""

# The rows of one kind of slice for the filters (d: kpi_daily, s: kpi_shape).
CAMPAIGN_SLICE = """
    case
        when $campaign is not null then d.campaign_id = $campaign
        when s.has_all_campaigns_rows then d.campaign_id is null
        else d.campaign_id is not null
    end"""

CHANNEL_SLICE = """
    case
        when $channel is not null then d.channel = $channel
        when $campaign is null and s.has_all_campaigns_rows and s.has_all_channels_rows then d.channel = 'all'
        else d.channel <> 'all'
    end"""

# Re-aggregation of kpi_daily rows d of one KPI (s: kpi_shape, c: catalog); group by s.is_count, c.unit.
REAGGREGATED = """
    case
        when s.is_count then sum(d.numerator)
        else sum(d.numerator) / nullif(sum(d.denominator), 0)
    end * case when c.unit = 'nps_points' then 100 else 1 end"""

# Which period of a KPI a tile reads: the finest for re-aggregation, the broadest for a latest value.
PERIOD_RANK = """
    case
        when c.is_additive
            then case sl.period when 'day' then 1 when 'week' then 2 when 'month' then 3 else 4 end
        else case sl.period
            when 'to_date' then 1 when 'trailing_30d' then 2 when 'month' then 3 when 'week' then 4 else 5
        end
    end"""

# Last day of the period a kpi_daily row d covers.
PERIOD_END = """
        case d.period
            when 'week' then d.metric_date + 6
            when 'month' then last_day(d.metric_date)
            else d.metric_date
        end"""

KPI_TILES_SQL = f"""
with
{KPI_SHAPE_CTES},

with_period_end as (
    select
        d.kpi_name,
        d.period,
        d.metric_date,
        d.numerator,
        d.denominator,
        d.value,
        {PERIOD_END} as period_end
    from marts.kpi_daily as d
    inner join kpi_shape as s on d.kpi_name = s.kpi_name
    where
        d.dimension = 'all'
        and d.metric_date between $previous_start - 31 and $end
        and {CAMPAIGN_SLICE}
        and {CHANNEL_SLICE}
),

-- a row belongs to the range its period ends in (a week or a month once it is over)
sliced as (
    select
        *,
        case when period_end >= $start then 'current' else 'previous' end as window_name
    from with_period_end
    where period_end between $previous_start and $end
),

period_choice as (
    select
        sl.kpi_name,
        arg_min(sl.period, {PERIOD_RANK}) as period
    from sliced as sl
    inner join catalog as c on sl.kpi_name = c.kpi_name
    where sl.window_name = 'current'
    group by sl.kpi_name
),

chosen as (
    select
        sl.*,
        max(sl.metric_date) over (partition by sl.kpi_name, sl.window_name) as latest_date
    from sliced as sl
    inner join period_choice as p on sl.kpi_name = p.kpi_name and sl.period = p.period
),

reaggregated as (
    select
        d.kpi_name,
        d.window_name,
        {REAGGREGATED} as value,
        count(*) as row_count,
        max(d.metric_date) as as_of
    from chosen as d
    inner join catalog as c on d.kpi_name = c.kpi_name
    inner join kpi_shape as s on d.kpi_name = s.kpi_name
    where c.is_additive
    group by d.kpi_name, d.window_name, s.is_count, c.unit
),

latest as (
    select
        d.kpi_name,
        d.window_name,
        -- one published row on the latest date; rows of several slices do not combine
        case when count(*) = 1 then any_value(d.value) end as value,
        count(*) as row_count,
        d.latest_date as as_of
    from chosen as d
    inner join catalog as c on d.kpi_name = c.kpi_name
    where not c.is_additive and d.metric_date = d.latest_date
    group by d.kpi_name, d.window_name, d.latest_date
),

windows as (
    select * from reaggregated
    union all
    select * from latest
)

select
    c.catalog_order,
    c.kpi_name,
    c.journey_stage,
    c.definition,
    c.unit,
    c.direction,
    c.is_additive,
    s.is_count,
    p.period,
    cur.value as current_value,
    cur.row_count as current_rows,
    cur.as_of as current_as_of,
    prev.value as previous_value,
    prev.as_of as previous_as_of,
    cur.value - prev.value as change
from catalog as c
left join kpi_shape as s on c.kpi_name = s.kpi_name
left join period_choice as p on c.kpi_name = p.kpi_name
left join windows as cur on c.kpi_name = cur.kpi_name and cur.window_name = 'current'
left join windows as prev on c.kpi_name = prev.kpi_name and prev.window_name = 'previous'
order by c.catalog_order
"""


def kpi_tiles(filters: Filters) -> pd.DataFrame:
    """One row per KPI of the catalog: its value for the range, for the previous range, and the change."""
    return query(KPI_TILES_SQL, filters.comparison_params())


ADDITIVE_TREND_SQL = f"""
with
{KPI_SHAPE_CTES}

select
    cast(date_trunc($grain, d.metric_date) as date) as period_start,
    d.channel,
    {REAGGREGATED} as value
from marts.kpi_daily as d
inner join kpi_shape as s on d.kpi_name = s.kpi_name
inner join catalog as c on d.kpi_name = c.kpi_name
where
    d.kpi_name = $kpi_name
    and d.period = $period
    and d.dimension = 'all'
    and d.metric_date between $start and $end
    and {CAMPAIGN_SLICE}
    and ($channel is null or d.channel = $channel)
group by 1, 2, s.is_count, c.unit
order by 1, 2
"""

PUBLISHED_TREND_SQL = """
select
    d.metric_date as period_start,
    d.channel,
    d.value
from marts.kpi_daily as d
where
    d.kpi_name = $kpi_name
    and d.period = $period
    and d.dimension = 'all'
    and d.metric_date between $start and $end
    and (case when $campaign is null then d.campaign_id is null else d.campaign_id = $campaign end)
    and ($channel is null or d.channel = $channel)
order by 1, 2
"""


def kpi_trend(filters: Filters, kpi_name: str, period: str, grain: str, is_additive: bool) -> pd.DataFrame:
    """period_start, channel, value: an additive KPI re-aggregated by grain, another as published for period."""
    params = {**filters.params(), "kpi_name": kpi_name, "period": period, "grain": grain}
    return query(ADDITIVE_TREND_SQL if is_additive else PUBLISHED_TREND_SQL, params)


BREAKDOWN_SQL = f"""
with
{KPI_SHAPE_CTES}

select
    d.kpi_name,
    case when $by_channel then d.channel else d.dimension_value end as breakdown,
    {REAGGREGATED} as value,
    sum(d.denominator) as denominator
from marts.kpi_daily as d
inner join kpi_shape as s on d.kpi_name = s.kpi_name
inner join catalog as c on d.kpi_name = c.kpi_name
where
    list_contains($kpi_names, d.kpi_name)
    and c.is_additive
    and d.period = 'day'
    and d.metric_date between $start and $end
    and {CAMPAIGN_SLICE}
    and case
        -- per channel: every channel's headline rows and the row over all channels
        when $by_channel then d.dimension = 'all' and ($channel is null or d.channel in ($channel, 'all'))
        -- per breakdown value: the breakdown's rows of the selected channel, or over all channels
        else d.dimension = $dimension and d.channel = coalesce($channel, 'all')
    end
group by 1, 2, s.is_count, c.unit
order by 1, 2
"""


def kpi_breakdown(filters: Filters, kpi_names: list[str], dimension: str = "channel") -> pd.DataFrame:
    """kpi_name, breakdown, value, denominator: additive KPIs re-aggregated over the range per channel
    (dimension 'channel') or per value of a kpi_daily breakdown (e.g. 'touchpoint')."""
    params = {
        **filters.params(),
        "kpi_names": kpi_names,
        "by_channel": dimension == "channel",
        "dimension": dimension,
    }
    return query(BREAKDOWN_SQL, params)


MONTHLY_PERCENTILES_SQL = """
select
    d.metric_date as month,
    d.kpi_name,
    d.channel,
    max(case when d.dimension = 'all' then d.value end) as median,
    max(case when d.dimension = 'percentile' and d.dimension_value = 'p90' then d.value end) as p90
from marts.kpi_daily as d
where
    list_contains($kpi_names, d.kpi_name)
    and d.period = 'month'
    and d.campaign_id is null
    and d.metric_date between date_trunc('month', $start) and $end
    and ($channel is null or d.channel in ($channel, 'all'))
group by 1, 2, 3
order by 1, 2, 3
"""


def monthly_percentiles(filters: Filters, kpi_names: list[str]) -> pd.DataFrame:
    """Published monthly medians and p90 of the months overlapping the range, per channel."""
    return query(MONTHLY_PERCENTILES_SQL, {**filters.params(), "kpi_names": kpi_names})


FUNNEL_SQL = """
select
    campaign_id,
    channel,
    sum(messages_sent) as sent,
    sum(messages_delivered) as delivered,
    case when bool_or(is_open_tracked) then sum(unique_openers) end as opened,
    case when bool_or(is_click_tracked) then sum(unique_clickers) end as clicked,
    case when bool_or(is_reply_tracked) then sum(messages_replied) end as replied
from marts.fct_campaign_channel_daily
where
    send_date between $start and $end
    and ($channel is null or channel = $channel)
    and ($campaign is null or campaign_id = $campaign)
group by campaign_id, channel
order by campaign_id, channel
"""

FUNNEL_STEPS = ["sent", "delivered", "opened", "clicked", "replied"]
FUNNEL_RATES = ["delivery_rate", "open_rate", "click_through_rate", "reply_rate"]

FUNNEL_RATES_SQL = f"""
with
{KPI_SHAPE_CTES}

select
    d.campaign_id,
    d.channel,
    d.kpi_name,
    {REAGGREGATED} as value
from marts.kpi_daily as d
inner join kpi_shape as s on d.kpi_name = s.kpi_name
inner join catalog as c on d.kpi_name = c.kpi_name
where
    list_contains($kpi_names, d.kpi_name)
    and d.period = 'day'
    and d.dimension = 'all'
    and d.campaign_id is not null
    and d.metric_date between $start and $end
    and ($channel is null or d.channel = $channel)
    and ($campaign is null or d.campaign_id = $campaign)
group by 1, 2, 3, s.is_count, c.unit
"""


def message_funnel(filters: Filters) -> pd.DataFrame:
    """One row per campaign and channel: sent, delivered, opened, clicked, replied (null where the
    channel does not track the step), with the KPI rates of kpi_daily beside them."""
    counts = query(FUNNEL_SQL, filters.params())
    rates = query(FUNNEL_RATES_SQL, {**filters.params(), "kpi_names": FUNNEL_RATES})
    if counts.empty:
        return counts
    wide = rates.pivot_table(index=["campaign_id", "channel"], columns="kpi_name", values="value", aggfunc="first")
    wide = wide.reindex(columns=FUNNEL_RATES).reset_index()
    return counts.merge(wide, on=["campaign_id", "channel"], how="left")


ATTRIBUTION_SQL = """
select
    attribution_model,
    bool_or(is_selected_model) as is_selected_model,
    coalesce(channel, '(unattributed)') as channel,
    sum(credit) as conversions,
    sum(attributed_revenue) as revenue
from marts.fct_attributed_conversions
where
    converted_date between $start and $end
    and ($channel is null or channel = $channel)
    and ($campaign is null or campaign_id = $campaign)
    and ($conversion_type is null or conversion_type = $conversion_type)
group by attribution_model, coalesce(channel, '(unattributed)')
order by attribution_model, channel
"""

ATTRIBUTION_MODELS = ["first_touch", "last_touch", "last_non_direct", "linear", "time_decay", "position_based"]


def attribution(filters: Filters, conversion_type: str | None) -> pd.DataFrame:
    """attribution_model, is_selected_model, channel, conversions (credits), revenue: conversions that
    happened in the range, credited by each of the six models."""
    return query(ATTRIBUTION_SQL, {**filters.params(), "conversion_type": conversion_type})


CONVERSION_TYPES_SQL = "select distinct conversion_type from marts.fct_attributed_conversions order by 1"


def conversion_types() -> list[str]:
    return query(CONVERSION_TYPES_SQL)["conversion_type"].tolist()


SURVEY_SCORES_SQL = """
select survey_type, score, count(*) as responses
from marts.fct_survey_responses
where
    response_date between $start and $end
    and ($channel is null or channel = $channel)
group by survey_type, score
order by survey_type, score
"""


def survey_scores(filters: Filters) -> pd.DataFrame:
    """Responses per survey type and score in the range (campaigns do not apply)."""
    return query(SURVEY_SCORES_SQL, filters.params())


SLA_OUTCOMES_SQL = """
select
    coalesce(sla_policy_title, '(no policy)') as sla_policy,
    coalesce(first_reply_sla_status, '-') as first_reply,
    coalesce(resolution_sla_status, '-') as resolution,
    coalesce(sla_status, '-') as overall,
    count(*) as tickets
from marts.fct_tickets
where
    created_date between $start and $end
    and ($channel is null or channel = $channel)
group by all
order by sla_policy, tickets desc
"""


def sla_outcomes(filters: Filters) -> pd.DataFrame:
    """Tickets created in the range per SLA policy and outcome of its targets."""
    return query(SLA_OUTCOMES_SQL, filters.params())


ALERTS_SQL = """
select
    a.metric_date,
    a.severity,
    a.alert_rule,
    a.kpi_name,
    a.alert_signal,
    a.channel,
    a.campaign_id,
    a.observed_value,
    a.expected_value,
    a.band_lower,
    a.band_upper,
    a.z_score,
    a.source_id
from marts.kpi_alerts as a
where
    a.metric_date between $start and $end
    and ($channel is null or a.channel in ($channel, 'all'))
    and ($campaign is null or a.campaign_id = $campaign)
order by case a.severity when 'error' then 0 else 1 end, a.metric_date desc, a.alert_rule, a.alert_signal
"""


def alerts(filters: Filters) -> pd.DataFrame:
    """Alerts about the range; with a channel selected, also those about all channels together."""
    return query(ALERTS_SQL, filters.params())


AB_RESULTS_SQL = """
select
    campaign_id,
    channel,
    variant,
    is_control,
    first_send_date,
    recipients,
    conversions,
    conversion_rate,
    control_conversion_rate,
    absolute_lift,
    relative_lift,
    z_statistic,
    p_value,
    is_significant,
    has_sample_ratio_mismatch,
    srm_p_value
from marts.fct_ab_test_results
where
    first_send_date between $start and $end
    and ($channel is null or channel = $channel)
    and ($campaign is null or campaign_id = $campaign)
order by campaign_id, variant
"""


def ab_results(filters: Filters) -> pd.DataFrame:
    """A/B variants of the tests first sent in the range, with lift and significance as the mart has them."""
    return query(AB_RESULTS_SQL, filters.params())


DATA_DAYS_SQL = """
with days as (
    select metric_date, count(distinct journey_stage) as stages
    from marts.kpi_daily
    where period = 'day'
    group by metric_date
)

select
    min(metric_date) as first_day,
    max(metric_date) as last_day,
    -- the latest day more than one journey stage published: a complete day
    max(case when stages > 1 then metric_date end) as last_complete_day
from days
"""


def data_days() -> tuple[date, date, date] | None:
    """First day, last day and last complete day of the daily KPIs; None when kpi_daily is empty."""
    row = query(DATA_DAYS_SQL).iloc[0]
    if pd.isna(row["first_day"]):
        return None
    last_complete = row["last_complete_day"] if not pd.isna(row["last_complete_day"]) else row["last_day"]
    return _as_date(row["first_day"]), _as_date(row["last_day"]), _as_date(last_complete)


def _as_date(value: object) -> date:
    return pd.Timestamp(value).date()  # type: ignore[arg-type]


CHANNELS_SQL = "select distinct channel from marts.kpi_daily where channel <> 'all' order by channel"

CAMPAIGNS_SQL = """
select distinct campaign_id
from marts.kpi_daily
where campaign_id is not null and ($channel is null or channel = $channel)
order by campaign_id
"""


def channels() -> list[str]:
    return query(CHANNELS_SQL)["channel"].tolist()


def campaigns(channel: str | None) -> list[str]:
    return query(CAMPAIGNS_SQL, {"channel": channel})["campaign_id"].tolist()


CURRENCY_SQL = "select min(currency) as currency from marts.fct_orders"


def reporting_currency() -> str:
    currency = query(CURRENCY_SQL)["currency"].iloc[0]
    return str(currency) if isinstance(currency, str) else "BRL"


CATALOG_SQL = f"""
with
{KPI_SHAPE_CTES}

select c.*, s.is_count
from catalog as c
left join kpi_shape as s on c.kpi_name = s.kpi_name
order by c.catalog_order
"""


def catalog() -> pd.DataFrame:
    return query(CATALOG_SQL)
