"""The dashboard's pages: one function per page, each reading its numbers through queries.py.

Python only lays out and formats; every figure comes from SQL on the marts.
Each KPI tile is a container with the key `kpi-tile-<kpi_name>` (Streamlit
gives it the CSS class `st-key-kpi-tile-<kpi_name>`), the stable hook
browser tests and users' own tooling find tiles by.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

import queries
from filters import Filters
from formatting import MISSING, as_number, format_change, format_value, is_zero_change, kpi_label

TILES_PER_ROW = 5
STAGES = ["attraction", "messaging", "sales", "service", "loyalty", "experiments"]
GRAINS = ["day", "week", "month"]


def _as_dates(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """DATE columns as dates (pandas reads them as timestamps, shown with 00:00:00)."""
    for column in columns:
        frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame


# ---------------------------------------------------------------- KPI tiles


def _tile_basis(tile: dict[str, Any], filters: Filters) -> str:
    """How the tile's value was obtained, under the value."""
    if as_number(tile["current_value"]) is None:
        return "no rows for this selection"
    as_of = pd.Timestamp(tile["current_as_of"]).date()
    if not tile["is_additive"]:
        return f"latest {str(tile['period']).replace('_', ' ')} value ({as_of:%Y-%m-%d})"
    if tile["period"] != "day":
        return f"re-aggregated from {tile['current_rows']} {tile['period']} row(s)"
    how = "total" if tile["is_count"] else "re-aggregated"
    return f"{how} over {filters.days} days"


def render_tile(tile: dict[str, Any], filters: Filters, currency: str) -> None:
    unit = str(tile["unit"])
    change = format_change(tile["change"], unit, currency)
    zero = change is not None and is_zero_change(change)
    if zero:
        color, arrow = "off", "off"
    else:
        color = "normal" if tile["direction"] == "higher_is_better" else "inverse"
        arrow = "auto"
    with st.container(key=f"kpi-tile-{tile['kpi_name']}", border=True):
        st.metric(
            label=kpi_label(str(tile["kpi_name"])),
            value=format_value(tile["current_value"], unit, currency),
            delta=change.lstrip("+-") if zero and change else change,
            delta_color=color,
            delta_arrow=arrow,
            help=f"`{tile['kpi_name']}`: {tile['definition']}",
        )
        previous = format_value(tile["previous_value"], unit, currency)
        st.caption(f"{_tile_basis(tile, filters)}; previous range: {previous}")


def render_tiles(tiles: pd.DataFrame, filters: Filters, currency: str) -> None:
    records = tiles.to_dict("records")
    for start in range(0, len(records), TILES_PER_ROW):
        columns = st.columns(TILES_PER_ROW)
        for column, tile in zip(columns, records[start : start + TILES_PER_ROW], strict=False):
            with column:
                render_tile(tile, filters, currency)


def _tiles_of(tiles: pd.DataFrame, kpi_names: list[str]) -> pd.DataFrame:
    """The tiles of kpi_names, in that order."""
    order = {name: position for position, name in enumerate(kpi_names)}
    chosen = tiles[tiles["kpi_name"].isin(order.keys())]
    return chosen.sort_values("kpi_name", key=lambda names: names.map(order))


def overview(filters: Filters, currency: str) -> None:
    st.title("KPIs by journey stage")
    st.caption(
        f"{filters.describe()}. Change against the previous range of equal length. Additive KPIs are "
        "re-aggregated from kpi_daily as sum(numerator) / sum(denominator) (counts and amounts summed); "
        "the others show their latest published value."
    )
    tiles = queries.kpi_tiles(filters)
    if tiles.empty:
        st.info("kpi_catalog is empty: build the warehouse first (`make build`).")
        return
    if tiles["current_value"].isna().all():
        st.info("No KPI has rows for this selection: widen the date range or clear the channel and campaign.")
    for stage in STAGES:
        stage_tiles = tiles[tiles["journey_stage"] == stage]
        if stage_tiles.empty:
            continue
        with st.container(key=f"kpi-stage-{stage}"):
            st.subheader(stage.capitalize())
            render_tiles(stage_tiles, filters, currency)


# ------------------------------------------------------------------ trends


def _axis_format(unit: str) -> str:
    return ".0%" if unit in {"ratio", "rate", "change_ratio"} else ",.2~f"


def _line_chart(frame: pd.DataFrame, unit: str, title: str) -> alt.Chart:
    return (
        alt.Chart(frame, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("period_start:T", title=None, axis=alt.Axis(format="%Y-%m-%d")),
            y=alt.Y("value:Q", title=None, axis=alt.Axis(format=_axis_format(unit))),
            color=alt.Color("channel:N", title="channel"),
            tooltip=["period_start:T", "channel:N", alt.Tooltip("value:Q", format=",.4~f")],
        )
    )


def _formatted_pivot(frame: pd.DataFrame, index: str, columns: str, unit: str, currency: str) -> pd.DataFrame:
    wide = frame.pivot_table(index=index, columns=columns, values="value", aggfunc="first")
    return wide.map(lambda value: format_value(value, unit, currency))


def channel_trends(filters: Filters, currency: str) -> None:
    st.title("Trends per channel")
    st.caption(filters.describe())
    catalog = queries.catalog()
    options = catalog["kpi_name"].tolist()
    kpi_name = st.selectbox(
        "KPI", options, index=options.index("open_rate") if "open_rate" in options else 0, format_func=kpi_label
    )
    kpi = catalog.set_index("kpi_name").loc[kpi_name]
    periods = [p.strip() for p in str(kpi["periods"]).split(",") if p.strip()]
    if bool(kpi["is_additive"]):
        finest = next((p for p in GRAINS if p in periods), periods[0])
        grains = GRAINS[GRAINS.index(finest) :] if finest in GRAINS else [finest]
        grain = st.radio("Grain", grains, horizontal=True, index=min(1, len(grains) - 1))
        trend = queries.kpi_trend(filters, kpi_name, finest, grain, is_additive=True)
        how = f"re-aggregated per {grain} from {finest} rows"
    else:
        period = st.radio("Period (as published)", periods, horizontal=True)
        trend = queries.kpi_trend(filters, kpi_name, period, period, is_additive=False)
        how = f"{period} values as published (not re-aggregated: {kpi['unit']} is not additive)"
    st.caption(f"{kpi['definition']} ({how}).")
    if trend.empty:
        st.info("No rows of this KPI for the selection.")
        return
    unit = str(kpi["unit"])
    trend = _as_dates(trend, "period_start")
    st.altair_chart(_line_chart(trend, unit, kpi_label(kpi_name)), width="stretch")
    st.dataframe(_formatted_pivot(trend, "period_start", "channel", unit, currency))


# ------------------------------------------------------------------ funnel


def message_funnel(filters: Filters, currency: str) -> None:
    st.title("Message funnel per campaign")
    st.caption(
        f"{filters.describe()}. Counts from fct_campaign_channel_daily by send date (None: the channel does "
        "not track the step); rates re-aggregated from kpi_daily by send date."
    )
    funnel = queries.message_funnel(filters)
    if funnel.empty:
        st.info("No messages were sent for this selection.")
        return
    campaigns = funnel.groupby("campaign_id")["sent"].sum().sort_values(ascending=False).index.tolist()
    campaign = st.selectbox("Campaign", campaigns, index=0)
    steps = funnel[funnel["campaign_id"] == campaign].melt(
        id_vars=["channel"], value_vars=queries.FUNNEL_STEPS, var_name="step", value_name="messages"
    )
    chart = (
        alt.Chart(steps.dropna(subset=["messages"]), title=f"{campaign}: sent to replied")
        .mark_bar()
        .encode(
            x=alt.X("step:N", sort=queries.FUNNEL_STEPS, title=None, axis=alt.Axis(labelAngle=0)),
            xOffset="channel:N",
            y=alt.Y("messages:Q", title="messages / persons"),
            color=alt.Color("channel:N"),
            tooltip=["channel:N", "step:N", "messages:Q"],
        )
    )
    st.altair_chart(chart, width="stretch")
    table = funnel.copy()
    for rate in queries.FUNNEL_RATES:
        table[rate] = table[rate].map(lambda value: format_value(value, "ratio", currency))
    table = table.rename(columns={rate: kpi_label(rate) for rate in queries.FUNNEL_RATES})
    st.dataframe(table, hide_index=True)


# ------------------------------------------------------------- attribution


def attribution(filters: Filters, currency: str) -> None:
    st.title("Attribution by model")
    st.caption(
        f"{filters.describe()}. Conversions that happened in the range (fct_attributed_conversions), credited "
        "to channels by each of the six models; a model's credits of one conversion sum to 1."
    )
    types = queries.conversion_types()
    choice = st.selectbox("Conversion type", ["all types", *types])
    credited = queries.attribution(filters, None if choice == "all types" else choice)
    if credited.empty:
        st.info("No conversions for this selection.")
        return
    selected = set(credited.loc[credited["is_selected_model"], "attribution_model"])
    models = [m for m in queries.ATTRIBUTION_MODELS if m in set(credited["attribution_model"])]

    def header(model: str) -> str:
        return f"{model} (KPIs)" if model in selected else model

    def credits(value: object) -> str:
        return f"{as_number(value) or 0:,.1f}"

    def money(value: object) -> str:
        return format_value(value, "currency", currency)

    left, right = st.columns(2)
    for column, measure, formatter in ((left, "conversions", credits), (right, "revenue", money)):
        wide = credited.pivot_table(index="channel", columns="attribution_model", values=measure, aggfunc="sum")
        wide = wide.reindex(columns=models).rename(columns=header)
        with column:
            st.subheader(f"{measure.capitalize()} per channel")
            st.dataframe(wide.map(formatter))
    chart_rows = credited[credited["channel"] != "(unattributed)"]
    if not chart_rows.empty:
        chart = (
            alt.Chart(chart_rows, title="Conversions credited per channel (unattributed left out)")
            .mark_bar()
            .encode(
                x=alt.X("channel:N", title=None, axis=alt.Axis(labelAngle=0)),
                xOffset=alt.XOffset("attribution_model:N", sort=models),
                y=alt.Y("conversions:Q", title="credited conversions"),
                color=alt.Color("attribution_model:N", sort=models, title="model"),
                tooltip=["attribution_model:N", "channel:N", alt.Tooltip("conversions:Q", format=",.2f")],
            )
        )
        st.altair_chart(chart, width="stretch")


# ---------------------------------------------------------- customer voice

VOICE_KPIS = ["nps", "csat", "ces", "review_rating"]


def _breakdown_table(frame: pd.DataFrame, units: dict[str, str], currency: str) -> pd.DataFrame:
    """breakdown x KPI, each value formatted by its unit, with the KPI's denominator (responses) beside it."""
    columns: dict[str, pd.Series] = {}
    for kpi_name, rows in frame.groupby("kpi_name", sort=False):
        indexed = rows.set_index("breakdown")
        unit = units[str(kpi_name)]
        columns[kpi_label(str(kpi_name))] = indexed["value"].map(lambda v, u=unit: format_value(v, u, currency))
        columns[f"{kpi_label(str(kpi_name))} n"] = indexed["denominator"].map(lambda v: f"{as_number(v) or 0:,.0f}")
    return pd.DataFrame(columns).fillna(MISSING)


def customer_voice(filters: Filters, currency: str) -> None:
    st.title("NPS, CSAT and CES")
    st.caption(f"{filters.describe()}. Re-aggregated from kpi_daily; n is the KPI's denominator (responses).")
    if filters.campaign:
        st.caption(
            "Surveys and reviews are not tied to campaigns: with a campaign selected, only the score counts show."
        )
    tiles = queries.kpi_tiles(filters)
    render_tiles(_tiles_of(tiles, VOICE_KPIS), filters, currency)
    units = dict(zip(tiles["kpi_name"], tiles["unit"], strict=True))
    left, right = st.columns(2)
    with left:
        st.subheader("Per touchpoint")
        touchpoints = queries.kpi_breakdown(filters, ["nps", "csat", "ces"], "touchpoint")
        if touchpoints.empty:
            st.info("No survey responses per touchpoint for this selection.")
        else:
            st.dataframe(_breakdown_table(touchpoints, units, currency))
    with right:
        st.subheader("Per channel")
        per_channel = queries.kpi_breakdown(filters, ["nps", "csat", "ces"], "channel")
        if per_channel.empty:
            st.info("No survey responses per channel for this selection.")
        else:
            st.dataframe(_breakdown_table(per_channel, units, currency))
    scores = queries.survey_scores(filters)
    if scores.empty:
        st.info("No survey responses in the range.")
        return
    chart = (
        alt.Chart(scores, title="Responses per score")
        .mark_bar()
        .encode(
            x=alt.X("score:O"),
            y=alt.Y("responses:Q"),
            column=alt.Column("survey_type:N", title=None),
            tooltip=["survey_type:N", "score:O", "responses:Q"],
        )
        .resolve_scale(x="independent")
    )
    st.altair_chart(chart)


# ----------------------------------------------------------------- service

SERVICE_KPIS = [
    "tickets",
    "first_response_minutes",
    "resolution_minutes",
    "sla_compliance_rate",
    "response_within_1h_rate",
    "response_within_24h_rate",
]
SERVICE_RATES = ["sla_compliance_rate", "response_within_1h_rate", "response_within_24h_rate"]


def service(filters: Filters, currency: str) -> None:
    st.title("Service times against SLA")
    st.caption(filters.describe())
    if filters.campaign:
        st.caption("Tickets are not tied to campaigns: with a campaign selected, only the SLA outcomes show.")
    tiles = queries.kpi_tiles(filters)
    render_tiles(_tiles_of(tiles, SERVICE_KPIS), filters, currency)
    units = dict(zip(tiles["kpi_name"], tiles["unit"], strict=True))
    left, right = st.columns(2)
    with left:
        st.subheader("SLA compliance and response windows per channel")
        rates = queries.kpi_breakdown(filters, SERVICE_RATES, "channel")
        if rates.empty:
            st.info("No tickets for this selection.")
        else:
            st.dataframe(_breakdown_table(rates, units, currency))
    with right:
        st.subheader("SLA outcomes per policy")
        outcomes = queries.sla_outcomes(filters)
        if outcomes.empty:
            st.info("No tickets created in the range.")
        else:
            st.dataframe(outcomes, hide_index=True)
    st.subheader("Monthly medians and p90 (minutes, as published)")
    st.caption("Medians do not re-aggregate: these are kpi_daily's month rows of the months the range overlaps.")
    medians = queries.monthly_percentiles(filters, ["first_response_minutes", "resolution_minutes"])
    if medians.empty:
        st.info("No monthly service times for this selection.")
        return
    medians = _as_dates(medians, "month")
    medians["kpi_name"] = medians["kpi_name"].map(kpi_label)
    for column in ("median", "p90"):
        medians[column] = medians[column].map(lambda value: format_value(value, "minutes", currency))
    st.dataframe(medians, hide_index=True)


# ------------------------------------------------------------------ alerts


def alerts(filters: Filters, currency: str) -> None:
    del currency
    st.title("Open alerts")
    st.caption(
        f"{filters.describe()}. From kpi_alerts: KPIs outside their trailing band, platform divergences and "
        "conversion over-claims; with a channel selected, alerts about all channels are kept."
    )
    found = queries.alerts(filters)
    if found.empty:
        st.success("No alerts for this selection.")
        return
    found = _as_dates(found, "metric_date")
    counts = found["severity"].value_counts()
    error_column, warn_column, _ = st.columns([1, 1, 3])
    error_column.metric("Errors", int(counts.get("error", 0)))
    warn_column.metric("Warnings", int(counts.get("warn", 0)))
    st.dataframe(
        found,
        hide_index=True,
        column_config={
            "observed_value": st.column_config.NumberColumn(format="%.4g"),
            "expected_value": st.column_config.NumberColumn(format="%.4g"),
            "band_lower": st.column_config.NumberColumn(format="%.4g"),
            "band_upper": st.column_config.NumberColumn(format="%.4g"),
            "z_score": st.column_config.NumberColumn(format="%.2f"),
        },
    )


# ------------------------------------------------------------- experiments


def experiments(filters: Filters, currency: str) -> None:
    del currency
    st.title("A/B tests")
    st.caption(
        f"{filters.describe()}. Tests first sent in the range, from fct_ab_test_results: lift against control, "
        "pooled two-proportion z, two-sided p-value, significance at var ab_alpha, sample ratio mismatch."
    )
    results = queries.ab_results(filters)
    if results.empty:
        st.info("No A/B test was first sent in this selection: widen the date range.")
        return
    results = _as_dates(results, "first_send_date")
    significant = results[results["is_significant"].fillna(False).astype(bool)]
    st.metric("Variants with a significant lift", f"{len(significant)} of {int((~results['is_control']).sum())}")
    chart = (
        alt.Chart(results, title="Conversion rate per variant")
        .mark_bar()
        .encode(
            x=alt.X("variant:N", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("conversion_rate:Q", axis=alt.Axis(format=".1%"), title=None),
            color=alt.Color("is_significant:N", title="significant"),
            column=alt.Column("campaign_id:N", title=None),
            tooltip=["campaign_id:N", "variant:N", alt.Tooltip("conversion_rate:Q", format=".2%"), "p_value:Q"],
        )
    )
    st.altair_chart(chart)
    st.dataframe(
        results,
        hide_index=True,
        column_config={
            "conversion_rate": st.column_config.NumberColumn(format="percent"),
            "control_conversion_rate": st.column_config.NumberColumn(format="percent"),
            "absolute_lift": st.column_config.NumberColumn(format="%.4f"),
            "relative_lift": st.column_config.NumberColumn(format="percent"),
            "z_statistic": st.column_config.NumberColumn(format="%.3f"),
            "p_value": st.column_config.NumberColumn(format="%.4f"),
            "srm_p_value": st.column_config.NumberColumn(format="%.4f"),
        },
    )
