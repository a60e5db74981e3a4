"""Runs the suite with great-expectations' pandas path and writes its Data Docs.

Each dataset is read from the warehouse (read-only) into a pandas DataFrame, registered as
a whole-DataFrame batch of a pandas data source in an ephemeral great-expectations context,
and validated against its own expectation suite. Validation results stay in memory; the
Data Docs site (HTML) is written to a folder of its own, emptied first, so it shows the
latest run only.
"""

from __future__ import annotations

import math
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import great_expectations as gx
from great_expectations.core.expectation_validation_result import ExpectationValidationResult
from great_expectations.data_context import AbstractDataContext
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)
from tqdm import tqdm

from jornada_quality.suite import Dataset
from jornada_quality.warehouse import existing_tables, read_frame

DOCS_SITE = "jornada_quality"
# Written into the Data Docs folder: only a folder holding it is emptied before a run.
DOCS_MARKER = ".jornada_quality_data_docs"
EXAMPLES = 5


class DocsFolderError(RuntimeError):
    """The Data Docs folder holds files this tool did not write."""


@dataclass
class ExpectationOutcome:
    """The result of one expectation, reduced to what the summary prints."""

    description: str
    expectation_type: str
    success: bool
    observed: str
    examples: list[str] = field(default_factory=list)


@dataclass
class DatasetOutcome:
    dataset: Dataset
    rows: int | None = None
    outcomes: list[ExpectationOutcome] = field(default_factory=list)
    # Why the dataset could not be validated at all (missing table, failed query, ...).
    error: str | None = None

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.success]

    @property
    def success(self) -> bool:
        return self.error is None and not self.failed


@dataclass
class SuiteRun:
    datasets: list[DatasetOutcome]
    docs_index: Path | None

    @property
    def success(self) -> bool:
        return all(dataset.success for dataset in self.datasets)

    @property
    def expectation_count(self) -> int:
        return sum(len(dataset.dataset.expectations) for dataset in self.datasets)

    @property
    def failed_count(self) -> int:
        return sum(
            len(dataset.dataset.expectations) if dataset.error else len(dataset.failed) for dataset in self.datasets
        )


def prepare_docs_folder(docs_dir: Path) -> None:
    """Empties a Data Docs folder written by an earlier run; refuses any other non-empty folder."""
    if docs_dir.exists():
        if not docs_dir.is_dir():
            raise DocsFolderError(f"{docs_dir} is not a folder")
        if any(docs_dir.iterdir()) and not (docs_dir / DOCS_MARKER).exists():
            raise DocsFolderError(
                f"{docs_dir} is not empty and was not written by quality_check.py: choose another --docs-dir"
            )
        shutil.rmtree(docs_dir)
    docs_dir.mkdir(parents=True)
    (docs_dir / DOCS_MARKER).write_text("Data Docs of scripts/quality_check.py; emptied on every run.\n")


def make_context(docs_dir: Path | None) -> AbstractDataContext:
    """An ephemeral context (nothing persisted) with one filesystem Data Docs site."""
    sites: dict[str, Any] = {}
    if docs_dir is not None:
        sites[DOCS_SITE] = {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        data_docs_sites=sites,
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _short(value: Any, limit: int = 160) -> str:
    if isinstance(value, float):
        text = "null" if math.isnan(value) else f"{value:.6g}"
    elif isinstance(value, (list, tuple, set)):
        text = ", ".join(_short(item, 40) for item in list(value)[:12])
        text = f"[{text}{', ...' if len(value) > 12 else ''}]"
    else:
        text = "null" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _percent(value: float) -> str:
    return "under 0.01%" if 0 < value < 0.01 else f"{value:.2f}%"


def _observed(result: ExpectationValidationResult) -> str:
    details: dict[str, Any] = result.result or {}
    if "missing_count" in details and "element_count" not in details:
        # A set equality: values present but not expected, expected values missing.
        parts = []
        if details.get("unexpected_count"):
            parts.append(
                f"{details['unexpected_count']} not expected: {_short(details.get('partial_unexpected_list'))}"
            )
        if details.get("missing_count"):
            parts.append(f"{details['missing_count']} missing: {_short(details.get('partial_missing_list'))}")
        return "; ".join(parts) or "the sets are equal"
    if "unexpected_count" in details:
        count = details.get("unexpected_count") or 0
        elements = details.get("element_count") or 0
        percent = details.get("unexpected_percent")
        share = f" ({_percent(percent)})" if isinstance(percent, (int, float)) and not math.isnan(percent) else ""
        return f"{count:,} unexpected of {elements:,} rows checked{share}"
    return f"observed {_short(details.get('observed_value'))}"


def _examples(result: ExpectationValidationResult, index_columns: list[str]) -> list[str]:
    details: dict[str, Any] = result.result or {}
    if "missing_count" in details and "element_count" not in details:
        return []
    rows = details.get("partial_unexpected_index_list") or []
    examples: list[str] = []
    for row in rows[:EXAMPLES]:
        if isinstance(row, dict):
            tested = [f"{name}={_short(value, 60)}" for name, value in row.items() if name not in index_columns]
            keys = [f"{name}={_short(row.get(name), 60)}" for name in index_columns if name in row]
            examples.append(", ".join(tested + keys))
        else:
            examples.append(_short(row))
    if not examples:
        examples = [_short(value, 60) for value in (details.get("partial_unexpected_list") or [])[:EXAMPLES]]
    return examples


def _outcome(result: ExpectationValidationResult, index_columns: list[str]) -> ExpectationOutcome:
    config = result.expectation_config
    expectation_type = config.type if config else "unknown expectation"
    description = (config.description if config else None) or expectation_type
    exception = result.exception_info or {}
    raised = [info for info in exception.values() if isinstance(info, dict) and info.get("raised_exception")]
    if exception.get("raised_exception"):
        raised.append(exception)
    if raised:
        message = raised[0].get("exception_message") or "an exception was raised"
        return ExpectationOutcome(description, expectation_type, False, f"error: {_short(message, 300)}")
    return ExpectationOutcome(
        description=description,
        expectation_type=expectation_type,
        success=bool(result.success),
        observed=_observed(result),
        examples=[] if result.success else _examples(result, index_columns),
    )


def _validate(
    context: AbstractDataContext, source: Any, dataset: Dataset, connection: duckdb.DuckDBPyConnection
) -> DatasetOutcome:
    outcome = DatasetOutcome(dataset=dataset)
    try:
        frame = read_frame(connection, dataset.sql)
    except duckdb.Error as error:
        outcome.error = f"cannot read {dataset.table}: {_short(str(error), 300)}"
        return outcome
    outcome.rows = len(frame)
    asset = source.add_dataframe_asset(name=dataset.name)
    batch_definition = asset.add_batch_definition_whole_dataframe(name=f"{dataset.name} (whole table)")
    suite = context.suites.add(gx.ExpectationSuite(name=f"jornada.{dataset.name}"))
    for expectation in dataset.expectations:
        suite.add_expectation(expectation)
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"jornada.{dataset.name}", data=batch_definition, suite=suite)
    )
    result = validation.run(
        batch_parameters={"dataframe": frame},
        result_format={
            "result_format": "SUMMARY",
            "unexpected_index_column_names": dataset.index_columns,
            "partial_unexpected_count": EXAMPLES,
        },
    )
    outcome.outcomes = [_outcome(item, dataset.index_columns) for item in result.results]
    return outcome


def run_suite(
    datasets: list[Dataset],
    connection: duckdb.DuckDBPyConnection,
    docs_dir: Path | None,
    progress: bool | None = None,
) -> SuiteRun:
    """Validates every dataset; writes Data Docs to docs_dir unless it is None.

    progress: show a progress bar (None: only on a terminal).
    """
    if docs_dir is not None:
        prepare_docs_folder(docs_dir)
    context = make_context(docs_dir)
    source = context.data_sources.add_pandas(name="jornada_warehouse")
    tables = existing_tables(connection, "marts")
    outcomes: list[DatasetOutcome] = []
    bar = tqdm(datasets, desc="validating marts", unit="dataset", disable=None if progress is None else not progress)
    for dataset in bar:
        bar.set_postfix_str(dataset.name)
        if dataset.table not in tables:
            outcomes.append(
                DatasetOutcome(dataset=dataset, error=f"marts.{dataset.table} is missing: run dbt build first")
            )
            continue
        outcomes.append(_validate(context, source, dataset, connection))
    docs_index: Path | None = None
    if docs_dir is not None:
        context.build_data_docs(site_names=[DOCS_SITE])
        docs_index = docs_dir / "index.html"
    return SuiteRun(datasets=outcomes, docs_index=docs_index)
