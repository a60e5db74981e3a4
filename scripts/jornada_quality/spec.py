"""What the data-quality suite checks the warehouse against, read from the project itself.

- the KPI catalog document (docs/KPIS.md): every kpi_name under the journey stage of its section;
- the marts' primary keys: the column of each mart yml with both a `unique` and a `not_null`
  test (CONTRIBUTING: every model has a primary-key test on one column).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from jornada_quality.warehouse import PROJECT_DIR

KPIS_DOC = PROJECT_DIR / "docs" / "KPIS.md"
MARTS_DIR = PROJECT_DIR / "models" / "marts"

_STAGE_HEADING = re.compile(r"^## (\w+)")
_KPI_ROW = re.compile(r"^\| ([a-z0-9_]+) \|")


def documented_kpis(path: Path = KPIS_DOC) -> dict[str, str]:
    """kpi_name -> journey stage (the lower-cased heading of its section) from the catalog's tables."""
    stage = ""
    kpis: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        heading = _STAGE_HEADING.match(line)
        if heading:
            stage = heading.group(1).lower()
            continue
        row = _KPI_ROW.match(line)
        if row and row.group(1) != "kpi_name":
            kpis[row.group(1)] = stage
    return kpis


@dataclass(frozen=True)
class MartKey:
    """A mart and its primary-key column, as its yml declares them."""

    model: str
    key_column: str
    yml_path: Path


def _test_names(tests: list[Any]) -> set[str]:
    names: set[str] = set()
    for test in tests:
        if isinstance(test, str):
            names.add(test)
        elif isinstance(test, dict):
            names.update(str(name) for name in test)
    return names


def mart_primary_keys(marts_dir: Path = MARTS_DIR) -> list[MartKey]:
    """Every mart (models/marts/**/_*__models.yml) with a column tested both unique and not_null.

    Models without such a column (the kpi_<stage>_daily parts of kpi_daily) are left out.
    """
    keys: list[MartKey] = []
    for yml_path in sorted(marts_dir.rglob("_*__models.yml")):
        document = yaml.safe_load(yml_path.read_text(encoding="utf-8")) or {}
        for model in document.get("models") or []:
            for column in model.get("columns") or []:
                tests = column.get("data_tests") or column.get("tests") or []
                if {"unique", "not_null"} <= _test_names(tests):
                    keys.append(MartKey(model=model["name"], key_column=column["name"], yml_path=yml_path))
                    break
    return keys
