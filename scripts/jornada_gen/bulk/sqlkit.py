"""DuckDB session and SQL macros of the bulk generator.

Randomness is hash-based and stateless: `u(key, salt)` is a uniform number in
[0, 1) computed from the row's own key, a salt naming the decision, and the
world seed. Any row can therefore be recomputed alone, in any order, on any
number of threads, and gives the same value every time (for a given DuckDB
version, whose `hash` is the source of the bits).

Times are BIGINT epoch seconds (UTC) inside the world tables; the macros here
render them in each tool's text format.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb

TWO_64 = "18446744073709551616.0"


def lit(value: str | None) -> str:
    """A SQL string literal (or NULL)."""
    if value is None:
        return "NULL"
    return "'" + value.replace("'", "''") + "'"


def lst(values: Iterable[str | int | float | None]) -> str:
    """A SQL list literal of strings or numbers."""
    items = []
    for value in values:
        if value is None or isinstance(value, str):
            items.append(lit(value))
        else:
            items.append(repr(value))
    return "[" + ", ".join(items) + "]"


def weighted(pairs: Iterable[tuple[str, int]], unit: int = 1) -> str:
    """A list literal repeating each value weight/unit times, for picking by weight with one hash."""
    values: list[str] = []
    for value, weight in pairs:
        values += [value] * (weight // unit)
    return lst(values)


def q(column: str) -> str:
    """A quoted identifier: tools use reserved words as field names (from, to, type, timestamp)."""
    return '"' + column + '"'


def connect(seed: int, t0: int, start_iso: str, temp_dir: Path, threads: int, memory_limit: str):
    """A DuckDB connection with the generator's macros bound to this world's seed and window."""
    temp_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"set threads = {threads}")
    con.execute(f"set memory_limit = '{memory_limit}'")
    con.execute(f"set temp_directory = {lit(str(temp_dir))}")
    con.execute("set preserve_insertion_order = false")
    con.execute("set TimeZone = 'UTC'")
    for macro in _macros(seed, t0, start_iso):
        con.execute(f"create or replace temp macro {macro}")
    return con


def _macros(seed: int, t0: int, start_iso: str) -> list[str]:
    return [
        # Hash-based randomness.
        f"h(a, b) as hash(a, b, {seed})",
        f"u(a, b) as hash(a, b, {seed}) / {TWO_64}",
        f"rint(a, b, n) as (hash(a, b, {seed}) % n)::BIGINT",
        "pick(options, a, b) as options[1 + (h(a, b) % len(options))::BIGINT]",
        "expo(a, b, mean) as -ln(1.0 - u(a, b)) * mean",
        "gauss(a, b) as sqrt(-2.0 * ln(1.0 - u(a, b))) * cos(2.0 * pi() * u(a, b + 7919))",
        "hex(x, width) as lower(lpad(to_hex(x), width, '0'))",
        "hexh(a, b, width) as lower(lpad(to_hex(h(a, b) % (1::UBIGINT << (4 * width))), width, '0'))",
        # The window: local business days in São Paulo (UTC-3, no daylight saving).
        f"t0() as {t0}::BIGINT",
        "lday(t) as floor((t - t0()) / 86400.0)::BIGINT",
        f"ldate(t) as (DATE {lit(start_iso)} + lday(t)::INTEGER)",
        "lsec(t) as (t - t0()) - lday(t) * 86400",
        "at_local(day, seconds) as t0() + day * 86400 + seconds",
        "biz(day, lo_hour, hi_hour, a, b) as "
        "t0() + day * 86400 + lo_hour * 3600 + (h(a, b) % ((hi_hour - lo_hour) * 3600))::BIGINT",
        # Business seconds (Monday-Saturday, 08:00-20:00 in São Paulo) since a Monday in 1970, and back.
        "bsec(t) as ((t - 356400) // 604800) * 259200 + least(((t - 356400) % 604800) // 86400, 6) * 43200 "
        "+ case when ((t - 356400) % 604800) // 86400 < 6 "
        "then least(greatest((t - 356400) % 86400 - 28800, 0), 43200) else 0 end",
        "bsec_time(y) as 356400 + (y // 259200) * 604800 + ((y % 259200) // 43200) * 86400 + 28800 + y % 43200",
        # Text renderings of epoch seconds.
        "ts(t) as make_timestamp(t * 1000000)",
        "iso(t) as strftime(make_timestamp(t * 1000000), '%Y-%m-%dT%H:%M:%SZ')",
        "iso_ms(t, ms) as strftime(make_timestamp(t * 1000000), '%Y-%m-%dT%H:%M:%S.') "
        "|| lpad(ms::VARCHAR, 3, '0') || 'Z'",
        "shop_ts(t) as strftime(make_timestamp((t - 10800) * 1000000), '%Y-%m-%dT%H:%M:%S') || '-03:00'",
        "rfc2822(t) as strftime(make_timestamp(t * 1000000), '%a, %d %b %Y %H:%M:%S +0000')",
        "money(cents) as (cents / 100)::DECIMAL(18, 2)::VARCHAR",
        # How each tool writes a person's email and phone (jornada_gen.identifiers, vectorised).
        "email_as(email, variants, a, b) as case "
        "when not variants or u(a, b) < 0.4 then email "
        "else [upper(email[1]) || email[2:position('@' in email)] || upper(email[position('@' in email) + 1]) "
        "|| email[position('@' in email) + 2:], ' ' || upper(email), email || ' ', "
        "upper(email[1]) || email[2:]][1 + (h(a, b + 1) % 4)::BIGINT] end",
        "phone_fmt(area, num8, fmt) as case fmt "
        "when 'e164' then '+55' || area || '9' || num8 "
        "when 'pretty' then '(' || area || ') 9' || num8[1:4] || '-' || num8[5:] "
        "when 'spaced' then '+55 ' || area || ' 9' || num8[1:4] || '-' || num8[5:] "
        "when 'national' then area || '9' || num8 "
        "when 'digits' then '55' || area || '9' || num8 "
        "when 'no_ninth' then '+55 ' || area || ' ' || num8[1:4] || '-' || num8[5:] "
        "when 'no_ninth_national' then '(' || area || ') ' || num8[1:4] || '-' || num8[5:] end",
        "phone_as(area, num8, variants, company, usual, a, b) as case "
        "when company then (case when usual = 'pretty' then '(11) 3003-1234' else '+551130031234' end) "
        "when variants and u(a, b) < 0.6 then phone_fmt(area, num8, "
        "['pretty', 'national', 'digits', 'no_ninth', 'no_ninth_national'][1 + (h(a, b + 1) % 5)::BIGINT]) "
        "else phone_fmt(area, num8, usual) end",
        "wa_id(area, num8, old) as '55' || area || case when old then num8 else '9' || num8 end",
    ]
