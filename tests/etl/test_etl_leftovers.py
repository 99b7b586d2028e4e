"""Issue 16 item 2: no raw personal data on disk, and leftovers of a killed run are removed by
the next run, which says so."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import NAMES, PHONES, PSEUDONYM_KEY, complaint, query, region_rows, write_csv

from smartindex.config import Settings
from smartindex.etl import run_etl
from smartindex.warehouse.swap import remove_leftovers, scratch_dir

RAW_PERSONAL = [v.encode() for v in (*NAMES, *PHONES)]


def _cp1252_raw(d: Path, rows: int) -> Path:
    """Region plus a cp1252 complaint file (declared utf-8, so it is re-encoded)."""
    d.mkdir(parents=True)
    write_csv(d / "region.csv", "region", region_rows())
    write_csv(
        d / "complaints_2024.csv",
        "complaints",
        [complaint(i, description=f"Jalan rusak dekat café {i}") for i in range(1, rows)],
        encoding="cp1252",
    )
    return d


def _files_holding_personal_data(root: Path) -> list[Path]:
    hits = []
    for p in root.rglob("*"):
        if p.is_file():
            try:
                data = p.read_bytes()
            except OSError:  # removed meanwhile
                continue
            if any(v in data for v in RAW_PERSONAL):
                hits.append(p)
    return hits


def _plant_leftovers(db: Path) -> list[Path]:
    """What a kill -9 leaves: the copy, its WAL, DuckDB spill files, an old-style scratch
    directory holding a transcoded copy with raw names."""
    db.parent.mkdir(parents=True, exist_ok=True)
    planted = [
        db.with_name(f".{db.name}.4242.deadbeef.tmp"),
        db.with_name(f".{db.name}.4242.deadbeef.tmp.wal"),
        scratch_dir(db) / "duckdb" / "duckdb_temp_storage-0.tmp",
        db.parent / ".smartindex-etl-abc123" / "tmpq1w2e3.csv",
    ]
    for p in planted:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"reporter_name\n" + RAW_PERSONAL[0])
    return planted


def test_next_run_removes_leftovers_and_says_so(tmp_path: Path) -> None:
    raw = _cp1252_raw(tmp_path / "raw", 20)
    db = tmp_path / "wh" / "warehouse.duckdb"
    planted = _plant_leftovers(db)
    rep = run_etl(Settings(db_path=db, raw_dir=raw, pseudonym_key=PSEUDONYM_KEY), progress=False)
    assert rep.ok and rep.leftovers_removed == len(planted)
    assert "removed 4 leftover temporary file(s)" in rep.summary_table()
    assert sorted(p.name for p in db.parent.iterdir()) == [
        "warehouse.duckdb",
        "warehouse.duckdb.lock",
    ]
    assert query(db, "SELECT count(*) FROM complaints") == [(19,)]


def test_unchanged_run_also_removes_leftovers(tmp_path: Path) -> None:
    raw = _cp1252_raw(tmp_path / "raw", 5)
    db = tmp_path / "wh" / "warehouse.duckdb"
    settings = Settings(db_path=db, raw_dir=raw, pseudonym_key=PSEUDONYM_KEY)
    run_etl(settings, progress=False)
    _plant_leftovers(db)
    rep = run_etl(settings, progress=False)
    assert {f.status for f in rep.files} == {"skipped"} and rep.leftovers_removed == 4
    assert _files_holding_personal_data(db.parent) == []


def test_remove_leftovers_spares_other_warehouses_and_the_live_file(tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    keep = [
        db,
        tmp_path / "warehouse.duckdb.lock",
        tmp_path / ".other.duckdb.1.ab.tmp",
        tmp_path / "notes.tmp",
    ]
    for p in keep:
        p.write_text("x")
    assert remove_leftovers(db) == 0
    assert all(p.exists() for p in keep)


@pytest.mark.skipif(not hasattr(os, "memfd_create"), reason="needs Linux memfd_create")
def test_kill_9_mid_load_leaves_no_personal_data_and_next_run_cleans(tmp_path: Path) -> None:
    """A real ``kill -9`` while a re-encoded file is being loaded: at no moment does a file
    under the warehouse folder hold a raw name or phone; the next run removes the copy."""
    raw = _cp1252_raw(tmp_path / "raw", 40_000)
    db = tmp_path / "wh" / "warehouse.duckdb"
    code = (
        "import sys; from pathlib import Path; from smartindex.config import Settings; "
        "from smartindex.etl import run_etl; "
        f"run_etl(Settings(db_path=Path({str(db)!r}), raw_dir=Path({str(raw)!r}), "
        f"pseudonym_key={PSEUDONYM_KEY!r}), progress=False)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline, seen_copy = time.monotonic() + 120, False
        while time.monotonic() < deadline and proc.poll() is None:
            copies = list(db.parent.glob(f".{db.name}.*.tmp")) if db.parent.exists() else []
            if copies and scratch_dir(db).exists():
                seen_copy = True
                assert _files_holding_personal_data(db.parent) == []
                time.sleep(0.5)  # staging the re-encoded file
                assert _files_holding_personal_data(db.parent) == []
                break
            time.sleep(0.05)
        assert seen_copy, "the run ended before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert not db.exists()
    left = [p for p in db.parent.iterdir() if p.name != "warehouse.duckdb.lock"]
    assert left and _files_holding_personal_data(db.parent) == []
    rep = run_etl(Settings(db_path=db, raw_dir=raw, pseudonym_key=PSEUDONYM_KEY), progress=False)
    assert rep.ok and rep.leftovers_removed >= 1
    assert sorted(p.name for p in db.parent.iterdir()) == [
        "warehouse.duckdb",
        "warehouse.duckdb.lock",
    ]
