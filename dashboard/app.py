"""Jornada dashboard: the KPIs of kpi_daily and the journey marts, for analysts.

    make dashboard                                   # or:
    JORNADA_DUCKDB_PATH=jornada.duckdb .venv/bin/streamlit run dashboard/app.py

Reads the warehouse read-only (warehouse.py), so dbt can rebuild it
meanwhile. The sidebar's filters (date range, channel, campaign) apply to
every page; they can be preset by URL query parameters
(?start=2026-10-04&end=2026-10-31&channel=email&campaign=cmp_0001).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

import queries
import sections
from filters import ALL_CAMPAIGNS, ALL_CHANNELS, Filters, default_range, initial_choice, parse_date
from warehouse import WarehouseUnavailable, warehouse_path

Render = Callable[[Filters, str], None]  # a page of sections.py: filters, reporting currency

PAGES: list[tuple[str, str, str, Render]] = [
    ("KPI overview", "overview", ":material/dashboard:", sections.overview),
    ("Trends per channel", "trends", ":material/show_chart:", sections.channel_trends),
    ("Message funnel", "funnel", ":material/filter_alt:", sections.message_funnel),
    ("Attribution", "attribution", ":material/call_split:", sections.attribution),
    ("NPS, CSAT, CES", "voice", ":material/sentiment_satisfied:", sections.customer_voice),
    ("Service and SLA", "service", ":material/support_agent:", sections.service),
    ("Alerts", "alerts", ":material/notifications:", sections.alerts),
    ("A/B tests", "experiments", ":material/science:", sections.experiments),
]


def _preset(key: str, value: object) -> None:
    """A widget's first value (from the URL); afterwards the widget keeps its own state across pages."""
    if key not in st.session_state:
        st.session_state[key] = value


def sidebar_filters() -> Filters | None:
    """The filters of the sidebar, preset from the URL's query parameters; None when there is no data."""
    days = queries.data_days()
    if days is None:
        st.info(f"The warehouse at {warehouse_path()} has no daily KPIs yet: run `make build`.")
        return None
    first_day, last_day, last_complete_day = days
    params = st.query_params
    default_start, default_end = default_range(first_day, last_complete_day)
    start = parse_date(params.get("start"), default_start, first_day, last_day)
    end = parse_date(params.get("end"), default_end, first_day, last_day)
    channel_options = [ALL_CHANNELS, *queries.channels()]
    _preset("date_range", (min(start, end), max(start, end)))
    _preset("channel", channel_options[initial_choice(params, "channel", channel_options, ALL_CHANNELS)])
    with st.sidebar:
        st.header("Filters")
        picked = st.date_input("Date range", min_value=first_day, max_value=last_day, key="date_range")
        channel = st.selectbox("Channel", channel_options, key="channel")
        selected_channel = None if channel == ALL_CHANNELS else channel
        campaign_options = [ALL_CAMPAIGNS, *queries.campaigns(selected_channel)]
        _preset("campaign", campaign_options[initial_choice(params, "campaign", campaign_options, ALL_CAMPAIGNS)])
        if st.session_state["campaign"] not in campaign_options:  # a campaign of another channel
            st.session_state["campaign"] = ALL_CAMPAIGNS
        campaign = st.selectbox("Campaign", campaign_options, key="campaign")
        st.caption(f"Warehouse: `{warehouse_path()}` (read-only); data {first_day} to {last_day}.")
    if not isinstance(picked, tuple) or len(picked) != 2:
        st.info("Pick the end of the date range.")
        return None
    filters = Filters(
        start=picked[0],
        end=picked[1],
        channel=selected_channel,
        campaign=None if campaign == ALL_CAMPAIGNS else campaign,
    )
    shared = {"start": filters.start.isoformat(), "end": filters.end.isoformat()}
    shared |= {name: value for name, value in (("channel", filters.channel), ("campaign", filters.campaign)) if value}
    if st.query_params.to_dict() != shared:
        st.query_params.from_dict(shared)
    return filters


def page(render: Render, filters: Filters, currency: str) -> Callable[[], None]:
    """The page as st.navigation runs it: with this run's filters."""

    def run() -> None:
        render(filters, currency)

    return run


def main() -> None:
    st.set_page_config(page_title="Jornada KPIs", page_icon=":material/insights:", layout="wide")
    try:
        filters = sidebar_filters()
        if filters is None:
            return
        currency = queries.reporting_currency()
        navigation = st.navigation(
            [
                st.Page(page(render, filters, currency), title=title, url_path=path, icon=icon, default=index == 0)
                for index, (title, path, icon, render) in enumerate(PAGES)
            ]
        )
        navigation.run()
    except WarehouseUnavailable as error:
        st.error(str(error))
        if st.button("Retry"):
            st.rerun()


main()
