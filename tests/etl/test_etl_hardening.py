"""Issue 16, parsing and personal data: each case reproduces one finding of the attack run.

One ETL run over a raw directory holding one file per finding (module fixture); the tests
read its reports and the warehouse.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import (
    NAMES,
    NIKS,
    PHONES,
    PSEUDONYM_KEY,
    REGISTRY,
    complaint,
    csv_text,
    make_raw,
    query,
    region_rows,
    report_for,
    survey,
    write_csv,
)

from smartindex.config import Settings
from smartindex.errors import SmartIndexError
from smartindex.etl import EtlReport, run_etl

COLS = list(REGISTRY.get("complaints").columns)
NO_LATER = {
    "verified_at": "",
    "dispatched_at": "",
    "first_response_at": "",
    "resolved_at": "",
    "closed_at": "",
}
SECOND_KELURAHAN = {
    "kode_wilayah": "1671020001",
    "level": "kelurahan",
    "name": "Tangga Takat",
    "parent_kode": "1671020",
    "is_home_city": "true",
    "zone": "pinggiran",
    "area_km2": "1.2",
    "lat": "-3.01",
    "lon": "104.77",
    "valid_from": "2000-01-01",
    "valid_to": "",
}


SPLIT = [  # Jakabaring was split from Seberang Ulu I (1671020) in 2018
    {
        "kode_wilayah": "1671022",
        "level": "kecamatan",
        "name": "Jakabaring",
        "parent_kode": "1671",
        "is_home_city": "true",
        "zone": "pinggiran",
        "area_km2": "9.16",
        "lat": "-3.018",
        "lon": "104.788",
        "valid_from": "2018-01-01",
        "valid_to": "",
    },
    {
        "kode_wilayah": "1671022001",
        "level": "kelurahan",
        "name": "8 Ulu",
        "parent_kode": "1671022",
        "is_home_city": "true",
        "zone": "pinggiran",
        "area_km2": "1.5",
        "lat": "-3.01",
        "lon": "104.78",
        "valid_from": "2018-01-01",
        "valid_to": "",
    },
]
BEFORE_SPLIT = {"kelurahan_code": "1671022001", "kecamatan_code": "1671020"}


def _complaints(*rows: dict[str, str]) -> str:
    return csv_text(rows, COLS)


def _stray_quote() -> bytes:
    """Line 3 opens a quote it never closes; the records after it carry names and phones."""
    text = _complaints(
        complaint(1), complaint(2, description="@@QUOTE@@"), complaint(3), complaint(4)
    )
    return text.replace("@@QUOTE@@", '"Jalan berlubang dekat pasar').encode()


def _nul_far() -> tuple[bytes, int]:
    """A NUL byte in a description beyond the first 64 KB; returns the bytes and its line."""
    rows = [complaint(i) for i in range(1, 400)]
    text = _complaints(*rows)
    assert len(text) > 1 << 16
    lines = text.splitlines(keepends=True)
    line = 380
    lines[line - 1] = lines[line - 1].replace("Jalan berlubang", "Jalan\x00berlubang")
    return "".join(lines).encode(), line


NUL_FAR, NUL_FAR_LINE = _nul_far()
TRUNCATED_GZ = gzip.compress(_complaints(*(complaint(i) for i in range(1, 3000))).encode())


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[EtlReport, Path]:
    d = tmp_path_factory.mktemp("h") / "raw"
    d.mkdir()
    write_csv(d / "region.csv", "region", [*region_rows(), SECOND_KELURAHAN, *SPLIT])
    files = {
        "complaints_01_quote.csv": _stray_quote(),
        "complaints_02_nul_line3.csv": _complaints(
            complaint(10), complaint(11, description="ada\x00nul")
        ).encode(),
        "complaints_03_nul_far.csv": NUL_FAR,
        "complaints_04_offset.csv": _complaints(
            complaint(20, created_at="2024-01-03T13:52:14Z", **NO_LATER)
        ).encode(),
        "complaints_05_refs_dates.csv": _complaints(
            complaint(30, kecamatan_code="1671020"),  # kelurahan lies in 1671010
            complaint(31, kelurahan_code="1671020001", kecamatan_code="1671020"),  # right
            complaint(32, created_at="1900-01-01 08:00:00", **NO_LATER),
        ).encode(),
        "complaints_06_truncated.csv.gz": TRUNCATED_GZ[: len(TRUNCATED_GZ) // 2],
        "complaints_07_split.csv": _complaints(
            complaint(40, **BEFORE_SPLIT, created_at="2016-05-01 08:00:00", **NO_LATER),
            complaint(41, **BEFORE_SPLIT, created_at="2019-05-01 08:00:00", **NO_LATER),
            complaint(
                42,
                kelurahan_code="1671022001",
                kecamatan_code="1671022",
                created_at="2019-05-01 08:00:00",
                **NO_LATER,
            ),
        ).encode(),
    }
    for name, data in files.items():
        (d / name).write_bytes(data)
    write_csv(
        d / "survey_responses_2024.csv",
        "survey_responses",
        [survey(0, dl_skills_1="4.6"), survey(1, dl_skills_2="3.5"), survey(2, dl_ethics_1="4.0")],
    )
    write_csv(
        d / "aq_sensors.csv",
        "aq_sensors",
        [
            {
                "sensor_id": "S1",
                "name": "KLHK",
                "kecamatan_code": "1671010",
                "lat": "-2.99",
                "lon": "104.74",
                "sensor_type": "reference",
                "installed_on": "2020-01-01",
            }
        ],
    )
    pq.write_table(
        pa.table(
            {
                "sensor_id": ["S1", "S1"],
                "date": pa.array([18262, 18263], pa.date32()),
                "pm25": [12.5, 13.0],
                "pm10": [20.0, 22.0],
                "n_hours": [12.5, 12.0],
                "qc_flag": ["ok", "ok"],
                "source": ["synthetic: t"] * 2,
                "is_synthetic": [True] * 2,
            }
        ),
        d / "aq_readings.parquet",
    )
    db = d.parent / "wh" / "warehouse.duckdb"
    return run_etl(Settings(db_path=db, raw_dir=d, pseudonym_key=PSEUDONYM_KEY), progress=False), db


def _personal(text: str) -> list[str]:
    return [v for v in [*NAMES, *PHONES, *NIKS] if v in text]


def test_stray_quote_error_names_line_and_column_but_no_personal_value(run) -> None:
    """Item 1: DuckDB's error quotes the next records (names, phones); ours must not."""
    rep, db = run
    f = report_for(rep, "complaints_01_quote.csv")
    assert f.status == "failed"
    assert "line 3" in f.error and "column 'description'" in f.error
    assert "unterminated quoted field" in f.error and "\n" not in f.error
    stored = query(
        db, "SELECT error FROM load_manifest WHERE source_file = ?", ["complaints_01_quote.csv"]
    )[0][0]
    assert stored == f.error
    assert _personal(f.error) == [] and "Jalan berlubang" not in f.error
    assert _personal(" ".join(rep.errors)) == []


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("complaints_02_nul_line3.csv", 3),
        ("complaints_03_nul_far.csv", NUL_FAR_LINE),
    ],
)
def test_nul_byte_anywhere_fails_the_file_at_its_line(run, name: str, line: int) -> None:
    """Item 3: a NUL beyond 64 KB used to load; one on line 3 was reported as line 1."""
    rep, db = run
    f = report_for(rep, name)
    assert f.status == "failed"
    assert f"line {line}:" in f.error and "NUL byte" in f.error
    assert not query(db, "SELECT 1 FROM complaints WHERE _source_file = ?", [name])


def test_offset_timestamp_is_converted_to_city_time(run) -> None:
    """Item 4: 2024-01-03T13:52:14Z is 20:52:14 in Palembang (WIB, UTC+7)."""
    _, db = run
    got = query(
        db,
        "SELECT strftime(created_at, '%Y-%m-%d %H:%M:%S') FROM complaints "
        "WHERE _source_file = 'complaints_04_offset.csv'",
    )
    assert got == [("2024-01-03 20:52:14",)]


@pytest.mark.parametrize(
    ("line", "column", "value"),
    [
        (2, "dl_skills_1", "4.6"),
        (3, "dl_skills_2", "3.5"),
    ],
)
def test_non_integer_likert_is_quarantined_not_rounded(
    run, line: int, column: str, value: str
) -> None:
    """Item 5: 4.6 used to load as 5 and 3.5 as 4."""
    _, db = run
    got = query(
        db,
        "SELECT columns, reason, value FROM quarantine WHERE source_file = "
        "'survey_responses_2024.csv' AND row_number = ?",
        [line],
    )
    assert got == [(column, "not a valid INTEGER", value)]


def test_integral_decimal_text_still_loads(run) -> None:
    _, db = run
    assert query(db, "SELECT dl_ethics_1 FROM survey_responses") == [(4,)]


def test_non_integer_parquet_count_is_quarantined(run) -> None:
    """Item 5: a Parquet n_hours of 12.5 used to load as 13; 12.0 is an integer."""
    _, db = run
    assert query(
        db, "SELECT row_number, columns, value FROM quarantine WHERE table_name = 'aq_readings'"
    ) == [(2, "n_hours", "12.5")]
    assert query(db, "SELECT n_hours FROM aq_readings") == [(12,)]


def test_kelurahan_in_another_kecamatan_is_quarantined(run) -> None:
    """Item 6: kelurahan 1671010001 lies in kecamatan 1671010, not 1671020."""
    _, db = run
    got = query(
        db,
        "SELECT row_number, columns, expectation, value FROM quarantine "
        "WHERE source_file = 'complaints_05_refs_dates.csv' ORDER BY ALL",
    )
    assert (
        2,
        "kelurahan_code,kecamatan_code",
        "expect_column_pair_values_to_be_in_set",
        "kelurahan_code=1671010001, kecamatan_code=1671020",
    ) in got
    loaded = query(
        db, "SELECT _row_number FROM complaints WHERE _source_file = 'complaints_05_refs_dates.csv'"
    )
    assert loaded == [(3,)]


def test_date_in_1900_is_quarantined(run) -> None:
    """Item 6: 1900 loaded while 2100 was quarantined; created_at starts in 2000."""
    _, db = run
    got = query(
        db,
        "SELECT columns, reason FROM quarantine WHERE source_file = "
        "'complaints_05_refs_dates.csv' AND row_number = 4",
    )
    assert got == [("created_at", "before 2000-01-01 (implausibly early)")]


def test_truncated_gzip_names_file_and_line(run) -> None:
    """Item 7: 'Unexpected end of GZIP stream' came without a line."""
    rep, _ = run
    f = report_for(rep, "complaints_06_truncated.csv.gz")
    assert f.status == "failed"
    assert "complaints_06_truncated.csv.gz, line " in f.error
    assert "truncated gzip stream" in f.error
    line = int(f.error.split(", line ")[1].split(":")[0])
    whole = gzip.decompress(TRUNCATED_GZ)
    assert 1 < line <= whole.count(b"\n")


def test_valid_files_still_load(run) -> None:
    rep, _ = run
    assert report_for(rep, "region.csv").status == "loaded"
    assert report_for(rep, "complaints_04_offset.csv").rows_loaded == 1


def test_kelurahan_of_a_split_kecamatan_before_the_split(run) -> None:
    """Before 2018 the kelurahan of Jakabaring lay in Seberang Ulu I: a 2016 record with the
    old pair loads, a 2019 record with it is quarantined."""
    _, db = run
    loaded = query(
        db,
        "SELECT _row_number FROM complaints "
        "WHERE _source_file = 'complaints_07_split.csv' ORDER BY 1",
    )
    assert loaded == [(2,), (4,)]
    got = query(
        db,
        "SELECT row_number, columns FROM quarantine WHERE source_file = 'complaints_07_split.csv'",
    )
    assert got == [(3, "kelurahan_code,kecamatan_code")]


def test_city_time_zone_is_a_setting(tmp_path: Path) -> None:
    """Makassar (WITA, UTC+8): the same instant is 21:52:14 there."""
    raw = make_raw(tmp_path / "raw", full=False)
    write_csv(
        raw / "complaints_2024.csv",
        "complaints",
        [complaint(1, created_at="2024-01-03T13:52:14Z", **NO_LATER)],
    )
    db = tmp_path / "w.duckdb"
    run_etl(
        Settings(db_path=db, raw_dir=raw, pseudonym_key=PSEUDONYM_KEY, timezone="Asia/Makassar"),
        progress=False,
    )
    got = query(db, "SELECT strftime(created_at, '%H:%M:%S') FROM complaints")
    assert got == [("21:52:14",)]


def test_unknown_time_zone_is_a_one_line_error(tmp_path: Path) -> None:
    raw = make_raw(tmp_path / "raw", full=False)
    settings = Settings(db_path=tmp_path / "w.duckdb", raw_dir=raw, timezone="Mars/Olympus")
    with pytest.raises(SmartIndexError, match="'Mars/Olympus' is not a known IANA zone name"):
        run_etl(settings, progress=False)
