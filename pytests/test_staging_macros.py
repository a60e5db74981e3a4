"""The staging macros that make identities joinable, on hand-written cases.

Each case is compiled with `dbt compile --inline` (so the real macros run,
salt from the environment included) and executed on an in-memory DuckDB.
dbt compiles against a scratch DuckDB file of its own (compiling needs no
data), so it never waits for the warehouse that other tests hold open.
"""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
from pathlib import Path

import duckdb
import pytest

from conftest import DBT, PROJECT_DIR, dbt_env

DEV_SALT = "jornada-dev-salt-not-for-production"

PHONE_CASES = [
    ("(11) 98765-4321", "+5511987654321"),  # typed by a customer
    ("+55 11 98765-4321", "+5511987654321"),  # Zendesk style
    ("5511987654321", "+5511987654321"),  # WhatsApp wa_id
    ("551187654321", "+5511987654321"),  # old WhatsApp wa_id without the ninth digit
    ("+55 11 8765-4321", "+5511987654321"),  # pre-2016 mobile format
    ("11987654321", "+5511987654321"),  # national digits only
    ("(21) 3456-7890", "+552134567890"),  # landline: no ninth digit added
    ("12345", None),
    ("", None),
    (None, None),
]

EMAIL_CASES = [
    ("  Maria.Silva@Gmail.COM ", "maria.silva@gmail.com"),
    ("joao@uol.com.br", "joao@uol.com.br"),
    ("   ", None),
    (None, None),
]


SCRATCH_DIR = Path(tempfile.mkdtemp(prefix="jornada_staging_macros_"))


def compile_inline(sql: str, salt: str | None = None) -> str:
    env = dbt_env(SCRATCH_DIR / "compile.duckdb")
    env["DBT_TARGET_PATH"] = str(SCRATCH_DIR / "target")
    if salt is not None:
        env["JORNADA_HASH_SALT"] = salt
    result = subprocess.run(
        [DBT, "--quiet", "compile", "--inline", sql], cwd=PROJECT_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def sql_literal(value: str | None) -> str:
    return "null" if value is None else "'" + value.replace("'", "''") + "'"


def run_cases(expression: str, cases: list[tuple[str | None, str | None]], salt: str | None = None) -> list:
    values = ", ".join(f"({index}, {sql_literal(raw)})" for index, (raw, _) in enumerate(cases))
    sql = f"select {expression} as result from (values {values}) as cases(position, raw) order by position"
    compiled = compile_inline(sql, salt)
    return [row[0] for row in duckdb.connect().execute(compiled).fetchall()]


def test_normalize_phone_br() -> None:
    results = run_cases("{{ jornada.normalize_phone_br('raw') }}", PHONE_CASES)
    assert results == [expected for _, expected in PHONE_CASES]


def test_normalize_email() -> None:
    results = run_cases("{{ jornada.normalize_email('raw') }}", EMAIL_CASES)
    assert results == [expected for _, expected in EMAIL_CASES]


@pytest.mark.parametrize("salt", [None, "a-production-secret"])
def test_hash_pii_is_salted_sha256_of_the_normalised_value(salt: str | None) -> None:
    cases = [("(11) 98765-4321", None), ("+55 11 8765-4321", None), (None, None)]
    results = run_cases("{{ jornada.hash_pii(jornada.normalize_phone_br('raw')) }}", cases, salt)
    expected = hashlib.sha256(((salt or DEV_SALT) + "+5511987654321").encode()).hexdigest()
    assert results == [expected, expected, None]
