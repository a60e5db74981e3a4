"""Nothing is lost: per raw table, raw rows = staged + quarantined + dropped duplicates,
with the exact counts the generator planted (seeds/raw/<source>/planted_defects.json)."""

from __future__ import annotations

import pytest

from conftest import planted_manifests, query

PLANTED = planted_manifests()


def test_every_seeded_table_has_planted_counts() -> None:
    assert len(PLANTED) >= 30, f"expected every raw table of every source, found {sorted(PLANTED)}"


@pytest.mark.parametrize(("source", "table"), sorted(PLANTED), ids=lambda value: str(value))
def test_raw_rows_are_staged_quarantined_or_counted_duplicates(warehouse, source: str, table: str) -> None:
    planted = PLANTED[(source, table)]
    rows = query(
        warehouse,
        f"""
        select raw_rows, staged_rows, quarantined_rows, duplicate_rows
        from staging.stg_audit__row_counts
        where source_name = '{source}' and table_name = '{table}'
        """,
    )
    assert rows, f"{source}.{table} is missing from stg_audit__row_counts (not in macros/staging/raw_tables.sql?)"
    raw_rows, staged_rows, quarantined_rows, duplicate_rows = rows[0]
    assert raw_rows == planted["raw_rows"]
    assert quarantined_rows == planted["malformed_rows"]
    assert duplicate_rows == planted["duplicate_rows"]
    assert staged_rows == planted["raw_rows"] - planted["malformed_rows"] - planted["duplicate_rows"]
    assert raw_rows == staged_rows + quarantined_rows + duplicate_rows


@pytest.mark.parametrize(("source", "table"), sorted(PLANTED), ids=lambda value: str(value))
def test_quarantine_reasons_match_the_planted_defects(warehouse, source: str, table: str) -> None:
    found = dict(
        query(
            warehouse,
            f"""
            select quarantine_reason, count(*)
            from staging.stg_quarantine__rows
            where source_name = '{source}' and table_name = '{table}'
            group by quarantine_reason
            """,
        )
    )
    assert found == PLANTED[(source, table)]["malformed_by_reason"]


def test_quarantine_keeps_the_raw_row(warehouse) -> None:
    empty = query(warehouse, "select count(*) from staging.stg_quarantine__rows where raw_row is null or raw_row = ''")
    assert empty == [(0,)]
