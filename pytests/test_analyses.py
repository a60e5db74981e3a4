"""analyses/: every analysis compiles with dbt, is documented, and answers its question sensibly on the demo warehouse.

dbt compiles against an empty scratch DuckDB file named like the warehouse
(compiling needs relation names, not data), so it never locks the warehouse
the other tests read; the compiled SQL then runs on the warehouse read-only.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from conftest import PROJECT_DIR, run_dbt, warehouse_path

ANALYSES_DIR = PROJECT_DIR / "analyses"
EPSILON = 1e-9
DIVERGENCE_TOLERANCE = float(
    yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]["divergence_tolerance"]
)

Rows = list[dict[str, Any]]


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """(folder of the compiled analyses, manifest) from `dbt compile -s resource_type:analysis`."""
    work = tmp_path_factory.mktemp("analyses")
    scratch = work / warehouse_path().name  # same file name, so the same database name in the SQL
    target = work / "target"
    run_dbt(["compile", "-s", "resource_type:analysis", "--log-path", str(work / "logs")], scratch, target)
    return target / "compiled" / "jornada" / "analyses", json.loads((target / "manifest.json").read_text())


@pytest.fixture(scope="module")
def results(compiled: tuple[Path, dict[str, Any]], warehouse: duckdb.DuckDBPyConnection) -> dict[str, Rows]:
    """Analysis name -> its rows on the demo warehouse, as dicts."""
    folder, _ = compiled
    out: dict[str, Rows] = {}
    for path in sorted(folder.glob("*.sql")):
        cursor = warehouse.execute(path.read_text())
        columns = [description[0] for description in cursor.description]
        out[path.stem] = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return out


def scalar(warehouse: duckdb.DuckDBPyConnection, sql: str) -> Any:
    return warehouse.execute(sql).fetchone()[0]


def within_unit_interval(value: float | None) -> bool:
    return value is None or -EPSILON <= value <= 1 + EPSILON


def test_every_analysis_compiles_and_is_documented(
    compiled: tuple[Path, dict[str, Any]], results: dict[str, Rows]
) -> None:
    folder, manifest = compiled
    sources = sorted(path.stem for path in ANALYSES_DIR.glob("*.sql"))
    assert len(sources) >= 4
    assert sorted(path.stem for path in folder.glob("*.sql")) == sources
    nodes = {node["name"]: node for node in manifest["nodes"].values() if node["resource_type"] == "analysis"}
    assert sorted(nodes) == sources
    for name in sources:
        node = nodes[name]
        assert node["description"].strip().startswith("One row per"), name
        assert node["patch_path"] is not None, f"{name} has no yml entry"
        documented = list(node["columns"])
        assert results[name], f"{name} returned no rows"
        assert documented == list(results[name][0]), f"{name}: yml columns differ from the result's"
        assert all(column["description"].strip() for column in node["columns"].values()), name


def test_best_send_hour_per_channel(results: dict[str, Rows], warehouse: duckdb.DuckDBPyConnection) -> None:
    rows = results["best_send_hour_per_channel"]
    assert {row["channel"] for row in rows} == {"email", "whatsapp", "sms"}
    for row in rows:
        assert 0 <= row["send_hour"] <= 23
        assert 0 <= row["messages_delivered"] <= row["messages_sent"]
        assert row["unique_clickers"] <= row["messages_delivered"]
        for rate in ("open_rate", "click_rate", "open_rate_lower_95", "click_rate_lower_95"):
            assert within_unit_interval(row[rate]), (row["channel"], row["send_hour"], rate)
        if row["click_rate"] is not None:
            assert row["click_rate_lower_95"] <= row["click_rate"] + EPSILON
        if row["channel"] == "sms":
            assert row["open_rate"] is None, "SMS opens are not measurable"
    per_channel: dict[str, Rows] = defaultdict(list)
    for row in rows:
        per_channel[row["channel"]].append(row)
    for channel, hours in per_channel.items():
        # Every send is in one hour: the hours add up to the channel's sends in fct_messages.
        sent = scalar(
            warehouse,
            f"select count(*) from marts.fct_messages where channel = '{channel}' and is_sent and sent_at is not null",
        )
        assert sum(hour["messages_sent"] for hour in hours) == sent
        best_click = [hour for hour in hours if hour["is_best_click_hour"]]
        assert len(best_click) >= 1, channel
        ranked = [hour for hour in hours if hour["click_rate_rank"] is not None]
        assert all(hour["messages_delivered"] >= 30 for hour in ranked)
        assert best_click[0]["click_rate_lower_95"] == max(hour["click_rate_lower_95"] for hour in ranked)
    assert any(hour["is_best_open_hour"] for hour in per_channel["email"])
    assert not any(hour["is_best_open_hour"] for hour in per_channel["sms"])


def test_preferred_channel_per_segment(results: dict[str, Rows], warehouse: duckdb.DuckDBPyConnection) -> None:
    rows = results["preferred_channel_per_segment"]
    assert {row["segment_type"] for row in rows} == {"all", "customer_status", "crm_lifecycle_stage", "state"}
    assert {row["segment_value"] for row in rows if row["segment_type"] == "customer_status"} <= {
        "prospect",
        "first_time_customer",
        "repeat_customer",
    }
    for row in rows:
        assert row["channel"] in {"email", "whatsapp", "sms"}
        assert 0 < row["persons_reached"] <= row["messages_delivered"]
        assert row["engaged_messages"] <= row["messages_delivered"]
        for rate in ("engagement_rate", "click_rate", "open_rate", "reply_rate"):
            assert within_unit_interval(row[rate]), (row["segment_type"], row["segment_value"], rate)
        assert row["click_rate"] <= row["engagement_rate"] + EPSILON
    delivered = scalar(warehouse, "select count(*) from marts.fct_messages where is_delivered")
    segments: dict[tuple[str, str], Rows] = defaultdict(list)
    for row in rows:
        segments[(row["segment_type"], row["segment_value"])].append(row)
    for segment_type in ("all", "customer_status", "crm_lifecycle_stage", "state"):
        # Each segmentation splits every delivered message exactly once.
        assert sum(row["messages_delivered"] for row in rows if row["segment_type"] == segment_type) == delivered
    for key, channels in segments.items():
        ranked = [row for row in channels if row["channel_rank"] is not None]
        preferred = [row for row in channels if row["is_preferred_channel"]]
        if ranked:
            assert preferred, key
            assert preferred[0]["engagement_rate"] == max(row["engagement_rate"] for row in ranked)
        else:
            assert not preferred, key
    assert [row["channel"] for row in segments[("all", "all")] if row["is_preferred_channel"]]


def test_journeys_before_churn(results: dict[str, Rows], warehouse: duckdb.DuckDBPyConnection) -> None:
    rows = results["journeys_before_churn"]
    kinds: dict[str, Rows] = defaultdict(list)
    for row in rows:
        kinds[row["path_kind"]].append(row)
    assert set(kinds) == {"touchpoints", "journey_stages"}
    totals = {}
    for kind, paths in kinds.items():
        assert len({row["journey_path"] for row in paths}) == len(paths), kind
        for row in paths:
            assert row["customer_months"] == row["lost_customers"] + row["retained_customers"]
            assert within_unit_interval(row["churn_rate"]) and within_unit_interval(row["share_of_lost"])
            assert row["churn_rate_lift"] >= 0
        totals[kind] = (sum(row["lost_customers"] for row in paths), sum(row["customer_months"] for row in paths))
        assert abs(sum(row["share_of_lost"] for row in paths) - 1) < EPSILON, kind
    # Both views describe the same customer months.
    assert totals["touchpoints"] == totals["journey_stages"]
    lost, months = totals["touchpoints"]
    assert lost > 0 and months > lost
    assert lost <= scalar(warehouse, "select count(*) from marts.fct_customer_months where is_lost_in_month")
    assert months <= scalar(warehouse, "select count(*) from marts.fct_customer_months where is_customer_at_start")
    stage_steps = {step for row in kinds["journey_stages"] for step in row["journey_path"].split(" > ")}
    assert stage_steps <= {"attraction", "sales", "service", "loyalty", "no stage"}
    touch_steps = {step for row in kinds["touchpoints"] for step in row["journey_path"].split(" > ")}
    assert "message" in touch_steps
    assert touch_steps <= {
        "message",
        "engaged",
        "web_visit",
        "chat",
        "ticket",
        "survey",
        "review",
        "order",
        "no touchpoints",
    }


def test_campaigns_over_claiming_conversions(results: dict[str, Rows], warehouse: duckdb.DuckDBPyConnection) -> None:
    rows = results["campaigns_over_claiming_conversions"]
    assert len({(row["campaign_id"], row["channel"]) for row in rows}) == len(rows)
    claimed = scalar(
        warehouse,
        "select sum(claimed_orders) from marts.fct_channel_conversion_claims where campaign_id is not null",
    )
    assert sum(row["claimed_orders"] for row in rows) == claimed
    for row in rows:
        # Attribution credits each order once; a platform claims every order it touched.
        assert 0 <= row["credited_orders"] <= row["max_model_credited_orders"] + EPSILON
        assert row["max_model_credited_orders"] <= row["claimed_orders"] + EPSILON
        assert row["over_claimed_orders"] == pytest.approx(row["claimed_orders"] - row["credited_orders"])
        if row["claim_to_credit_ratio"] is not None:
            assert row["claim_to_credit_ratio"] >= 1 - EPSILON
        expected = row["claimed_orders"] > row["credited_orders"] * (1 + DIVERGENCE_TOLERANCE)
        assert row["is_over_claiming"] == expected, row["campaign_id"]
    assert any(row["is_over_claiming"] for row in rows)
    over_claims = [row["over_claimed_orders"] for row in rows]
    assert over_claims == sorted(over_claims, reverse=True), "worst offenders first"
