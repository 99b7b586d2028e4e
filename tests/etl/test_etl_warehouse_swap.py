"""swap_write publishes a copy atomically; a failure leaves the warehouse untouched."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from smartindex.warehouse import swap_write
from smartindex.warehouse.cities import use_city


def _value(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    use_city(con, None)  # the warehouse's only city
    try:
        return con.execute("SELECT v FROM t").fetchall()[0][0]
    finally:
        con.close()


def test_creates_then_replaces(tmp_path: Path) -> None:
    db = tmp_path / "w" / "warehouse.duckdb"
    with swap_write(db) as con:
        con.execute("CREATE TABLE t AS SELECT 1 AS v")
    assert _value(db) == 1
    with swap_write(db) as con:
        con.execute("UPDATE t SET v = 2")
    assert _value(db) == 2
    assert sorted(p.name for p in db.parent.iterdir()) == [
        "warehouse.duckdb",
        "warehouse.duckdb.lock",
    ]


def test_exception_leaves_file_byte_identical(tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    with swap_write(db) as con:
        con.execute("CREATE TABLE t AS SELECT 1 AS v")
    before = db.read_bytes()
    with pytest.raises(ZeroDivisionError), swap_write(db) as con:
        con.execute("UPDATE t SET v = 99")
        con.execute("CREATE TABLE big AS SELECT range AS x FROM range(100000)")
        _ = 1 / 0
    assert db.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_open_reader_keeps_old_snapshot(tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    with swap_write(db) as con:
        con.execute("CREATE TABLE t AS SELECT 1 AS v")
    reader = duckdb.connect(str(db), read_only=True)
    use_city(reader, None)  # the warehouse's only city
    try:
        with swap_write(db) as con:  # not blocked by the open reader
            con.execute("UPDATE t SET v = 5")
        assert reader.execute("SELECT v FROM t").fetchall() == [(1,)]
    finally:
        reader.close()
    assert _value(db) == 5
