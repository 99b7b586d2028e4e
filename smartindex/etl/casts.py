"""Strict text-to-type casts as SQL: a value that would change on the way in does not cast.

DuckDB's own casts are lenient in three ways that silently change data, so every typed value
of a raw file goes through :func:`strict_cast` instead:

* integers: ``TRY_CAST('4.6' AS INTEGER)`` is 5. Here only integral text casts (``4``,
  ``+4``, ``4.0``); ``4.6`` does not (the row is quarantined as a type failure);
* floating point: ``nan``, ``inf`` and overflowing literals (``1e400``) do not cast;
* timestamps and dates: DuckDB drops an explicit offset (``2024-01-03T13:52:14Z`` becomes
  13:52). Here a value with an offset or a zone name is converted to the session time zone
  (``SET TimeZone``, the city's zone from ``Settings.timezone``), so ``13:52:14Z`` is 20:52 in
  Asia/Jakarta; an impossible offset (``+25:00``) or an unknown zone does not cast. Values
  without an offset are local time, as before.

A value that does not cast becomes NULL; the callers turn that into a quarantined type failure.
"""

from __future__ import annotations

INTEGERS = {"SMALLINT", "INTEGER", "BIGINT"}
FLOATS = {"DOUBLE", "FLOAT"}
TEMPORAL = {"DATE", "TIMESTAMP"}
# the types read as text by the typed CSV fast path (the CSV reader is lenient for them too)
READ_AS_TEXT = INTEGERS | TEMPORAL

INTEGER_TEXT = r"\s*[+-]?\d+(\.0*)?\s*"
# something after the date part that can only be an offset or a zone name (or a 'T')
ZONE_HINT = r"[A-Za-z+-]"
NUMERIC_OFFSET = r"\d:\d\d(:\d\d(\.\d*)?)?\s*[+-]\d\d(:?\d\d)?\s*$"
VALID_OFFSET = r"\d:\d\d(:\d\d(\.\d*)?)?\s*[+-](0\d|1[0-4])(:?[0-5]\d)?\s*$"


def _lit(pattern: str) -> str:
    return "'" + pattern.replace("'", "''") + "'"


def _zoned(raw: str, typ: str) -> str:
    """``raw`` with an offset or zone name, as local time in the session zone (NULL if bad)."""
    local = f"CAST(TRY_CAST({raw} AS TIMESTAMPTZ) AS TIMESTAMP)"
    bad_offset = (
        f"regexp_matches({raw}, {_lit(NUMERIC_OFFSET)}) "
        f"AND NOT regexp_matches({raw}, {_lit(VALID_OFFSET)})"
    )
    value = local if typ == "TIMESTAMP" else f"CAST({local} AS DATE)"
    return f"CASE WHEN {bad_offset} THEN NULL ELSE {value} END"


def strict_cast(raw: str, typ: str) -> str:
    """SQL casting the text expression ``raw`` to ``typ`` strictly (NULL when it does not)."""
    if typ in INTEGERS:
        return (
            f"CASE WHEN regexp_full_match({raw}, {_lit(INTEGER_TEXT)}) "
            f"THEN TRY_CAST({raw} AS {typ}) END"
        )
    if typ in FLOATS:
        return f"CASE WHEN isfinite(TRY_CAST({raw} AS DOUBLE)) THEN TRY_CAST({raw} AS {typ}) END"
    if typ in TEMPORAL:
        return (
            f"CASE WHEN regexp_matches(substr({raw}, 12), {_lit(ZONE_HINT)}) "
            f"THEN {_zoned(raw, typ)} ELSE TRY_CAST({raw} AS {typ}) END"
        )
    return f"TRY_CAST({raw} AS {typ})"


def must_cast(raw: str, typ: str) -> str:
    """Like :func:`strict_cast`, but a present value that does not cast raises an error, so
    the statement fails (the typed fast path then falls back to the reporting path)."""
    if typ == "VARCHAR":
        return raw
    return (
        f"CASE WHEN {raw} IS NULL THEN NULL ELSE coalesce({strict_cast(raw, typ)}, "
        f"error('smartindex: value does not cast')) END"
    )


def finite_or_error(expr: str) -> str:
    """``expr`` (a typed DOUBLE/FLOAT) unchanged, or an error when it is nan or infinite."""
    return (
        f"CASE WHEN {expr} IS NULL OR isfinite({expr}) THEN {expr} "
        f"ELSE error('smartindex: value does not cast') END"
    )
