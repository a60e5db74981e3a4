"""Fault injection: real export defects planted into a generated world in `raw_path` mode.

One small world (scripts/generate_raw.py, 200 persons over 14 days, every
source but platform_reports, whose planted divergences need a bigger world)
is written as Parquet once per module and built once: the baseline. Each case
then starts from a copy of the baseline warehouse and the pristine files,
plants one fault into the files, runs `dbt build` on what the fault reaches
(the raw table's staging, the quarantine and row accounting, and the models
between it and kpi_daily) and asserts the exact outcome against the baseline.

Every build uses the same warehouse path, target folder and vars, so dbt
parses the project once (vars or a profile that change force a full parse);
only the daylight-saving case sets another business timezone, with a target
folder of its own. Builds run staging's data tests (keys after
deduplication, accepted values); the intermediate and mart tests and the
unit tests, which do not depend on these faults, run in `make test`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from conftest import DBT, PROJECT_DIR, dbt_env, query
from generate_raw import SOURCES

PERSONS = 200
DAYS = 14
RENDERED = [source for source in SOURCES if source != "platform_reports"]
VARS: dict[str, object] = {"jornada__using_platform_reports": False}
DATABASE_FILE = "jornada_fault.duckdb"  # same name everywhere: DuckDB views name their catalog after the file
NOT_STAGING_TESTS = [
    "test_type:unit",
    "resource_type:test,path:models/intermediate",
    "resource_type:test,path:models/marts",
    "resource_type:test,path:models/semantic",
    "path:tests/attribution",
    "path:tests/data_quality",
    "path:tests/kpis",
    "path:tests/service",
]
ACCOUNTING = ["stg_quarantine__rows", "stg_audit__row_counts"]
KpiKey = tuple[str, date, str, str, str, str, str]
KpiValue = tuple[float | None, float | None, float | None]


@dataclass(frozen=True)
class FaultWorld:
    root: Path
    pristine: Path  # the generated exports, never modified
    raw: Path  # the raw_path every build reads: a fresh copy of pristine per case
    warehouse: Path  # the warehouse every case builds into: a fresh copy of the baseline
    baseline: Path  # the warehouse after the baseline build
    target: Path

    @property
    def variables(self) -> dict[str, object]:
        return {"raw_path": str(self.raw), **VARS}


def dbt_build(
    world: FaultWorld,
    select: list[str],
    variables: dict[str, object] | None = None,
    warehouse: Path | None = None,
    target: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    warehouse = warehouse or world.warehouse
    command = [
        DBT,
        "build",
        "--select",
        *select,
        "--exclude",
        *NOT_STAGING_TESTS,
        "--indirect-selection",
        "cautious",
        "--vars",
        json.dumps(variables or world.variables),
        "--target-path",
        str(target or world.target),
        "--log-path",
        str(world.root / "logs"),
    ]
    env = dbt_env(warehouse) | {"JORNADA_TEMP_DIR": str(world.root / "duckdb_tmp")}
    return subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)


def build_passes(
    world: FaultWorld,
    select: list[str],
    variables: dict[str, object] | None = None,
    warehouse: Path | None = None,
    target: Path | None = None,
) -> str:
    result = dbt_build(world, select, variables, warehouse, target)
    if result.returncode != 0:
        pytest.fail(f"dbt build failed:\n{result.stdout[-8000:]}\n{result.stderr[-2000:]}")
    return result.stdout


def to_kpi_daily(base_model: str) -> list[str]:
    """A raw table's models on the way to kpi_daily, with the quarantine and row accounting."""
    return [f"{base_model}+,+kpi_daily", *ACCOUNTING]


def copy_warehouse(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", ".wal"):
        Path(f"{destination}{suffix}").unlink(missing_ok=True)
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{destination}{suffix}")


def fresh_case(world: FaultWorld) -> FaultWorld:
    """The pristine files and the baseline warehouse, for one case to plant its fault in."""
    shutil.rmtree(world.raw, ignore_errors=True)
    shutil.copytree(world.pristine, world.raw)
    copy_warehouse(world.baseline, world.warehouse)
    return world


def read(path: Path, sql: str, parameters: list[object] | None = None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute(sql, parameters or []).fetchall()


def kpis(path: Path) -> dict[KpiKey, KpiValue]:
    """kpi_daily keyed by its slice; numbers rounded to 6 places (float sums may differ in the last bit)."""
    rows = read(
        path,
        """
        select
            kpi_name, metric_date, period, channel, coalesce(campaign_id, ''), dimension, dimension_value,
            round(numerator, 6), round(denominator, 6), round(value, 6)
        from marts.kpi_daily
        """,
    )
    keyed = {row[:7]: row[7:] for row in rows}
    assert len(keyed) == len(rows), "kpi_daily has two rows for one slice"
    return keyed


def daily_total(kpi_rows: dict[KpiKey, KpiValue], kpi_name: str, day: date) -> float:
    """The headline (all channels, campaigns and dimensions) daily numerator of a KPI; 0 without a row."""
    row = kpi_rows.get((kpi_name, day, "day", "all", "", "all", "all"))
    return 0.0 if row is None or row[0] is None else row[0]


def accounting(path: Path, source: str, table: str) -> tuple[int, int, int, int]:
    rows = read(
        path,
        "select raw_rows, staged_rows, quarantined_rows, duplicate_rows from staging.stg_audit__row_counts "
        "where source_name = ? and table_name = ?",
        [source, table],
    )
    assert len(rows) == 1
    return rows[0]


def write_parquet(path: Path, rows: list[dict[str, str | None]], columns: list[str]) -> None:
    """Rows of text (None = null) as a Parquet export file, every column varchar as the generator writes them."""
    definitions = ", ".join(f'"{column}" varchar' for column in columns)
    with duckdb.connect() as connection:
        connection.execute(f"create table export ({definitions})")
        if rows:
            placeholders = ", ".join("?" for _ in columns)
            connection.executemany(
                f"insert into export values ({placeholders})", [[row.get(c) for c in columns] for row in rows]
            )
        connection.execute(f"copy export to '{path}' (format parquet)")


def rewrite_parquet(source: Path, destination: Path, select_sql: str) -> None:
    """`select_sql` over `export` (the rows of `source`) written to `destination`."""
    with duckdb.connect() as connection:
        connection.execute(f"create table export as select * from read_parquet('{source}')")
        connection.execute(f"copy ({select_sql}) to '{destination}' (format parquet)")


def columns_of(path: Path) -> list[str]:
    with duckdb.connect() as connection:
        return [row[0] for row in connection.execute(f"describe select * from read_parquet('{path}')").fetchall()]


def row_count(path: Path) -> int:
    with duckdb.connect() as connection:
        return connection.execute(f"select count(*) from read_parquet('{path}')").fetchall()[0][0]


@pytest.fixture(scope="module")
def fault_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultWorld]:
    root = tmp_path_factory.mktemp("fault_injection")
    world = FaultWorld(
        root=root,
        pristine=root / "pristine",
        raw=root / "raw",
        warehouse=root / "work" / DATABASE_FILE,
        baseline=root / "baseline" / DATABASE_FILE,
        target=root / "target",
    )
    command = [sys.executable, str(PROJECT_DIR / "scripts" / "generate_raw.py"), "--out", str(world.pristine)]
    command += ["--persons", str(PERSONS), "--days", str(DAYS), "--only", *RENDERED]
    subprocess.run(command, check=True, cwd=PROJECT_DIR, capture_output=True)
    shutil.copytree(world.pristine, world.raw)
    world.warehouse.parent.mkdir(parents=True)
    build_passes(world, ["+path:models"])
    copy_warehouse(world.warehouse, world.baseline)
    yield world


@pytest.fixture(scope="module")
def baseline_kpis(fault_world: FaultWorld) -> dict[KpiKey, KpiValue]:
    rows = kpis(fault_world.baseline)
    assert daily_total(rows, "orders", date(2026, 8, 10)) > 0, "the baseline world has no orders to compare"
    return rows


def sendgrid_files(world: FaultWorld) -> list[Path]:
    return sorted((world.raw / "sendgrid" / "events").glob("*.parquet"))


# a) A webhook batch delivered twice: every row again, in a file of another name.
def test_redelivered_webhook_batch_changes_no_kpi_and_counts_duplicates(fault_world, baseline_kpis) -> None:
    world = fresh_case(fault_world)
    # The batch with the most malformed rows: each is quarantined again (quarantine keeps every raw row),
    # every other row of the copy is a duplicate.
    malformed_by_file = dict(
        read(
            world.baseline,
            "select source_file_name, count(*) from staging.stg_quarantine__rows "
            "where source_name = 'sendgrid' group by 1",
        )
    )
    batch = max(sendgrid_files(world), key=lambda path: (malformed_by_file.get(path.stem, 0), path.name))
    malformed = malformed_by_file.get(batch.stem, 0)
    shutil.copyfile(batch, batch.with_name(f"{batch.stem}__redelivered.parquet"))
    rows = row_count(batch)
    raw, staged, quarantined, duplicates = accounting(world.baseline, "sendgrid", "events")
    staged_sql = "select * from staging.stg_sendgrid__events order by event_id"

    build_passes(world, to_kpi_daily("base_sendgrid__events"))

    assert rows > 100 and malformed > 0
    assert read(world.warehouse, staged_sql) == read(world.baseline, staged_sql)
    assert accounting(world.warehouse, "sendgrid", "events") == (
        raw + rows,
        staged,
        quarantined + malformed,
        duplicates + rows - malformed,
    )
    assert kpis(world.warehouse) == baseline_kpis


# b) Overlapping exports: a later file holds part of another file's rows again.
def test_overlapping_export_changes_no_kpi(fault_world, baseline_kpis) -> None:
    world = fresh_case(fault_world)
    folder = world.raw / "whatsapp" / "statuses"
    first = sorted(folder.glob("*.parquet"))[0]
    latest_load = read(world.baseline, f"select max(_loaded_at) from read_parquet('{folder}/*.parquet')")[0][0]
    reloaded_at = (datetime.fromisoformat(latest_load) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    # The first half of the file's staged statuses, exported again by a later file (own name and load time).
    staged = read(
        world.baseline,
        "select message_id, status from staging.stg_whatsapp__statuses "
        "where source_file_name = ? order by message_id, status",
        [first.stem],
    )
    overlap = staged[: len(staged) // 2]
    keys = ", ".join(f"'{message_id}|{status}'" for message_id, status in overlap)
    rewrite_parquet(
        first,
        folder / "whatsapp__statuses__overlap.parquet",
        f"select * replace ('whatsapp__statuses__overlap' as _file_name, '{reloaded_at}' as _loaded_at) "
        f"from export where id || '|' || lower(trim(status)) in ({keys})",
    )
    copied = row_count(folder / "whatsapp__statuses__overlap.parquet")
    raw, staged_rows, quarantined, duplicates = accounting(world.baseline, "whatsapp", "statuses")
    # The earliest load stays staged: the statuses keep their file and load time.
    staged_sql = "select * from staging.stg_whatsapp__statuses order by status_event_id"

    build_passes(world, to_kpi_daily("base_whatsapp__statuses"))

    assert len(overlap) > 20 and copied >= len(overlap)
    assert read(world.warehouse, staged_sql) == read(world.baseline, staged_sql)
    assert accounting(world.warehouse, "whatsapp", "statuses") == (
        raw + copied,
        staged_rows,
        quarantined,
        duplicates + copied,
    )
    assert kpis(world.warehouse) == baseline_kpis


# c) Schema drift. A new column (SendGrid adds fields to its events) is ignored ...
def test_new_column_in_one_file_is_ignored(fault_world, baseline_kpis) -> None:
    world = fresh_case(fault_world)
    drifted = sendgrid_files(world)[-1]
    original = drifted.with_suffix(".orig")
    drifted.rename(original)
    rewrite_parquet(original, drifted, "select *, 'Black Friday' as marketing_campaign_name from export")
    original.unlink()
    assert "marketing_campaign_name" in columns_of(drifted)
    staged_sql = "select * from staging.stg_sendgrid__events order by event_id"

    build_passes(world, to_kpi_daily("base_sendgrid__events"))

    assert read(world.warehouse, staged_sql) == read(world.baseline, staged_sql)
    assert accounting(world.warehouse, "sendgrid", "events") == accounting(world.baseline, "sendgrid", "events")
    assert kpis(world.warehouse) == baseline_kpis


# ... while a file missing a required column fails the build, naming the table, the file and the column.
def test_missing_required_column_fails_the_build_naming_file_and_column(fault_world) -> None:
    world = fresh_case(fault_world)
    broken = sendgrid_files(world)[0]
    original = broken.with_suffix(".orig")
    broken.rename(original)
    rewrite_parquet(original, broken, "select * exclude (sg_event_id) from export")
    original.unlink()

    result = dbt_build(world, to_kpi_daily("base_sendgrid__events"))

    assert result.returncode != 0, result.stdout[-4000:]
    output = " ".join(result.stdout.split())
    assert "Compilation Error in model base_sendgrid__events" in output
    assert (
        f"export files of raw table sendgrid.events lack required columns: file {broken} lacks column sg_event_id."
        in output
    ), output[-4000:]
    assert "seeds/raw/sendgrid/_sendgrid__seeds.yml" in output


# d) An empty file (zero rows, the columns only) beside the others changes nothing ...
def test_empty_file_beside_the_others_changes_nothing(fault_world, baseline_kpis) -> None:
    world = fresh_case(fault_world)
    template = sendgrid_files(world)[0]
    empty = template.with_name("sendgrid__events__empty.parquet")
    write_parquet(empty, [], columns_of(template))
    assert row_count(empty) == 0

    build_passes(world, to_kpi_daily("base_sendgrid__events"))

    assert accounting(world.warehouse, "sendgrid", "events") == accounting(world.baseline, "sendgrid", "events")
    assert kpis(world.warehouse) == baseline_kpis


# ... and a source whose only file is empty builds with zero staged rows.
def test_source_whose_only_file_is_empty_stages_zero_rows(fault_world) -> None:
    world = fresh_case(fault_world)
    folder = world.raw / "reviews" / "reviews"
    columns = columns_of(sorted(folder.glob("*.parquet"))[0])
    for path in folder.glob("*.parquet"):
        path.unlink()
    write_parquet(folder / "reviews__reviews__empty.parquet", [], columns)
    assert read(world.baseline, "select count(*) from staging.stg_reviews__reviews")[0][0] > 0

    build_passes(world, ["base_reviews__reviews", "stg_reviews__reviews", "fct_reviews", *ACCOUNTING])

    assert accounting(world.warehouse, "reviews", "reviews") == (0, 0, 0, 0)
    assert read(world.warehouse, "select count(*) from staging.stg_reviews__reviews") == [(0,)]
    assert read(world.warehouse, "select count(*) from marts.fct_reviews") == [(0,)]
    quarantined = "select count(*) from staging.stg_quarantine__rows where source_name = 'reviews'"
    assert read(world.warehouse, quarantined) == [(0,)]


def order_template(world: FaultWorld) -> dict[str, str | None]:
    """A valid BRL order of the world (paid, not cancelled, not a test), as its raw row."""
    with duckdb.connect(str(world.baseline), read_only=True) as connection:
        result = connection.execute(
            f"""
            select * from read_parquet('{world.pristine}/shopify/orders/*.parquet')
            where id in (
                select order_id from staging.stg_shopify__orders
                where financial_status = 'paid' and not is_cancelled and not is_test and customer_id is not null
            )
            order by id
            limit 1
            """
        )
        names = [column[0] for column in result.description]
        return dict(zip(names, result.fetchall()[0], strict=True))


def planted_order(template: dict[str, str | None], order_id: str | None, **fields: str | None) -> dict[str, str | None]:
    """A new order of the template's customer, created at `created_at`."""
    created_at = fields.get("created_at", "2026-08-12T15:00:00-03:00")
    order = template | {
        "id": order_id,
        "name": f"#F{order_id}",
        "order_number": None,
        "created_at": created_at,
        "updated_at": created_at,
        "processed_at": created_at,
        "closed_at": None,
        "cancelled_at": None,
        "cancel_reason": None,
        "financial_status": "paid",
        "checkout_id": None,
        "checkout_token": None,
        "cart_token": None,
        "_file_name": "shopify__orders__fault",
        "_loaded_at": "2026-08-20T12:00:00Z",
    }
    return order | fields


def plant_orders(world: FaultWorld, orders: list[dict[str, str | None]]) -> None:
    folder = world.raw / "shopify" / "orders"
    write_parquet(folder / "shopify__orders__fault.parquet", orders, columns_of(sorted(folder.glob("*.parquet"))[0]))


def order_facts(path: Path, order_ids: list[str]) -> dict[str, tuple]:
    rows = read(
        path,
        "select orders.order_id, orders.created_at, orders.order_date, orders.original_currency, orders.currency, "
        "enriched.fx_rate, enriched.original_gross_revenue, orders.gross_revenue, orders.net_revenue "
        "from marts.fct_orders as orders "
        "inner join intermediate.int_orders_enriched as enriched on orders.order_id = enriched.order_id "
        f"where orders.order_id in ({', '.join('?' for _ in order_ids)})",
        list(order_ids),
    )
    return {row[0]: row[1:] for row in rows}


# e) Malformed rows: each one quarantined with its reason, nothing else lost.
def test_malformed_rows_are_quarantined_with_their_reason(fault_world) -> None:
    world = fresh_case(fault_world)
    template = order_template(world)
    plant_orders(
        world,
        [
            planted_order(template, "9900000001"),
            planted_order(template, "9900000002", created_at="2026-08-12 at noon"),
            planted_order(template, "9900000003", financial_status="exploded"),
            planted_order(template, "9900000004", total_price="-10.00"),
            planted_order(template, None),
        ],
    )
    raw, staged, quarantined, duplicates = accounting(world.baseline, "shopify", "orders")

    build_passes(world, ["base_shopify__orders", "stg_shopify__orders", *ACCOUNTING])

    found = read(
        world.warehouse,
        "select quarantine_reason, json_extract_string(raw_row, '$.id') from staging.stg_quarantine__rows "
        "where source_name = 'shopify' and table_name = 'orders' and source_file_name = 'shopify__orders__fault' "
        "order by 1",
    )
    assert found == [
        ("missing_id", None),
        ("negative_amount", "9900000004"),
        ("unknown_status", "9900000003"),
        ("unparseable_timestamp", "9900000002"),
    ]
    staged_ids = "select order_id from staging.stg_shopify__orders where order_id like '99000000%'"
    assert read(world.warehouse, staged_ids) == [("9900000001",)]
    after = accounting(world.warehouse, "shopify", "orders")
    assert after == (raw + 5, staged + 1, quarantined + 4, duplicates)
    assert after[0] == after[1] + after[2] + after[3]


# f) A timestamp without an offset, in an export whose timestamps carry one, is read as UTC
#    (macros/cross_db/timestamps.sql, iso_to_timestamp): 01:30 UTC is 22:30 the day before in Sao Paulo.
def test_timestamp_without_offset_is_read_as_utc(fault_world, baseline_kpis) -> None:
    world = fresh_case(fault_world)
    plant_orders(world, [planted_order(order_template(world), "9900000011", created_at="2026-08-10T01:30:00")])

    build_passes(world, to_kpi_daily("base_shopify__orders"))

    created_at, order_date = order_facts(world.warehouse, ["9900000011"])["9900000011"][:2]
    assert (created_at, order_date) == (datetime(2026, 8, 10, 1, 30), date(2026, 8, 9))
    after = kpis(world.warehouse)
    assert daily_total(after, "orders", date(2026, 8, 9)) == daily_total(baseline_kpis, "orders", date(2026, 8, 9)) + 1
    assert daily_total(after, "orders", date(2026, 8, 10)) == daily_total(baseline_kpis, "orders", date(2026, 8, 10))


# g) An order in USD is converted to BRL at the day's rate of seeds/reference/fx_rates_daily.csv:
#    2026-08-11 USD 5.3352, so USD 123.45 is BRL 123.45 x 5.3352 = 658.63044, rounded 658.63.
def test_order_in_another_currency_is_converted_with_the_day_rate(fault_world, baseline_kpis) -> None:
    world = fresh_case(fault_world)
    order = planted_order(
        order_template(world),
        "9900000021",
        created_at="2026-08-11T15:00:00-03:00",
        currency="USD",
        presentment_currency="USD",
        total_line_items_price="123.45",
        subtotal_price="123.45",
        total_discounts="0.00",
        total_shipping_price_set__shop_money__amount="0.00",
        total_shipping_price_set__shop_money__currency_code="USD",
        total_tax="0.00",
        total_price="123.45",
    )
    plant_orders(world, [order])

    build_passes(world, to_kpi_daily("base_shopify__orders"))

    facts = order_facts(world.warehouse, ["9900000021"])["9900000021"]
    assert [str(value) for value in facts[2:]] == ["USD", "BRL", "5.335200", "123.45", "658.63", "658.63"]
    after = kpis(world.warehouse)
    day = date(2026, 8, 11)
    assert daily_total(after, "revenue", day) == pytest.approx(daily_total(baseline_kpis, "revenue", day) + 658.63)
    assert daily_total(after, "orders", day) == daily_total(baseline_kpis, "orders", day) + 1


# h) A daylight-saving day: New York left summer time on 2026-11-01 at 06:00 UTC, so that local day has
#    25 hours, from 04:00 UTC (midnight EDT, UTC-4) to 05:00 UTC the next day (midnight EST, UTC-5).
def test_daylight_saving_day_has_the_right_orders(fault_world) -> None:
    world = fresh_case(fault_world)
    template = order_template(world)
    planted = {
        "9900000031": ("2026-11-01T03:59:59Z", date(2026, 10, 31)),  # 23:59:59 EDT
        "9900000032": ("2026-11-01T04:00:00Z", date(2026, 11, 1)),  # 00:00:00 EDT
        "9900000033": ("2026-11-02T04:59:59Z", date(2026, 11, 1)),  # 23:59:59 EST (00:59:59 at UTC-4)
        "9900000034": ("2026-11-02T05:00:00Z", date(2026, 11, 2)),  # 00:00:00 EST
    }
    plant_orders(world, [planted_order(template, key, created_at=at) for key, (at, _) in planted.items()])
    warehouse = world.root / "new_york" / DATABASE_FILE
    copy_warehouse(world.baseline, warehouse)
    variables = world.variables | {"business_timezone": "America/New_York"}

    build_passes(
        world,
        to_kpi_daily("base_shopify__orders"),
        variables=variables,
        warehouse=warehouse,
        target=world.root / "target_new_york",
    )

    facts = order_facts(warehouse, list(planted))
    assert {key: facts[key][1] for key in planted} == {key: day for key, (_, day) in planted.items()}
    after = kpis(warehouse)
    assert [daily_total(after, "orders", date(2026, m, d)) for m, d in [(10, 31), (11, 1), (11, 2)]] == [1, 2, 1]


# i) Idempotence: a second build on the same files changes no table. Incremental models stamp the rows a
#    run (re)computes with the run's time (`computed_at`, macros/staging/incremental.sql); that bookkeeping
#    column is left out, every other column of every table is compared, doubles to 6 decimal places (a
#    parallel sum of doubles may differ in its last bit between runs).
RUN_STAMPS = ["computed_at"]


def comparable_columns(connection: duckdb.DuckDBPyConnection, table: str) -> str:
    columns = []
    for name, data_type in query(connection, f"select column_name, column_type from (describe {table})"):
        if name in RUN_STAMPS:
            continue
        columns.append(f'round("{name}", 6)' if data_type in ("DOUBLE", "FLOAT") else f'"{name}"')
    return ", ".join(columns)


def test_second_build_on_the_same_files_changes_no_table(fault_world) -> None:
    world = fresh_case(fault_world)

    build_passes(world, ["+path:models"])

    with duckdb.connect() as connection:
        connection.execute(f"attach '{world.baseline}' as first_run (read_only)")
        connection.execute(f"attach '{world.warehouse}' as second_run (read_only)")
        tables = query(
            connection,
            "select schema_name, table_name from duckdb_tables() "
            "where database_name = 'first_run' and schema_name in ('staging', 'intermediate', 'marts') "
            "order by 1, 2",
        )
        assert len([table for table in tables if table[0] == "marts"]) >= 30
        changed = []
        for schema, table in tables:
            first, second = f"first_run.{schema}.{table}", f"second_run.{schema}.{table}"
            selected = comparable_columns(connection, first)
            differing = connection.execute(
                f"select (select count(*) from (select {selected} from {first} "
                f"except all select {selected} from {second})) "
                f"+ (select count(*) from (select {selected} from {second} "
                f"except all select {selected} from {first}))"
            ).fetchall()[0][0]
            if differing:
                changed.append(f"{schema}.{table}: {differing} rows differ")
    assert changed == []
