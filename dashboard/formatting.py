"""Display of KPI values by the unit kpi_catalog gives them.

Only presentation: ratios are stored as fractions (0.27) and shown as
percentages, their changes as percentage points.
"""

from __future__ import annotations

import math

MISSING = "—"


ACRONYMS = {"ab": "A/B", "ces": "CES", "csat": "CSAT", "mrr": "MRR", "nps": "NPS", "roi": "ROI", "sla": "SLA"}


def as_number(value: object) -> float | None:
    """A cell of a query result as a float; None for SQL null (None, NaN, pd.NA)."""
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _amount(value: float) -> str:
    """Money with cents below 1,000 and whole units from there (tiles stay readable)."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.2f}"


def format_value(raw: object, unit: str, currency: str) -> str:
    """A KPI value for a tile or a table cell."""
    value = as_number(raw)
    if value is None:
        return MISSING
    match unit:
        case "ratio" | "rate":
            return f"{value * 100:.1f}%"
        case "change_ratio":
            return f"{value * 100:+.1f}%"
        case "multiple":
            return f"{value:,.2f}x"
        case "count":
            return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
        case "currency":
            return f"{currency} {_amount(value)}"
        case "minutes":
            return f"{value:,.1f} min"
        case "seconds":
            return f"{value:,.1f} s"
        case "hours":
            return f"{value:,.1f} h"
        case "nps_points":
            return f"{value:.1f}"
        case _:  # score, per_person
            return f"{value:,.2f}"


def format_change(raw: object, unit: str, currency: str) -> str | None:
    """A period-over-period change (current minus previous), signed first so the tile's arrow follows it."""
    change = as_number(raw)
    if change is None:
        return None
    match unit:
        case "ratio" | "rate" | "change_ratio":
            return f"{change * 100:+.1f} pp"
        case "multiple":
            return f"{change:+,.2f}x"
        case "count":
            return f"{change:+,.0f}" if change.is_integer() else f"{change:+,.1f}"
        case "currency":
            return f"{'-' if change < 0 else '+'}{_amount(abs(change))} {currency}"
        case "minutes":
            return f"{change:+,.1f} min"
        case "seconds":
            return f"{change:+,.1f} s"
        case "hours":
            return f"{change:+,.1f} h"
        case "nps_points":
            return f"{change:+.1f}"
        case _:
            return f"{change:+,.2f}"


def is_zero_change(text: str) -> bool:
    """A formatted change that rounds to zero (e.g. "-0.0 pp"): shown grey, without an arrow."""
    digits = [character for character in text if character.isdigit()]
    return bool(digits) and set(digits) == {"0"}


def kpi_label(kpi_name: str) -> str:
    """open_rate -> Open rate, nps -> NPS, avg_engagement_time_s -> Avg engagement time s."""
    words = [ACRONYMS.get(word, word) for word in kpi_name.split("_")]
    label = " ".join(words)
    return label[0].upper() + label[1:]
