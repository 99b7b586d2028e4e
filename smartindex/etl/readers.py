"""Read one raw file into the staging table ``_typed_t`` / view ``_typed`` (CSV, Parquet, XLSX).

``_typed_t`` lives in ``STAGE_DB``, an in-memory database attached to the connection (not in its
temp schema), so that other cursors of the same connection see it: the loader validates and
writes one batch of files on a cursor of its own while the next files are staged.

Every column is read as VARCHAR, then TRY_CAST to its declared type in the same statement (the
raw text of a row with a type failure is kept in ``_raw_json`` for the quarantine). Fast path
for CSV (decimal '.'): read once with the declared types; used only when DuckDB rejects no
record, else the VARCHAR way is taken (see ``_create_stage_typed``).
Row numbers: ``_typed_t.rowid + 2`` is a record's line number in the file, header = line 1
(so the first data record is line 2; for XLSX it is the Excel row; for Parquet the record ordinal
plus one). A CSV field containing a line break does not shift later numbers: they count records.
Personal columns are pseudonymised inside the statement that creates ``_typed_t``, so no raw
personal value is ever stored in any table. Empty strings become NULL.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import openpyxl
import pyarrow as pa
from openpyxl.utils.exceptions import InvalidFileException

from smartindex.errors import DataFileError
from smartindex.etl.casts import FLOATS, READ_AS_TEXT, finite_or_error, must_cast
from smartindex.etl.csvtext import MAX_LINE, csv_error, sniff_csv, transcoded
from smartindex.etl.pseudonymise import hash_sql
from smartindex.etl.quarantine import staging_select
from smartindex.etl.registry import IDENT, Source

STAGE_DB = "si_stage"  # see the module docstring


def attach_stage(con: duckdb.DuckDBPyConnection) -> None:
    """Attach ``STAGE_DB`` (in memory; spills to DuckDB's temp directory like temp tables)."""
    con.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {STAGE_DB}")


@dataclass
class Staged:
    """Outcome of staging one file."""

    rows: int
    header: list[str]
    warnings: list[str] = field(default_factory=list)


def file_format(path: Path, source: Source) -> str:
    """Declared format, else from the extension (.csv.gz is csv)."""
    if source.format:
        return source.format
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes[-1:] == [".parquet"]:
        return "parquet"
    if suffixes[-1:] == [".xlsx"]:
        return "xlsx"
    return "csv"


def check_header(path: Path, header: list[str], source: Source) -> None:
    """Required columns present, no unknown or repeated column (line 1 names the column).

    Missing columns are checked first: a file without a header has a data record on line 1,
    and its values (possibly personal) must not appear in the message as column names."""
    missing = [c for c in source.columns if c not in header]
    if missing:
        hint = ""
        if len(header) == 1 and any(d in header[0] for d in ";,\t|"):
            hint = f" (is the delimiter {source.delimiter!r} right?)"
        raise DataFileError(
            path,
            f"missing required column(s) {', '.join(missing)}{hint}",
            line=1,
            column=missing[0],
        )
    for name in header:
        if header.count(name) > 1:
            raise DataFileError(
                path,
                "column appears twice in the header",
                line=1,
                column=name if IDENT.match(name) else None,
            )
    extra = [c for c in header if c not in source.all_columns]
    named = [c for c in extra if IDENT.match(c)]
    if named:
        raise DataFileError(
            path,
            f"unexpected column(s) {', '.join(named)} (not in the registry for {source.name!r})",
            line=1,
            column=named[0],
        )
    if extra:  # values, not names: a record or a stray value on the header line
        raise DataFileError(
            path,
            f"{len(extra)} unexpected column(s) that are not column "
            "names (data on the header line?)",
            line=1,
        )


def _csv_from(path: Path, header: list[str], source: Source, *, typed: bool = False) -> str:
    """``read_csv`` of ``path``: every column VARCHAR, or (``typed``) with its declared type and
    failing records stored in the rejects tables ``_csv_rejects`` / ``_csv_scans``. Integer,
    date and time columns are read as text even then: the CSV reader rounds 4.6 to 5 and drops
    time-zone offsets, so they are cast strictly afterwards (casts.py)."""
    types = {
        c: t if typed and t not in READ_AS_TEXT else "VARCHAR"
        for c, t in source.all_columns.items()
    }
    cols = ", ".join(f"'{c}': '{types[c]}'" for c in header)
    delim = source.delimiter.replace("'", "''")
    rejects = (
        ", store_rejects=true, rejects_table='_csv_rejects', rejects_scan='_csv_scans'"
        if typed
        else ""
    )
    return (
        f"read_csv('{_sql_path(path)}', header=true, auto_detect=false, columns={{{cols}}}, "
        f"delim='{delim}', quote='\"', escape='\"', strict_mode=true, null_padding=false, "
        f"max_line_size={MAX_LINE}, compression='auto'{rejects})"
    )


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _create_stage(
    con: duckdb.DuckDBPyConnection, from_sql: str, header: list[str], source: Source, key: str
) -> int:
    """Stage the file in ONE pass: table ``_typed_t`` in ``STAGE_DB`` (typed + raw columns,
    personal columns hashed) and the view ``_typed`` adding ``_row_number`` (= rowid + 2)."""
    exprs = []
    for c in source.all_columns:
        raw = f"NULLIF(CAST(\"{c}\" AS VARCHAR), '')" if c in header else "CAST(NULL AS VARCHAR)"
        exprs.append(f'{hash_sql(raw) if c in source.pseudonymise else raw} AS "{c}"')
    attach_stage(con)
    con.execute("DROP VIEW IF EXISTS temp._typed")
    con.execute(f"DROP TABLE IF EXISTS {STAGE_DB}._typed_t")
    raw_sql = f"SELECT {', '.join(exprs)} FROM {from_sql}"
    rows = con.execute(  # CREATE TABLE AS answers with its row count
        f"CREATE TABLE {STAGE_DB}._typed_t AS {staging_select(source, raw_sql)}",
        {"key": key} if source.pseudonymise else None,
    ).fetchall()[0][0]
    _typed_view(con)
    return int(rows)


def _typed_view(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"CREATE TEMP VIEW _typed AS SELECT rowid + 2 AS _row_number, * FROM {STAGE_DB}._typed_t"
    )


def _drop_rejects(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DROP TABLE IF EXISTS temp._csv_rejects")
    con.execute("DROP TABLE IF EXISTS temp._csv_scans")


def _fast_expr(col: str, typ: str, header: list[str], source: Source) -> str:
    """The fast path's select expression of one column: typed by the reader, or read as text
    and cast strictly, raising (so the caller falls back) when a value does not cast."""
    if col not in header:
        return f'CAST(NULL AS {typ}) AS "{col}"'
    val = f'"{col}"'
    if typ == "VARCHAR" or typ in READ_AS_TEXT:
        val = must_cast(f"NULLIF({val}, '')", typ)
    elif typ in FLOATS:
        val = finite_or_error(val)
    return f'{hash_sql(val) if col in source.pseudonymise else val} AS "{col}"'


def _create_stage_typed(
    con: duckdb.DuckDBPyConnection, path: Path, header: list[str], source: Source, key: str
) -> int | None:
    """Fast path: read the CSV ONCE with the declared types (no VARCHAR copy, no TRY_CAST).

    Returns the row count, or None when DuckDB rejected any record (a value that does not cast,
    a ragged line, invalid UTF-8 ...): the caller then stages the file the VARCHAR + TRY_CAST
    way, which reports every such record exactly as before. With no rejects both paths give the
    same ``_typed_t`` (the CSV reader casts with the same rules as TRY_CAST; ``_raw_json`` is
    NULL because no value failed to cast). Not used with ``decimal = ","``.
    """
    exprs = [_fast_expr(c, typ, header, source) for c, typ in source.all_columns.items()]
    # no rejects tables to drop first: every call drops them when it is done (finally below)
    attach_stage(con)
    con.execute("DROP VIEW IF EXISTS temp._typed")
    con.execute(f"DROP TABLE IF EXISTS {STAGE_DB}._typed_t")
    rows = 0
    try:
        rows = con.execute(  # CREATE TABLE AS answers with its row count
            f"CREATE TABLE {STAGE_DB}._typed_t AS SELECT {', '.join(exprs)}, "
            f"CAST(NULL AS VARCHAR) AS _raw_json "
            f"FROM {_csv_from(path, header, source, typed=True)}",
            {"key": key} if source.pseudonymise else None,
        ).fetchall()[0][0]
        rejected = con.execute("SELECT count(*) FROM temp._csv_rejects").fetchall()[0][0]
    except duckdb.Error:
        rejected = None
    finally:
        _drop_rejects(con)
    if rejected != 0:
        con.execute(f"DROP TABLE IF EXISTS {STAGE_DB}._typed_t")
        return None
    _typed_view(con)
    return int(rows)


def _stage_csv_from(
    con: duckdb.DuckDBPyConnection, target: Path, header: list[str], source: Source, key: str
) -> int:
    rows = _create_stage_typed(con, target, header, source, key) if source.decimal == "." else None
    if rows is None:
        rows = _create_stage(con, _csv_from(target, header, source), header, source, key)
    return rows


def _stage_csv(
    con: duckdb.DuckDBPyConnection, path: Path, source: Source, key: str, scratch: Path
) -> Staged:
    header, utf8 = sniff_csv(path, source)
    check_header(path, header, source)
    warnings: list[str] = []
    with ExitStack() as stack:
        target = path
        if source.encoding in {"cp1252", "latin-1"}:
            target = stack.enter_context(transcoded(path, source.encoding, scratch))
        try:
            if not utf8 and source.encoding is None:
                raise duckdb.InvalidInputException("Invalid unicode in header")
            rows = _stage_csv_from(con, target, header, source, key)
        except duckdb.Error as exc:
            if "unicode" not in str(exc).lower() or source.encoding is not None:
                raise csv_error(path, exc, header, source.delimiter) from exc
            where = re.search(r"CSV Error on Line: (\d+)", str(exc))
            warnings.append(
                f"not valid UTF-8 (first at line {where.group(1) if where else 1}); read as cp1252"
            )
            target = stack.enter_context(transcoded(path, "cp1252", scratch))
            try:
                rows = _create_stage(con, _csv_from(target, header, source), header, source, key)
            except duckdb.Error as exc2:
                raise csv_error(path, exc2, header, source.delimiter) from exc2
    return Staged(rows, header, warnings)


def _stage_parquet(
    con: duckdb.DuckDBPyConnection, path: Path, source: Source, key: str, scratch: Path
) -> Staged:
    from_sql = f"read_parquet('{_sql_path(path)}')"
    try:
        header = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {from_sql}").fetchall()]
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0]
        raise DataFileError(path, f"not a readable Parquet file: {first}") from exc
    check_header(path, header, source)
    return Staged(_create_stage(con, from_sql, header, source, key), header)


def _cell(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, dt.date | dt.time):
        return v.isoformat()
    return str(v)


def _xlsx_table(path: Path, source: Source) -> tuple[list[str], pa.Table]:
    """The declared (or only) sheet as an all-string Arrow table; formulas stay text."""
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise DataFileError(path, f"not a readable XLSX workbook: {exc}") from exc
    try:
        if source.sheet is None and len(wb.sheetnames) > 1:
            raise DataFileError(
                path,
                f"workbook has {len(wb.sheetnames)} sheets "
                f"({', '.join(wb.sheetnames)}); declare `sheet` in sources.toml",
            )
        if source.sheet is not None and source.sheet not in wb.sheetnames:
            raise DataFileError(path, f"no sheet named {source.sheet!r}")
        rows = list(wb[source.sheet or wb.sheetnames[0]].iter_rows(values_only=True))
    finally:
        wb.close()
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    if not rows:
        raise DataFileError(path, "empty sheet (no header row)", line=1)
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    while header and header[-1] == "":
        header.pop()
    for i, row in enumerate(rows[1:], start=2):
        if any(v is not None for v in row[len(header) :]):
            raise DataFileError(path, "value beyond the last header column", line=i)
    cols = list(zip(*(r[: len(header)] for r in rows[1:]), strict=False)) or [()] * len(header)
    data = {
        h: pa.array([_cell(v) for v in col], pa.string())
        for h, col in zip(header, cols, strict=False)
    }
    return header, pa.table(data) if rows[1:] else pa.table(
        {h: pa.array([], pa.string()) for h in header}
    )


def _stage_xlsx(
    con: duckdb.DuckDBPyConnection, path: Path, source: Source, key: str, scratch: Path
) -> Staged:
    header, table = _xlsx_table(path, source)
    check_header(path, header, source)
    con.register("_xlsx_src", table)
    try:
        return Staged(_create_stage(con, "_xlsx_src", header, source, key), header)
    finally:
        con.unregister("_xlsx_src")


_STAGERS: dict[str, Callable[..., Staged]] = {
    "csv": _stage_csv,
    "parquet": _stage_parquet,
    "xlsx": _stage_xlsx,
}


def stage(
    con: duckdb.DuckDBPyConnection, path: Path, source: Source, *, key: str, scratch: Path
) -> Staged:
    """Stage ``path`` as ``_typed``; raise DataFileError when it cannot be read. ``scratch`` is
    a directory for temporary files that the next run cleans (see warehouse.swap)."""
    staged = _STAGERS[file_format(path, source)](con, path, source, key, scratch)
    if staged.rows == 0:
        staged.warnings.append("header only: no data rows")
    return staged
