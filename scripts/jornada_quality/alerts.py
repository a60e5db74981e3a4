"""Reading, filtering and printing the open alerts of `marts.kpi_alerts`.

`kpi_alerts` is rebuilt by every `dbt build`: each row is an open alert (no
acknowledgement is kept), so "open alerts in a window" are its rows whose
metric_date falls in the window.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

import duckdb

SEVERITIES = ["error", "warn"]
# Rules in the order of the KPI catalog's Alerts section.
RULES = ["engagement_drop", "opt_out_spike", "negative_feedback", "platform_divergence", "conversion_over_claim"]
# Rules whose observed values and bands are counts (a platform's reported count, orders
# claimed); the others compare rates and shares, printed as percentages.
COUNT_RULES = {"platform_divergence", "conversion_over_claim"}

_COLUMNS = [
    "alert_id",
    "severity",
    "alert_rule",
    "kpi_name",
    "alert_signal",
    "source_id",
    "journey_stage",
    "channel",
    "campaign_id",
    "metric_date",
    "observed_value",
    "expected_value",
    "band_lower",
    "band_upper",
    "z_score",
]


@dataclass(frozen=True)
class Alert:
    alert_id: str
    severity: str
    alert_rule: str
    kpi_name: str
    alert_signal: str
    source_id: str | None
    journey_stage: str | None
    channel: str | None
    campaign_id: str | None
    metric_date: date
    observed_value: float | None
    expected_value: float | None
    band_lower: float | None
    band_upper: float | None
    z_score: float | None

    def to_json(self) -> dict[str, Any]:
        record = asdict(self)
        record["metric_date"] = self.metric_date.isoformat()
        for name, value in record.items():
            if isinstance(value, float) and not math.isfinite(value):
                record[name] = None
        return record


@dataclass(frozen=True)
class Selection:
    """Which alerts to report: a date window and optional severity and rule filters."""

    since: date | None = None
    until: date | None = None
    severity: str | None = None
    rules: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "severity": self.severity,
            "rules": list(self.rules),
        }


def latest_kpi_date(connection: duckdb.DuckDBPyConnection) -> date | None:
    """The latest day kpi_daily has daily rows for: the data's own "today"."""
    row = connection.execute("select max(metric_date) from marts.kpi_daily where period = 'day'").fetchone()
    return row[0] if row else None


def window_of_last_days(latest: date, days: int) -> tuple[date, date]:
    """The last `days` days up to and including `latest`."""
    return latest - timedelta(days=days - 1), latest


def read_alerts(connection: duckdb.DuckDBPyConnection, selection: Selection) -> list[Alert]:
    """Alerts of the selection, errors first, then by rule, newest first."""
    conditions: list[str] = []
    parameters: list[Any] = []
    if selection.since is not None:
        conditions.append("metric_date >= ?")
        parameters.append(selection.since)
    if selection.until is not None:
        conditions.append("metric_date <= ?")
        parameters.append(selection.until)
    if selection.severity is not None:
        conditions.append("severity = ?")
        parameters.append(selection.severity)
    if selection.rules:
        conditions.append(f"alert_rule in ({', '.join('?' for _ in selection.rules)})")
        parameters.extend(selection.rules)
    where = f"where {' and '.join(conditions)}" if conditions else ""
    rows = connection.execute(f"select {', '.join(_COLUMNS)} from marts.kpi_alerts {where}", parameters).fetchall()
    alerts = [Alert(*row) for row in rows]
    return sorted(alerts, key=_sort_key)


def _sort_key(alert: Alert) -> tuple[int, int, int, str, str, str]:
    severity = SEVERITIES.index(alert.severity) if alert.severity in SEVERITIES else len(SEVERITIES)
    rule = RULES.index(alert.alert_rule) if alert.alert_rule in RULES else len(RULES)
    return (severity, rule, -alert.metric_date.toordinal(), alert.kpi_name, alert.channel or "", alert.alert_id)


def has_errors(alerts: Iterable[Alert]) -> bool:
    return any(alert.severity == "error" for alert in alerts)


def counts(alerts: Sequence[Alert]) -> dict[str, int]:
    result = {severity: 0 for severity in SEVERITIES}
    for alert in alerts:
        result[alert.severity] = result.get(alert.severity, 0) + 1
    result["total"] = len(alerts)
    return result


def as_json(alerts: Sequence[Alert], selection: Selection, warehouse: str) -> str:
    document = {
        "warehouse": warehouse,
        "selection": selection.to_json(),
        "counts": counts(alerts),
        "alerts": [alert.to_json() for alert in alerts],
    }
    return json.dumps(document, indent=2)


def _number(value: float | None, as_percent: bool) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    if as_percent:
        return f"{value * 100:.3g}%"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _table(rows: list[list[str]], indent: str) -> list[str]:
    widths = [max(len(row[index]) for row in rows) for index in range(len(rows[0]))]
    return [
        indent + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]


def _window_text(selection: Selection) -> str:
    if selection.since and selection.until:
        return f"{selection.since} to {selection.until}"
    if selection.since:
        return f"from {selection.since}"
    if selection.until:
        return f"up to {selection.until}"
    return "all dates"


def as_text(alerts: Sequence[Alert], selection: Selection, warehouse: str) -> str:
    """Alerts grouped by severity, then rule: one line per alert."""
    window = _window_text(selection)
    filters = []
    if selection.severity:
        filters.append(f"severity {selection.severity}")
    if selection.rules:
        filters.append(f"rule {', '.join(selection.rules)}")
    total = counts(alerts)
    lines = [
        f"Open alerts in marts.kpi_alerts ({warehouse}), {window}"
        + (f", {'; '.join(filters)}" if filters else "")
        + f": {total['total']} ({total['error']} error, {total['warn']} warn)"
    ]
    if not alerts:
        lines.append("No open alerts.")
        return "\n".join(lines)
    header = ["date", "kpi", "signal", "channel", "campaign", "observed", "expected [band]", "z"]
    for severity in [*SEVERITIES, *sorted({a.severity for a in alerts} - set(SEVERITIES))]:
        of_severity = [alert for alert in alerts if alert.severity == severity]
        if not of_severity:
            continue
        lines += ["", f"{severity.upper()}: {len(of_severity)}"]
        rules = [rule for rule in RULES if any(a.alert_rule == rule for a in of_severity)]
        rules += sorted({a.alert_rule for a in of_severity} - set(RULES))
        for rule in rules:
            of_rule = [alert for alert in of_severity if alert.alert_rule == rule]
            lines.append(f"  {rule}: {len(of_rule)}")
            as_percent = rule not in COUNT_RULES
            rows = [header]
            for alert in of_rule:
                band = f"[{_number(alert.band_lower, as_percent)}, {_number(alert.band_upper, as_percent)}]"
                rows.append(
                    [
                        alert.metric_date.isoformat(),
                        alert.kpi_name,
                        alert.alert_signal,
                        alert.channel or "-",
                        alert.campaign_id or "-",
                        _number(alert.observed_value, as_percent),
                        f"{_number(alert.expected_value, as_percent)} {band}",
                        "-" if alert.z_score is None else f"{alert.z_score:+.1f}",
                    ]
                )
            lines += _table(rows, indent="    ")
    return "\n".join(lines)
