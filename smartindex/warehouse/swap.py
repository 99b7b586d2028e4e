"""Publish warehouse changes atomically: write a copy, then swap it in with ``os.replace``.

Readers keep the file they opened (POSIX keeps the old inode alive), so they are never blocked
and never see a half-written warehouse. Writers are serialised by an advisory lock file.

Everything a writer puts on disk besides the warehouse lives next to it under a name starting
with ``.<warehouse name>.``: the copy (``.warehouse.duckdb.<pid>.<id>.tmp`` and its ``.wal``)
and the scratch directory ``.warehouse.duckdb.scratch/`` (DuckDB's spill files, transcoded
inputs). A killed writer can leave them behind; the next writer removes them while it holds
the lock (no other writer can be using them then) and reports how many it removed.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from smartindex.errors import WarehouseError
from smartindex.warehouse.cities import use_city

LEGACY_SCRATCH = ".smartindex-etl-"  # scratch directories of earlier versions


def _fsync_path(path: Path, *, directory: bool = False) -> None:
    """Flush ``path`` (a file or a directory entry table) to stable storage."""
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _discard(tmp: Path) -> None:
    for p in (tmp, _wal(tmp)):
        p.unlink(missing_ok=True)


def scratch_dir(db_path: Path | str) -> Path:
    """The directory a writer of ``db_path`` may use for temporary files (cleaned per run)."""
    db_path = Path(db_path)
    return db_path.with_name(f".{db_path.name}.scratch")


def _is_leftover(p: Path, db_path: Path) -> bool:
    own = p.name.startswith(f".{db_path.name}.") and (
        ".tmp" in p.name or p.name.endswith(".scratch")
    )
    return own or (p.is_dir() and p.name.startswith(LEGACY_SCRATCH))


def _remove(p: Path) -> int:
    """Delete a file or a directory tree; the number of files removed."""
    if p.is_dir() and not p.is_symlink():
        n = sum(1 for q in p.rglob("*") if not q.is_dir())
        shutil.rmtree(p, ignore_errors=True)
        return n
    p.unlink(missing_ok=True)
    return 1


def remove_leftovers(db_path: Path | str) -> int:
    """Remove temporary copies and scratch files of writers of ``db_path`` that died; the
    number of files removed. Call it only while holding the writer lock."""
    db_path = Path(db_path)
    if not db_path.parent.is_dir():
        return 0
    return sum(_remove(p) for p in sorted(db_path.parent.iterdir()) if _is_leftover(p, db_path))


@contextmanager
def _writer_lock(db_path: Path) -> Iterator[None]:
    """One writer at a time per warehouse (advisory ``flock`` on ``<db>.lock``)."""
    with open(db_path.with_name(db_path.name + ".lock"), "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS, errno.EFBIG}


def clean_leftovers(db_path: Path | str) -> int:
    """Remove leftovers of killed writers if no writer is running now; their number."""
    db_path = Path(db_path)
    with open(db_path.with_name(db_path.name + ".lock"), "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # a writer is at work: its files are not leftovers
            return 0
        try:
            return remove_leftovers(db_path)
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _write_error(where: Path, exc: BaseException) -> WarehouseError | None:
    """A one-line error for a failed write (disk full, I/O error), else None."""
    text = str(exc)
    if isinstance(exc, OSError) and exc.errno in WRITE_ERRNOS:
        reason = os.strerror(exc.errno)
    elif isinstance(exc, duckdb.Error) and os.strerror(errno.ENOSPC) in text:
        reason = os.strerror(errno.ENOSPC)  # also a COMMIT that could not write its WAL
    elif isinstance(exc, duckdb.IOException | duckdb.FatalException):
        reason = text.splitlines()[0][:200]
    else:
        return None
    return WarehouseError(f"{where}: writing the warehouse failed: {reason}")


def _open_copy(db_path: Path, tmp: Path, scratch: Path) -> duckdb.DuckDBPyConnection:
    if db_path.exists():
        shutil.copyfile(db_path, tmp)
        if _wal(db_path).exists():
            shutil.copyfile(_wal(db_path), _wal(tmp))
    scratch.mkdir(exist_ok=True)
    con = duckdb.connect(str(tmp))
    con.execute("SET temp_directory = ?", [str(scratch / "duckdb")])
    return con


def _publish(tmp: Path, db_path: Path) -> None:
    _fsync_path(tmp)
    os.replace(tmp, db_path)
    _wal(db_path).unlink(missing_ok=True)
    _fsync_path(db_path.parent, directory=True)


@contextmanager
def swap_write(
    db_path: Path | str,
    *,
    city: str | None = None,
    create: bool = False,
    on_leftovers: Callable[[int], None] | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a read-write connection to a temporary copy of ``db_path``; publish it on success.

    The connection's default schema is that of ``city`` (default: the only city the warehouse
    holds; ``create``: a new city gets its schema), see :mod:`smartindex.warehouse.cities`.

    First, under the writer lock, leftovers of killed writers are removed (their count is
    passed to ``on_leftovers``). On normal exit the copy is checkpointed, closed, fsynced and
    moved over ``db_path`` with ``os.replace`` (atomic). On any exception the copy and the
    scratch directory are deleted, ``db_path`` is untouched and the exception propagates; a
    failed write (disk full, I/O error) becomes a one-line ``WarehouseError`` naming the folder.
    """
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    scratch = scratch_dir(db_path)
    with _writer_lock(db_path):
        removed = remove_leftovers(db_path)
        if on_leftovers is not None:
            on_leftovers(removed)
        try:
            con = _open_copy(db_path, tmp, scratch)
            try:
                use_city(con, city, create=create)
                yield con
                con.execute("CHECKPOINT")
            finally:
                con.close()
            _publish(tmp, db_path)
        except BaseException as exc:
            _discard(tmp)
            error = _write_error(db_path.parent, exc)
            if error is not None:
                raise error from exc
            raise
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
