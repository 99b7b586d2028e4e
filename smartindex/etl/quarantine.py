"""Find invalid rows of the staged file and record them in the temp table ``_bad``.

``_bad`` holds one row per (row, failed check): ``_row_number`` (line number, header = line 1),
``columns``, ``expectation``, ``reason`` and the offending raw ``value``. Sources of failures:

* type: a non-empty value that does not TRY_CAST to the declared type (DuckDB);
* primary key: later occurrences of a key within the file (the first occurrence is kept; exact
  duplicate rows say so) and keys already loaded from another file (DuckDB);
* every registry expectation, run by Great Expectations (validate.py) on pandas frames pulled
  from DuckDB with only the columns a check needs. Single-column checks on low-cardinality
  columns run on one frame of the columns' distinct values (one GX call per file); checks on
  high-cardinality columns, column-pair order and unique checks run on rows, in chunks. On
  small files the row frame and the distinct-value frames share one GX run (``_run_joint``).
  Failures are mapped back to row numbers in DuckDB.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from smartindex.etl.casts import strict_cast
from smartindex.etl.catalog import has_table
from smartindex.etl.registry import NUMERIC, TEMPORAL, Source
from smartindex.etl.validate import Check, GxSession, ValidationCrashError, expectation_name
from smartindex.etl.within import resolve_within, within_failures

CHUNK_ROWS = 1_000_000  # rows per GX frame; 2 M cost ~200 MB more peak RSS at 10 M rows
# files up to this many rows check rows and distinct values in one GX run (_run_joint): the
# frames are padded to the longer one, so on large files the per-row cost would outweigh it
JOINT_MAX_ROWS = 30_000
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
    sql = f"""
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
        WHERE _row_number <> first_row"""
    params: list[object] = []
    if has_table(con, source.name):  # one statement for both kinds (each costs ~10 ms)
        sql += f"""
            UNION ALL
            SELECT t._row_number, '{",".join(pk)}', 'primary_key',
                   'primary key already loaded from ' || o._source_file
                       || ' line ' || o._row_number,
                   left({_key_value(source, pk)}, {MAX_VALUE_CHARS})
            FROM _typed t JOIN {_q(source.name)} o USING ({keys})
            WHERE o._source_file <> ?"""
        params = [source_file]
    _insert_bad(con, sql, params)


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
                f"SELECT DISTINCT {_q(col)} FROM {_q(table)} "
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


# GX's pandas between metric is vectorised for int64 and float64 columns only; on any other
# dtype (an INTEGER column without NULLs arrives as int32) it calls a Python function per
# value. The same values, widened, take the vectorised path.
WIDEN = {"SMALLINT": "BIGINT", "INTEGER": "BIGINT", "FLOAT": "DOUBLE"}


def _frame_expr(expr: str, typ: str) -> str:
    """SQL of what GX gets of a value ``expr`` of type ``typ`` (see ``_frame_col``)."""
    if typ in TEMPORAL:
        return f"epoch_us(CAST({expr} AS TIMESTAMP))"
    if typ in WIDEN:
        return f"CAST({expr} AS {WIDEN[typ]})"
    return expr


def _frame_col(col: str, typ: str, *, nullness_only: bool = False, name: str | None = None) -> str:
    """How a column reaches GX: DATE/TIMESTAMP as int64 epoch microseconds (exact and
    order-preserving; GX compares datetimes element by element in Python), narrow numbers
    widened (``WIDEN``), and a column that only has not_null checks as a 1/NULL surrogate
    (hashing wide text frames is slow in GX)."""
    expr = _frame_expr(_q(col), typ)
    if nullness_only:
        expr = f"CAST(CASE WHEN {_q(col)} IS NULL THEN NULL ELSE 1 END AS TINYINT)"
    return f"{expr} AS {_q(name or col)}"


def _insert_failures(
    con: duckdb.DuckDBPyConnection, source: Source, check: Check, rows_sql: str
) -> None:
    """Insert failures of ``check`` into ``_bad`` for the row numbers ``rows_sql`` selects."""
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
        f"FROM _typed SEMI JOIN ({rows_sql}) USING (_row_number) WHERE true{raw_null}",
        [",".join(check.columns), expectation_name(check), check.reason],
    )


def _record(con: duckdb.DuckDBPyConnection, source: Source, check: Check, rows: np.ndarray) -> None:
    """Insert failures of ``check`` for the given row numbers into ``_bad``."""
    if rows.size == 0:
        return
    con.register("_fail", pa.table({"_row_number": pa.array(rows, pa.int64())}))
    try:
        _insert_failures(con, source, check, "SELECT _row_number FROM _fail")
    finally:
        con.unregister("_fail")


def _rows_frame(
    con: duckdb.DuckDBPyConnection, source: Source, checks: list[Check], lo: int, hi: int
) -> Any:
    """Rows ``lo``..``hi`` of ``_typed`` with the columns ``checks`` need (and _row_number)."""
    cols = list(dict.fromkeys(c for ch in checks for c in ch.columns))
    types = source.all_columns
    only_nulls = {c for c in cols if all(ch.kind == "not_null" for ch in checks if c in ch.columns)}
    select = ", ".join(_frame_col(c, types[c], nullness_only=c in only_nulls) for c in cols)
    return (
        con.sql(
            f"SELECT _row_number, {select} FROM _typed WHERE _row_number "
            "BETWEEN $lo AND $hi ORDER BY _row_number",
            params={"lo": lo, "hi": hi},
        )
        .to_arrow_table()
        .to_pandas()
    )


def _record_rows(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    found: list[tuple[Check, list[np.ndarray]]],
) -> None:
    for check, parts in found:
        _record(con, source, check, np.concatenate(parts))


def _rows_found(
    failed: dict[int, tuple[Check, list[np.ndarray]]],
    numbers: np.ndarray,
    found: list[tuple[Check, list[int]]],
) -> None:
    """Add a frame's failing positions (``found``) to ``failed`` as row numbers."""
    for check, pos in found:
        failed.setdefault(id(check), (check, []))[1].append(
            numbers[np.asarray(pos, dtype=np.int64)]
        )


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
    failed: dict[int, tuple[Check, list[np.ndarray]]] = {}
    for lo in range(2, n_rows + 2, chunk):
        frame = _rows_frame(con, source, checks, lo, lo + chunk - 1)
        _rows_found(failed, frame["_row_number"].to_numpy(), gx.failures(frame, checks))
        del frame
    _record_rows(con, source, list(failed.values()))


@dataclass
class _Distinct:
    """One distinct-value frame (see ``_distinct_frame``) and its checks."""

    where: str | None
    cols: list[str]
    tag: str  # prefix of its registered group tables
    frame: Any
    lengths: dict[str, int]
    live: list[Check]


def _distinct_frame(
    con: duckdb.DuckDBPyConnection, source: Source, cols: list[str], where: str | None, tag: str
) -> tuple[object, dict[str, int]]:
    """One frame holding each column's distinct values; ``<tag><i>`` (an Arrow table registered
    on ``con``; ``_drop_groups`` unregisters them) keeps position ``_g`` -> value ``v``.

    Shorter columns are padded by repeating their first value; positions past a column's own
    length are ignored, so the padding never causes or hides a failure.
    """
    cond = f"WHERE {_q(where)}" if where else ""
    types = source.all_columns
    # ONE query for all columns (a query costs milliseconds): per column the list of its
    # distinct non-NULL values, NULL appended when present, and what GX gets of each
    aggs = ", ".join(
        f"list(DISTINCT {_q(c)}) FILTER (WHERE {_q(c)} IS NOT NULL) AS v{i}, "
        f"bool_or({_q(c)} IS NULL) AS n{i}"
        for i, c in enumerate(cols)
    )
    lists = ", ".join(
        f"CASE WHEN n{i} THEN list_append(coalesce(v{i}, []), NULL) ELSE v{i} END AS w{i}"
        for i in range(len(cols))
    )
    outs = ", ".join(
        f"w{i}, list_transform(w{i}, lambda x: {_frame_expr('x', types[c])}) AS f{i}"
        for i, c in enumerate(cols)
    )
    got = con.sql(
        f"SELECT {outs} FROM (SELECT {lists} FROM (SELECT {aggs} FROM _typed {cond}))"
    ).to_arrow_table()
    arrays, lengths = {}, {}
    for i, c in enumerate(cols):
        values = got.column(f"w{i}")[0].values
        if values is None:
            values = pa.array([], got.column(f"w{i}").type.value_type)
        con.register(
            f"{tag}{i}", pa.table({"_g": pa.array(np.arange(len(values)), pa.int64()), "v": values})
        )
        if len(values):
            arrays[c], lengths[c] = got.column(f"f{i}")[0].values, len(values)
    n = max(lengths.values(), default=0)
    padded = {
        c: a.take(np.concatenate([np.arange(len(a)), np.zeros(n - len(a), np.int64)]))
        for c, a in arrays.items()
    }
    return pa.table(padded).to_pandas(), lengths


def _drop_groups(con: duckdb.DuckDBPyConnection, d: _Distinct) -> None:
    for i in range(len(d.cols)):
        con.unregister(f"{d.tag}{i}")


def _open_distinct(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    where: str | None,
    checks: list[Check],
    tag: str,
) -> _Distinct:
    cols = list(dict.fromkeys(c.columns[0] for c in checks))
    d = _Distinct(where, cols, tag, None, {}, [])
    d.frame, d.lengths = _distinct_frame(con, source, cols, where, tag)
    d.live = [c for c in checks if c.columns[0] in d.lengths]
    return d


def _record_distinct(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    d: _Distinct,
    found: list[tuple[Check, list[int]]],
) -> None:
    """Failing distinct values (positions in ``d.frame``) mapped back to their rows, in
    one statement per check."""
    for check, pos in found:
        col = check.columns[0]
        mine = [p for p in pos if p < d.lengths[col]]
        if not mine:
            continue
        con.register("_failg", pa.table({"_g": pa.array(mine, pa.int64())}))
        try:
            _insert_failures(
                con,
                source,
                check,
                f"SELECT t._row_number FROM _typed t JOIN (SELECT v FROM "
                f"{d.tag}{d.cols.index(col)} SEMI JOIN _failg USING (_g)) x "
                f"ON t.{_q(col)} IS NOT DISTINCT FROM x.v "
                f"{'WHERE t.' + _q(d.where) if d.where else ''}",
            )
        finally:
            con.unregister("_failg")


def _run_distinct(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    where: str | None,
    checks: list[Check],
    gx: GxSession,
) -> None:
    """Single-column checks on the columns' distinct values, mapped back to rows."""
    d = _open_distinct(con, source, where, checks, "_grp_")
    try:
        _record_distinct(con, source, d, gx.failures(d.frame, d.live) if d.live else [])
    finally:
        _drop_groups(con, d)


def side_by_side(parts: Sequence[tuple[Any, Sequence[Check]]]) -> tuple[Any, list[Check]]:
    """One frame holding every part's frame (non-empty) side by side, its columns renamed
    ``_p<k>_<column>`` and its rows repeated end to end up to the longest; the checks renamed
    alike. Position ``r`` of a part's check is row ``r`` of its frame for ``r`` below the
    frame's length; later positions repeat earlier rows and must be ignored."""
    import pandas as pd  # noqa: PLC0415 - imported with pyarrow's to_pandas already

    n = max(len(frame) for frame, _ in parts)
    cols: dict[str, Any] = {}
    renamed: list[Check] = []
    for k, (frame, checks) in enumerate(parts):
        take = np.arange(n) % len(frame)
        for c in dict.fromkeys(col for ch in checks for col in ch.columns):
            cols[f"_p{k}_{c}"] = frame[c].iloc[take].reset_index(drop=True)
        renamed += [replace(ch, columns=tuple(f"_p{k}_{c}" for c in ch.columns)) for ch in checks]
    return pd.DataFrame(cols), renamed


def joint_failures(
    gx: GxSession, parts: Sequence[tuple[Any, Sequence[Check]]]
) -> list[list[tuple[Check, list[int]]]]:
    """Each part's ``gx.failures(frame, checks)``, found in ONE GX run on the frames side by
    side (``side_by_side``): GX costs per run as well as per expectation. Only for checks
    whose outcome for a row depends on that row alone (not unique). A crash repeats the parts
    one by one, so the error names the real column."""
    frame, renamed = side_by_side(parts)
    try:
        found = gx.failures(frame, renamed)
    except ValidationCrashError:
        return [gx.failures(f, list(checks)) for f, checks in parts]
    owner, k = {}, 0
    for p, (f, checks) in enumerate(parts):
        for ch in checks:
            owner[id(renamed[k])] = (p, ch, len(f))
            k += 1
    out: list[list[tuple[Check, list[int]]]] = [[] for _ in parts]
    for check, pos in found:
        p, original, n = owner[id(check)]
        mine = [x for x in pos if x < n]
        if mine:
            out[p].append((original, mine))
    return out


def _run_joint(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    gx: GxSession,
    *,
    rows: list[Check],
    unique: list[Check],
    groups: dict[str | None, list[Check]],
    n_rows: int,
) -> None:
    """Small files: the row checks (one frame, no chunks) and the distinct-value checks in
    one GX run (``joint_failures``). Failures are recorded in the order of the separate runs
    (rows, unique, distinct values)."""
    opened: list[_Distinct] = []
    try:
        frame = _rows_frame(con, source, rows, 2, n_rows + 1)
        for where, group in groups.items():
            opened.append(_open_distinct(con, source, where, group, f"_grp{len(opened)}_"))
        live = [d for d in opened if d.live]
        found = joint_failures(gx, [(frame, rows)] + [(d.frame, d.live) for d in live])
        failed: dict[int, tuple[Check, list[np.ndarray]]] = {}
        _rows_found(failed, frame["_row_number"].to_numpy(), found[0])
        _record_rows(con, source, list(failed.values()))
        if unique:
            _run_rows(con, source, unique, gx, n_rows, chunk=n_rows)
        for d, part in zip(live, found[1:], strict=True):
            _record_distinct(con, source, d, part)
    finally:
        for d in opened:
            _drop_groups(con, d)


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
    groups: dict[str | None, list[Check]] = {}
    row_ids = {id(c) for c in row_checks}
    for c in checks:
        if id(c) not in row_ids and c.kind != "within":
            groups.setdefault(c.where, []).append(c)
    if chunked and groups and n_rows <= JOINT_MAX_ROWS:
        _run_joint(con, source, gx, rows=chunked, unique=unique, groups=groups, n_rows=n_rows)
        return
    if chunked:
        _run_rows(con, source, chunked, gx, n_rows)
    if unique:  # uniqueness needs the whole file in one frame
        _run_rows(con, source, unique, gx, n_rows, chunk=n_rows)
    for where, group in groups.items():
        _run_distinct(con, source, where, group, gx)
