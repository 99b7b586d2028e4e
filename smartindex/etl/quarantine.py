"""Find invalid rows of the staged file and record them in the temp table ``_bad``.

``_bad`` holds one row per (row, failed check): ``_row_number`` (line number, header = line 1),
``columns``, ``expectation``, ``reason`` and the offending raw ``value``. Sources of failures:

* type: a non-empty value that does not TRY_CAST to the declared type (DuckDB);
* primary key: later occurrences of a key within the file (the first occurrence is kept; exact
  duplicate rows say so) and keys already loaded from another file (DuckDB);
* every registry expectation, run by Great Expectations (validate.py) on pandas frames pulled
  from DuckDB with only the columns a check needs. Single-column checks on low-cardinality
  columns run on one frame of the columns' distinct values (one GX call per file); checks on
  high-cardinality columns, column-pair order and unique checks run on rows, in chunks.
  Failures are mapped back to row numbers in DuckDB.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import duckdb
import numpy as np
import pyarrow as pa

from smartindex.etl.casts import strict_cast
from smartindex.etl.catalog import has_table
from smartindex.etl.registry import NUMERIC, TEMPORAL, Source
from smartindex.etl.validate import Check, GxSession, expectation_name
from smartindex.etl.within import resolve_within, within_failures

CHUNK_ROWS = 1_000_000  # rows per GX frame; 2 M cost ~200 MB more peak RSS at 10 M rows
MAX_VALUE_CHARS = 500


def _q(c: str) -> str:
    return f'"{c}"'


def cast_sql(col: str, typ: str, decimal: str) -> str:
    """Strict cast of a raw VARCHAR column (see casts.py); with decimal ',' the '.' is a
    thousands separator."""
    if typ == "VARCHAR":
        return f"s.{_q(col)}"
    raw = f"s.{_q(col)}"
    if decimal == "," and typ in NUMERIC:
        raw = (
            f"CASE WHEN {raw} LIKE '%,%' THEN replace(replace({raw}, '.', ''), ',', '.') "
            f"WHEN regexp_full_match({raw}, '-?\\d{{1,3}}(\\.\\d{{3}})+') "
            f"THEN replace({raw}, '.', '') ELSE {raw} END"
        )
    return strict_cast(raw, typ)


def raw_col(source: Source, col: str, alias: str = "") -> str:
    """SQL for ``col`` as text in ``_typed``: VARCHAR columns as they are; other columns the raw
    text when the row had a type failure (kept in ``_raw_json``), else the typed value as text."""
    a = f"{alias}." if alias else ""
    if source.all_columns[col] == "VARCHAR":
        return a + _q(col)
    return f"coalesce(json_extract_string({a}_raw_json, '$.{col}'), CAST({a}{_q(col)} AS VARCHAR))"


def staging_select(source: Source, raw_sql: str) -> str:
    """SELECT over ``raw_sql`` (raw VARCHAR columns): each column typed (NULL when it does not
    cast; one TRY_CAST per value) plus ``_raw_json``, the raw text of the non-VARCHAR columns of
    rows where a present value did not cast (NULL otherwise, so staging stays small)."""
    cols = source.all_columns
    other = [c for c, t in cols.items() if t != "VARCHAR"]
    inner = [f"{cast_sql(c, t, source.decimal)} AS {_q(c)}" for c, t in cols.items()]
    inner += [f"s.{_q(c)} AS {_q(c + '__raw')}" for c in other]
    fails = " OR ".join(f"({_q(c + '__raw')} IS NOT NULL AND {_q(c)} IS NULL)" for c in other)
    raw = "to_json({" + ", ".join(f"'{c}': {_q(c + '__raw')}" for c in other) + "})"
    raw_json = f"CASE WHEN {fails} THEN {raw} END" if other else "CAST(NULL AS VARCHAR)"
    return (
        f"SELECT {', '.join(map(_q, cols))}, {raw_json} AS _raw_json "
        f"FROM (SELECT {', '.join(inner)} FROM ({raw_sql}) s)"
    )


def create_bad_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _bad (_row_number BIGINT, columns VARCHAR, "
        "expectation VARCHAR, reason VARCHAR, value VARCHAR)"
    )


def row_json_sql(source: Source, alias: str) -> str:
    """JSON of a ``_typed`` row's values as text (personal ones are already pseudonymised)."""
    return (
        "to_json({"
        + ", ".join(f"'{c}': {raw_col(source, c, alias)}" for c in source.all_columns)
        + "})"
    )


def _insert_bad(
    con: duckdb.DuckDBPyConnection, select_sql: str, params: list[object] | None = None
) -> None:
    con.execute(f"INSERT INTO _bad {select_sql}", params or []).fetchall()


def type_failures(con: duckdb.DuckDBPyConnection, source: Source) -> None:
    """A present value that does not cast to the declared type."""
    parts = [
        f"SELECT _row_number, '{c}', 'type', 'not a valid {t}', "
        f"left({raw_col(source, c)}, {MAX_VALUE_CHARS}) FROM _typed "
        f"WHERE _raw_json IS NOT NULL AND {_q(c)} IS NULL AND {raw_col(source, c)} IS NOT NULL"
        for c, t in source.all_columns.items()
        if t != "VARCHAR"
    ]
    if (
        not parts
        or not con.execute("SELECT 1 FROM _typed WHERE _raw_json IS NOT NULL LIMIT 1").fetchall()
    ):  # no row had a type failure (always so after the typed CSV fast path)
        return
    _insert_bad(con, " UNION ALL ".join(parts))


def _key_value(source: Source, cols: Sequence[str]) -> str:
    return " || ', ' || ".join(f"'{c}=' || coalesce({raw_col(source, c)}, '')" for c in cols)


def pk_failures(con: duckdb.DuckDBPyConnection, source: Source, source_file: str) -> None:
    """Later copies of a primary key in the file, and keys loaded before from other files."""
    pk = list(source.primary_key)
    if not pk:
        return
    keys, notnull = ", ".join(map(_q, pk)), " AND ".join(f"{_q(c)} IS NOT NULL" for c in pk)
    row_hash = f"hash({', '.join(raw_col(source, c) for c in source.all_columns)})"
    _insert_bad(
        con,
        f"""
        SELECT _row_number, '{",".join(pk)}', 'primary_key',
               CASE WHEN h = first_h THEN 'exact duplicate of line ' || first_row
                    ELSE 'duplicate primary key; first occurrence at line ' || first_row END,
               left(kv, {MAX_VALUE_CHARS})
        FROM (SELECT _row_number, {_key_value(source, pk)} AS kv, {row_hash} AS h,
                     first_value(_row_number) OVER w AS first_row,
                     first_value({row_hash}) OVER w AS first_h
              FROM _typed SEMI JOIN (SELECT {keys} FROM _typed WHERE {notnull}
                                     GROUP BY ALL HAVING count(*) > 1) USING ({keys})
              WINDOW w AS (PARTITION BY {keys} ORDER BY _row_number))
        WHERE _row_number <> first_row""",
    )
    if has_table(con, source.name):
        _insert_bad(
            con,
            f"""
            SELECT t._row_number, '{",".join(pk)}', 'primary_key',
                   'primary key already loaded from ' || o._source_file
                       || ' line ' || o._row_number,
                   left({_key_value(source, pk)}, {MAX_VALUE_CHARS})
            FROM _typed t JOIN main.{_q(source.name)} o USING ({keys})
            WHERE o._source_file <> ?""",
            [source_file],
        )


def resolve_references(
    con: duckdb.DuckDBPyConnection, source: Source, checks: list[Check], source_file: str
) -> list[Check]:
    """Fill each references check with the codes present in the referenced warehouse table
    (and, for a self-reference, in this file too)."""
    out = []
    for c in checks:
        if c.kind == "within":
            out.append(resolve_within(con, c))
            continue
        if c.kind != "references":
            out.append(c)
            continue
        table, col = c.params["table"], c.params["column"]
        values: set[object] = set()
        if has_table(con, table):
            rows = con.execute(
                f"SELECT DISTINCT {_q(col)} FROM main.{_q(table)} "
                f"WHERE {_q(col)} IS NOT NULL AND _source_file <> ?",
                [source_file if table == source.name else ""],
            ).fetchall()
            values |= {r[0] for r in rows}
        if table == source.name:
            rows = con.execute(
                f"SELECT DISTINCT {_q(col)} FROM _typed WHERE {_q(col)} IS NOT NULL"
            ).fetchall()
            values |= {r[0] for r in rows}
        out.append(replace(c, params={**c.params, "values": tuple(sorted(values))}))
    return out


def _frame_col(col: str, typ: str, *, nullness_only: bool = False, name: str | None = None) -> str:
    """How a column reaches GX: DATE/TIMESTAMP as int64 epoch microseconds (exact and
    order-preserving; GX compares datetimes element by element in Python), and a column that
    only has not_null checks as a 1/NULL surrogate (hashing wide text frames is slow in GX)."""
    expr = _q(col)
    if nullness_only:
        expr = f"CAST(CASE WHEN {expr} IS NULL THEN NULL ELSE 1 END AS TINYINT)"
    elif typ in TEMPORAL:
        expr = f"epoch_us(CAST({expr} AS TIMESTAMP))"
    return f"{expr} AS {_q(name or col)}"


def _record(con: duckdb.DuckDBPyConnection, source: Source, check: Check, rows: np.ndarray) -> None:
    """Insert failures of ``check`` for the given row numbers into ``_bad``."""
    if rows.size == 0:
        return
    con.register("_fail", pa.table({"_row_number": pa.array(rows, pa.int64())}))
    try:
        value = (
            _key_value(source, check.columns)
            if len(check.columns) > 1
            else raw_col(source, check.columns[0])
        )
        raw_null = (
            f" AND {raw_col(source, check.columns[0])} IS NULL" if check.kind == "not_null" else ""
        )
        _insert_bad(
            con,
            f"SELECT _row_number, ?, ?, ?, left({value}, {MAX_VALUE_CHARS}) "
            f"FROM _typed SEMI JOIN _fail USING (_row_number) WHERE true{raw_null}",
            [",".join(check.columns), expectation_name(check), check.reason],
        )
    finally:
        con.unregister("_fail")


def _run_rows(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    checks: list[Check],
    gx: GxSession,
    n_rows: int,
    *,
    chunk: int = CHUNK_ROWS,
) -> None:
    """Row-level checks, chunked; positions map to ``_row_number`` through the frame."""
    cols = list(dict.fromkeys(c for ch in checks for c in ch.columns))
    types = source.all_columns
    only_nulls = {c for c in cols if all(ch.kind == "not_null" for ch in checks if c in ch.columns)}
    select = ", ".join(_frame_col(c, types[c], nullness_only=c in only_nulls) for c in cols)
    failed: dict[int, tuple[Check, list[np.ndarray]]] = {}
    for lo in range(2, n_rows + 2, chunk):
        frame = (
            con.sql(
                f"SELECT _row_number, {select} FROM _typed WHERE _row_number "
                "BETWEEN $lo AND $hi ORDER BY _row_number",
                params={"lo": lo, "hi": lo + chunk - 1},
            )
            .to_arrow_table()
            .to_pandas()
        )
        numbers = frame["_row_number"].to_numpy()
        for check, pos in gx.failures(frame, checks):
            failed.setdefault(id(check), (check, []))[1].append(
                numbers[np.asarray(pos, dtype=np.int64)]
            )
        del frame
    for check, parts in failed.values():
        _record(con, source, check, np.concatenate(parts))


def _distinct_frame(
    con: duckdb.DuckDBPyConnection, source: Source, cols: list[str], where: str | None
) -> tuple[object, dict[str, int]]:
    """One frame holding each column's distinct values; ``_grp_<i>`` (an Arrow table registered
    on ``con``; ``_drop_groups`` unregisters them) keeps position ``_g`` -> value ``v``.

    Shorter columns are padded by repeating their first value; positions past a column's own
    length are ignored, so the padding never causes or hides a failure.
    """
    cond = f"WHERE {_q(where)}" if where else ""
    arrays, lengths = {}, {}
    for i, c in enumerate(cols):
        groups = con.sql(  # one query per column: the values, and what GX gets of them
            f"SELECT _g, v, {_frame_col('v', source.all_columns[c], name='_f')} FROM "
            f"(SELECT row_number() OVER () - 1 AS _g, v FROM "
            f"(SELECT DISTINCT {_q(c)} AS v FROM _typed {cond})) ORDER BY _g"
        ).to_arrow_table()
        con.register(f"_grp_{i}", groups.select(["_g", "v"]))
        arr = groups.column("_f").combine_chunks()
        if len(arr):
            arrays[c], lengths[c] = arr, len(arr)
    n = max(lengths.values(), default=0)
    padded = {
        c: a.take(np.concatenate([np.arange(len(a)), np.zeros(n - len(a), np.int64)]))
        for c, a in arrays.items()
    }
    return pa.table(padded).to_pandas(), lengths


def _drop_groups(con: duckdb.DuckDBPyConnection, n: int) -> None:
    for i in range(n):
        con.unregister(f"_grp_{i}")


def _run_distinct(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    where: str | None,
    checks: list[Check],
    gx: GxSession,
) -> None:
    """Single-column checks on the columns' distinct values, mapped back to rows."""
    cols = list(dict.fromkeys(c.columns[0] for c in checks))
    try:
        frame, lengths = _distinct_frame(con, source, cols, where)
        live = [c for c in checks if c.columns[0] in lengths]
        for check, pos in gx.failures(frame, live) if live else []:
            col = check.columns[0]
            mine = [p for p in pos if p < lengths[col]]
            con.register("_failg", pa.table({"_g": pa.array(mine, pa.int64())}))
            try:
                rows = con.execute(
                    f"SELECT t._row_number FROM _typed t JOIN (SELECT v FROM "
                    f"_grp_{cols.index(col)} SEMI JOIN _failg USING (_g)) x "
                    f"ON t.{_q(col)} IS NOT DISTINCT FROM x.v "
                    f"{'WHERE t.' + _q(where) if where else ''}"
                ).fetchnumpy()["_row_number"]
            finally:
                con.unregister("_failg")
            _record(con, source, check, np.asarray(rows, dtype=np.int64))
    finally:
        _drop_groups(con, len(cols))


def _high_cardinality(con: duckdb.DuckDBPyConnection, cols: list[str], n_rows: int) -> set[str]:
    """Columns with many distinct values: checked on rows, not on distinct values."""
    if not cols:
        return set()
    counts = con.execute(
        "SELECT " + ", ".join(f"approx_count_distinct({_q(c)})" for c in cols) + " FROM _typed"
    ).fetchall()[0]
    return {c for c, k in zip(cols, counts, strict=True) if k > max(10_000, n_rows // 10)}


def expectation_failures(
    con: duckdb.DuckDBPyConnection, source: Source, checks: list[Check], gx: GxSession, n_rows: int
) -> None:
    """Run every GX check, grouping them into row frames and distinct-value frames."""
    if n_rows == 0 or not checks:
        return
    single = list(
        dict.fromkeys(
            c.columns[0]
            for c in checks
            if c.where is None and c.kind not in {"order", "unique", "within"}
        )
    )
    many = _high_cardinality(con, single, n_rows)
    row_checks = [
        c
        for c in checks
        if c.kind in {"order", "unique"} or (c.where is None and c.columns[0] in many)
    ]
    for c in checks:
        if c.kind == "within":
            _record(con, source, c, within_failures(con, c, gx))
    unique = [c for c in row_checks if c.kind == "unique"]
    chunked = [c for c in row_checks if c.kind != "unique"]
    if chunked:
        _run_rows(con, source, chunked, gx, n_rows)
    if unique:  # uniqueness needs the whole file in one frame
        _run_rows(con, source, unique, gx, n_rows, chunk=n_rows)
    groups: dict[str | None, list[Check]] = {}
    row_ids = {id(c) for c in row_checks}
    for c in checks:
        if id(c) not in row_ids and c.kind != "within":
            groups.setdefault(c.where, []).append(c)
    for where, group in groups.items():
        _run_distinct(con, source, where, group, gx)
