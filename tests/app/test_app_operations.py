"""The Operations page on a real live store (ingested from a complaint CSV next to a copy of the
fixture warehouse): it renders in both languages, shows status and category words instead of
canonical codes, names the time zone, and offers the open tickets for download."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from smartindex.display.i18n import t
from smartindex.ops import default_store, open_store
from smartindex.ops.ingest import ingest_folder

APP = str(Path(__file__).resolve().parents[2] / "app.py")
HEADER = (
    "ticket_id,ticket_code,channel,category,description,kelurahan_code,kecamatan_code,lat,lon,"
    "agency,status_raw,status,reporter_id,reporter_name,reporter_phone,created_at,verified_at,"
    "dispatched_at,first_response_at,resolved_at,closed_at,reopen_count,rating,source,"
    "is_synthetic\n"
)
ROWS = (
    "K1,C1,lapor,banjir_drainase,d,1671040004,1671040,-2.95,104.75,DLH,Diverifikasi,verified,"
    "R1,Ani,0812,2025-12-30 10:00:00,2025-12-30 11:00:00,,,,,0,,hand-written test row,true\n"
    "K2,C2,lapor,sampah,d,1671040004,1671040,-2.95,104.75,DLH,Diterima,received,"
    "R2,Budi,0813,2025-12-31 09:00:00,,,,,,0,,hand-written test row,true\n"
)


@pytest.fixture
def ops_app(scored_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(scored_warehouse, db)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "complaints.csv").write_text(HEADER + ROWS)
    done = ingest_folder(open_store(default_store(db)), inbox, pseudonym_key="test-key")
    assert done.records == 2 and done.rejected == 0
    monkeypatch.setenv("SMARTINDEX_DB", str(db))
    return AppTest.from_file(APP, default_timeout=120).run()


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    for frame in at.dataframe:
        parts += [str(v) for v in frame.value.astype(str).to_numpy().ravel()]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_operations_page_shows_words_not_codes(ops_app, lang):
    at = ops_app
    if lang == "en":
        at.sidebar.radio[0].set_value("en").run()
    at.switch_page("app_pages/operations.py").run()
    assert not at.exception, at.exception[0].value
    text = _text(at)
    words = {
        "id": ("Terverifikasi", "Diterima", "Banjir dan drainase", "hari kerja", "WIB"),
        "en": ("Verified", "Received", "Flooding and drainage", "working days", "WIB"),
    }[lang]
    for word in words:
        assert word in text, (lang, word)
    cells = {
        str(v)
        for frame in at.dataframe
        for col in frame.value.columns
        if col in {t(f"ops.col.{c}", lang) for c in ("status", "category", "unit")}
        for v in frame.value[col]
    }
    assert cells and not cells & {"verified", "received", "banjir_drainase", "working_days"}
    buttons = [b.proto.label for b in at.get("download_button")]
    assert any(label.endswith("· CSV") for label in buttons), buttons
