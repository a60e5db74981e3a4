"""The dashboard's filters: a date range, a channel and a campaign.

The selected range is compared with the previous range of equal length (the
days just before it). Filters can be preset by URL query parameters
(`?start=2026-10-04&end=2026-10-31&channel=email&campaign=cmp_0001`), so a
view can be shared as a link.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

ALL_CHANNELS = "All channels"
ALL_CAMPAIGNS = "All campaigns"
DEFAULT_RANGE_DAYS = 28


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    channel: str | None = None  # None: all channels
    campaign: str | None = None  # None: all campaigns

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous_start(self) -> date:
        return self.start - timedelta(days=self.days)

    @property
    def previous_end(self) -> date:
        return self.start - timedelta(days=1)

    def params(self) -> dict[str, str | date | None]:
        """The SQL parameters every filtered query takes: $start, $end, $channel, $campaign."""
        return {"start": self.start, "end": self.end, "channel": self.channel, "campaign": self.campaign}

    def comparison_params(self) -> dict[str, str | date | None]:
        """params() plus $previous_start and $previous_end."""
        return {**self.params(), "previous_start": self.previous_start, "previous_end": self.previous_end}

    def describe(self) -> str:
        channel = self.channel or "all channels"
        campaign = self.campaign or "all campaigns"
        return (
            f"{self.start:%Y-%m-%d} to {self.end:%Y-%m-%d} ({self.days} days; previous: "
            f"{self.previous_start:%Y-%m-%d} to {self.previous_end:%Y-%m-%d}), {channel}, {campaign}"
        )


def default_range(first_day: date, last_day: date) -> tuple[date, date]:
    """The last DEFAULT_RANGE_DAYS days of data (fewer when the data is shorter)."""
    return max(first_day, last_day - timedelta(days=DEFAULT_RANGE_DAYS - 1)), last_day


def parse_date(text: str | None, fallback: date, lowest: date, highest: date) -> date:
    """An ISO date from a query parameter, clamped to the data's dates; the fallback when absent or invalid."""
    if not text:
        return fallback
    try:
        parsed = date.fromisoformat(text)
    except ValueError:
        return fallback
    return min(max(parsed, lowest), highest)


def initial_choice(query_params: Mapping[str, str], name: str, options: list[str], fallback: str) -> int:
    """Index in options of the query parameter `name`, or of the fallback."""
    wanted = query_params.get(name)
    return options.index(wanted) if wanted in options else options.index(fallback)
