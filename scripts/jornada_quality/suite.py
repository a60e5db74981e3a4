"""The datasets the quality run reads from the marts, and the expectations on each.

Every dataset is one SQL query on the warehouse, read into a pandas DataFrame and
validated by great-expectations' pandas path. Thresholds of the distribution checks
are in `Thresholds` (command-line options of scripts/quality_check.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column, Condition

from jornada_quality.spec import MartKey
from jornada_quality.warehouse import quote_identifier

MARTS_SCHEMA = "marts"

JOURNEY_STAGES = ["attraction", "messaging", "sales", "service", "loyalty", "experiments"]
PERIODS = ["day", "week", "month", "trailing_30d", "to_date"]
CHANNELS = ["all", "email", "sms", "whatsapp", "web", "social", "chat", "phone", "store", "ads"]
ALERT_RULES = [
    "engagement_drop",
    "opt_out_spike",
    "negative_feedback",
    "platform_divergence",
    "conversion_over_claim",
]
DIRECTIONS = ["higher_is_better", "lower_is_better"]

# Bounds of a KPI value by the unit kpi_catalog gives it (None: unbounded on that side).
# Currency is not bounded: a net revenue after refunds or a lifetime value net of
# acquisition cost can be negative.
UNIT_BOUNDS: dict[str, tuple[float | None, float | None]] = {
    "ratio": (0.0, 1.0),
    "rate": (0.0, None),
    "nps_points": (-100.0, 100.0),
    "change_ratio": (-1.0, None),
    "multiple": (0.0, None),
    "count": (0.0, None),
    "minutes": (0.0, None),
    "seconds": (0.0, None),
    "hours": (0.0, None),
    "score": (0.0, None),
    "per_person": (0.0, None),
}
UNITS = [*UNIT_BOUNDS, "currency"]

# KPIs whose headline rows are null on most days by construction, with their own limit:
# cost_per_acquisition has no value on a day without an attributed first order.
SPARSE_KPI_MAX_NULL_SHARE: dict[str, float] = {"cost_per_acquisition": 0.85}


@dataclass(frozen=True)
class Thresholds:
    """Limits of the distribution checks on kpi_daily."""

    # Largest share of a KPI's headline rows (all campaigns, no breakdown) with a null
    # value, i.e. a zero denominator ...
    max_null_share: float = 0.30
    # ... except the KPIs listed here with their own limit.
    null_share_overrides: Mapping[str, float] = field(default_factory=lambda: dict(SPARSE_KPI_MAX_NULL_SHARE))
    # Fewest kpi_daily rows a journey stage may have.
    min_stage_rows: int = 20
    # Plausible band of the mean daily delivery_rate over all channels.
    delivery_rate_band: tuple[float, float] = (0.85, 1.0)

    def null_share_limit(self, kpi_name: str) -> float:
        return self.null_share_overrides.get(kpi_name, self.max_null_share)


@dataclass
class Dataset:
    """One DataFrame read from the warehouse and the expectations it must meet."""

    name: str
    table: str
    sql: str
    expectations: list[gxe.Expectation]
    # Columns identifying an unexpected row in the summary and the Data Docs.
    index_columns: list[str]
    description: str


def _headline(kpi_name: str) -> Condition:
    """The headline rows of a KPI: all campaigns, no breakdown (any period and channel)."""
    return (Column("kpi_name") == kpi_name) & Column("campaign_id").is_null() & (Column("dimension") == "all")


def _key_expectations(column: str, table: str) -> list[gxe.Expectation]:
    return [
        gxe.ExpectColumnValuesToNotBeNull(column=column, description=f"{table}.{column} (primary key) is never null"),
        gxe.ExpectColumnValuesToBeUnique(column=column, description=f"{table}.{column} (primary key) is unique"),
    ]


def kpi_daily_dataset(documented: Mapping[str, str], thresholds: Thresholds) -> Dataset:
    expectations: list[gxe.Expectation] = [
        gxe.ExpectTableRowCountToBeBetween(min_value=1, description="kpi_daily has rows"),
        *_key_expectations("kpi_daily_id", "kpi_daily"),
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=[
                "kpi_name",
                "metric_date",
                "period",
                "channel",
                "campaign_id",
                "dimension",
                "dimension_value",
            ],
            description="one row per KPI, date, period, channel, campaign and breakdown (campaign null = all)",
        ),
    ]
    for column in ["kpi_name", "journey_stage", "metric_date", "period", "channel", "dimension", "dimension_value"]:
        expectations.append(
            gxe.ExpectColumnValuesToNotBeNull(column=column, description=f"kpi_daily.{column} is never null")
        )
    expectations += [
        gxe.ExpectColumnValuesToBeInSet(
            column="kpi_name", value_set=sorted(documented), description="every kpi_name is in docs/KPIS.md"
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="unit", description="every kpi_name has a kpi_catalog entry (its unit)"
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="journey_stage", value_set=JOURNEY_STAGES, description="journey_stage is one of the six stages"
        ),
        gxe.ExpectColumnValuesToBeInSet(column="period", value_set=PERIODS, description="period is a known period"),
        gxe.ExpectColumnValuesToBeInSet(
            column="channel", value_set=CHANNELS, description="channel is of the channel vocabulary, or all"
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="denominator", min_value=0, description="denominators are never negative"
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="value",
            row_condition=Column("denominator") > 0,
            description="a value exists wherever its denominator is positive (null only for a zero denominator)",
        ),
    ]
    for unit, (lower, upper) in UNIT_BOUNDS.items():
        bounds = f">= {lower:g}" if upper is None else f"in [{lower:g}, {upper:g}]"
        expectations.append(
            gxe.ExpectColumnValuesToBeBetween(
                column="value",
                min_value=lower,
                max_value=upper,
                row_condition=Column("unit") == unit,
                description=f"values of {unit} KPIs are {bounds}",
            )
        )
    for kpi_name in documented:
        limit = thresholds.null_share_limit(kpi_name)
        expectations.append(
            gxe.ExpectColumnValuesToNotBeNull(
                column="value",
                mostly=round(1.0 - limit, 6),
                row_condition=_headline(kpi_name),
                description=f"{kpi_name}: at most {limit:.0%} of its headline rows have a null value",
            )
        )
    low, high = thresholds.delivery_rate_band
    expectations.append(
        gxe.ExpectColumnMeanToBeBetween(
            column="value",
            min_value=low,
            max_value=high,
            row_condition=_headline("delivery_rate") & (Column("period") == "day") & (Column("channel") == "all"),
            description=f"mean daily delivery_rate over all channels is in [{low:g}, {high:g}]",
        )
    )
    sql = f"""
        select
            kpis.kpi_daily_id, kpis.kpi_name, kpis.journey_stage, kpis.metric_date, kpis.period,
            kpis.channel, kpis.campaign_id, kpis.dimension, kpis.dimension_value,
            kpis.numerator, kpis.denominator, kpis.value, catalog.unit
        from {MARTS_SCHEMA}.kpi_daily as kpis
        left join {MARTS_SCHEMA}.kpi_catalog as catalog
            on kpis.kpi_name = catalog.kpi_name
    """
    return Dataset(
        name="kpi_daily",
        table="kpi_daily",
        sql=sql,
        expectations=expectations,
        index_columns=["kpi_daily_id", "kpi_name"],
        description="kpi_daily joined with the unit of each KPI in kpi_catalog",
    )


def kpi_daily_stages_dataset(thresholds: Thresholds) -> Dataset:
    sql = f"""
        select journey_stage, count(*) as kpi_rows, count(distinct kpi_name) as kpis
        from {MARTS_SCHEMA}.kpi_daily
        group by journey_stage
    """
    expectations: list[gxe.Expectation] = [
        gxe.ExpectColumnDistinctValuesToEqualSet(
            column="journey_stage", value_set=JOURNEY_STAGES, description="every journey stage publishes KPIs"
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="kpi_rows",
            min_value=thresholds.min_stage_rows,
            description=f"every journey stage has at least {thresholds.min_stage_rows} kpi_daily rows",
        ),
    ]
    return Dataset(
        name="kpi_daily_stages",
        table="kpi_daily",
        sql=sql,
        expectations=expectations,
        index_columns=["journey_stage"],
        description="kpi_daily rows per journey stage",
    )


def kpi_daily_coverage_dataset(documented: Mapping[str, str]) -> Dataset:
    sql = f"""
        select kpi_name, count(*) as kpi_rows, count(value) as rows_with_value
        from {MARTS_SCHEMA}.kpi_daily
        group by kpi_name
    """
    expectations: list[gxe.Expectation] = [
        gxe.ExpectColumnDistinctValuesToEqualSet(
            column="kpi_name", value_set=sorted(documented), description="kpi_daily publishes every documented KPI"
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="rows_with_value", min_value=1, description="every published KPI has at least one non-null value"
        ),
    ]
    return Dataset(
        name="kpi_daily_coverage",
        table="kpi_daily",
        sql=sql,
        expectations=expectations,
        index_columns=["kpi_name"],
        description="kpi_daily rows and non-null values per KPI",
    )


def kpi_catalog_dataset(documented: Mapping[str, str]) -> Dataset:
    expectations: list[gxe.Expectation] = [
        gxe.ExpectTableRowCountToEqual(
            value=len(documented), description=f"kpi_catalog has one row per documented KPI ({len(documented)})"
        ),
        *_key_expectations("kpi_name", "kpi_catalog"),
        gxe.ExpectColumnDistinctValuesToEqualSet(
            column="kpi_name", value_set=sorted(documented), description="kpi_catalog names equal docs/KPIS.md names"
        ),
        gxe.ExpectColumnPairValuesToBeInSet(
            column_A="kpi_name",
            column_B="journey_stage",
            value_pairs_set=sorted(documented.items()),
            description="every KPI is under the journey stage of its docs/KPIS.md section",
        ),
        gxe.ExpectColumnValuesToBeInSet(column="unit", value_set=UNITS, description="unit is a known unit"),
        gxe.ExpectColumnValuesToBeInSet(
            column="direction", value_set=DIRECTIONS, description="direction is higher_is_better or lower_is_better"
        ),
        gxe.ExpectColumnValuesToNotBeNull(column="definition", description="every KPI has a definition"),
    ]
    return Dataset(
        name="kpi_catalog",
        table="kpi_catalog",
        sql=f"select kpi_name, journey_stage, definition, unit, direction from {MARTS_SCHEMA}.kpi_catalog",
        expectations=expectations,
        index_columns=["kpi_name"],
        description="the KPI catalog against docs/KPIS.md",
    )


def kpi_alerts_dataset() -> Dataset:
    expectations: list[gxe.Expectation] = [
        *_key_expectations("alert_id", "kpi_alerts"),
        gxe.ExpectColumnValuesToBeInSet(
            column="alert_rule", value_set=ALERT_RULES, description="alert_rule is one of the catalog's rules"
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="severity", value_set=["error", "warn"], description="severity is error or warn"
        ),
        gxe.ExpectColumnValuesToNotBeNull(column="metric_date", description="every alert has a date"),
        gxe.ExpectColumnValuesToNotBeNull(column="observed_value", description="every alert has an observed value"),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="band_upper",
            column_B="band_lower",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            description="the expected band's upper end is not below its lower end",
        ),
    ]
    return Dataset(
        name="kpi_alerts",
        table="kpi_alerts",
        sql=f"""
            select alert_id, alert_rule, kpi_name, severity, metric_date, observed_value, band_lower, band_upper
            from {MARTS_SCHEMA}.kpi_alerts
        """,
        expectations=expectations,
        index_columns=["alert_id"],
        description="the alert mart",
    )


def primary_key_dataset(mart: MartKey) -> Dataset:
    column = quote_identifier(mart.key_column)
    return Dataset(
        name=mart.model,
        table=mart.model,
        sql=f"select {column} from {MARTS_SCHEMA}.{quote_identifier(mart.model)}",
        expectations=_key_expectations(mart.key_column, mart.model),
        index_columns=[mart.key_column],
        description=f"primary key {mart.key_column} of {mart.model} (declared in {mart.yml_path.name})",
    )


def build_datasets(documented: Mapping[str, str], mart_keys: list[MartKey], thresholds: Thresholds) -> list[Dataset]:
    """The whole suite: the KPI marts in depth, then the primary key of every other mart."""
    datasets = [
        kpi_daily_dataset(documented, thresholds),
        kpi_daily_stages_dataset(thresholds),
        kpi_daily_coverage_dataset(documented),
        kpi_catalog_dataset(documented),
        kpi_alerts_dataset(),
    ]
    covered = {dataset.table for dataset in datasets}
    datasets += [primary_key_dataset(mart) for mart in mart_keys if mart.model not in covered]
    return datasets


def expectation_kwargs(expectation: gxe.Expectation) -> dict[str, Any]:
    """The arguments an expectation was configured with (for the summary)."""
    return dict(expectation.configuration.kwargs)
