"""Staging conventions, read off dbt's manifest and the built warehouse.

Every staging model states its grain, describes every column it really has,
and has a primary-key test (unique + not_null on one column); status, type
and channel columns have accepted_values; every source has freshness.
"""

from __future__ import annotations

import json
import re
from functools import cache

import pytest

from conftest import PROJECT_DIR, query, run_dbt


@cache
def manifest() -> dict:
    run_dbt(["parse"])
    return json.loads((PROJECT_DIR / "target" / "manifest.json").read_text())


def staging_models() -> list[dict]:
    nodes = manifest()["nodes"].values()
    return sorted(
        (n for n in nodes if n["resource_type"] == "model" and n["name"].startswith("stg_")),
        key=lambda n: n["name"],
    )


def data_tests_on(model_id: str) -> list[tuple[str, str | None]]:
    found = []
    for node in manifest()["nodes"].values():
        if node["resource_type"] == "test" and model_id in node["depends_on"]["nodes"]:
            metadata = node.get("test_metadata") or {}
            found.append((metadata.get("name", "singular"), node.get("column_name")))
    return found


MODELS = staging_models()


def test_there_are_staging_models() -> None:
    assert len(MODELS) >= 30


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m["name"])
def test_model_states_its_grain(model: dict) -> None:
    assert re.search(r"\bOne row per\b", model["description"]), f"{model['name']}: description must state the grain"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m["name"])
def test_every_column_is_described(warehouse, model: dict) -> None:
    actual = [
        name
        for (name,) in query(
            warehouse,
            f"select column_name from information_schema.columns "
            f"where table_schema = 'staging' and table_name = '{model['name']}' order by ordinal_position",
        )
    ]
    assert actual, f"{model['name']} is not built"
    documented = {name.lower(): column["description"] for name, column in model["columns"].items()}
    missing = [name for name in actual if not documented.get(name.lower(), "").strip()]
    assert not missing, f"{model['name']}: undocumented columns {missing}"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m["name"])
def test_primary_key_is_unique_and_not_null(model: dict) -> None:
    tests = data_tests_on(model["unique_id"])
    unique_columns = {column for name, column in tests if name == "unique"}
    not_null_columns = {column for name, column in tests if name == "not_null"}
    assert unique_columns & not_null_columns, f"{model['name']}: no column tested unique and not_null"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m["name"])
def test_status_and_channel_columns_have_accepted_values(model: dict) -> None:
    tested = {column for name, column in data_tests_on(model["unique_id"]) if name == "accepted_values"}
    pattern = re.compile(r"(^|_)(status|channel|event_type)$")
    enumerated = [name for name in model["columns"] if pattern.search(name)]
    untested = [name for name in enumerated if name not in tested]
    assert not untested, f"{model['name']}: accepted_values missing on {untested}"


def test_every_source_has_freshness_and_a_loaded_at_field() -> None:
    sources = manifest()["sources"].values()
    assert sources
    for source in sources:
        freshness = source.get("freshness") or {}
        assert freshness.get("warn_after", {}).get("count"), source["unique_id"]
        assert source.get("loaded_at_field"), source["unique_id"]
        assert source["source_meta"].get("documentation") or source["meta"].get("documentation"), source["unique_id"]
