#!/usr/bin/env python3
"""Print the open KPI alerts of a built Jornada warehouse (marts.kpi_alerts).

Reads `marts.kpi_alerts` over a read-only connection and prints the alerts
grouped by severity and rule: date, KPI, signal, channel, campaign, the
observed value against the expected value and band, and the z-score of band
rules. Exit status 1 when any alert of severity error is in the selection, 0
otherwise (2 when the warehouse cannot be read), so a scheduler can page on it:

  alerts.py --last-days 1            # yesterday's data: fails on an error alert
  alerts.py --since 2026-10-01 --json
  alerts.py --severity warn --rule opt_out_spike
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))

from jornada_quality.alerts import (
    RULES,
    SEVERITIES,
    Selection,
    as_json,
    as_text,
    has_errors,
    latest_kpi_date,
    read_alerts,
    window_of_last_days,
)
from jornada_quality.warehouse import WarehouseError, connect_read_only, default_warehouse_path

EXIT_OK = 0
EXIT_ERROR_ALERTS = 1
EXIT_UNREADABLE = 2


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from error


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        epilog="Exit status: 0 no error alert selected, 1 an error alert is open, 2 warehouse unreadable.",
    )
    parser.add_argument(
        "--database",
        type=Path,
        default=None,
        help="DuckDB warehouse (default: $JORNADA_DUCKDB_PATH, else jornada.duckdb in the project)",
    )
    window = parser.add_mutually_exclusive_group()
    window.add_argument("--since", type=_date, metavar="DATE", help="alerts dated on or after DATE (YYYY-MM-DD)")
    window.add_argument(
        "--last-days",
        type=_positive,
        metavar="N",
        help="alerts of the last N days of data, up to the latest day in kpi_daily (not the calendar)",
    )
    parser.add_argument("--until", type=_date, metavar="DATE", help="alerts dated on or before DATE")
    parser.add_argument("--severity", choices=SEVERITIES, help="only alerts of this severity")
    parser.add_argument(
        "--rule", choices=RULES, action="append", default=[], help="only alerts of this rule (repeatable)"
    )
    parser.add_argument("--json", action="store_true", help="print the alerts as one JSON document")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    warehouse = args.database or default_warehouse_path()
    try:
        connection = connect_read_only(warehouse)
    except WarehouseError as error:
        print(f"alerts: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        since, until = args.since, args.until
        if args.last_days is not None:
            latest = latest_kpi_date(connection)
            if latest is not None:
                since, last = window_of_last_days(latest, args.last_days)
                until = min(until, last) if until else last
        selection = Selection(since=since, until=until, severity=args.severity, rules=tuple(args.rule))
        alerts = read_alerts(connection, selection)
    except duckdb.Error as error:
        print(f"alerts: cannot read marts.kpi_alerts in {warehouse}: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    finally:
        connection.close()
    print(as_json(alerts, selection, str(warehouse)) if args.json else as_text(alerts, selection, str(warehouse)))
    return EXIT_ERROR_ALERTS if has_errors(alerts) else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
