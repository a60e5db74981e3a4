"""The dashboard (dashboard/app.py) in a real browser, against the demo warehouse.

The app runs as `make dashboard` runs it (`streamlit run`, headless, on a
free loopback port, reading the warehouse read-only) and is opened in
Debian's headless Chromium through chromedriver. The KPI tiles must show
kpi_daily's numbers: this test computes every tile's value for the selected
range and for the previous range of equal length with its own SQL, by the
README's re-aggregation rules (additive KPIs: sum(numerator) /
sum(denominator) over the range, counts and amounts summed, NPS x 100;
other KPIs: the latest value published in the range), and compares them
with the text the browser shows in each tile (found by its container key,
CSS class `st-key-kpi-tile-<kpi_name>`), within the displayed precision.
The overview is saved as artifacts/dashboard.png.

Skipped when Chromium or chromedriver is missing (`make browser` installs
Debian's chromium and chromium-driver), except under `make test`, which
installs them and sets JORNADA_REQUIRE_BROWSER=1, so CI fails instead.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from conftest import PROJECT_DIR, query, warehouse_path

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
APP = PROJECT_DIR / "dashboard" / "app.py"
SCREENSHOT = PROJECT_DIR / "artifacts" / "dashboard.png"
RANGE_DAYS = 28
TILE = '[class*="st-key-kpi-tile-"]'
TABLE = '[data-testid="stDataFrame"]'
CHART = '[data-testid="stVegaLiteChart"]'
STARTUP_SECONDS = 90
RENDER_SECONDS = 90

BROWSER_MISSING = (
    "Debian's chromium and chromium-driver are not installed "
    "(make browser: apt-get install -y chromium chromium-driver)"
)
if (CHROMIUM is None or CHROMEDRIVER is None) and os.environ.get("JORNADA_REQUIRE_BROWSER") == "1":
    # `make test` (CI) installs the browser first and sets this: a missing
    # browser there is a failure, not a skip.
    raise RuntimeError(BROWSER_MISSING)
pytestmark = pytest.mark.skipif(CHROMIUM is None or CHROMEDRIVER is None, reason=BROWSER_MISSING)


# ------------------------------------------------------------ the app and the browser


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def dashboard_url(warehouse: duckdb.DuckDBPyConnection, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served on a free loopback port against the warehouse; stopped after the module."""
    del warehouse  # built when missing; the app opens the file read-only beside this connection
    port = free_port()
    log_path = tmp_path_factory.mktemp("dashboard") / "streamlit.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
    ]
    env = {**os.environ, "JORNADA_DUCKDB_PATH": str(warehouse_path().resolve())}
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with {process.returncode}:\n{log_path.read_text()[-4000:]}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.read().decode().strip() == "ok":
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer within {STARTUP_SECONDS} s:\n{log_path.read_text()[-4000:]}")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    """Debian's headless Chromium with a fresh profile and nothing that reaches outside the machine."""
    assert CHROMIUM is not None and CHROMEDRIVER is not None
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
        "--window-size=1600,1200",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def open_page(driver: WebDriver, url: str, ready: dict[str, int]) -> None:
    """Opens url and waits until the script has finished and the page has `ready` elements
    (CSS selector -> how many at least): the last ones its run writes."""
    driver.get(url)

    def rendered(current: WebDriver) -> bool:
        if current.find_elements(By.CSS_SELECTOR, '[data-testid="stStatusWidget"]'):
            return False
        return all(len(current.find_elements(By.CSS_SELECTOR, css)) >= n for css, n in ready.items())

    WebDriverWait(driver, RENDER_SECONDS, poll_frequency=0.5).until(rendered)
    time.sleep(1)  # let the last elements of the run paint
    assert not driver.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]'), page_text(driver)


def page_text(driver: WebDriver) -> str:
    return driver.find_element(By.TAG_NAME, "body").text[:4000]


# ----------------------------------------------------- expected tiles, from kpi_daily


@dataclass(frozen=True)
class Expected:
    unit: str
    current: float | None
    previous: float | None

    @property
    def change(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous


# Finest first for re-aggregation; broadest first for a latest value.
ADDITIVE_PERIODS = ["day", "week", "month"]
LATEST_PERIODS = ["to_date", "trailing_30d", "month", "week", "day"]


def period_end(period: str, start: date) -> date:
    if period == "week":
        return start + timedelta(days=6)
    if period == "month":
        next_month = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
        return next_month - timedelta(days=1)
    return start


def headline_slice(connection: duckdb.DuckDBPyConnection, kpi_name: str, channel: str | None) -> str:
    """SQL condition for a KPI's rows of one kind of slice: the channel given, else over all channels;
    over all campaigns, else (a KPI published per campaign only) every campaign."""
    has_all_campaigns, has_all_channels = query(
        connection,
        f"""
        select bool_or(campaign_id is null), bool_or(channel = 'all')
        from marts.kpi_daily where kpi_name = '{kpi_name}' and dimension = 'all'
        """,
    )[0]
    campaign = "campaign_id is null" if has_all_campaigns else "campaign_id is not null"
    if channel is not None:
        return f"{campaign} and channel = '{channel}'"
    if has_all_campaigns and has_all_channels:
        return f"{campaign} and channel = 'all'"
    return f"{campaign} and channel <> 'all'"


@dataclass(frozen=True)
class Kpi:
    name: str
    unit: str
    is_additive: bool
    is_count: bool  # a count or an amount: denominator 1 on every row, its total is sum(numerator)
    rows: list[tuple[str, date, float | None, float | None, float | None]]  # period, date, num, den, value

    def rows_in(self, period: str | None, first: date, last: date) -> list[tuple]:
        """The rows of `period` whose period ends within first..last."""
        return [row for row in self.rows if row[0] == period and first <= period_end(row[0], row[1]) <= last]

    def chosen_period(self, first: date, last: date) -> str | None:
        published = {row[0] for row in self.rows if first <= period_end(row[0], row[1]) <= last}
        order = ADDITIVE_PERIODS if self.is_additive else LATEST_PERIODS
        return next((period for period in order if period in published), None)

    def value(self, period: str | None, first: date, last: date) -> float | None:
        window = self.rows_in(period, first, last)
        if not window:
            return None
        if not self.is_additive:
            latest = max(row[1] for row in window)
            at_latest = [row for row in window if row[1] == latest]
            return at_latest[0][4] if len(at_latest) == 1 else None
        numerator = sum(row[2] or 0 for row in window)
        if self.is_count:
            return numerator
        denominator = sum(row[3] or 0 for row in window)
        if denominator == 0:
            return None
        return numerator / denominator * (100 if self.unit == "nps_points" else 1)


def expected_tiles(
    connection: duckdb.DuckDBPyConnection, start: date, end: date, channel: str | None = None
) -> dict[str, Expected]:
    days = (end - start).days + 1
    previous_start, previous_end = start - timedelta(days=days), start - timedelta(days=1)
    expected: dict[str, Expected] = {}
    catalog = query(
        connection,
        """
        select c.kpi_name, c.unit, c.is_additive, bool_and(d.denominator = 1)
        from marts.kpi_catalog as c
        left join marts.kpi_daily as d on c.kpi_name = d.kpi_name and d.dimension = 'all'
        group by c.kpi_name, c.unit, c.is_additive, c.catalog_order
        order by c.catalog_order
        """,
    )
    for kpi_name, unit, is_additive, is_count in catalog:
        rows = query(
            connection,
            f"""
            select period, metric_date, numerator, denominator, value from marts.kpi_daily
            where kpi_name = '{kpi_name}' and dimension = 'all' and {headline_slice(connection, kpi_name, channel)}
            """,
        )
        kpi = Kpi(kpi_name, unit, bool(is_additive), bool(is_count), rows)
        period = kpi.chosen_period(start, end)
        expected[kpi_name] = Expected(
            unit, kpi.value(period, start, end), kpi.value(period, previous_start, previous_end)
        )
    return expected


# ------------------------------------------------------ reading a tile's text


NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")
MISSING = "—"


def parse_shown(text: str) -> tuple[float, float]:
    """A tile's number and half of its last displayed digit (the rounding it may carry)."""
    match = NUMBER.search(text)
    assert match, f"no number in {text!r}"
    digits = match.group().replace(",", "")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return float(digits), 0.5 * 10**-decimals


def in_display_units(value: float, unit: str) -> float:
    return value * 100 if unit in {"ratio", "rate", "change_ratio"} else value


def assert_shows(text: str, value: float | None, unit: str, what: str) -> None:
    if value is None:
        assert text == MISSING, f"{what}: expected no value ({MISSING}), the tile shows {text!r}"
        return
    shown, tolerance = parse_shown(text)
    wanted = in_display_units(value, unit)
    assert shown == pytest.approx(wanted, abs=tolerance + 1e-9), f"{what}: kpi_daily gives {wanted}, tile {text!r}"


def read_tile(driver: WebDriver, kpi_name: str) -> tuple[str, str | None]:
    """The value text and the change text (None when the tile shows no change) of one tile."""
    for _ in range(3):
        try:
            tile = driver.find_element(By.CSS_SELECTOR, f".st-key-kpi-tile-{kpi_name}")
            value = tile.find_element(By.CSS_SELECTOR, '[data-testid="stMetricValue"]').text.strip()
            deltas = tile.find_elements(By.CSS_SELECTOR, '[data-testid="stMetricDelta"]')
            return value, (deltas[0].text.strip() if deltas else None)
        except StaleElementReferenceException:
            time.sleep(0.5)
    raise AssertionError(f"tile {kpi_name} kept changing")


def check_tiles(driver: WebDriver, expected: dict[str, Expected], label: str) -> int:
    """Compares every tile with kpi_daily; returns how many tiles showed a number."""
    with_values = 0
    for kpi_name, wanted in expected.items():
        value_text, change_text = read_tile(driver, kpi_name)
        assert_shows(value_text, wanted.current, wanted.unit, f"{label} {kpi_name}")
        if wanted.change is None:
            assert change_text is None, f"{label} {kpi_name}: no previous value, yet a change {change_text!r}"
        else:
            assert change_text is not None, f"{label} {kpi_name}: change {wanted.change} not shown"
            assert_shows(change_text, wanted.change, wanted.unit, f"{label} {kpi_name} change")
        with_values += wanted.current is not None
    return with_values


def demo_range(connection: duckdb.DuckDBPyConnection) -> tuple[date, date]:
    """The last RANGE_DAYS days of the demo's orders."""
    (end,) = query(connection, "select max(metric_date) from marts.kpi_daily where kpi_name = 'orders'")[0]
    return end - timedelta(days=RANGE_DAYS - 1), end


def tile_count(connection: duckdb.DuckDBPyConnection) -> int:
    return query(connection, "select count(*) from marts.kpi_catalog")[0][0]


# ------------------------------------------------------------------------- tests


def test_kpi_tiles_show_kpi_daily(browser: WebDriver, dashboard_url: str, warehouse: duckdb.DuckDBPyConnection) -> None:
    start, end = demo_range(warehouse)
    open_page(browser, f"{dashboard_url}/?start={start}&end={end}", {TILE: tile_count(warehouse)})
    expected = expected_tiles(warehouse, start, end)
    assert len(expected) == tile_count(warehouse)
    shown = check_tiles(browser, expected, "all channels")
    # the demo publishes nearly every KPI in its last four weeks
    assert shown >= len(expected) - 3, f"only {shown} of {len(expected)} tiles have a value"
    open_rate, _ = read_tile(browser, "open_rate")
    assert open_rate.endswith("%")

    height = browser.execute_script(
        "const main = document.querySelector('[data-testid=\"stMain\"]');"
        "return Math.max(document.body.scrollHeight, main ? main.scrollHeight : 0);"
    )
    browser.set_window_size(1600, min(int(height) + 120, 8000))
    time.sleep(1)
    SCREENSHOT.parent.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 50_000
    browser.set_window_size(1600, 1200)


def test_channel_filter_reslices_the_tiles(
    browser: WebDriver, dashboard_url: str, warehouse: duckdb.DuckDBPyConnection
) -> None:
    start, end = demo_range(warehouse)
    url = f"{dashboard_url}/?start={start}&end={end}&channel=email"
    open_page(browser, url, {TILE: tile_count(warehouse)})
    expected = expected_tiles(warehouse, start, end, channel="email")
    shown = check_tiles(browser, expected, "email")
    assert 0 < shown < len(expected)  # email's KPIs, and no tile for what email does not publish


def test_empty_selection_shows_no_numbers(
    browser: WebDriver, dashboard_url: str, warehouse: duckdb.DuckDBPyConnection
) -> None:
    # the range after the campaign that ended first: every tile empty, and no error
    campaign, campaign_end = query(
        warehouse,
        """
        select campaign_id, max(metric_date) from marts.kpi_daily
        where campaign_id is not null group by campaign_id order by 2, 1 limit 1
        """,
    )[0]
    (last_day,) = query(warehouse, "select max(metric_date) from marts.kpi_daily where kpi_name = 'orders'")[0]
    start = campaign_end + timedelta(days=1)
    assert start < last_day, "the demo has no range after a campaign"
    url = f"{dashboard_url}/?start={start}&end={last_day}&campaign={campaign}"
    open_page(browser, url, {TILE: tile_count(warehouse)})
    values = {read_tile(browser, kpi_name)[0] for kpi_name in expected_tiles(warehouse, start, last_day)}
    assert values == {MISSING}
    assert "No KPI has rows for this selection" in page_text(browser)


# path -> title, and the tables and charts the page draws for the demo's last 90 days
PAGES = {
    "trends": ("Trends per channel", 1, 1),
    "funnel": ("Message funnel per campaign", 1, 1),
    "attribution": ("Attribution by model", 2, 1),
    "voice": ("NPS, CSAT and CES", 2, 1),
    "service": ("Service times against SLA", 3, 0),
    "alerts": ("Open alerts", 1, 0),
    "experiments": ("A/B tests", 1, 1),
}


@pytest.mark.parametrize("path", sorted(PAGES))
def test_every_page_renders_demo_data(
    path: str, browser: WebDriver, dashboard_url: str, warehouse: duckdb.DuckDBPyConnection
) -> None:
    title, tables, charts = PAGES[path]
    first_day, end = query(
        warehouse, "select min(metric_date), max(metric_date) from marts.kpi_daily where kpi_name = 'orders'"
    )[0]
    start = max(first_day, end - timedelta(days=89))
    open_page(browser, f"{dashboard_url}/{path}?start={start}&end={end}", {TABLE: tables, CHART: charts})
    assert title in page_text(browser)
    # every table and chart drawn, none replaced by an empty-selection note
    assert len(browser.find_elements(By.CSS_SELECTOR, TABLE)) == tables
    assert len(browser.find_elements(By.CSS_SELECTOR, CHART)) == charts
    assert not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stAlert"]'), page_text(browser)
    if path == "alerts":
        errors, warnings = query(
            warehouse,
            f"""
            select
                sum(case when severity = 'error' then 1 else 0 end),
                sum(case when severity = 'warn' then 1 else 0 end)
            from marts.kpi_alerts where metric_date between '{start}' and '{end}'
            """,
        )[0]
        metrics = [element.text for element in browser.find_elements(By.CSS_SELECTOR, '[data-testid="stMetricValue"]')]
        assert metrics == [str(errors), str(warnings)]
