"""The semantic layer (models/semantic) against kpi_daily.

- every KPI of kpi_catalog is a MetricFlow metric of exactly its kpi_name,
  with a label and a description, and `mf validate-configs` passes, data
  warehouse checks included;
- `mf query` re-aggregates the metrics from their measures the way a BI tool
  re-aggregates kpi_daily: an additive KPI by ISO week and channel (and over
  all channels) equals sum(numerator) / sum(denominator) of kpi_daily's day
  rows with campaign_id null and dimension 'all' (sum(numerator) for counts
  and amounts); a distinct count, a median or a to-date figure equals
  kpi_daily's own rows of the grain it is published at.

mf runs in a subprocess, as `make semantic` runs it. It reads
`<project>/target/semantic_manifest.json` and opens the warehouse read-write,
so it gets a folder of its own: dbt_project.yml linked from the project, the
manifest parsed into its target/, and a copy of the warehouse (the session's
read-only connection keeps a lock on the original) under the same file name,
the catalog name the parsed relation names carry.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_DIR, dbt_env, query, run_dbt, warehouse_path

MF = str(Path(sys.executable).parent / "mf")

Key = tuple[date, str]

# KPIs whose value is sum(numerator) (counts and amounts; denominator 1).
SUMMED = {
    "new_leads",
    "chatbot_conversations",
    "attributed_revenue",
    "orders",
    "revenue",
    "tickets",
    "bot_article_views",
}
# Published per campaign only (no row over all campaigns): re-aggregated from the campaign rows.
PER_CAMPAIGN = {"ab_conversion_rate"}
# Published for one channel only, with no row over all channels.
SINGLE_CHANNEL = {
    "social_engagement_rate",
    "negative_mention_share",
    "cost_per_conversation",
    "return_on_conversation_spend",
}
# Additive KPIs on fct measures, compared by ISO week and channel (and over all channels).
WEEKLY_BY_CHANNEL = [
    "new_leads",
    "lead_conversion_rate",
    "social_engagement_rate",
    "negative_mention_share",
    "chatbot_conversations",
    "chatbot_conversion_rate",
    "chatbot_escalation_rate",
    "web_bounce_rate",
    "avg_engagement_time_s",
    "delivery_rate",
    "open_rate",
    "click_through_rate",
    "click_to_open_rate",
    "reply_rate",
    "bounce_rate",
    "unsubscribe_rate",
    "spam_complaint_rate",
    "channel_conversion_rate",
    "attributed_revenue",
    "cost_per_conversation",
    "return_on_conversation_spend",
    "roi",
    "cost_per_acquisition",
    "orders",
    "revenue",
    "average_ticket",
    "cart_abandonment_rate",
    "cross_sell_rate",
    "tickets",
    "chatbot_containment_rate",
    "avg_handling_minutes",
    "response_within_1h_rate",
    "response_within_24h_rate",
    "sla_compliance_rate",
    "nps",
    "csat",
    "ces",
    "review_rating",
    "ab_conversion_rate",
]
# Additive KPIs published over all channels only (or per agent / recovery channel), compared by ISO week.
WEEKLY_ALL_CHANNELS = ["schedule_adherence_rate", "bot_article_views", "cart_recovery_rate"]
# Sums of floating-point or decimal inputs: the summation order differs (per day, then per week in
# kpi_daily; per week directly in MetricFlow), so they agree to rounding, not to the last bit.
FLOAT_INPUTS = {
    "avg_engagement_time_s",
    "avg_handling_minutes",
    "schedule_adherence_rate",
    "attributed_revenue",
    "cost_per_conversation",
    "return_on_conversation_spend",
    "roi",
    "cost_per_acquisition",
    "channel_conversion_rate",
    "revenue",
    "average_ticket",
}


# Not additive: a distinct count, a median, a percentile, a period-bound or to-date figure. Each is
# compared with kpi_daily's own rows of the period it is published at (no re-aggregation).
WEEKLY_NOT_ADDITIVE_BY_CHANNEL = ["messages_per_person_week", "median_hours_between_touches"]
WEEKLY_NOT_ADDITIVE = [*WEEKLY_NOT_ADDITIVE_BY_CHANNEL, "lead_growth_rate"]
MONTHLY_NOT_ADDITIVE_BY_CHANNEL = [
    "reach",
    "first_response_minutes",
    "first_response_minutes_p90",
    "resolution_minutes",
    "resolution_minutes_p90",
]
MONTHLY_NOT_ADDITIVE = [
    *MONTHLY_NOT_ADDITIVE_BY_CHANNEL,
    "customer_acquisition_cost",
    "mrr",
    "mrr_churn_rate",
    "retention_rate",
    "churn_rate",
    "lead_growth_rate_monthly",
]
DAILY_NOT_ADDITIVE = [
    "reach",
    "first_response_minutes",
    "resolution_minutes",
    "repurchase_rate",
    "customer_lifetime_value",
    "visit_frequency",
    "top_contact_reason_share",
]
# metric -> (kpi_name, period, dimension) of the kpi_daily rows it publishes; period None: the grain
# queried. Any other metric publishes its own kpi_name's rows of the grain queried, dimension 'all'.
PUBLISHED_AS = {
    "first_response_minutes_p90": ("first_response_minutes", None, "percentile"),
    "resolution_minutes_p90": ("resolution_minutes", None, "percentile"),
    "lead_growth_rate_monthly": ("lead_growth_rate", None, "all"),
    "repurchase_rate": ("repurchase_rate", "to_date", "all"),
    "customer_lifetime_value": ("customer_lifetime_value", "to_date", "all"),
    "visit_frequency": ("visit_frequency", "trailing_30d", "all"),
}
# A running total over the time spine has a value on every day; kpi_daily publishes it on the dates of
# its calendar, where it is compared.
RUNNING_TOTALS = {"repurchase_rate"}
NOT_ADDITIVE_FLOAT_INPUTS = {"mrr", "customer_acquisition_cost", "mrr_churn_rate", "customer_lifetime_value"}


@pytest.fixture(scope="module")
def mf_project(tmp_path_factory: pytest.TempPathFactory, warehouse: duckdb.DuckDBPyConnection) -> Path:
    """A folder mf runs in: the parsed semantic manifest and a copy of the warehouse."""
    root = tmp_path_factory.mktemp("semantic")
    source = warehouse_path().resolve()
    target = root / "target"
    target.mkdir()
    # The build's partial-parse state makes the parse incremental (same profile, same project).
    build_target = Path(os.environ.get("DBT_TARGET_PATH", PROJECT_DIR / "target"))
    if (build_target / "partial_parse.msgpack").exists():
        shutil.copy(build_target / "partial_parse.msgpack", target / "partial_parse.msgpack")
    run_dbt(["parse"], duckdb_path=source, target_path=target)
    (root / "dbt_project.yml").symlink_to(PROJECT_DIR / "dbt_project.yml")
    copy = root / "warehouse" / source.name
    copy.parent.mkdir()
    shutil.copy(source, copy)
    wal = source.with_name(source.name + ".wal")
    if wal.exists():
        shutil.copy(wal, copy.with_name(copy.name + ".wal"))
    return root


def run_mf(project: Path, args: list[str]) -> str:
    env = dbt_env(project / "warehouse" / warehouse_path().name)
    env["DBT_PROJECT_DIR"] = str(project)
    env["DBT_LOG_PATH"] = str(project / "logs")
    result = subprocess.run([MF, *args], cwd=project, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"mf {' '.join(args)} failed:\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def mf_query(project: Path, metrics: list[str], group_by: list[str]) -> list[dict[str, str]]:
    """Rows of `mf query` (values as text, '' for null), read from its CSV output."""
    output = project / f"query_{len(list(project.glob('query_*.csv')))}.csv"
    run_mf(project, ["query", "--metrics", ",".join(metrics), "--group-by", ",".join(group_by), "--csv", str(output)])
    with output.open(newline="") as handle:
        return list(csv.DictReader(handle))


def as_float(text: str) -> float | None:
    return None if text == "" else float(text)


def mf_values(rows: list[dict[str, str]], metric: str, time_column: str, channel: bool) -> dict[Key, float | None]:
    """(period start, channel or 'all') -> value; rows with a null channel (counted in 'all' only) left out."""
    values: dict[Key, float | None] = {}
    for row in rows:
        if channel and row["channel"] == "":
            continue
        key = (date.fromisoformat(row[time_column][:10]), row["channel"] if channel else "all")
        values[key] = as_float(row[metric])
    return values


def kpi_values(
    connection: duckdb.DuckDBPyConnection,
    kpi_name: str,
    grain: str,
    period: str = "day",
    channel: bool = True,
    dimension: str = "all",
) -> dict[Key, float | None]:
    """kpi_daily's rows of one kind, re-aggregated to `grain` as sum(numerator) / sum(denominator).

    The rows over all campaigns (campaign_id null), per channel or over all channels ('all'); a KPI
    published per campaign only is re-aggregated from its campaign rows.
    """
    if kpi_name in PER_CAMPAIGN:
        slice_filter = "campaign_id is not null"
        slice_channel = "channel" if channel else "'all'"
    else:
        slice_filter = "campaign_id is null and " + ("channel <> 'all'" if channel else "channel = 'all'")
        slice_channel = "channel"
    rows = query(
        connection,
        f"""
        select cast(date_trunc('{grain}', metric_date) as date), {slice_channel}, sum(numerator), sum(denominator)
        from marts.kpi_daily
        where kpi_name = '{kpi_name}' and period = '{period}' and dimension = '{dimension}' and {slice_filter}
        group by 1, 2
        """,
    )
    values: dict[Key, float | None] = {}
    for period_start, row_channel, numerator, denominator in rows:
        if kpi_name in SUMMED:
            value = numerator
        elif not denominator:
            value = None
        elif kpi_name == "nps":
            value = 100 * (numerator / denominator)
        else:
            value = numerator / denominator
        values[(period_start, row_channel)] = value
    return values


def assert_same(
    kpi_name: str,
    actual: dict[Key, float | None],
    expected: dict[Key, float | None],
    equal: Callable[[float, float], bool],
) -> None:
    """Every period and channel of either side has the same value (a missing or null count is 0, a rate null)."""
    missing = 0.0 if kpi_name in SUMMED else None
    keys = sorted(set(actual) | set(expected))
    assert keys, f"{kpi_name}: no rows on either side"
    differences = []
    for key in keys:
        got, want = actual.get(key), expected.get(key)
        got, want = (missing if got is None else got), (missing if want is None else want)
        same = got == want if got is None or want is None else equal(got, want)
        if not same:
            differences.append((key, got, want))
    assert not differences, f"{kpi_name}: {len(differences)} of {len(keys)} differ, e.g. {differences[:5]}"
    assert any(value is not None for value in expected.values()), f"{kpi_name}: kpi_daily has no values"


def exact(got: float, want: float) -> bool:
    return got == want


def to_rounding(got: float, want: float) -> bool:
    return got == pytest.approx(want, rel=1e-12, abs=1e-9)


def comparison(kpi_name: str) -> Callable[[float, float], bool]:
    return to_rounding if kpi_name in FLOAT_INPUTS else exact


@pytest.fixture(scope="module")
def semantic_manifest(mf_project: Path) -> dict:
    return json.loads((mf_project / "target" / "semantic_manifest.json").read_text())


def test_every_catalog_kpi_is_a_documented_metric(warehouse, semantic_manifest: dict) -> None:
    catalog = {name for (name,) in query(warehouse, "select kpi_name from marts.kpi_catalog")}
    metrics = {metric["name"]: metric for metric in semantic_manifest["metrics"]}
    assert len(catalog) >= 50
    assert sorted(catalog - set(metrics)) == []
    undocumented = [name for name in catalog if not metrics[name]["label"] or not metrics[name]["description"]]
    assert undocumented == []


def test_semantic_models_are_documented(semantic_manifest: dict) -> None:
    models = semantic_manifest["semantic_models"]
    assert len(models) >= 15
    undocumented = [model["name"] for model in models if not model.get("label") or not model.get("description")]
    assert undocumented == []


def test_time_spine_is_configured(semantic_manifest: dict, warehouse) -> None:
    spines = semantic_manifest["project_configuration"]["time_spines"]
    assert [(spine["node_relation"]["alias"], spine["primary_column"]["name"]) for spine in spines] == [
        ("metricflow_time_spine", "date_day")
    ]
    covered = query(
        warehouse,
        "select min(metric_date) >= (select min(date_day) from marts.metricflow_time_spine), "
        "max(metric_date) <= (select max(date_day) from marts.metricflow_time_spine) from marts.kpi_daily",
    )
    gaps = query(
        warehouse,
        "select count(*) - (max(date_day) - min(date_day) + 1) from marts.metricflow_time_spine",
    )
    assert covered == [(True, True)]
    assert gaps == [(0,)]


def test_validate_configs_passes_against_the_warehouse(mf_project: Path) -> None:
    output = run_mf(mf_project, ["validate-configs"])
    assert "Successfully validated the semantics of built manifest (ERRORS: 0" in output
    assert "Successfully validated metrics against data warehouse (ERRORS: 0" in output


@pytest.fixture(scope="module")
def weekly_by_channel(mf_project: Path) -> list[dict[str, str]]:
    """One `mf query` of every weekly KPI with a channel, by ISO week and channel."""
    return mf_query(mf_project, WEEKLY_BY_CHANNEL + WEEKLY_NOT_ADDITIVE_BY_CHANNEL, ["metric_time__week", "channel"])


@pytest.fixture(scope="module")
def weekly_all_channels(mf_project: Path) -> list[dict[str, str]]:
    """One `mf query` of every weekly KPI over all channels, by ISO week."""
    return mf_query(mf_project, WEEKLY_BY_CHANNEL + WEEKLY_ALL_CHANNELS + WEEKLY_NOT_ADDITIVE, ["metric_time__week"])


def test_open_rate_by_week_and_channel_matches_kpi_daily(warehouse, weekly_by_channel) -> None:
    actual = mf_values(weekly_by_channel, "open_rate", "metric_time__week", channel=True)
    expected = kpi_values(warehouse, "open_rate", "week")
    assert {channel for _, channel in expected} == {"email", "whatsapp"}
    assert_same("open_rate", actual, expected, exact)


@pytest.mark.parametrize("kpi_name", WEEKLY_BY_CHANNEL)
def test_additive_kpi_by_week_and_channel_matches_kpi_daily(warehouse, weekly_by_channel, kpi_name: str) -> None:
    actual = mf_values(weekly_by_channel, kpi_name, "metric_time__week", channel=True)
    expected = kpi_values(warehouse, kpi_name, "week")
    assert_same(kpi_name, actual, expected, comparison(kpi_name))


@pytest.mark.parametrize(
    "kpi_name",
    [name for name in WEEKLY_BY_CHANNEL if name not in SINGLE_CHANNEL] + WEEKLY_ALL_CHANNELS,
)
def test_additive_kpi_by_week_over_all_channels_matches_kpi_daily(
    warehouse, weekly_all_channels, kpi_name: str
) -> None:
    actual = mf_values(weekly_all_channels, kpi_name, "metric_time__week", channel=False)
    expected = kpi_values(warehouse, kpi_name, "week", channel=False)
    assert_same(kpi_name, actual, expected, comparison(kpi_name))


def published(connection: duckdb.DuckDBPyConnection, metric: str, grain: str, channel: bool) -> dict[Key, float | None]:
    kpi_name, period, dimension = PUBLISHED_AS.get(metric, (metric, None, "all"))
    return kpi_values(connection, kpi_name, grain, period=period or grain, channel=channel, dimension=dimension)


def assert_published(
    connection: duckdb.DuckDBPyConnection, rows: list[dict[str, str]], metric: str, grain: str, channel: bool
) -> None:
    """The metric at `grain` equals kpi_daily's published rows of that grain, one for one."""
    actual = mf_values(rows, metric, f"metric_time__{grain}", channel=channel)
    expected = published(connection, metric, grain, channel)
    if metric in RUNNING_TOTALS:
        actual = {key: value for key, value in actual.items() if key in expected}
    equal = to_rounding if metric in NOT_ADDITIVE_FLOAT_INPUTS else exact
    assert_same(metric, actual, expected, equal)


@pytest.mark.parametrize("metric", WEEKLY_NOT_ADDITIVE_BY_CHANNEL)
def test_weekly_distinct_counts_and_medians_by_channel_match_kpi_daily(warehouse, weekly_by_channel, metric) -> None:
    assert_published(warehouse, weekly_by_channel, metric, "week", channel=True)


@pytest.mark.parametrize("metric", WEEKLY_NOT_ADDITIVE)
def test_weekly_not_additive_kpis_over_all_channels_match_kpi_daily(warehouse, weekly_all_channels, metric) -> None:
    assert_published(warehouse, weekly_all_channels, metric, "week", channel=False)


def test_monthly_distinct_counts_and_medians_by_channel_match_kpi_daily(warehouse, mf_project) -> None:
    rows = mf_query(mf_project, MONTHLY_NOT_ADDITIVE_BY_CHANNEL, ["metric_time__month", "channel"])
    for metric in MONTHLY_NOT_ADDITIVE_BY_CHANNEL:
        assert_published(warehouse, rows, metric, "month", channel=True)


def test_monthly_not_additive_kpis_over_all_channels_match_kpi_daily(warehouse, mf_project) -> None:
    rows = mf_query(mf_project, MONTHLY_NOT_ADDITIVE, ["metric_time__month"])
    for metric in MONTHLY_NOT_ADDITIVE:
        assert_published(warehouse, rows, metric, "month", channel=False)


def test_daily_not_additive_kpis_over_all_channels_match_kpi_daily(warehouse, mf_project) -> None:
    rows = mf_query(mf_project, DAILY_NOT_ADDITIVE, ["metric_time__day"])
    for metric in DAILY_NOT_ADDITIVE:
        assert_published(warehouse, rows, metric, "day", channel=False)


def test_mrr_is_semi_additive_over_quarters(warehouse, mf_project) -> None:
    """A quarter's MRR is its last month's end balance; its churn rate divides by its first month's start."""
    rows = mf_query(mf_project, ["mrr", "mrr_churn_rate"], ["metric_time__quarter"])
    monthly = query(
        warehouse,
        """
        select cast(date_trunc('quarter', metric_date) as date), kpi_name, metric_date, numerator, denominator
        from marts.kpi_daily
        where kpi_name in ('mrr', 'mrr_churn_rate') and period = 'month' and dimension = 'all'
        order by metric_date
        """,
    )
    quarters = sorted({quarter for quarter, *_ in monthly})
    expected_mrr: dict[Key, float | None] = {}
    expected_churn: dict[Key, float | None] = {}
    for quarter in quarters:
        mrr_rows = [row for row in monthly if row[0] == quarter and row[1] == "mrr"]
        churn_rows = [row for row in monthly if row[0] == quarter and row[1] == "mrr_churn_rate"]
        expected_mrr[(quarter, "all")] = mrr_rows[-1][3]
        start_balance = churn_rows[0][4]
        lost = sum(row[3] for row in churn_rows)
        expected_churn[(quarter, "all")] = lost / start_balance if start_balance else None
    assert len(quarters) >= 3
    assert any(len([row for row in monthly if row[0] == quarter]) == 6 for quarter in quarters)
    assert_same("mrr", mf_values(rows, "mrr", "metric_time__quarter", channel=False), expected_mrr, to_rounding)
    assert_same(
        "mrr_churn_rate",
        mf_values(rows, "mrr_churn_rate", "metric_time__quarter", channel=False),
        expected_churn,
        to_rounding,
    )
