"""The typed CSV fast path stages exactly what the VARCHAR + TRY_CAST path stages, and is
abandoned for the VARCHAR path whenever DuckDB rejects any record."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from conftest import PSEUDONYM_KEY, REGISTRY, complaint, write_csv

from smartindex.etl import EtlReport, csvtext, readers

Etl = Callable[..., EtlReport]


def _staged(path: Path, source: str, *, typed: bool) -> list[tuple]:
    src = REGISTRY.get(source)
    header, _ = csvtext.sniff_csv(path, src)
    with duckdb.connect() as con:
        if typed:
            rows = readers._create_stage_typed(con, path, header, src, PSEUDONYM_KEY)
        else:
            rows = readers._create_stage(
                con, readers._csv_from(path, header, src), header, src, PSEUDONYM_KEY
            )
        if rows is None:
            return []
        return con.execute("SELECT * FROM _typed ORDER BY _row_number").fetchall()


def test_typed_staging_equals_varchar_staging(tmp_path: Path) -> None:
    rows = [
        complaint(1),
        complaint(
            2,
            rating="",
            lat=" -2.99",
            lon="1.0474e2",
            reopen_count="+3",
            description='a "quoted", text',
        ),
        complaint(3, is_synthetic="TRUE", closed_at="", reporter_name=""),
        complaint(4, created_at="2024-03-01T08:00:00", rating=" 5 "),
    ]
    path = write_csv(tmp_path / "complaints_x.csv", "complaints", rows)
    typed = _staged(path, "complaints", typed=True)
    assert typed, "no reject expected: the typed path must be taken"
    assert typed == _staged(path, "complaints", typed=False)


@pytest.mark.parametrize(
    "over",
    [
        {"rating": "abc"},
        {"created_at": "2024-02-30 10:00:00"},
        {"lat": "1,5"},
        {"is_synthetic": "maybe"},
    ],
)
def test_typed_staging_falls_back_on_any_reject(tmp_path: Path, over: dict[str, str]) -> None:
    path = write_csv(
        tmp_path / "complaints_x.csv", "complaints", [complaint(1), complaint(2, **over)]
    )
    assert _staged(path, "complaints", typed=True) == []
    plain = _staged(path, "complaints", typed=False)
    assert len(plain) == 2 and plain[1][-1] is not None  # raw text kept for the quarantine
