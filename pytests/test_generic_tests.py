"""The data-quality generic tests of macros/generic_tests, proven on fixtures.

Approach: a tiny dbt project (pytests/fixtures/generic_tests) declares small
fixture tables as sources and applies every test to them, each application
named. The pytest copies that project and the real macros
(macros/generic_tests, plus macros/cross_db they call) into a temporary
folder, creates the fixture tables with DuckDB in a temporary warehouse
(fixture_tables.sql: each bad table is its good twin plus planted defects),
runs `dbt test` once, and reads dbt's run_results.json and the stored
failures. Every test must pass on the good tables and fail, with exactly the
planted rows, on the bad ones: a replayed webhook, a 3% divergence against a
2% tolerance, clicked > delivered, a lagging source, a quarantine reason its
raw table does not declare. A second, smaller run sets var
`recency_as_of_at` to show the var moves the recency reference.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from conftest import DBT, PROJECT_DIR

FIXTURE_PROJECT = Path(__file__).resolve().parent / "fixtures" / "generic_tests"
MACRO_FOLDERS = ["generic_tests", "cross_db"]
FAILURES_SCHEMA = "main_test_failures"

# test name -> failing rows it must report (0: it must pass).
EXPECTED_FAILURES = {
    "duplicates_clean_passes": 0,
    "duplicates_without_id_counts_redelivery": 1,
    "duplicates_replayed_webhook": 2,
    "duplicates_replayed_webhook_window_4s": 1,
    "divergence_good_passes": 0,
    "divergence_bad": 2,
    "divergence_bad_tolerance_5pct": 1,
    "divergence_bad_min_absolute_difference_passes": 0,
    "divergence_bad_totals": 1,
    "funnel_good_passes": 0,
    "funnel_good_clicks_passes": 0,
    "funnel_bad_chain_passes": 0,
    "funnel_bad_clicks": 1,
    "funnel_bad_clicks_per_message": 1,
    "funnel_plain_columns": 2,
    "recency_email_passes": 0,
    "recency_email_as_of_argument": 1,
    "recency_web_passes": 0,
    "recency_sms_lagging": 1,
    "recency_sms_within_120h_passes": 0,
    "recency_loads_passes": 0,
    "recency_empty_source": 1,
    "reasons_by_table_all_declared_passes": 0,
    "reasons_by_table_planted": 2,
}


class FixtureProject:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.project = root / "project"
        self.warehouse = root / "warehouse.duckdb"

    def dbt(self, args: list[str], run: str) -> dict[str, dict]:
        """Runs dbt; returns run_results per test name. Test failures are expected, dbt errors are not."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("DBT_")}
        env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "False"
        target = self.root / f"target_{run}"
        command = [
            DBT,
            *args,
            "--project-dir",
            str(self.project),
            "--profiles-dir",
            str(self.root),
            "--target-path",
            str(target),
            "--log-path",
            str(self.root / f"logs_{run}"),
        ]
        result = subprocess.run(command, cwd=self.project, env=env, capture_output=True, text=True)
        results_file = target / "run_results.json"
        if not results_file.exists():
            pytest.fail(f"dbt {' '.join(args)} did not run:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}")
        results = json.loads(results_file.read_text())["results"]
        by_name = {r["unique_id"].split(".")[2]: r for r in results}
        errors = {name: r["message"] for name, r in by_name.items() if r["status"] == "error"}
        assert not errors, f"dbt errors (not test failures): {errors}\n{result.stdout[-4000:]}"
        return by_name

    def failures(self, test_name: str, order_by: str) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as connection:
            return connection.execute(f"select * from {FAILURES_SCHEMA}.{test_name} order by {order_by}").fetchall()


@pytest.fixture(scope="module")
def fixture_project(tmp_path_factory: pytest.TempPathFactory) -> FixtureProject:
    fixture = FixtureProject(tmp_path_factory.mktemp("generic_tests"))
    shutil.copytree(FIXTURE_PROJECT, fixture.project)
    for folder in MACRO_FOLDERS:
        shutil.copytree(PROJECT_DIR / "macros" / folder, fixture.project / "macros" / folder)
    with duckdb.connect(str(fixture.warehouse)) as connection:
        connection.execute((FIXTURE_PROJECT / "fixture_tables.sql").read_text())
    (fixture.root / "profiles.yml").write_text(
        "jornada_generic_tests:\n"
        "  target: dev\n"
        "  outputs:\n"
        "    dev:\n"
        "      type: duckdb\n"
        f"      path: '{fixture.warehouse}'\n"
        "      schema: main\n"
        "      threads: 1\n"
        "      settings:\n"
        "        TimeZone: UTC\n"
    )
    return fixture


@pytest.fixture(scope="module")
def results(fixture_project: FixtureProject) -> dict[str, dict]:
    return fixture_project.dbt(["test"], run="all")


def test_every_fixture_test_ran(results: dict[str, dict]) -> None:
    assert set(results) == set(EXPECTED_FAILURES)


@pytest.mark.parametrize(("test_name", "expected"), sorted(EXPECTED_FAILURES.items()))
def test_passes_on_good_data_and_fails_on_planted_defects(
    results: dict[str, dict], test_name: str, expected: int
) -> None:
    result = results[test_name]
    if expected == 0:
        assert result["status"] == "pass", result["message"]
    else:
        assert result["status"] in ("fail", "warn"), result["message"]
        assert result["failures"] == expected, result["message"]


def test_divergences_and_recency_warn_by_default_while_broken_invariants_fail(results: dict[str, dict]) -> None:
    assert results["divergence_bad"]["status"] == "warn"
    assert results["recency_sms_lagging"]["status"] == "warn"
    assert results["funnel_bad_clicks"]["status"] == "fail"
    assert results["duplicates_replayed_webhook"]["status"] == "fail"


def test_replayed_webhook_is_reported_with_the_event_it_repeats(
    fixture_project: FixtureProject, results: dict[str, dict]
) -> None:
    rows = fixture_project.failures("duplicates_replayed_webhook", "event_id")
    assert [(r[0], r[1], r[3], r[5], r[7]) for r in rows] == [
        ("m1", "click", "e10", "e5", 5),
        ("m1", "delivered", "e9", "e2", 0),
    ]


def test_divergence_reports_each_group_with_both_values(
    fixture_project: FixtureProject, results: dict[str, dict]
) -> None:
    rows = fixture_project.failures("divergence_bad", "campaign_id")
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [("c1", 103, 100, 3), ("c4", 5, 0, 5)]
    assert rows[0][4] == pytest.approx(0.03)
    assert rows[1][4] is None
    assert rows[0][5] == pytest.approx(0.02)


def test_funnel_reports_the_broken_pair_of_steps(fixture_project: FixtureProject, results: dict[str, dict]) -> None:
    assert fixture_project.failures("funnel_bad_clicks", "campaign_id") == [
        ("c2", "email", "delivered", 1, "clicked", 2)
    ]
    assert fixture_project.failures("funnel_bad_clicks_per_message", "message_id") == [
        ("c2-email-1", "delivered", 0, "clicked", 1)
    ]
    assert fixture_project.failures("funnel_plain_columns", "earlier_step") == [
        (datetime(2026, 10, 2).date(), "delivered", 101, "opened", 120),
        (datetime(2026, 10, 2).date(), "sent", 100, "delivered", 101),
    ]


def test_recency_compares_with_the_latest_event_of_the_sources_that_set_the_reference(
    fixture_project: FixtureProject, results: dict[str, dict]
) -> None:
    # The email source's 2026-11-01 12:00 is the reference; the load-time
    # column at 2026-12-01 (sets_reference: false) is not.
    assert fixture_project.failures("recency_sms_lagging", "latest_at") == [
        (datetime(2026, 10, 28), datetime(2026, 11, 1, 12), 108, 48)
    ]
    assert fixture_project.failures("recency_email_as_of_argument", "latest_at") == [
        (datetime(2026, 11, 1, 12), datetime(2026, 11, 5), 84, 48)
    ]


def test_accepted_values_by_group_reports_each_unaccepted_group_and_value(
    fixture_project: FixtureProject, results: dict[str, dict]
) -> None:
    assert fixture_project.failures("reasons_by_table_planted", "value_group") == [
        ("sendgrid.events", "negative_amount", 2),
        ("stripe.refunds", "missing_id", 1),
    ]
    assert results["reasons_by_table_planted"]["status"] == "fail"


def test_recency_as_of_var_replaces_the_reference(fixture_project: FixtureProject, results: dict[str, dict]) -> None:
    as_of = fixture_project.dbt(
        ["test", "--select", "test_name:recency_within", "--vars", '{recency_as_of_at: "2026-10-29 00:00:00"}'],
        run="as_of",
    )
    statuses = {name: result["status"] for name, result in as_of.items()}
    assert statuses == {
        # 24 hours behind 2026-10-29: within 48 now.
        "recency_sms_lagging": "pass",
        "recency_sms_within_120h_passes": "pass",
        "recency_email_passes": "pass",
        "recency_web_passes": "pass",
        "recency_loads_passes": "pass",
        # An explicit as_of argument wins over the var; no event still fails.
        "recency_email_as_of_argument": "warn",
        "recency_empty_source": "warn",
    }
