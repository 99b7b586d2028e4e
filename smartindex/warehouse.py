"""Publish warehouse changes atomically: write a copy, then swap it in with ``os.replace``.

Readers keep the file they opened (POSIX keeps the old inode alive), so they are never blocked
and never see a half-written warehouse. Writers are serialised by an advisory lock file.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb


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


@contextmanager
def _writer_lock(db_path: Path) -> Iterator[None]:
    """One writer at a time per warehouse (advisory ``flock`` on ``<db>.lock``)."""
    with open(db_path.with_name(db_path.name + ".lock"), "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextmanager
def swap_write(db_path: Path | str) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a read-write connection to a temporary copy of ``db_path``; publish it on success.

    On normal exit the copy is checkpointed, closed, fsynced and moved over ``db_path`` with
    ``os.replace`` (atomic). On any exception the copy is deleted, ``db_path`` is untouched and
    the exception propagates.
    """
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    with _writer_lock(db_path):
        try:
            if db_path.exists():
                shutil.copyfile(db_path, tmp)
                if _wal(db_path).exists():
                    shutil.copyfile(_wal(db_path), _wal(tmp))
            con = duckdb.connect(str(tmp))
            try:
                yield con
                con.execute("CHECKPOINT")
            finally:
                con.close()
            _fsync_path(tmp)
            os.replace(tmp, db_path)
            _wal(db_path).unlink(missing_ok=True)
            _fsync_path(db_path.parent, directory=True)
        except BaseException:
            _discard(tmp)
            raise
