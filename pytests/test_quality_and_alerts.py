"""scripts/quality_check.py (great-expectations on the marts) and scripts/alerts.py (open KPI alerts).

- the quality run passes on the demo warehouse and writes Data Docs; on a copy with a KPI value out of
  its unit's bounds and a null primary key it exits 1 and names both faults; tightened distribution
  limits and a KPI document that disagrees with kpi_catalog are reported;
- alerts.py prints JSON that parses and matches marts.kpi_alerts, applies its filters, and exits 1
  exactly when an error-severity alert is in the selection.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_DIR, query, warehouse_path
from jornada_quality.runner import SuiteRun, run_suite
from jornada_quality.spec import KPIS_DOC, documented_kpis, mart_primary_keys
from jornada_quality.suite import (
    Thresholds,
    kpi_catalog_dataset,
    kpi_daily_dataset,
    kpi_daily_stages_dataset,
)

SCRIPTS = PROJECT_DIR / "scripts"
QUALITY_CHECK = SCRIPTS / "quality_check.py"
ALERTS = SCRIPTS / "alerts.py"


def run_script(script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(script), *args], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=900
    )


def copy_warehouse(source: Path, folder: Path) -> Path:
    """A private copy of the warehouse (with its WAL, if any) that a test may change."""
    target = folder / "warehouse_copy.duckdb"
    shutil.copyfile(source, target)
    wal = source.with_name(source.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, target.with_name(target.name + ".wal"))
    return target


@pytest.fixture(scope="module")
def demo_path(warehouse: duckdb.DuckDBPyConnection) -> Path:
    """The demo warehouse's file (the `warehouse` fixture builds it when missing)."""
    return warehouse_path()


def failed_descriptions(run: SuiteRun) -> set[str]:
    return {outcome.description for dataset in run.datasets for outcome in dataset.failed}


# ------------------------------------------------------------------------- quality_check.py


def test_quality_check_help() -> None:
    result = run_script(QUALITY_CHECK, "--help")
    assert result.returncode == 0
    for option in ["--database", "--docs-dir", "--max-null-share", "--min-stage-rows", "--delivery-rate-band"]:
        assert option in result.stdout


def test_quality_check_passes_on_the_demo(demo_path: Path, tmp_path: Path) -> None:
    docs = tmp_path / "data_docs"
    result = run_script(QUALITY_CHECK, "--database", str(demo_path), "--docs-dir", str(docs))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "FAIL" not in result.stdout
    assert "OK: all" in result.stdout
    # The KPI marts and the primary key of every other mart were validated.
    for dataset in ["kpi_daily", "kpi_daily_stages", "kpi_daily_coverage", "kpi_catalog", "kpi_alerts"]:
        assert f"PASS {dataset} " in result.stdout
    for mart in mart_primary_keys():
        assert f"PASS {mart.model} " in result.stdout
    assert (docs / "index.html").is_file()
    # One validation page per dataset, under validations/<suite name, split at its dots>/.
    suites = {page.relative_to(docs / "validations").parts[:2] for page in (docs / "validations").rglob("*.html")}
    assert {("jornada", "kpi_daily"), ("jornada", "kpi_catalog"), ("jornada", "fct_orders")} <= suites


def test_quality_check_fails_on_a_corrupted_copy(demo_path: Path, tmp_path: Path) -> None:
    copy = copy_warehouse(demo_path, tmp_path)
    connection = duckdb.connect(str(copy))
    try:
        bad_kpi_id = connection.execute(
            "select min(kpi_daily_id) from marts.kpi_daily where kpi_name = 'open_rate' and value is not null"
        ).fetchall()[0][0]
        connection.execute("update marts.kpi_daily set value = 1.7 where kpi_daily_id = ?", [bad_kpi_id])
        connection.execute(
            "update marts.fct_orders set order_id = null where order_id = (select min(order_id) from marts.fct_orders)"
        )
    finally:
        connection.close()

    result = run_script(QUALITY_CHECK, "--database", str(copy), "--no-docs")

    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert "FAIL kpi_daily " in out
    assert "values of ratio KPIs are in [0, 1]" in out
    assert f"value=1.7, kpi_daily_id={bad_kpi_id}, kpi_name=open_rate" in out
    assert "FAIL fct_orders " in out
    assert "fct_orders.order_id (primary key) is never null" in out
    assert "1 unexpected of" in out
    assert "FAILED: 2 of" in out
    # Nothing else was reported.
    assert "PASS kpi_catalog " in out and "PASS fct_messages " in out


def test_distribution_checks_report_limits_the_demo_exceeds(warehouse: duckdb.DuckDBPyConnection) -> None:
    documented = documented_kpis()
    strict = Thresholds(max_null_share=0.10, min_stage_rows=1000, delivery_rate_band=(0.99, 1.0))
    run = run_suite(
        [kpi_daily_dataset(documented, strict), kpi_daily_stages_dataset(strict)], warehouse, None, progress=False
    )
    failed = failed_descriptions(run)
    # cart_recovery_rate has no value on ~23% of its headline rows (no recovery message sent that day).
    assert "cart_recovery_rate: at most 10% of its headline rows have a null value" in failed
    assert "every journey stage has at least 1000 kpi_daily rows" in failed
    assert "mean daily delivery_rate over all channels is in [0.99, 1]" in failed
    # KPIs without null headline values still pass under the strict limit, as do the bounds and keys
    # (the default limits pass: test_quality_check_passes_on_the_demo).
    assert "orders: at most 10% of its headline rows have a null value" not in failed
    assert not any(description.startswith(("values of", "kpi_daily.")) for description in failed)


def test_kpi_catalog_must_equal_the_kpi_document(warehouse: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    documented = documented_kpis()
    assert len(documented) == len(query(warehouse, "select kpi_name from marts.kpi_catalog"))
    renamed_doc = tmp_path / "KPIS.md"
    renamed_doc.write_text(KPIS_DOC.read_text().replace("| open_rate |", "| open_rate_renamed |"))
    renamed = documented_kpis(renamed_doc)
    assert "open_rate_renamed" in renamed and "open_rate" not in renamed

    run = run_suite([kpi_catalog_dataset(renamed)], warehouse, None, progress=False)

    assert not run.success
    names = next(o for o in run.datasets[0].failed if o.description == "kpi_catalog names equal docs/KPIS.md names")
    assert names.observed == "1 not expected: [open_rate]; 1 missing: [open_rate_renamed]"
    assert run_suite([kpi_catalog_dataset(documented)], warehouse, None, progress=False).success


def test_primary_keys_are_read_from_the_mart_ymls() -> None:
    keys = {mart.model: mart.key_column for mart in mart_primary_keys()}
    assert keys["fct_orders"] == "order_id"
    assert keys["kpi_daily"] == "kpi_daily_id"
    assert keys["fct_channel_conversion_claims"] == "channel_claim_id"
    # kpi_<stage>_daily are parts of kpi_daily and declare no key of their own.
    assert not any(model.startswith("kpi_") and model.endswith("_daily") and model != "kpi_daily" for model in keys)


# ------------------------------------------------------------------------------- alerts.py


def alert_counts(connection: duckdb.DuckDBPyConnection, where: str = "true") -> dict[str, int]:
    return dict(query(connection, f"select severity, count(*) from marts.kpi_alerts where {where} group by severity"))


def test_alerts_help() -> None:
    result = run_script(ALERTS, "--help")
    assert result.returncode == 0
    for option in ["--since", "--severity", "--rule", "--json", "--last-days"]:
        assert option in result.stdout


def test_alerts_json_parses_and_matches_the_mart(demo_path: Path, warehouse: duckdb.DuckDBPyConnection) -> None:
    expected = alert_counts(warehouse)
    assert expected.get("error", 0) > 0, "the demo data has error alerts"

    result = run_script(ALERTS, "--database", str(demo_path), "--json")

    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["counts"] == {"error": expected["error"], "warn": expected["warn"], "total": sum(expected.values())}
    alerts = document["alerts"]
    assert len(alerts) == sum(expected.values())
    ids = {row[0] for row in query(warehouse, "select alert_id from marts.kpi_alerts")}
    assert {alert["alert_id"] for alert in alerts} == ids
    severities = [alert["severity"] for alert in alerts]
    assert severities == sorted(severities, key=["error", "warn"].index), "errors come first"
    divergence = next(alert for alert in alerts if alert["alert_signal"] == "sendgrid.opens")
    assert divergence["campaign_id"] == "cmp_0002"
    assert divergence["observed_value"] == 201 and divergence["expected_value"] == 224


def test_alerts_text_groups_by_severity_and_rule(demo_path: Path) -> None:
    result = run_script(ALERTS, "--database", str(demo_path))
    assert result.returncode == 1
    out = result.stdout
    assert out.index("ERROR: ") < out.index("WARN: ")
    assert "  opt_out_spike: " in out and "  conversion_over_claim: " in out
    assert "date        kpi" in out
    assert "cmp_0002  201       224 [219.52, 228.48]" in out


def test_alerts_severity_warn_filter_exits_0(demo_path: Path, warehouse: duckdb.DuckDBPyConnection) -> None:
    result = run_script(ALERTS, "--database", str(demo_path), "--json", "--severity", "warn")
    assert result.returncode == 0
    alerts = json.loads(result.stdout)["alerts"]
    assert alerts and {alert["severity"] for alert in alerts} == {"warn"}
    assert len(alerts) == alert_counts(warehouse)["warn"]


def test_alerts_since_and_rule_filters(demo_path: Path, warehouse: duckdb.DuckDBPyConnection) -> None:
    result = run_script(
        ALERTS, "--database", str(demo_path), "--json", "--since", "2026-10-01", "--rule", "opt_out_spike"
    )
    document = json.loads(result.stdout)
    expected = alert_counts(warehouse, "metric_date >= date '2026-10-01' and alert_rule = 'opt_out_spike'")
    assert len(document["alerts"]) == sum(expected.values()) > 0
    assert all(a["alert_rule"] == "opt_out_spike" and a["metric_date"] >= "2026-10-01" for a in document["alerts"])
    assert result.returncode == (1 if expected.get("error") else 0)


def test_alerts_last_days_counts_back_from_the_latest_kpi_day(
    demo_path: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    latest: date = query(warehouse, "select max(metric_date) from marts.kpi_daily where period = 'day'")[0][0]
    result = run_script(ALERTS, "--database", str(demo_path), "--json", "--last-days", "7")
    document = json.loads(result.stdout)
    since = latest - timedelta(days=6)
    assert document["selection"]["since"] == since.isoformat()
    assert document["selection"]["until"] == latest.isoformat()
    expected = alert_counts(warehouse, f"metric_date between date '{since}' and date '{latest}'")
    assert document["counts"]["total"] == sum(expected.values())


def test_alerts_exit_0_without_error_alerts(demo_path: Path, tmp_path: Path) -> None:
    copy = copy_warehouse(demo_path, tmp_path)
    connection = duckdb.connect(str(copy))
    try:
        connection.execute("delete from marts.kpi_alerts where severity = 'error'")
        warnings = connection.execute("select count(*) from marts.kpi_alerts").fetchall()[0][0]
    finally:
        connection.close()

    result = run_script(ALERTS, "--database", str(copy))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "ERROR:" not in result.stdout
    assert f"WARN: {warnings}" in result.stdout


def test_alerts_missing_warehouse_exits_2(tmp_path: Path) -> None:
    result = run_script(ALERTS, "--database", str(tmp_path / "missing.duckdb"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr
