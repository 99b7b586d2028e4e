"""Byte-level checks of a whole text file before DuckDB reads it.

DuckDB loads a NUL byte into the row and reports a truncated ``.gz`` without a line, so every
CSV is scanned once (decompressed when gzipped; ``bytes.find`` and ``bytes.count`` run at
memory speed): a NUL byte fails the file naming the physical line it is on, a truncated or
corrupt gzip stream fails it naming the line where the data stop.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from smartindex.errors import DataFileError

BLOCK = 1 << 22
GZ_CHUNK = 1 << 12  # compressed bytes per step: corruption is located within ~40 KB of text


class _TruncatedError(Exception):
    """The gzip stream ended before its end-of-member marker."""


def open_bytes(path: Path) -> BinaryIO | gzip.GzipFile:
    """The file's bytes, decompressed when it ends in ``.gz``."""
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")
    return open(path, "rb")


def _plain_blocks(fh: BinaryIO) -> Iterator[bytes]:
    while block := fh.read(BLOCK):
        yield block


def _gzip_blocks(fh: BinaryIO) -> Iterator[bytes]:
    """Decompressed blocks of a (possibly multi-member) gzip stream."""
    d, started = zlib.decompressobj(31), False
    while chunk := fh.read(GZ_CHUNK):
        while chunk:
            started = True
            yield d.decompress(chunk)
            chunk = b""
            if d.eof:
                chunk, d, started = d.unused_data, zlib.decompressobj(31), False
    if started and not d.eof:
        raise _TruncatedError


def scan_text(path: Path) -> int:
    """Number of newline characters in the (decompressed) file; raises DataFileError for a
    NUL byte or a damaged gzip stream, naming the line."""
    lines = 0
    gz = path.suffix.lower() == ".gz"
    try:
        with open(path, "rb") as fh:
            for block in _gzip_blocks(fh) if gz else _plain_blocks(fh):
                nul = block.find(b"\x00")
                if nul >= 0:
                    raise DataFileError(
                        path,
                        "wrong encoding: NUL byte (UTF-16 or binary data?), expected UTF-8 text",
                        line=lines + block.count(b"\n", 0, nul) + 1,
                    )
                lines += block.count(b"\n")
    except _TruncatedError as exc:
        raise DataFileError(
            path,
            f"truncated gzip stream: the data end inside line {lines + 1} "
            f"(after {lines:,} complete lines)",
            line=lines + 1,
        ) from exc
    except zlib.error as exc:
        raise DataFileError(
            path, f"corrupt gzip stream: unreadable after about {lines:,} lines", line=lines + 1
        ) from exc
    except OSError as exc:
        raise DataFileError(path, f"cannot read file: {exc.strerror or exc}") from exc
    return lines
