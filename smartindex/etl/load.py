"""Load raw files into the warehouse, one transaction per file.

Per file: sha256 -> stage (typed CSV fast path, else all columns as VARCHAR + TRY_CAST;
personal columns hashed) -> type failures -> primary-key duplicates -> Great Expectations
checks -> in ONE transaction: delete the file's previous rows and quarantine rows, insert the
clean rows (with lineage columns ``_load_id``, ``_source_file``, ``_row_number``), the
quarantined rows and a ``load_manifest`` row. Invariant, asserted: rows_read = rows_loaded +
rows_quarantined.

Consecutive files of one source form a batch (``load_files``): the GX checks that depend on
the rows alone run once on the batch (GX costs per expectation and call, not per row); the
others (``per_file``), types and primary keys run per file, and the files are written in order,
so the outcome is the one of loading them one by one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import itertools
import uuid
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from smartindex.errors import CatalogueError, SmartIndexError
from smartindex.etl import quarantine as qr
from smartindex.etl.catalog import has_table
from smartindex.etl.progress import FileReport
from smartindex.etl.readers import STAGE_DB, stage
from smartindex.etl.registry import Source
from smartindex.etl.validate import Check, GxSession
from smartindex.warehouse.cities import VISIBLE_TABLES, use_schema

SHA_BLOCK = 1 << 25
BATCH_ROWS = 2_000_000  # staged rows of one source validated together (see load_files)
STAGE_AHEAD_ROWS = 2_000_000  # staged rows that may wait to be validated (see load_files)
LINEAGE = {"_load_id": "VARCHAR", "_source_file": "VARCHAR", "_row_number": "BIGINT"}
META_DDL = {
    "load_manifest": """CREATE TABLE IF NOT EXISTS load_manifest (load_id VARCHAR,
        source_file VARCHAR, sha256 VARCHAR, size_bytes BIGINT, table_name VARCHAR,
        rows_read BIGINT, rows_loaded BIGINT, rows_quarantined BIGINT, started_at TIMESTAMP,
        finished_at TIMESTAMP, status VARCHAR, error VARCHAR, warnings VARCHAR,
        extracted_at TIMESTAMP)""",
    "quarantine": """CREATE TABLE IF NOT EXISTS quarantine (load_id VARCHAR, source_file VARCHAR,
        table_name VARCHAR, row_number BIGINT, columns VARCHAR, expectation VARCHAR,
        reason VARCHAR, value VARCHAR, row_json VARCHAR)""",
}
VIEWS = {
    "kecamatan": "SELECT * FROM region WHERE level = 'kecamatan'",
    "kelurahan": "SELECT * FROM region WHERE level = 'kelurahan'",
}
# The current state of every file, one row each (load_manifest is the history): status, error
# and time of its latest load; rows and checksum of the latest successful load, which is what
# the warehouse holds (0 rows when no load of the file ever succeeded).
LOAD_CURRENT = """
    WITH latest AS (
        SELECT source_file, table_name, status, finished_at, error, warnings FROM load_manifest
        QUALIFY row_number() OVER (PARTITION BY source_file ORDER BY finished_at DESC) = 1),
    good AS (
        SELECT source_file, load_id, sha256, rows_read, rows_loaded, rows_quarantined
        FROM load_manifest WHERE status IN ('loaded', 'replaced')
        QUALIFY row_number() OVER (PARTITION BY source_file ORDER BY finished_at DESC) = 1)
    SELECT l.source_file, l.table_name, l.status, coalesce(g.rows_read, 0) AS rows_read,
           coalesce(g.rows_loaded, 0) AS rows_loaded,
           coalesce(g.rows_quarantined, 0) AS rows_quarantined, l.finished_at, l.error,
           l.warnings, g.load_id, g.sha256
    FROM latest l LEFT JOIN good g USING (source_file)
    ORDER BY l.source_file"""


@dataclass(frozen=True)
class RawFile:
    """A raw file matched by a source pattern, with its checksum."""

    path: Path
    rel: str  # path relative to the raw directory: the file's identity
    source: Source
    sha256: str
    size: int


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file. Large blocks: reading and hashing release the GIL, but every
    block has to take it back, which is slow while another thread (GX's import) holds it."""
    # a block no larger than the file (+1 to see its end in one read): zeroing 32 MB per
    # small file costs more than hashing it
    size = path.stat().st_size
    h, buf = hashlib.sha256(), bytearray(max(1, min(SHA_BLOCK, size + 1)))
    view = memoryview(buf)
    with open(path, "rb", buffering=0) as fh:
        while n := fh.readinto(buf):
            h.update(view[:n])
    return h.hexdigest()


def ensure_meta(con: duckdb.DuckDBPyConnection) -> None:
    for ddl in META_DDL.values():
        con.execute(ddl)
    # warehouses built before the extract time was recorded
    con.execute("ALTER TABLE load_manifest ADD COLUMN IF NOT EXISTS extracted_at TIMESTAMP")


def extract_time(con: duckdb.DuckDBPyConnection, f: RawFile) -> dt.datetime | None:
    """The extract's cut-off as far as the file shows it: its latest loaded timestamp (the
    extract cannot have been cut earlier). NULL for sources without TIMESTAMP columns. Read
    from the staged rows that load (``_typed`` minus ``_bad``), not from the whole table."""
    cols = [c for c, t in f.source.all_columns.items() if t == "TIMESTAMP"]
    if not cols:
        return None
    latest = ", ".join(f'"{c}"' for c in cols)
    row = con.execute(
        f"SELECT max(greatest({latest})) FROM _typed "
        "ANTI JOIN (SELECT DISTINCT _row_number FROM _bad) USING (_row_number)"
    ).fetchone()
    return row[0] if row else None


def ensure_table(con: duckdb.DuckDBPyConnection, source: Source) -> None:
    """Create the target table; refuse one whose columns differ from the registry."""
    want = {**source.all_columns, **LINEAGE}
    if has_table(con, source.name):
        have = dict(
            con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                f"WHERE {VISIBLE_TABLES} AND table_name = ? "
                "ORDER BY ordinal_position",
                [source.name],
            ).fetchall()
        )
        if have != want:
            raise CatalogueError(
                f"warehouse table {source.name!r} has columns {have} but the "
                f"registry declares {want}; rebuild the warehouse"
            )
        return
    cols = ", ".join(f'"{c}" {t}' for c, t in want.items())
    con.execute(f'CREATE TABLE "{source.name}" ({cols})')


def _manifest_rows(con: duckdb.DuckDBPyConnection, sql: str, rel: str) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` (a query on load_manifest for file ``rel``); none when the warehouse has
    no manifest yet. Asked once per file: the query itself finds out whether the table exists
    (a catalog look-up first would double the queries). Not for use inside a transaction (an
    error aborts it)."""
    try:
        return con.execute(sql, [rel]).fetchall()
    except duckdb.CatalogException:
        if has_table(con, "load_manifest"):
            raise
        return []


def previous_sha(con: duckdb.DuckDBPyConnection, rel: str) -> str | None:
    """Checksum of the file's last successful load, if any."""
    row = _manifest_rows(
        con,
        "SELECT sha256 FROM load_manifest WHERE source_file = ? AND status IN "
        "('loaded', 'replaced') ORDER BY finished_at DESC LIMIT 1",
        rel,
    )
    return row[0][0] if row else None


def current_sha(con: duckdb.DuckDBPyConnection, rel: str) -> str | None:
    """Checksum of the file's latest load if that load succeeded (None after a failure)."""
    row = _manifest_rows(
        con,
        "SELECT sha256, status FROM load_manifest WHERE source_file = ? "
        "ORDER BY finished_at DESC LIMIT 1",
        rel,
    )
    return row[0][0] if row and row[0][1] in {"loaded", "replaced"} else None


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    if has_table(con, "region"):
        for name, sql in VIEWS.items():
            con.execute(f'CREATE OR REPLACE VIEW "{name}" AS {sql}')
    con.execute(f"CREATE OR REPLACE VIEW load_current AS {LOAD_CURRENT}")


def _write(
    con: duckdb.DuckDBPyConnection, f: RawFile, load_id: str, *, replacing: bool
) -> tuple[int, int]:
    """Replace the file's rows and quarantine rows; returns (loaded, quarantined).

    Only a successful load writes rows, and each leaves a manifest row saying so: a file with
    none (``replacing`` False) has no rows to delete, so the two table scans are skipped."""
    t, cols = f'"{f.source.name}"', ", ".join(f'"{c}"' for c in f.source.all_columns)
    if replacing:
        con.execute(f"DELETE FROM {t} WHERE _source_file = ?", [f.rel])
        con.execute("DELETE FROM quarantine WHERE source_file = ?", [f.rel])
    bad = con.execute("SELECT count(DISTINCT _row_number) FROM _bad").fetchall()[0][0]
    if not bad:  # nothing to leave out or to quarantine
        loaded = con.execute(
            f"INSERT INTO {t} SELECT {cols}, ?, ?, _row_number FROM _typed", [load_id, f.rel]
        ).fetchall()[0][0]
        return loaded, 0
    loaded = con.execute(
        f"INSERT INTO {t} SELECT {cols}, ?, ?, _row_number FROM _typed "
        "ANTI JOIN (SELECT DISTINCT _row_number FROM _bad) USING (_row_number)",
        [load_id, f.rel],
    ).fetchall()[0][0]
    con.execute(
        "INSERT INTO quarantine SELECT ?, ?, ?, b._row_number, b.columns, b.expectation, "
        f"b.reason, b.value, {qr.row_json_sql(f.source, 't')} "
        "FROM _bad b JOIN _typed t USING (_row_number) "
        "ORDER BY b._row_number, b.expectation, b.columns",
        [load_id, f.rel, f.source.name],
    )
    return loaded, bad


def _manifest(
    con: duckdb.DuckDBPyConnection,
    f: RawFile,
    rep: FileReport,
    load_id: str,
    started: dt.datetime,
    *,
    extracted_at: dt.datetime | None = None,
) -> None:
    con.execute(
        "INSERT INTO load_manifest (load_id, source_file, sha256, size_bytes, "
        "table_name, rows_read, rows_loaded, rows_quarantined, started_at, finished_at, "
        "status, error, warnings, extracted_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            load_id,
            f.rel,
            f.sha256,
            f.size,
            f.source.name,
            rep.rows_read,
            rep.rows_loaded,
            rep.rows_quarantined,
            started,
            dt.datetime.now(),
            rep.status,
            rep.error,
            "; ".join(rep.warnings) or None,
            extracted_at,
        ],
    )


@dataclass
class _Staged:
    """A staged file waiting for the rest of its batch."""

    f: RawFile
    rep: FileReport
    load_id: str
    started: dt.datetime
    table: str  # its staged temp table (see _park)
    base: int  # its rows' offset in the batch: batch row number = line number + base


def per_file(check: Check, source: Source) -> bool:
    """Checks whose outcome for a file depends on more than the file's own rows, or on the
    other files of the batch being loaded before it: uniqueness (within the file) and
    references into the source's own table (this file's codes plus the table without it).
    They run file by file; every other check runs once per batch of files of one source."""
    if check.kind == "unique":
        return True
    return check.kind in {"references", "within"} and check.params["table"] == source.name


def _park(con: duckdb.DuckDBPyConnection, index: int) -> str:
    """Keep the staged file (``_typed_t``) under its own name until its batch is written."""
    name = f"_staged_{index}"
    con.execute("DROP VIEW IF EXISTS temp._typed")
    con.execute(f"DROP TABLE IF EXISTS {STAGE_DB}.{name}")
    con.execute(f"ALTER TABLE {STAGE_DB}._typed_t RENAME TO {name}")
    return name


def _point(con: duckdb.DuckDBPyConnection, parts: Sequence[tuple[str, int]]) -> None:
    """The view ``_typed`` over one staged file (row numbers = its line numbers) or over a
    batch of them (row numbers offset by each file's base, so they stay unique)."""
    if len(parts) == 1 and parts[0][1] == 0:
        sql = f"SELECT rowid + 2 AS _row_number, * FROM {STAGE_DB}.{parts[0][0]}"
    else:
        sql = " UNION ALL ".join(
            f"SELECT rowid + {2 + base} AS _row_number, "
            f"* REPLACE (CAST(_raw_json AS VARCHAR) AS _raw_json) FROM {STAGE_DB}.{table}"
            for table, base in parts
        )
    con.execute(f"CREATE OR REPLACE TEMP VIEW _typed AS {sql}")


def _validate_batch(
    con: duckdb.DuckDBPyConnection, batch: list[_Staged], checks: list[Check], gx: GxSession
) -> bool:
    """Run the batch-wide checks once on all files of the batch (GX's cost is per expectation
    and call, not per row); failures land in ``_batch_bad`` with batch row numbers. False when
    a check raised (a crashed metric): the files are then validated one by one, so only the
    file that makes it crash fails, as when every file was validated alone."""
    source = batch[0].f.source
    _point(con, [(b.table, b.base) for b in batch])
    qr.create_bad_table(con)
    try:
        resolved = qr.resolve_references(con, source, checks, "")
        qr.expectation_failures(con, source, resolved, gx, sum(b.rep.rows_read for b in batch))
    except SmartIndexError:
        return False
    con.execute("CREATE OR REPLACE TEMP TABLE _batch_bad AS SELECT * FROM _bad")
    return True


def _validate_file(
    con: duckdb.DuckDBPyConnection,
    b: _Staged,
    checks: list[Check],
    gx: GxSession,
    *,
    from_batch: bool,
) -> None:
    """``_bad`` of one file: its share of the batch failures, type failures, primary-key
    duplicates and the checks not run on the batch."""
    f = b.f
    _point(con, [(b.table, 0)])
    qr.create_bad_table(con)
    if from_batch:
        con.execute(
            "INSERT INTO _bad SELECT _row_number - $base, columns, expectation, reason, value "
            "FROM _batch_bad WHERE _row_number BETWEEN $base + 2 AND $base + $rows + 1",
            {"base": b.base, "rows": b.rep.rows_read},
        )
    qr.type_failures(con, f.source)
    qr.pk_failures(con, f.source, f.rel)
    resolved = qr.resolve_references(con, f.source, checks, f.rel)
    qr.expectation_failures(con, f.source, resolved, gx, b.rep.rows_read)


def _finish(
    con: duckdb.DuckDBPyConnection,
    b: _Staged,
    checks: list[Check],
    gx: GxSession,
    *,
    from_batch: bool,
) -> FileReport:
    """Validate what is left of one staged file and write it as one transaction."""
    f, rep = b.f, b.rep
    try:
        _validate_file(con, b, checks, gx, from_batch=from_batch)
    except SmartIndexError as exc:
        rep.error = str(exc)
        _manifest(con, f, rep, b.load_id, b.started)
        return rep
    replacing = previous_sha(con, f.rel) is not None
    con.execute("BEGIN TRANSACTION")
    try:
        rep.rows_loaded, rep.rows_quarantined = _write(con, f, b.load_id, replacing=replacing)
        rep.status = "replaced" if replacing else "loaded"
        if rep.rows_read != rep.rows_loaded + rep.rows_quarantined:
            raise SmartIndexError(
                f"{f.path}: internal error: {rep.rows_read} rows read but "
                f"{rep.rows_loaded} loaded + {rep.rows_quarantined} "
                "quarantined; nothing was written"
            )
        _manifest(con, f, rep, b.load_id, b.started, extracted_at=extract_time(con, f))
        con.execute("COMMIT")
    except BaseException:
        _rollback(con)
        raise
    return rep


def _flush(
    con: duckdb.DuckDBPyConnection, batch: list[_Staged], checks: list[Check], gx: GxSession
) -> Iterator[tuple[RawFile, FileReport]]:
    """Validate a batch of staged files of one source, then write them in order."""
    source = batch[0].f.source
    shared = [c for c in checks if not per_file(c, source)]
    from_batch = len(batch) > 1 and bool(shared) and _validate_batch(con, batch, shared, gx)
    rest = [c for c in checks if per_file(c, source)] if from_batch else checks
    try:
        for b in batch:
            yield b.f, _finish(con, b, rest, gx, from_batch=from_batch)
    finally:
        for b in batch:
            con.execute(f"DROP TABLE IF EXISTS {STAGE_DB}.{b.table}")
        con.execute("DROP TABLE IF EXISTS temp._batch_bad")


WRITERS = 2  # threads validating and writing batches (of different tables) at once


def reads(source: Source, checks: Sequence[Check]) -> set[str]:
    """Warehouse tables whose rows a batch's validation reads: its own table (primary keys,
    self-references) and the tables its references and within checks point into."""
    return {source.name} | {
        str(c.params["table"]) for c in checks if c.kind in {"references", "within"}
    }


def _writer_cursor(con: duckdb.DuckDBPyConnection, zone: str) -> duckdb.DuckDBPyConnection:
    """A cursor of ``con`` (its own connection to the same database, with its own temp
    tables) with the session settings that matter here: the city's schema, the time zone, no
    progress bar."""
    schema = con.execute("select current_schema()").fetchall()[0][0]
    cur = con.cursor()
    use_schema(cur, str(schema))
    cur.execute("SET enable_progress_bar = false")
    cur.execute("SET TimeZone = ?", [zone])
    return cur


def _failed_stage(
    con: duckdb.DuckDBPyConnection, f: RawFile, rep: FileReport, load_id: str, started: dt.datetime
) -> list[tuple[RawFile, FileReport]]:
    """Record a file that could not be read (its manifest row)."""
    _manifest(con, f, rep, load_id, started)
    return [(f, rep)]


def _after(
    deps: Sequence[Future[list[tuple[RawFile, FileReport]]]],
    con: duckdb.DuckDBPyConnection,
    batch: list[_Staged],
    checks: list[Check],
    gx: GxSession,
) -> list[tuple[RawFile, FileReport]]:
    """Validate and write ``batch`` once the batches it depends on are written (an error
    there is raised here too; the caller reports the earlier one first)."""
    for d in deps:
        d.result()
    return list(_flush(con, batch, checks, gx))


def load_files(
    con: duckdb.DuckDBPyConnection,
    files: Iterable[RawFile],
    checks: Mapping[str, list[Check]],
    gx: GxSession,
    *,
    key: str,
    scratch: Path,
    batch_rows: int | None = None,
) -> Iterator[tuple[RawFile, FileReport]]:
    """Load files (grouped by source, in registry order); yields each file's report.

    Consecutive files of one source are staged into a batch (up to ``batch_rows`` staged
    rows, default ``BATCH_ROWS``), the batch-wide expectations run once on all of them, then
    each file gets its own checks (``per_file``, type, primary key) and is written as its own
    transaction, in order. A file that cannot be read or validated becomes a 'failed' report
    (the others still load); unexpected exceptions propagate (and the caller's swap discards
    the whole run).

    Staging (DuckDB, which releases the GIL) stays on this thread; each complete batch is
    validated and written on a worker thread (``WRITERS`` of them, each batch with a cursor
    of its own), so the next files are staged while a batch is validated (up to
    ``STAGE_AHEAD_ROWS`` staged rows waiting, e.g. while GX is still being imported). A batch
    starts once every earlier batch writing a table it reads (``reads``) is written, so it
    sees what loading in order gives; batches of unrelated tables overlap (GX runs one at a
    time; the other thread meanwhile runs DuckDB statements). Reports come in load order.
    """
    batch_rows = BATCH_ROWS if batch_rows is None else batch_rows
    serial = itertools.count()
    pending: deque[tuple[Future[list[tuple[RawFile, FileReport]]], int]] = deque()
    writing: dict[str, Future[list[tuple[RawFile, FileReport]]]] = {}  # last job per table
    batch: list[_Staged] = []
    zone = con.execute("SELECT current_setting('TimeZone')").fetchall()[0][0]
    cursors: list[duckdb.DuckDBPyConnection] = []

    def rows(staged: list[_Staged]) -> int:
        return sum(b.rep.rows_read for b in staged)

    def cursor() -> duckdb.DuckDBPyConnection:
        cursors.append(_writer_cursor(con, zone))
        return cursors[-1]

    pool = ThreadPoolExecutor(max_workers=WRITERS, thread_name_prefix="smartindex-etl-writer")

    def submit_batch() -> None:
        nonlocal batch
        if batch:
            done, batch = batch, []
            source = done[0].f.source
            mine = checks[source.name]
            deps = [writing[t] for t in reads(source, mine) if t in writing]
            job = pool.submit(_after, deps, cursor(), done, mine, gx)
            writing[source.name] = job
            pending.append((job, rows(done)))

    def finished(block_ahead: int | None) -> Iterator[tuple[RawFile, FileReport]]:
        """Reports of the jobs done, in order; waits while ``block_ahead`` rows or more are
        staged and not written yet."""
        while pending and (
            pending[0][0].done()
            or (block_ahead is not None and sum(n for _, n in pending) + rows(batch) >= block_ahead)
        ):
            yield from pending.popleft()[0].result()

    try:
        for f in files:
            if batch and (batch[0].f.source.name != f.source.name or rows(batch) >= batch_rows):
                submit_batch()
            yield from finished(STAGE_AHEAD_ROWS)
            load_id, started = uuid.uuid4().hex, dt.datetime.now()
            rep = FileReport(f.path, f.source.name, "failed", sha256=f.sha256)
            try:
                staged = stage(con, f.path, f.source, key=key, scratch=scratch)
            except SmartIndexError as exc:
                rep.error = str(exc)
                submit_batch()  # the files before it go first
                job = pool.submit(_failed_stage, cursor(), f, rep, load_id, started)
                pending.append((job, 0))
                continue
            rep.warnings, rep.rows_read = staged.warnings, staged.rows
            batch.append(_Staged(f, rep, load_id, started, _park(con, next(serial)), rows(batch)))
        submit_batch()
        yield from finished(0)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        for cur in cursors:
            cur.close()


def load_file(
    con: duckdb.DuckDBPyConnection,
    f: RawFile,
    checks: list[Check],
    gx: GxSession,
    *,
    key: str,
    scratch: Path,
) -> FileReport:
    """Load one file; a file that cannot be read or validated becomes a 'failed' report."""
    ((_, rep),) = load_files(con, [f], {f.source.name: checks}, gx, key=key, scratch=scratch)
    return rep


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back if a transaction is still open. After a failed write (disk full) DuckDB has
    already aborted it, and ROLLBACK would raise an error that hides the real one."""
    with contextlib.suppress(duckdb.Error):
        con.execute("ROLLBACK")
