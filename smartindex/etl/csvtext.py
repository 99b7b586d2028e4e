"""CSV files as text, before and around DuckDB: sniffing the header, re-encoding to UTF-8
without leaving personal data on disk, and DuckDB's CSV errors as one line without raw values.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import duckdb

from smartindex.errors import DataFileError
from smartindex.etl.registry import Source
from smartindex.etl.scan import open_bytes, scan_text

MAX_LINE = 8 * 1024 * 1024  # DuckDB's CSV buffer is 16x this per thread: keep it modest
IN_MEMORY_TRANSCODE = 1 << 29  # re-encoded copies up to ~512 MB stay in RAM (memfd), never on disk
_SIGNATURES = {b"PK\x03\x04": "an XLSX/ZIP archive", b"PAR1": "a Parquet file"}


def sniff_csv(path: Path, source: Source) -> tuple[list[str], bool]:
    """Header names and whether the first line is valid UTF-8; rejects non-text files, NUL
    bytes anywhere and damaged gzip streams (scan.py)."""
    try:
        with open_bytes(path) as fh:
            head = fh.read(1 << 16)
    except (OSError, EOFError) as exc:
        scan_text(path)  # a damaged gzip stream: names the line where the data end
        raise DataFileError(path, f"cannot read file: {exc}", line=1) from exc
    if not head.strip(b"\xef\xbb\xbf \r\n\t"):
        raise DataFileError(path, "empty file (no header line)", line=1)
    for sig, what in _SIGNATURES.items():
        if head.startswith(sig):
            raise DataFileError(path, f"not the declared format csv: looks like {what}", line=1)
    scan_text(path)
    first = head.split(b"\n", 1)[0].rstrip(b"\r").removeprefix(b"\xef\xbb\xbf")
    enc = source.encoding or "utf-8"
    try:
        text, utf8 = first.decode(enc), True
    except UnicodeDecodeError:
        text, utf8 = first.decode("cp1252", errors="replace"), False
    names = next(csv.reader([text], delimiter=source.delimiter), [])
    return [n.strip() for n in names], utf8


def _decode_to(path: Path, encoding: str, dst: IO[str]) -> None:
    """Stream ``path`` from ``encoding`` into ``dst`` (cp1252 gaps map as Latin-1)."""
    dec = codecs.getincrementaldecoder("latin-1" if encoding == "latin-1" else "cp1252")
    decoder = dec(errors="strict")
    with open_bytes(path) as src:
        while block := src.read(1 << 22):
            try:
                dst.write(decoder.decode(block))
            except UnicodeDecodeError:  # the 5 bytes cp1252 leaves undefined
                dst.write(block.decode("latin-1"))
        dst.write(decoder.decode(b"", final=True))


@contextmanager
def transcoded(path: Path, encoding: str, scratch: Path) -> Iterator[Path]:
    """A UTF-8 copy of ``path`` for DuckDB, deleted on exit. The copy holds raw personal
    values, so it lives in memory (an anonymous ``memfd``, gone even after ``kill -9``) when
    the system allows and the file is not huge; otherwise in the scratch directory, which the
    next run cleans if this one is killed."""
    size = path.stat().st_size * (10 if path.suffix.lower() == ".gz" else 1)
    if (
        hasattr(os, "memfd_create")
        and Path("/proc/self/fd").is_dir()
        and size <= IN_MEMORY_TRANSCODE
    ):
        fd = os.memfd_create("smartindex-transcoded", os.MFD_CLOEXEC)
        try:
            with open(fd, "w", encoding="utf-8", newline="", closefd=False) as dst:
                _decode_to(path, encoding, dst)
            yield Path(f"/proc/self/fd/{fd}")
        finally:
            os.close(fd)
        return
    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", newline="", suffix=".csv", dir=scratch
    ) as dst:
        _decode_to(path, encoding, dst)
        dst.flush()
        yield Path(dst.name)


# DuckDB CSV error -> the kind of problem. DuckDB's message quotes the raw record ("Original
# Line: ..."), which may hold personal data: only these phrases ever reach a message.
_CSV_PROBLEMS = (
    ("unterminated quote", "unterminated quoted field (a stray '\"'?)"),
    ("unicode", "not valid UTF-8"),
    ("maximum line size", f"line longer than {MAX_LINE:,} bytes"),
    ("quote", "misplaced quote character"),
    ("escape", "misplaced escape character"),
    ("gzip", "damaged gzip stream"),
)


def _quote_column(text: str, header: list[str], delimiter: str) -> str | None:
    """The column in which DuckDB's quoted original line opens its first quote."""
    m = re.search(r"Original Line: ?(.*)", text)
    if not m or '"' not in m.group(1):
        return None
    index = m.group(1)[: m.group(1).index('"')].count(delimiter)
    return header[index] if index < len(header) else None


def csv_error(
    path: Path, exc: duckdb.Error, header: list[str], delimiter: str = ","
) -> DataFileError:
    """One line naming file, line, column and the kind of problem from DuckDB's multi-line CSV
    error; never a raw value (the error text quotes the record, which may be personal)."""
    text = str(exc)
    line_m = re.search(r"CSV Error on Line: (\d+)", text)
    low = text.lower()
    reason = next((r for needle, r in _CSV_PROBLEMS if needle in low), "malformed CSV record")
    column = _quote_column(text, header, delimiter) if "quote" in low else None
    found = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    if found and int(found.group(2)) < int(found.group(1)):
        column = header[int(found.group(2))]
        reason = f"truncated or ragged line: {found.group(2)} of {found.group(1)} fields"
    elif found:
        reason = f"ragged line: {found.group(2)} fields, header has {found.group(1)}"
    return DataFileError(path, reason, line=int(line_m.group(1)) if line_m else None, column=column)
