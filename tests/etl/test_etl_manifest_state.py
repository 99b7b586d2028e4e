"""Issue 16 item 12: the load manifest is history; ``load_current`` is the current state."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import complaint, query, report_for, write_csv

from smartindex.config import Settings
from smartindex.etl import EtlReport

COMPLAINTS = "complaints_2024.csv"


def _current(db: Path) -> dict[str, tuple]:
    rows = query(
        db, "SELECT source_file, status, rows_read, rows_loaded, rows_quarantined FROM load_current"
    )
    return {r[0]: r[1:] for r in rows}


def test_restored_file_is_loaded_again_and_shows_as_current(
    settings: Settings, etl: Callable[..., EtlReport]
) -> None:
    path = settings.raw_dir / COMPLAINTS
    good = path.read_bytes()
    etl()
    path.write_bytes(good + b"T09999,lapor\n")  # broken: ragged last line
    broken = etl()
    assert report_for(broken, COMPLAINTS).status == "failed"
    assert _current(settings.db_path)[COMPLAINTS] == ("failed", 5, 5, 0)  # old rows remain
    path.write_bytes(good)  # restored, same checksum
    restored = etl()
    assert report_for(restored, COMPLAINTS).status == "replaced"
    last = query(
        settings.db_path,
        "SELECT status FROM load_manifest WHERE source_file = ? ORDER BY finished_at DESC LIMIT 1",
        [COMPLAINTS],
    )
    assert last == [("replaced",)]
    assert _current(settings.db_path)[COMPLAINTS] == ("replaced", 5, 5, 0)
    assert report_for(etl(), COMPLAINTS).status == "skipped"  # and then it is unchanged


def test_current_totals_match_the_warehouse_after_a_reload(
    settings: Settings, etl: Callable[..., EtlReport]
) -> None:
    etl()
    write_csv(
        settings.raw_dir / COMPLAINTS,
        "complaints",
        [complaint(i) for i in range(1, 4)] + [complaint(9, rating="9")],
    )
    etl()
    db = settings.db_path
    current = _current(db)
    held = {
        "region.csv": query(db, "SELECT count(*) FROM region")[0][0],
        COMPLAINTS: query(db, "SELECT count(*) FROM complaints")[0][0],
    }
    assert {f: c[2] for f, c in current.items()} == held == {"region.csv": 5, COMPLAINTS: 3}
    assert current[COMPLAINTS] == ("replaced", 4, 3, 1)
    history = query(db, "SELECT sum(rows_loaded) FROM load_manifest")[0][0]
    assert history == 5 + 5 + 3  # the history counts the first load of the complaints too
