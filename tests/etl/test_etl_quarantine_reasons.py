"""Row-level defects: each bad row is quarantined with its line, column, expectation and value."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import (
    PSEUDONYM_KEY,
    complaint,
    query,
    region_rows,
    report_for,
    survey,
    write_csv,
)

from smartindex.config import Settings
from smartindex.etl import EtlReport, load, run_etl, validate

FORMULA = '=HYPERLINK("http://evil.example/x","klik")'
LONG = "x" * 100_000
# line number -> complaint row (line 1 is the header)
COMPLAINTS = {
    2: complaint(1),
    3: complaint(2),
    4: complaint(3, reopen_count="abc"),
    5: complaint(2, description="another text"),
    6: complaint(1),
    7: complaint(6, kecamatan_code="1671999"),
    8: complaint(7, resolved_at="2024-02-01 00:00:00", closed_at=""),
    9: complaint(
        8,
        created_at="2099-01-01 00:00:00",
        verified_at="",
        dispatched_at="",
        first_response_at="",
        resolved_at="",
        closed_at="",
    ),
    10: complaint(9, rating="7"),
    11: complaint(10, reopen_count="-1"),
    12: complaint(11, lat="1.5"),
    13: complaint(12, channel=""),
    14: complaint(13, kecamatan_code="16710"),
    15: complaint(
        14,
        created_at="2024-02-30 10:00:00",
        verified_at="",
        dispatched_at="",
        first_response_at="",
        resolved_at="",
        closed_at="",
    ),
    16: complaint(15, description=FORMULA),
    17: complaint(16, description=LONG),
    18: complaint(17, status="pending"),
    19: complaint(18, lon="105.5", lat="-2.9"),
}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[EtlReport, Path]:
    d = tmp_path_factory.mktemp("q") / "raw"
    d.mkdir()
    write_csv(d / "region.csv", "region", region_rows())
    write_csv(d / "complaints_2024.csv", "complaints", COMPLAINTS.values())
    write_csv(
        d / "survey_responses_2024.csv",
        "survey_responses",
        [
            survey(0),
            survey(1, dl_skills_1="6"),
            survey(2, ikm_u1="0"),
            survey(3, wave_date="2024-13-01"),
            survey(4, sex="X"),
        ],
    )
    write_csv(
        d / "population.csv",
        "population",
        [
            {"kode_wilayah": "1671", "year": "2024", "population": "1700000", "households": "-5"},
            {"kode_wilayah": "1671", "year": "2023", "population": "1.5e6x", "households": "1"},
        ],
    )
    db = d.parent / "warehouse.duckdb"
    rep = run_etl(Settings(db_path=db, raw_dir=d, pseudonym_key=PSEUDONYM_KEY), progress=False)
    return rep, db


def _reasons(db: Path, file: str, line: int) -> list[tuple[str, str, str, str]]:
    return query(
        db,
        "SELECT columns, expectation, reason, value FROM quarantine "
        "WHERE source_file = ? AND row_number = ? ORDER BY ALL",
        [file, line],
    )


@pytest.mark.parametrize(
    ("line", "column", "expectation", "reason", "value"),
    [
        (4, "reopen_count", "type", "not a valid INTEGER", "abc"),
        (
            5,
            "ticket_id",
            "primary_key",
            "duplicate primary key; first occurrence at line 3",
            "ticket_id=T00002",
        ),
        (6, "ticket_id", "primary_key", "exact duplicate of line 2", "ticket_id=T00001"),
        (
            7,
            "kecamatan_code",
            "expect_column_values_to_be_in_set",
            "no matching region.kode_wilayah",
            "1671999",
        ),
        (
            8,
            "created_at,resolved_at",
            "expect_column_pair_values_a_to_be_greater_than_b",
            "resolved_at before created_at",
            "created_at=2024-03-01 08:00:00, resolved_at=2024-02-01 00:00:00",
        ),
        (
            9,
            "created_at",
            "expect_column_values_to_be_between",
            "date/time in the future",
            "2099-01-01 00:00:00",
        ),
        (10, "rating", "expect_column_values_to_be_between", "outside [1, 5]", "7"),
        (11, "reopen_count", "expect_column_values_to_be_between", "outside [0, 50]", "-1"),
        (
            12,
            "lat",
            "expect_column_values_to_be_between",
            "lat outside the city bounding box [-3.12, -2.84]",
            "1.5",
        ),
        (
            13,
            "channel",
            "expect_column_values_to_not_be_null",
            "missing value in a required column",
            None,
        ),
        (
            14,
            "kecamatan_code",
            "expect_column_values_to_match_regex",
            "does not match ^1671\\d{3}$",
            "16710",
        ),
        (15, "created_at", "type", "not a valid TIMESTAMP", "2024-02-30 10:00:00"),
        (
            18,
            "status",
            "expect_column_values_to_be_in_set",
            "not one of the allowed values",
            "pending",
        ),
        (
            19,
            "lon",
            "expect_column_values_to_be_between",
            "lon outside the city bounding box [104.6, 104.92]",
            "105.5",
        ),
    ],
)
def test_complaint_defect_is_quarantined(
    loaded: tuple[EtlReport, Path],
    line: int,
    *,
    column: str,
    expectation: str,
    reason: str,
    value: str | None,
) -> None:
    _, db = loaded
    assert (column, expectation, reason, value) in _reasons(db, "complaints_2024.csv", line)
    assert not query(db, "SELECT 1 FROM complaints WHERE _row_number = ?", [line])


@pytest.mark.parametrize(
    ("file", "line", "column", "reason", "value"),
    [
        ("survey_responses_2024.csv", 3, "dl_skills_1", "outside [1, 5]", "6"),
        ("survey_responses_2024.csv", 4, "ikm_u1", "outside [1, 4]", "0"),
        ("survey_responses_2024.csv", 5, "wave_date", "not a valid DATE", "2024-13-01"),
        ("survey_responses_2024.csv", 6, "sex", "not one of the allowed values", "X"),
        ("population.csv", 2, "households", "outside [0, 20000000]", "-5"),
        ("population.csv", 3, "population", "not a valid BIGINT", "1.5e6x"),
    ],
)
def test_other_sources_defects(
    loaded: tuple[EtlReport, Path], file: str, line: int, *, column: str, reason: str, value: str
) -> None:
    _, db = loaded
    got = [(c, r, v) for c, _, r, v in _reasons(db, file, line)]
    assert (column, reason, value) in got


def test_clean_rows_load_with_lineage(loaded: tuple[EtlReport, Path]) -> None:
    rep, db = loaded
    assert rep.ok
    lines = [r[0] for r in query(db, "SELECT _row_number FROM complaints ORDER BY 1")]
    assert lines == [2, 3, 16, 17]
    assert query(db, "SELECT DISTINCT _source_file FROM complaints") == [("complaints_2024.csv",)]


def test_formula_and_long_field_kept_as_text(loaded: tuple[EtlReport, Path]) -> None:
    _, db = loaded
    assert query(db, "SELECT description FROM complaints WHERE _row_number = 16") == [(FORMULA,)]
    got = query(db, "SELECT length(description) FROM complaints WHERE _row_number = 17")
    assert got == [(100_000,)]


def test_read_equals_loaded_plus_quarantined(loaded: tuple[EtlReport, Path]) -> None:
    rep, db = loaded
    comp = report_for(rep, "complaints_2024.csv")
    assert (comp.rows_read, comp.rows_loaded, comp.rows_quarantined) == (18, 4, 14)
    for f in rep.files:
        assert f.rows_read == f.rows_loaded + f.rows_quarantined
    bad = query(
        db,
        "SELECT source_file, rows_read, rows_loaded, rows_quarantined, "
        "(SELECT count(DISTINCT row_number) FROM quarantine q "
        " WHERE q.source_file = m.source_file) FROM load_manifest m",
    )
    for _, read, ok, quar, distinct_q in bad:
        assert read == ok + quar and quar == distinct_q


def test_region_bbox_only_for_home_city(loaded: tuple[EtlReport, Path]) -> None:
    rep, db = loaded
    assert report_for(rep, "region.csv").rows_quarantined == 0
    assert query(db, "SELECT count(*) FROM kecamatan") == [(2,)]
    assert query(db, "SELECT count(*) FROM kelurahan") == [(1,)]


def _batch_raw(d: Path) -> Path:
    """Three complaint files and two survey files with defects of every kind, some of them
    across files (a key loaded from an earlier file, a type failure forcing the slow path)."""
    d.mkdir()
    write_csv(d / "region.csv", "region", region_rows())
    write_csv(
        d / "complaints_2022.csv",
        "complaints",
        [
            complaint(1),
            complaint(2, channel="telegram"),
            complaint(3, lat="-1.5"),
            complaint(4, kelurahan_code="1671010001", kecamatan_code="1671020"),
        ],
    )
    write_csv(
        d / "complaints_2023.csv",
        "complaints",
        [
            complaint(1),  # key loaded from complaints_2022.csv
            complaint(5, rating="9"),
            complaint(6, reopen_count="abc"),
            complaint(7, created_at="2099-01-01 00:00:00"),
            complaint(7),
        ],
    )
    write_csv(d / "complaints_2024.csv", "complaints", [complaint(8), complaint(9, lon="")])
    write_csv(d / "survey_responses_2023.csv", "survey_responses", [survey(0), survey(1)])
    write_csv(
        d / "survey_responses_2024.csv",
        "survey_responses",
        [survey(2, sex="X"), survey(3, kecamatan_code="1671999")],
    )
    return d


def _contents(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows and the quarantine, without the (random) load ids."""
    return {
        t: query(db, f'SELECT * EXCLUDE (_load_id) FROM "{t}" ORDER BY ALL')
        for t in ("region", "complaints", "survey_responses")
    } | {
        "quarantine": query(db, "SELECT * EXCLUDE (load_id) FROM quarantine ORDER BY ALL"),
        "manifest": query(
            db,
            "SELECT source_file, rows_read, rows_loaded, rows_quarantined, status, error, "
            "extracted_at FROM load_manifest ORDER BY ALL",
        ),
    }


def test_batched_validation_equals_file_by_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15: files of one source are validated as one batch and same-parameter checks as
    one stacked expectation; the warehouse is exactly what file-by-file validation gives."""
    raw = _batch_raw(tmp_path / "raw")

    def run(name: str) -> dict[str, list[tuple]]:
        db = tmp_path / name / "w.duckdb"
        rep = run_etl(
            Settings(db_path=db, raw_dir=raw, pseudonym_key=PSEUDONYM_KEY), progress=False
        )
        assert rep.ok
        return _contents(db)

    batched = run("batched")
    monkeypatch.setattr(load, "BATCH_ROWS", 0)  # every file a batch of its own
    monkeypatch.setattr(validate, "_STACKABLE", set())  # one GX expectation per check
    alone = run("alone")
    assert batched == alone
    reasons = {(r[0], r[4]) for r in batched["quarantine"]}
    assert ("complaints_2023.csv", "primary_key") in reasons  # key from the earlier file
    assert ("complaints_2023.csv", "type") in reasons
    assert ("complaints_2022.csv", "expect_column_pair_values_to_be_in_set") in reasons
    assert ("survey_responses_2024.csv", "expect_column_values_to_be_in_set") in reasons


def test_crash_in_a_batch_fails_only_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A GX metric that crashes on one file's values fails that file only, as when every
    file was validated alone (the batch is then validated file by file)."""
    raw = _batch_raw(tmp_path / "raw")
    write_csv(raw / "complaints_2023.csv", "complaints", [complaint(11, category="CRASH")])
    real = validate.GxSession._failures

    def crashing(self, frame, checks):  # type: ignore[no-untyped-def]
        if any((frame[c].astype(object) == "CRASH").any() for c in frame.columns):
            raise validate.ValidationCrashError("validation of category crashed: boom")
        return real(self, frame, checks)

    monkeypatch.setattr(validate.GxSession, "_failures", crashing)
    db = tmp_path / "w.duckdb"
    rep = run_etl(Settings(db_path=db, raw_dir=raw, pseudonym_key=PSEUDONYM_KEY), progress=False)
    status = {f.path.name: f.status for f in rep.files}
    assert status["complaints_2023.csv"] == "failed"
    assert "crashed" in (report_for(rep, "complaints_2023.csv").error or "")
    assert status["complaints_2022.csv"] == status["complaints_2024.csv"] == "loaded"
    assert query(db, "SELECT count(DISTINCT _source_file) FROM complaints") == [(2,)]
