"""dbt-score rules for the conventions of CONTRIBUTING.md that dbt-score does not ship.

- model_name_follows_layer: a model's name says its layer, and its folder is
  that layer's (staging `stg_<source>__<entity>`, with `base_<source>__<table>`
  views in `base/`; intermediate `int_`; marts `fct_`/`dim_`/`kpi_`);
- has_primary_key_test: one column carries both `unique` and `not_null`;
- mart_has_enforced_contract: marts (what BI reads) are tables with an
  enforced contract and a data_type on every column;
- has_columns_declared: the yml lists the model's columns (so
  columns_have_description has something to check);
- description_states_grain: the description starts by stating the grain
  ("One row per ...");
- exposure_has_owner_and_maturity: every exposure names an owner and a
  maturity.

Parameters (layer patterns, exceptions with their reason) are set in
conventions/pyproject.toml.
"""

import re
from pathlib import PurePosixPath

from dbt_score import Exposure, Model, RuleViolation, Severity, rule

# Folder (under models/) -> name pattern, for the layers of CONTRIBUTING.md.
DEFAULT_LAYER_PATTERNS: dict[str, str] = {
    "staging": r"^(?P<prefix>stg|base)_(?P<source>[a-z][a-z0-9]*(?:_[a-z0-9]+)*?)__(?P<entity>[a-z][a-z0-9_]*)$",
    "intermediate": r"^int_[a-z][a-z0-9_]*$",
    "marts": r"^(fct|dim|kpi)_[a-z][a-z0-9_]*$",
}


def model_folders(model: Model) -> tuple[str, ...]:
    """Folders of the model's SQL file below `models/`, e.g. ('staging', 'shopify', 'base')."""
    parts = PurePosixPath(model.original_file_path).parts
    if len(parts) < 2 or parts[0] != "models":
        return ()
    return tuple(parts[1:-1])


@rule(severity=Severity.HIGH)
def model_name_follows_layer(
    model: Model,
    layer_patterns: dict[str, str] = DEFAULT_LAYER_PATTERNS,
    exceptions: dict[str, str] = {},  # noqa: B006 (model name -> why it may differ)
) -> RuleViolation | None:
    """A model's name follows its layer: stg_<source>__<entity>, int_, fct_/dim_/kpi_ (marts)."""
    if model.name in exceptions:
        return None
    folders = model_folders(model)
    if not folders or folders[0] not in layer_patterns:
        return RuleViolation(
            f"{model.original_file_path} is outside the layers ({', '.join(sorted(layer_patterns))}); "
            "move it or add it to the exceptions with a reason."
        )
    layer = folders[0]
    match = re.match(layer_patterns[layer], model.name)
    if match is None:
        return RuleViolation(f"{model.name} does not match the {layer} pattern {layer_patterns[layer]}.")
    if layer != "staging":
        return None
    # Staging: the source in the name is the source folder; base_ views live in base/.
    source_folder = folders[1] if len(folders) > 1 else ""
    if match.group("source") != source_folder:
        return RuleViolation(
            f"{model.name} names source {match.group('source')!r} but sits in models/staging/{source_folder}/."
        )
    in_base_folder = len(folders) > 2 and folders[2] == "base"
    if (match.group("prefix") == "base") != in_base_folder:
        return RuleViolation(f"{model.name}: base_ models, and only they, go in models/staging/<source>/base/.")
    return None


@rule(severity=Severity.HIGH)
def has_primary_key_test(
    model: Model,
    exempt: dict[str, str] = {},  # noqa: B006 (model name pattern -> why it has no key of its own)
) -> RuleViolation | None:
    """A model has a primary-key test: `unique` and `not_null` on one column (a composite key gets a hashed column)."""
    if any(re.search(pattern, model.name) for pattern in exempt):
        return None
    for column in model.columns:
        test_types = {test.type for test in column.tests}
        if {"unique", "not_null"} <= test_types:
            return None
    return RuleViolation("No column has both a unique and a not_null test.")


@rule(severity=Severity.HIGH)
def mart_has_enforced_contract(
    model: Model,
    folders: list[str] = ["marts"],  # noqa: B006 (dbt-score reads the default)
) -> RuleViolation | None:
    """A mart is a table with an enforced contract and a data_type on every column."""
    layer = model_folders(model)[:1]
    if not layer or layer[0] not in folders:
        return None
    if model.config.get("materialized") not in {"table", "incremental"}:
        return RuleViolation(f"A mart is a table, not a {model.config.get('materialized')}.")
    if not (model.config.get("contract") or {}).get("enforced"):
        return RuleViolation("The mart's contract is not enforced (config: contract: enforced: true).")
    untyped = [column.name for column in model.columns if not column.data_type]
    if untyped:
        return RuleViolation(f"Columns without data_type: {', '.join(untyped)}.")
    return None


@rule(severity=Severity.HIGH)
def has_columns_declared(model: Model) -> RuleViolation | None:
    """A model's yml lists its columns."""
    if not model.columns:
        return RuleViolation("The yml lists no columns.")
    return None


@rule(severity=Severity.MEDIUM)
def description_states_grain(
    model: Model,
    pattern: str = r"^\s*One row per\b",
) -> RuleViolation | None:
    """A model's description states its grain first ("One row per ...")."""
    if not re.match(pattern, model.description or ""):
        start = " ".join((model.description or "").split())[:60]
        return RuleViolation(f"The description does not start with the grain: {start!r}.")
    return None


@rule(severity=Severity.HIGH)
def exposure_has_owner_and_maturity(exposure: Exposure) -> RuleViolation | None:
    """An exposure names its owner and its maturity."""
    missing = []
    if not (exposure.owner or {}).get("name") and not (exposure.owner or {}).get("email"):
        missing.append("owner")
    if not exposure.maturity:
        missing.append("maturity")
    if not (exposure.description or "").strip():
        missing.append("description")
    if missing:
        return RuleViolation(f"Missing: {', '.join(missing)}.")
    return None
