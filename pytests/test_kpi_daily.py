"""kpi_daily and kpi_catalog against the KPI catalog document (docs/KPIS.md).

- every kpi_name of the document is in kpi_catalog (and nothing else), under
  the stage of its section, and has non-null rows in kpi_daily;
- values stay within the bounds of their unit;
- a rate re-aggregated from daily numerators and denominators over a month
  equals the monthly rate computed directly from the fact marts (checked for
  one additive KPI of each stage, with SQL written here, independent of the
  KPI models).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import PROJECT_DIR, query

KPIS_DOC = PROJECT_DIR / "docs" / "KPIS.md"
SHARED_KPIS_DOC = PROJECT_DIR.parent / "shared" / "KPIS.md"


def documented_kpis(path: Path = KPIS_DOC) -> dict[str, str]:
    """kpi_name -> journey stage (its section heading), from the document's tables."""
    stage = ""
    kpis: dict[str, str] = {}
    for line in path.read_text().splitlines():
        heading = re.match(r"^## (\w+)", line)
        if heading:
            stage = heading.group(1).lower()
            continue
        row = re.match(r"^\| ([a-z0-9_]+) \|", line)
        if row and row.group(1) != "kpi_name":
            kpis[row.group(1)] = stage
    return kpis


DOCUMENTED = documented_kpis()


def test_the_document_lists_the_catalog() -> None:
    assert len(DOCUMENTED) >= 50
    assert set(DOCUMENTED.values()) == {"attraction", "messaging", "sales", "service", "loyalty", "experiments"}


def test_docs_copy_is_the_shared_spec() -> None:
    if not SHARED_KPIS_DOC.exists():
        pytest.skip("the shared spec is not beside this checkout")
    assert KPIS_DOC.read_text() == SHARED_KPIS_DOC.read_text()


def test_kpi_catalog_lists_exactly_the_documented_kpis(warehouse) -> None:
    catalog = dict(query(warehouse, "select kpi_name, journey_stage from marts.kpi_catalog"))
    missing = sorted(set(DOCUMENTED) - set(catalog))
    unknown = sorted(set(catalog) - set(DOCUMENTED))
    assert not missing and not unknown, f"missing from kpi_catalog: {missing}; not in the document: {unknown}"
    wrong_stage = {name: (catalog[name], stage) for name, stage in DOCUMENTED.items() if catalog[name] != stage}
    assert not wrong_stage


def test_every_documented_kpi_has_rows_with_values(warehouse) -> None:
    rows = dict(
        query(
            warehouse,
            "select kpi_name, count(*) from marts.kpi_daily where value is not null group by kpi_name",
        )
    )
    without_values = sorted(name for name in DOCUMENTED if not rows.get(name))
    assert not without_values, f"KPIs without any non-null value in kpi_daily: {without_values}"


def test_kpi_daily_stages_match_the_document(warehouse) -> None:
    rows = query(warehouse, "select distinct kpi_name, journey_stage from marts.kpi_daily")
    wrong = [(name, stage) for name, stage in rows if DOCUMENTED.get(name) != stage]
    assert not wrong


BOUNDS_BY_UNIT = {
    "ratio": (0.0, 1.0),
    "rate": (0.0, None),
    "nps_points": (-100.0, 100.0),
    "count": (0.0, None),
    "currency": (None, None),
    "minutes": (0.0, None),
    "seconds": (0.0, None),
    "hours": (0.0, None),
    "per_person": (0.0, None),
    "score": (0.0, None),
    "change_ratio": (-1.0, None),
    "multiple": (0.0, None),
}


def test_values_stay_within_the_bounds_of_their_unit(warehouse) -> None:
    units = dict(query(warehouse, "select kpi_name, unit from marts.kpi_catalog"))
    unknown_units = sorted({unit for unit in units.values() if unit not in BOUNDS_BY_UNIT})
    assert not unknown_units, f"units without bounds here: {unknown_units}"
    problems = []
    for kpi_name, unit in units.items():
        low, high = BOUNDS_BY_UNIT[unit]
        conditions = []
        if low is not None:
            conditions.append(f"value < {low} - 1e-9")
        if high is not None:
            conditions.append(f"value > {high} + 1e-9")
        if not conditions:
            continue
        (outside,) = query(
            warehouse,
            f"select count(*) from marts.kpi_daily where kpi_name = '{kpi_name}' and ({' or '.join(conditions)})",
        )[0]
        if outside:
            problems.append(f"{kpi_name} ({unit}): {outside} rows outside [{low}, {high}]")
    assert not problems


# One additive KPI per stage: its monthly rate computed directly from a fact mart.
DIRECT_MONTHLY = {
    "delivery_rate": """
        select {month}(send_date),
            sum(case when is_delivered then 1 else 0 end),
            sum(case when is_sent then 1 else 0 end)
        from marts.fct_messages group by 1
    """,
    "web_bounce_rate": """
        select {month}(session_date), sum(case when is_bounce then 1 else 0 end), count(*)
        from marts.fct_web_sessions group by 1
    """,
    "cross_sell_rate": """
        select {month}(order_date), sum(case when has_cross_sell_line then 1 else 0 end), count(*)
        from marts.fct_orders where is_valid_order group by 1
    """,
    "response_within_1h_rate": """
        select {month}(created_date), sum(case when is_replied_within_1h then 1 else 0 end), count(*)
        from marts.fct_tickets where is_replied_within_1h is not null group by 1
    """,
    "csat": """
        select {month}(response_date), sum(case when is_satisfied then 1 else 0 end), count(*)
        from marts.fct_survey_responses where survey_type = 'csat' group by 1
    """,
}


@pytest.mark.parametrize("kpi_name", sorted(DIRECT_MONTHLY))
def test_daily_rows_reaggregate_to_the_monthly_rate(warehouse, kpi_name: str) -> None:
    direct_sql = DIRECT_MONTHLY[kpi_name].replace("{month}(", "date_trunc('month', ")
    direct = {
        month_start: (numerator, denominator) for month_start, numerator, denominator in query(warehouse, direct_sql)
    }
    reaggregated = dict(
        (month_start, (numerator, denominator))
        for month_start, numerator, denominator in query(
            warehouse,
            f"""
            select date_trunc('month', metric_date), sum(numerator), sum(denominator)
            from marts.kpi_daily
            where kpi_name = '{kpi_name}' and period = 'day' and channel = 'all'
              and campaign_id is null and dimension = 'all'
            group by 1
            """,
        )
    )
    assert reaggregated, f"no daily rows of {kpi_name}"
    for month_start, (numerator, denominator) in reaggregated.items():
        assert month_start in direct, f"{kpi_name}: {month_start} has KPI rows but no facts"
        direct_numerator, direct_denominator = direct[month_start]
        assert (numerator, denominator) == pytest.approx((direct_numerator, direct_denominator)), (
            f"{kpi_name} {month_start}: kpi_daily {numerator}/{denominator}, "
            f"facts {direct_numerator}/{direct_denominator}"
        )
        assert numerator / denominator == pytest.approx(direct_numerator / direct_denominator)
