"""The readable summary of a quality run."""

from __future__ import annotations

from pathlib import Path

from jornada_quality.runner import SuiteRun

PASS = "PASS"
FAIL = "FAIL"


def summary(run: SuiteRun, warehouse: Path, gx_version: str) -> str:
    lines = [f"great-expectations {gx_version} (pandas path) on {warehouse}, read-only", ""]
    width = max((len(outcome.dataset.name) for outcome in run.datasets), default=10)
    for outcome in run.datasets:
        expectations = len(outcome.dataset.expectations)
        status = PASS if outcome.success else FAIL
        if outcome.error:
            lines.append(f"  {status} {outcome.dataset.name:<{width}}  {outcome.error}")
            continue
        passed = expectations - len(outcome.failed)
        lines.append(
            f"  {status} {outcome.dataset.name:<{width}}  {outcome.rows or 0:>8,} rows"
            f"  {passed:>3}/{expectations:<3} expectations met"
        )
        for failed in outcome.failed:
            lines.append(f"       x {failed.description} [{failed.expectation_type}]")
            lines.append(f"         {failed.observed}")
            for example in failed.examples:
                lines.append(f"         e.g. {example}")
    lines.append("")
    failed_datasets = sum(1 for outcome in run.datasets if not outcome.success)
    if run.success:
        lines.append(
            f"OK: all {run.expectation_count} expectations met on {len(run.datasets)} datasets read from the marts."
        )
    else:
        lines.append(
            f"FAILED: {run.failed_count} of {run.expectation_count} expectations not met,"
            f" in {failed_datasets} of {len(run.datasets)} datasets."
        )
    if run.docs_index is not None:
        lines.append(f"Data Docs: {run.docs_index.resolve().as_uri()}")
    return "\n".join(lines)
