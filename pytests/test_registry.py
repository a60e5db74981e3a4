"""Every raw table is wired through the same path: seed, base model, staging model, registry.

The quarantine union and the row accounting iterate over the registry in
macros/staging/raw_tables.sql; a raw table missing from it would escape the
"nothing is lost" checks, so this test fails on any gap.
"""

from __future__ import annotations

import re

from conftest import PROJECT_DIR, SEEDS_RAW

REGISTRY = PROJECT_DIR / "macros" / "staging" / "raw_tables.sql"
STAGING = PROJECT_DIR / "models" / "staging"


def registered() -> set[str]:
    return {f"{s}__{t}" for s, t in re.findall(r"\('(\w+)', '(\w+)'\)", REGISTRY.read_text())}


def test_every_seed_is_registered() -> None:
    seeds = {path.stem for path in SEEDS_RAW.glob("*/*.csv")}
    assert seeds == registered()


def test_every_registered_table_has_a_base_and_a_staging_model_and_yml() -> None:
    for name in sorted(registered()):
        source = name.split("__")[0]
        folder = STAGING / source
        assert (folder / "base" / f"base_{name}.sql").exists(), f"missing base_{name}"
        assert (folder / f"stg_{name}.sql").exists(), f"missing stg_{name}"
        models_yml = (folder / f"_{source}__models.yml").read_text()
        assert f"name: stg_{name}" in models_yml and f"name: base_{name}" in models_yml
        assert (folder / f"_{source}__sources.yml").exists()


def test_base_models_read_raw_through_raw_source() -> None:
    """raw_source() declares the seed dependency in seed mode and reads files in raw_path mode."""
    for path in sorted(STAGING.glob("*/base/base_*.sql")):
        text = path.read_text()
        assert "jornada.raw_source(" in text and "source(" not in text.replace("jornada.raw_source(", ""), path.name
