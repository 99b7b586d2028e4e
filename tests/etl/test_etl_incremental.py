"""Re-runs: skip unchanged files, replace a changed file's rows, append new files, atomic publish,
no raw personal data anywhere, the summary table."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from conftest import (
    NAMES,
    NIKS,
    PHONES,
    PSEUDONYM_KEY,
    RESPONDENTS,
    complaint,
    query,
    report_for,
    write_csv,
)

from smartindex.config import Settings
from smartindex.etl import EtlReport, load

Etl = Callable[..., EtlReport]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.full_raw
def test_first_run_loads_everything(etl: Etl, settings: Settings) -> None:
    rep = etl()
    assert rep.ok, rep.errors
    assert {f.status for f in rep.files} == {"loaded"}
    assert query(settings.db_path, "SELECT count(*) FROM complaints") == [(5,)]
    assert query(settings.db_path, "SELECT value FROM official_stats ORDER BY year") == [
        (76.5,),
        (1234.5,),
    ]


def test_second_run_skips_all_and_keeps_warehouse_identical(etl: Etl, settings: Settings) -> None:
    etl()
    before = _digest(settings.db_path)
    rep = etl()
    assert {f.status for f in rep.files} == {"skipped"}
    assert _digest(settings.db_path) == before


def test_changed_file_replaces_only_its_rows(etl: Etl, settings: Settings, raw: Path) -> None:
    write_csv(raw / "complaints_2025.csv", "complaints", [complaint(50), complaint(51)])
    etl()
    db = settings.db_path
    other = query(
        db,
        "SELECT _load_id, count(*) FROM complaints "
        "WHERE _source_file = 'complaints_2025.csv' GROUP BY 1",
    )
    write_csv(
        raw / "complaints_2024.csv",
        "complaints",
        [complaint(1, rating="5"), complaint(2), complaint(3, rating="9")],
    )
    rep = etl()
    assert report_for(rep, "complaints_2024.csv").status == "replaced"
    assert {f.status for f in rep.files if f.path.name != "complaints_2024.csv"} == {"skipped"}
    assert query(
        db,
        "SELECT ticket_id, rating FROM complaints "
        "WHERE _source_file = 'complaints_2024.csv' ORDER BY 1",
    ) == [("T00001", 5), ("T00002", 4)]
    assert (
        query(
            db,
            "SELECT _load_id, count(*) FROM complaints "
            "WHERE _source_file = 'complaints_2025.csv' GROUP BY 1",
        )
        == other
    )
    assert query(db, "SELECT source_file, row_number FROM quarantine") == [
        ("complaints_2024.csv", 4)
    ]


def test_new_file_appends(etl: Etl, settings: Settings, raw: Path) -> None:
    etl()
    write_csv(raw / "complaints_2025.csv", "complaints", [complaint(60), complaint(61)])
    rep = etl()
    assert report_for(rep, "complaints_2025.csv").status == "loaded"
    assert report_for(rep, "complaints_2024.csv").status == "skipped"
    assert query(settings.db_path, "SELECT count(*) FROM complaints") == [(7,)]


def test_key_loaded_from_another_file_is_quarantined(
    etl: Etl, settings: Settings, raw: Path
) -> None:
    write_csv(raw / "complaints_2025.csv", "complaints", [complaint(1), complaint(70)])
    etl()
    assert query(settings.db_path, "SELECT source_file, row_number, reason FROM quarantine") == [
        ("complaints_2025.csv", 2, "primary key already loaded from complaints_2024.csv line 2")
    ]


def test_failure_mid_file_leaves_warehouse_unchanged(
    etl: Etl, settings: Settings, raw: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    etl()
    before = _digest(settings.db_path)
    write_csv(raw / "complaints_2024.csv", "complaints", [complaint(1, rating="2")])
    original = load._write

    def write_then_fail(con, f, load_id, **kw):
        original(con, f, load_id, **kw)  # the DELETE + INSERT statements have run
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(load, "_write", write_then_fail)
    with pytest.raises(RuntimeError, match="disk on fire"):
        etl()
    assert _digest(settings.db_path) == before
    leftovers = [
        p.name
        for p in settings.db_path.parent.iterdir()
        if p.name.endswith(".tmp") or p.name.startswith(".smartindex-etl")
    ]
    assert leftovers == []
    monkeypatch.undo()
    assert report_for(etl(), "complaints_2024.csv").status == "replaced"


def test_killed_run_leaves_warehouse_unchanged(etl: Etl, settings: Settings, raw: Path) -> None:
    etl()
    before = _digest(settings.db_path)
    write_csv(raw / "complaints_2025.csv", "complaints", [complaint(80)])
    code = (
        "import os, sys; from pathlib import Path; "
        "from smartindex.config import Settings; from smartindex.etl import run_etl, load; "
        "orig = load._write\n"
        "def boom(con, f, lid, **kw):\n"
        "    orig(con, f, lid, **kw); os._exit(9)\n"
        "load._write = boom\n"
        f"run_etl(Settings(db_path=Path({str(settings.db_path)!r}), raw_dir=Path({str(raw)!r}),"
        f" pseudonym_key={PSEUDONYM_KEY!r}), progress=False)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True)
    assert proc.returncode == 9, proc.stderr.decode()
    assert _digest(settings.db_path) == before
    assert report_for(etl(), "complaints_2025.csv").status == "loaded"


@pytest.mark.full_raw
def test_no_raw_personal_data_anywhere(etl: Etl, settings: Settings, raw: Path) -> None:
    write_csv(
        raw / "complaints_2025.csv",
        "complaints",
        [complaint(90, rating="0"), complaint(91, reporter_name="")],
    )
    etl()
    db = settings.db_path
    secrets = [*NAMES, *PHONES, *NIKS, *RESPONDENTS, PSEUDONYM_KEY]
    con = duckdb.connect(str(db), read_only=True)
    cols = con.execute(  # every city's schema
        "SELECT table_schema || '\".\"' || table_name, column_name "
        "FROM information_schema.columns c WHERE data_type = 'VARCHAR' AND EXISTS "
        "(SELECT 1 FROM information_schema.tables t WHERE table_type = 'BASE TABLE' "
        " AND t.table_schema = c.table_schema AND t.table_name = c.table_name)"
    ).fetchall()
    assert len({t for t, _ in cols}) >= 7
    for table, col in cols:
        found = con.execute(
            f'SELECT list_distinct(list(s)) FROM "{table}", unnest($s) AS u(s) '
            f'WHERE contains("{col}", s)',
            {"s": secrets},
        ).fetchall()
        assert found in ([(None,)], [([],)]), (table, col, found)
    con.close()
    assert os.fsencode(NAMES[0]) not in db.read_bytes()
    hashed = query(
        db, "SELECT DISTINCT length(reporter_name) FROM complaints WHERE reporter_name IS NOT NULL"
    )
    assert hashed == [(64,)]
    qrow = query(db, "SELECT row_json FROM quarantine WHERE source_file = 'complaints_2025.csv'")
    assert '"reporter_name":"' in qrow[0][0]


@pytest.mark.full_raw
def test_pseudonyms_are_stable_and_keyed(etl: Etl, settings: Settings) -> None:
    etl()
    first = query(settings.db_path, "SELECT applicant_nik FROM egov_transactions ORDER BY txn_id")
    assert len({r[0] for r in first}) == 3
    from dataclasses import replace

    from smartindex.etl import run_etl

    other = replace(
        settings, db_path=settings.db_path.with_name("other.duckdb"), pseudonym_key="another-key"
    )
    run_etl(other, progress=False)
    second = query(other.db_path, "SELECT applicant_nik FROM egov_transactions ORDER BY txn_id")
    assert not {r[0] for r in first} & {r[0] for r in second}


def test_summary_table(etl: Etl, raw: Path) -> None:
    write_csv(raw / "complaints_2025.csv", "complaints", [complaint(95, rating="9")])
    text = etl().summary_table()
    lines = text.splitlines()
    assert lines[0].split() == ["file", "table", "status", "read", "loaded", "quarantined"]
    row = next(ln for ln in lines if "complaints_2025.csv" in ln)
    assert row.split()[1:] == ["complaints", "loaded", "1", "0", "1"]
    assert lines[-1].split() == ["total:", "3", "files", "ok", "11", "10", "1"]
    assert len({len(ln) for ln in lines[:2]}) == 1


def test_cli_and_etl_import_do_not_load_great_expectations() -> None:
    code = (
        "import sys, importlib.util\n"
        "import smartindex.etl\n"
        "if importlib.util.find_spec('smartindex.cli'): import smartindex.cli\n"
        "assert 'great_expectations' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
