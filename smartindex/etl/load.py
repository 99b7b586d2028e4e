"""Load one raw file into the warehouse as one transaction.

Per file: sha256 -> stage (typed CSV fast path, else all columns as VARCHAR + TRY_CAST;
personal columns hashed) -> type failures -> primary-key duplicates -> Great Expectations
checks -> in ONE transaction: delete the file's previous rows and quarantine rows, insert the
clean rows (with lineage columns ``_load_id``, ``_source_file``, ``_row_number``), the
quarantined rows and a ``load_manifest``
row. Invariant, asserted: rows_read = rows_loaded + rows_quarantined.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

from smartindex.errors import CatalogueError, SmartIndexError
from smartindex.etl import quarantine as qr
from smartindex.etl.progress import FileReport
from smartindex.etl.readers import stage
from smartindex.etl.registry import Source
from smartindex.etl.validate import Check, GxSession
from smartindex.warehouse.connection import table_exists

SHA_BLOCK = 1 << 25
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
    h, buf = hashlib.sha256(), bytearray(SHA_BLOCK)
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
    extract cannot have been cut earlier). NULL for sources without TIMESTAMP columns."""
    cols = [c for c, t in f.source.all_columns.items() if t == "TIMESTAMP"]
    if not cols:
        return None
    latest = ", ".join(f'"{c}"' for c in cols)
    row = con.execute(
        f'SELECT max(greatest({latest})) FROM main."{f.source.name}" WHERE _source_file = ?',
        [f.rel],
    ).fetchone()
    return row[0] if row else None


def ensure_table(con: duckdb.DuckDBPyConnection, source: Source) -> None:
    """Create the target table; refuse one whose columns differ from the registry."""
    want = {**source.all_columns, **LINEAGE}
    if table_exists(con, source.name):
        have = dict(
            con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'main' AND table_name = ? "
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


def previous_sha(con: duckdb.DuckDBPyConnection, rel: str) -> str | None:
    """Checksum of the file's last successful load, if any."""
    if not table_exists(con, "load_manifest"):
        return None
    row = con.execute(
        "SELECT sha256 FROM load_manifest WHERE source_file = ? AND status IN "
        "('loaded', 'replaced') ORDER BY finished_at DESC LIMIT 1",
        [rel],
    ).fetchall()
    return row[0][0] if row else None


def current_sha(con: duckdb.DuckDBPyConnection, rel: str) -> str | None:
    """Checksum of the file's latest load if that load succeeded (None after a failure)."""
    if not table_exists(con, "load_manifest"):
        return None
    row = con.execute(
        "SELECT sha256, status FROM load_manifest WHERE source_file = ? "
        "ORDER BY finished_at DESC LIMIT 1",
        [rel],
    ).fetchall()
    return row[0][0] if row and row[0][1] in {"loaded", "replaced"} else None


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    if table_exists(con, "region"):
        for name, sql in VIEWS.items():
            con.execute(f'CREATE OR REPLACE VIEW "{name}" AS {sql}')
    con.execute(f"CREATE OR REPLACE VIEW load_current AS {LOAD_CURRENT}")


def _validate(
    con: duckdb.DuckDBPyConnection, f: RawFile, checks: list[Check], gx: GxSession, n_rows: int
) -> None:
    qr.create_bad_table(con)
    qr.type_failures(con, f.source)
    qr.pk_failures(con, f.source, f.rel)
    resolved = qr.resolve_references(con, f.source, checks, f.rel)
    qr.expectation_failures(con, f.source, resolved, gx, n_rows)


def _write(con: duckdb.DuckDBPyConnection, f: RawFile, load_id: str) -> tuple[int, int]:
    """Replace the file's rows and quarantine rows; returns (loaded, quarantined)."""
    t, cols = f'main."{f.source.name}"', ", ".join(f'"{c}"' for c in f.source.all_columns)
    con.execute(f"DELETE FROM {t} WHERE _source_file = ?", [f.rel])
    con.execute("DELETE FROM quarantine WHERE source_file = ?", [f.rel])
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
    bad = con.execute("SELECT count(DISTINCT _row_number) FROM _bad").fetchall()[0][0]
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


def load_file(
    con: duckdb.DuckDBPyConnection,
    f: RawFile,
    checks: list[Check],
    gx: GxSession,
    *,
    key: str,
    scratch: Path,
) -> FileReport:
    """Load one file; a file that cannot be read or validated becomes a 'failed' report.

    Unexpected exceptions propagate (and the caller's swap discards the whole run).
    """
    load_id, started = uuid.uuid4().hex, dt.datetime.now()
    replacing = previous_sha(con, f.rel) is not None
    rep = FileReport(f.path, f.source.name, "failed", sha256=f.sha256)
    try:
        staged = stage(con, f.path, f.source, key=key, scratch=scratch)
        rep.warnings, rep.rows_read = staged.warnings, staged.rows
        _validate(con, f, checks, gx, staged.rows)
    except SmartIndexError as exc:
        rep.error = str(exc)
        _manifest(con, f, rep, load_id, started)
        return rep
    con.execute("BEGIN TRANSACTION")
    try:
        rep.rows_loaded, rep.rows_quarantined = _write(con, f, load_id)
        rep.status = "replaced" if replacing else "loaded"
        if rep.rows_read != rep.rows_loaded + rep.rows_quarantined:
            raise SmartIndexError(
                f"{f.path}: internal error: {rep.rows_read} rows read but "
                f"{rep.rows_loaded} loaded + {rep.rows_quarantined} "
                "quarantined; nothing was written"
            )
        _manifest(con, f, rep, load_id, started, extracted_at=extract_time(con, f))
        con.execute("COMMIT")
    except BaseException:
        _rollback(con)
        raise
    return rep


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back if a transaction is still open. After a failed write (disk full) DuckDB has
    already aborted it, and ROLLBACK would raise an error that hides the real one."""
    with contextlib.suppress(duckdb.Error):
        con.execute("ROLLBACK")
