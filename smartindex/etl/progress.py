"""ETL outcome (per-file reports, summary table) and the progress bar."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")

STATUSES = ("loaded", "skipped", "replaced", "failed")


@dataclass
class FileReport:
    """What happened to one raw file."""

    path: Path
    table: str
    status: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    sha256: str = ""
    error: str | None = None
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown load status {self.status!r}")
        if self.status != "failed" and self.rows_read != self.rows_loaded + self.rows_quarantined:
            raise ValueError(f"{self.path}: rows read != rows loaded + rows quarantined")


@dataclass
class EtlReport:
    """All files of one ``run_etl`` call, in load order."""

    files: list[FileReport] = field(default_factory=list)
    db_path: Path | None = None
    leftovers_removed: int = 0  # scratch / temporary files of an interrupted run, deleted
    notes: list[str] = field(default_factory=list)  # warnings not tied to a raw file (boundaries)

    @property
    def ok(self) -> bool:
        """True when no file failed."""
        return all(f.status != "failed" for f in self.files)

    @property
    def errors(self) -> list[str]:
        """One line per failed file, naming file, line and column."""
        return [f"error: {f.error}" for f in self.files if f.status == "failed"]

    @property
    def warnings(self) -> list[str]:
        return [f"warning: {f.path}: {w}" for f in self.files for w in f.warnings] + [
            f"warning: {n}" for n in self.notes
        ]

    def summary_table(self) -> str:
        """A plain aligned text table, one line per file plus a total line."""
        head = ("file", "table", "status", "read", "loaded", "quarantined")
        rows: list[tuple[str, ...]] = [
            (
                str(f.path),
                f.table,
                f.status,
                f"{f.rows_read:,}",
                f"{f.rows_loaded:,}",
                f"{f.rows_quarantined:,}",
            )
            for f in self.files
        ]
        tot = [
            sum(getattr(f, a) for f in self.files)
            for a in ("rows_read", "rows_loaded", "rows_quarantined")
        ]
        rows.append(
            (
                f"total: {len(self.files)} files",
                "",
                "failed" if not self.ok else "ok",
                *(f"{n:,}" for n in tot),
            )
        )
        widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

        def fmt(r: tuple[str, ...]) -> str:
            cells = [
                r[i].ljust(widths[i]) if i < 3 else r[i].rjust(widths[i]) for i in range(len(r))
            ]
            return "  ".join(cells).rstrip()

        rule = "  ".join("-" * w for w in widths)
        lines = [fmt(head), rule, *map(fmt, rows[:-1]), rule, fmt(rows[-1])]
        if self.leftovers_removed:
            lines.append(
                f"removed {self.leftovers_removed} leftover temporary file(s) of an interrupted run"
            )
        return "\n".join(lines)


def progress_bar(items: Iterable[T], *, total: int, enabled: bool | None) -> Iterator[T]:
    """tqdm over ``items`` when enabled (None: only when stderr is a terminal; True forces the
    bar on stderr even when it is a pipe or a file)."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield from items
        return
    # disable=False: tqdm's default (None) would switch itself off on a non-terminal
    yield from tqdm(
        items, total=total, desc="etl", unit="file", file=sys.stderr, disable=False, mininterval=0
    )
