"""LGPD guard: no raw email, phone or name in any model after the base layer.

Scans every text column of every staged, intermediate and mart relation
(base_ views and the quarantine hold raw rows by design and are skipped) for
- anything shaped like an email address or a formatted Brazilian phone;
- any digit run equal to a known person's phone, in any spelling
  (with or without +55, with or without the ninth digit);
- any value equal to a known person's or agent's full name.
The known values come from the same simulated world that produced the demo.
"""

from __future__ import annotations

import duckdb
import pytest

from conftest import query
from jornada_gen.names import AGENT_NAMES
from jornada_gen.world import build_world

EMAIL_PATTERN = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
PHONE_PATTERN = r"(\+\s?55[\s(]*\d{2})|(\(\d{2}\)\s?\d{4,5}-?\d{4})|(\b\d{4,5}-\d{4}\b)"
SCANNED_SCHEMAS = ("staging", "intermediate", "marts", "main")


def known_pii(connection: duckdb.DuckDBPyConnection) -> None:
    """Loads the world's emails, phone spellings and names into temp tables."""
    world = build_world()
    phones, names = set(), set(AGENT_NAMES)
    for person in world.persons:
        national = person.phone.removeprefix("+55")
        without_ninth = national[:2] + national[3:]
        phones.update({national, without_ninth, "55" + national, "55" + without_ninth})
        names.add(f"{person.first_name} {person.last_name}")
    connection.execute("create or replace temp table known_phone (digits varchar)")
    connection.executemany("insert into known_phone values (?)", [(p,) for p in sorted(phones)])
    connection.execute("create or replace temp table known_name (name varchar)")
    connection.executemany("insert into known_name values (?)", [(n.lower(),) for n in sorted(names)])


def pii_findings(connection: duckdb.DuckDBPyConnection, relation: str, column: str) -> list[str]:
    """What in one column looks like, or is, personal data."""
    quoted = f'"{column}"'
    findings = []
    (emails,) = connection.execute(
        f"select count(*) from {relation} where regexp_matches({quoted}, '{EMAIL_PATTERN}')"
    ).fetchone()
    (formatted_phones,) = connection.execute(
        f"select count(*) from {relation} where regexp_matches({quoted}, '{PHONE_PATTERN}')"
    ).fetchone()
    (known_phones,) = connection.execute(
        f"""
        select count(*) from (
            select unnest(regexp_extract_all({quoted}, '[0-9]{{10,13}}')) as digits from {relation}
        ) as runs
        inner join known_phone using (digits)
        """
    ).fetchone()
    (known_names,) = connection.execute(
        f"select count(*) from {relation} inner join known_name on lower(trim({quoted})) = known_name.name"
    ).fetchone()
    for label, count in (
        ("email", emails),
        ("formatted phone", formatted_phones),
        ("known phone", known_phones),
        ("known name", known_names),
    ):
        if count:
            findings.append(f"{relation}.{column}: {count} value(s) with a {label}")
    return findings


def scanned_columns(connection: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    schemas = ", ".join(f"'{schema}'" for schema in SCANNED_SCHEMAS)
    rows = query(
        connection,
        f"""
        select table_schema || '.' || table_name, column_name
        from information_schema.columns
        where table_schema in ({schemas})
          and data_type = 'VARCHAR'
          and table_name not like 'base\\_%' escape '\\'
          and table_name <> 'stg_quarantine__rows'
        order by 1, 2
        """,
    )
    return [(relation, column) for relation, column in rows]


def test_the_scanner_catches_planted_pii() -> None:
    """The guard itself works: raw PII in a column is reported."""
    connection = duckdb.connect()
    known_pii(connection)
    person = build_world().persons[0]
    national = person.phone.removeprefix("+55")
    connection.execute("create table leak (value varchar)")
    connection.executemany(
        "insert into leak values (?)",
        [
            (person.email,),
            (f"({national[:2]}) {national[2:7]}-{national[7:]}",),
            (national[:2] + national[3:],),
            (f"{person.first_name} {person.last_name}",),
            ("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",),
        ],
    )
    findings = pii_findings(connection, "leak", "value")
    labels = {finding.split("with a ")[1] for finding in findings}
    assert labels == {"email", "formatted phone", "known phone", "known name"}


def test_no_raw_pii_after_the_base_layer(warehouse) -> None:
    columns = scanned_columns(warehouse)
    assert len(columns) > 50, "expected the staged models to be scanned"
    connection = duckdb.connect()
    connection.execute(f"attach '{warehouse_file(warehouse)}' as jornada (read_only)")
    connection.execute("use jornada")
    known_pii(connection)
    findings = [finding for relation, column in columns for finding in pii_findings(connection, relation, column)]
    assert not findings, "raw PII downstream of staging:\n" + "\n".join(findings)


def warehouse_file(connection: duckdb.DuckDBPyConnection) -> str:
    sql = "select path from duckdb_databases() where database_name = current_database()"
    (path,) = connection.execute(sql).fetchone()
    if not path:
        pytest.skip("warehouse is not a file")
    return path


def test_marts_use_person_id_not_identifiers(warehouse) -> None:
    """Marts reach persons through person_id only: no hashed email, phone, name or author, no device id."""
    rows = query(
        warehouse,
        """
        select table_name || '.' || column_name
        from information_schema.columns
        where table_schema = 'marts'
          and (column_name like '%hash%' or column_name like '%email%' or column_name like '%phone%'
               or column_name in ('user_pseudo_id', 'visitor_id', 'recipient_id', 'wa_id'))
        order by 1
        """,
    )
    assert rows == []
