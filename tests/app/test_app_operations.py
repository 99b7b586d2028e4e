"""The Operations page on a real live store (ingested from a complaint CSV next to a copy of the
fixture warehouse): it renders in both languages, shows status and category words instead of
canonical codes, names the time zone, offers the open tickets for download, and counts working
days on the working week of the city's profile."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from smartindex.display.i18n import t
from smartindex.display.operations import stage_label
from smartindex.ops import default_store, open_store
from smartindex.ops.ingest import ingest_folder
from smartindex.ops.sla import load_sla

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
STAGES = [stage.key for stage in load_sla().stages]


@pytest.fixture
def ops_app(scored_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(scored_warehouse, db)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "complaints.csv").write_text(HEADER + ROWS)
    done = ingest_folder(open_store(default_store(db, "1671")), inbox, pseudonym_key="test-key")
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


def _due_times(frame, lang: str) -> dict[tuple[str, str], str]:
    """(ticket code, stage key) -> due time of an overdue or at-risk table, as the page shows
    it."""
    stages = {stage_label(key, lang): key for key in STAGES}
    cols = [t(f"ops.col.{c}", lang) for c in ("ticket_code", "stage", "due_at")]
    return {(str(a), stages[b]): str(c) for a, b, c in frame[cols].itertuples(index=False)}


def test_operations_page_counts_on_the_city_s_week(ops_app, tmp_path, monkeypatch, six_day_profile):
    """The page takes the working week of the warehouse city's profile (as ``smartindex ops``
    does): due times in working days are those of that week, clock-time ones do not move."""
    six_day_profile(tmp_path / "cities" / "kota" / "profile.toml", "1671", "Kota Palembang")
    shown = {}
    for week in ("national", "six"):
        if week == "six":
            monkeypatch.setattr("smartindex.config.cities_dir", lambda: tmp_path / "cities")
        ops_app.switch_page("app_pages/overview.py").run()
        ops_app.switch_page("app_pages/operations.py").run()
        assert not ops_app.exception, ops_app.exception[0].value
        shown[week] = _due_times(ops_app.dataframe[0].value, "id")  # the overdue list
    # C2, received Wednesday 31 Dec 2025 09:00 (1 Jan a holiday), 3 working days: national
    # Fri 2, Mon 5, Tue 6 Jan -> due Wed 7 Jan 00:00; six days Fri 2, Sat 3, Mon 5 -> Tue 6
    verify = ("C2", "lapor_verify_forward")
    assert shown["national"][verify] == "2026-01-07 00:00:00"
    assert shown["six"][verify] == "2026-01-06 00:00:00"
    coordination = ("C2", "jakarta_coordination")  # 6 clock hours
    assert shown["national"][coordination] == shown["six"][coordination] == "2025-12-31 15:00:00"


def test_a_profile_handed_over_by_smartindex_app_wins(
    ops_app, tmp_path, monkeypatch, six_day_profile
):
    """``smartindex app --city <workspace>`` hands its profile over (SMARTINDEX_PROFILE): the
    page counts on that city's week even when no profile under data/cities has the code."""
    profile = six_day_profile(tmp_path / "workspace" / "profile.toml", "1671", "Kota Palembang")
    monkeypatch.setattr("smartindex.config.cities_dir", lambda: tmp_path / "no-cities")
    monkeypatch.setenv("SMARTINDEX_PROFILE", str(profile))
    ops_app.switch_page("app_pages/overview.py").run()
    ops_app.switch_page("app_pages/operations.py").run()
    assert not ops_app.exception, ops_app.exception[0].value
    due = _due_times(ops_app.dataframe[0].value, "id")
    assert due[("C2", "lapor_verify_forward")] == "2026-01-06 00:00:00"  # six-day week
