"""Adversarial corpus for issue 16: for every class of finding, variants the issue did not list.

Classes (``CLASS`` in each test's docstring): personal data in errors, personal data on disk,
parsing that silently changes data (NUL, offsets, integers, floats, references and date bounds,
gzip), injection (Markdown, formulas), validation and one-line errors, manifest state.
The file-based cases share one ETL run (module fixture); the others call the library.
"""

from __future__ import annotations

import gzip
import io
import os
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from conftest import (
    NAMES,
    PHONES,
    PSEUDONYM_KEY,
    REGISTRY,
    RESPONDENTS,
    complaint,
    csv_text,
    make_raw,
    query,
    region_rows,
    report_for,
    survey,
    write_csv,
)

from smartindex.cli import main
from smartindex.config import Settings
from smartindex.display import export
from smartindex.display.markdown import escape_markdown
from smartindex.engine import MethodSpec
from smartindex.errors import MethodError, SmartIndexError
from smartindex.etl import EtlReport, run_etl
from smartindex.etl.csvtext import transcoded
from smartindex.warehouse import swap_write
from smartindex.warehouse.cities import use_city
from smartindex.warehouse.swap import scratch_dir

COLS = list(REGISTRY.get("complaints").columns)
NO_LATER = {
    "verified_at": "",
    "dispatched_at": "",
    "first_response_at": "",
    "resolved_at": "",
    "closed_at": "",
}
EVIL_NAME = "![x](http://127.0.0.1:9/a.png)"
REGION_EXTRA = [
    {
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
    },
    {
        "kode_wilayah": "1671020002",
        "level": "kelurahan",
        "name": EVIL_NAME,
        "parent_kode": "1671020",
        "is_home_city": "true",
        "zone": "pinggiran",
        "area_km2": "1.2",
        "lat": "-3.01",
        "lon": "104.77",
        "valid_from": "2000-01-01",
        "valid_to": "",
    },
    {
        "kode_wilayah": "1671020003",
        "level": "kelurahan",
        "name": "<b>Plaju</b>",
        "parent_kode": "1671020",
        "is_home_city": "true",
        "zone": "pinggiran",
        "area_km2": "1.2",
        "lat": "-3.01",
        "lon": "104.77",
        "valid_from": "1899-01-01",
        "valid_to": "",
    },
]


def _text(*rows: dict[str, str], header: bool = True) -> str:
    text = csv_text(rows, COLS)
    return text if header else text.split("\n", 1)[1]


def _big_gz_with_nul() -> tuple[bytes, int]:
    lines = _text(*(complaint(i) for i in range(1, 600))).splitlines(keepends=True)
    lines[500] = lines[500].replace("Jalan", "Ja\x00lan")
    return gzip.compress("".join(lines).encode()), 501


GZ_NUL, GZ_NUL_LINE = _big_gz_with_nul()


def _corrupt_gz() -> bytes:
    data = bytearray(
        gzip.compress(_text(*(complaint(i) for i in range(1, 3000))).encode(), compresslevel=1)
    )
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)
    return bytes(data)


FILES: dict[str, bytes] = {
    # personal data in errors
    "complaints_a_headerless.csv": _text(complaint(1), complaint(2), header=False).encode(),
    "complaints_b_quote_in_name.csv": _text(
        complaint(3), complaint(4, reporter_name="@Q@"), complaint(5)
    )
    .replace("@Q@", '"Siti')
    .encode(),
    "complaints_c_ragged_phone.csv": _text(complaint(6), complaint(7))
    .replace("\n", "," + PHONES[1] + "\n", 2)
    .replace("," + PHONES[1], "", 1)
    .encode(),
    "complaints_c2_phone_in_header.csv": _text(complaint(6))
    .replace("\n", "," + PHONES[1] + "\n", 1)
    .encode(),
    # NUL and gzip
    "complaints_d_nul.csv.gz": GZ_NUL,
    "complaints_e_nul_last.csv": _text(complaint(8)).encode() + b"T1,\x00",
    "complaints_f_corrupt.csv.gz": _corrupt_gz(),
    # offsets and zone names
    "complaints_g_offsets.csv": _text(
        complaint(10, created_at="2024-01-03 13:52:14.5+05:30", **NO_LATER),
        complaint(11, created_at="2024-01-03T13:52:14-03:00", **NO_LATER),
        complaint(12, created_at="2024-01-03 13:52:14 UTC", **NO_LATER),
        complaint(13, created_at="2024-01-03 13:52:14+25:00", **NO_LATER),
        complaint(14, created_at="2024-01-03 13:52:14 Mars/Olympus", **NO_LATER),
        complaint(15, created_at="2024-01-03 13:52:14+07:00", **NO_LATER),
    ).encode(),
    # integers and floats DuckDB would have changed
    "complaints_h_numbers.csv": _text(
        complaint(20, reopen_count="1e3"),
        complaint(21, rating="0x1F"),
        complaint(22, reopen_count="1_000"),
        complaint(23, lat="NaN"),
        complaint(24, lon="1e400"),
        complaint(25, reopen_count=" 2 "),
    ).encode(),
}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[EtlReport, Path]:
    d = tmp_path_factory.mktemp("adv") / "raw"
    d.mkdir()
    write_csv(d / "region.csv", "region", [*region_rows(), *REGION_EXTRA])
    for name, data in FILES.items():
        (d / name).write_bytes(data)
    write_csv(
        d / "survey_responses_2024.csv",
        "survey_responses",
        [
            survey(0),
            survey(1, respondent_id=RESPONDENTS[0] + "-0"),  # personal key twice
            survey(2, kelurahan_code="1671010001", kecamatan_code="1671020"),
            survey(3, wave_date="0001-01-01"),
        ],
    )
    write_csv(
        d / "wifi_hotspots.csv",
        "wifi_hotspots",
        [
            {
                "hotspot_id": "W1",
                "name": "Taman",
                "kelurahan_code": "1671020001",
                "kecamatan_code": "1671010",
                "lat": "-2.99",
                "lon": "104.74",
                "installed_on": "2024-01-03",
            },
            {
                "hotspot_id": "W2",
                "name": "Masjid",
                "kelurahan_code": "1671010001",
                "kecamatan_code": "1671010",
                "lat": "-2.99",
                "lon": "104.74",
                "installed_on": "2024-01-03T20:00:00Z",
            },
        ],
    )
    write_csv(
        d / "egov_services.csv",
        "egov_services",
        [
            {
                "service_code": "KTP",
                "service_name_id": "KTP",
                "service_name_en": "ID card",
                "agency": "Disdukcapil",
                "launched_on": "1899-12-31",
            }
        ],
    )
    db = d.parent / "wh" / "warehouse.duckdb"
    rep = run_etl(Settings(db_path=db, raw_dir=d, pseudonym_key=PSEUDONYM_KEY), progress=False)
    return rep, db


def _no_personal(text: str) -> None:
    assert not [v for v in [*NAMES, *PHONES, *RESPONDENTS] if v in text], text


def _q(db: Path, file: str) -> list[tuple]:
    return query(
        db,
        "SELECT row_number, columns, reason, value FROM quarantine "
        "WHERE source_file = ? ORDER BY ALL",
        [file],
    )


# ------------------------------------------------------------ personal data in errors


@pytest.mark.parametrize(
    ("name", "fragments"),
    [
        ("complaints_a_headerless.csv", ["line 1", "missing required column"]),
        ("complaints_b_quote_in_name.csv", ["line 3", "column 'reporter_name'", "unterminated"]),
        ("complaints_c_ragged_phone.csv", ["line 2", "ragged line: 26 fields"]),
        (
            "complaints_c2_phone_in_header.csv",
            ["line 1", "1 unexpected column(s) that are not column names"],
        ),
    ],
)
def test_error_messages_hold_no_personal_value(run, name: str, fragments: list[str]) -> None:
    """CLASS personal data in errors: a headerless file (line 1 is a record with names), a
    stray quote inside a personal column, a ragged line whose extra field is a phone, a phone
    number on the header line."""
    rep, db = run
    f = report_for(rep, name)
    assert f.status == "failed" and "\n" not in f.error
    for frag in fragments:
        assert frag in f.error
    _no_personal(f.error)
    _no_personal(str(query(db, "SELECT error FROM load_manifest WHERE source_file = ?", [name])))


def test_quarantined_personal_key_shows_the_pseudonym_only(run) -> None:
    """CLASS personal data in errors: a duplicate respondent_id (a personal primary key)."""
    _, db = run
    got = _q(db, "survey_responses_2024.csv")
    dup = [r for r in got if r[1] == "respondent_id"]
    assert len(dup) == 1 and dup[0][3].startswith("respondent_id=")
    assert len(dup[0][3].removeprefix("respondent_id=")) == 64  # the keyed hash
    _no_personal(str(got))
    _no_personal(str(query(db, "SELECT row_json FROM quarantine")))


# ------------------------------------------------------------ personal data on disk


def test_transcoded_copy_lives_in_memory_only(tmp_path: Path) -> None:
    """CLASS personal data on disk: the re-encoded copy of a cp1252 file is an anonymous
    memfd (gone even after kill -9), never a file in the scratch directory."""
    if not hasattr(os, "memfd_create"):
        pytest.skip("needs Linux memfd_create")
    src = tmp_path / "c.csv"
    src.write_bytes(f"reporter_name\n{NAMES[0]} café\n".encode("cp1252"))
    scratch = tmp_path / "scratch"
    with transcoded(src, "cp1252", scratch) as path:
        assert str(path).startswith("/proc/self/fd/")
        assert path.read_text(encoding="utf-8") == f"reporter_name\n{NAMES[0]} café\n"
        assert not scratch.exists() or not any(scratch.iterdir())


def test_failed_run_leaves_neither_copy_nor_scratch(tmp_path: Path) -> None:
    """CLASS personal data on disk: a run that fails half-way removes its copy, WAL and
    scratch files; DuckDB's spill directory is inside the scratch directory."""
    db = tmp_path / "warehouse.duckdb"
    with pytest.raises(SmartIndexError), swap_write(db) as con:
        spill = con.execute("SELECT current_setting('temp_directory')").fetchall()[0][0]
        assert Path(spill).parent == scratch_dir(db)
        con.execute("CREATE TABLE t AS SELECT range AS x FROM range(1000)")
        (scratch_dir(db) / "tmpabc.csv").write_text(NAMES[0])
        raise SmartIndexError("boom")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warehouse.duckdb.lock"]


# ------------------------------------------------------------ parsing: NUL and gzip


@pytest.mark.parametrize(
    ("name", "fragments"),
    [
        ("complaints_d_nul.csv.gz", [f"line {GZ_NUL_LINE}:", "NUL byte"]),
        ("complaints_e_nul_last.csv", ["line 3:", "NUL byte"]),
        ("complaints_f_corrupt.csv.gz", ["corrupt gzip stream: unreadable after about"]),
    ],
)
def test_nul_and_damaged_gzip_variants(run, name: str, fragments: list[str]) -> None:
    """CLASS parsing: a NUL inside a gzipped file beyond 64 KB (decompressed), a NUL as the
    last byte without a newline, a gzip stream corrupted in the middle."""
    rep, db = run
    f = report_for(rep, name)
    assert f.status == "failed"
    for frag in fragments:
        assert frag in f.error
    assert not query(db, "SELECT 1 FROM complaints WHERE _source_file = ?", [name])


# ------------------------------------------------------------ parsing: offsets


def test_offset_variants(run) -> None:
    """CLASS parsing: +05:30 with a fraction, -03:00 with a 'T', a zone name (UTC) and +07:00
    convert to WIB; +25:00 and an unknown zone name are quarantined, never dropped."""
    _, db = run
    got = query(
        db,
        "SELECT _row_number, strftime(created_at, '%Y-%m-%d %H:%M:%S.%f') "
        "FROM complaints WHERE _source_file = 'complaints_g_offsets.csv' "
        "ORDER BY 1",
    )
    assert got == [
        (2, "2024-01-03 15:22:14.500000"),
        (3, "2024-01-03 23:52:14.000000"),
        (4, "2024-01-03 20:52:14.000000"),
        (7, "2024-01-03 13:52:14.000000"),
    ]
    bad = _q(db, "complaints_g_offsets.csv")
    assert [(r[0], r[1], r[2]) for r in bad] == [
        (5, "created_at", "not a valid TIMESTAMP"),
        (6, "created_at", "not a valid TIMESTAMP"),
    ]


def test_offset_in_a_date_column_gives_the_local_date(run) -> None:
    """CLASS parsing: 2024-01-03T20:00:00Z is already 4 January in Palembang."""
    _, db = run
    got = query(db, "SELECT hotspot_id, installed_on::VARCHAR FROM wifi_hotspots")
    assert got == [("W2", "2024-01-04")]


# ------------------------------------------------------------ parsing: numbers


def test_number_variants_duckdb_would_have_changed(run) -> None:
    """CLASS parsing: 1e3, 0x1F and 1_000 are not integers (DuckDB reads 1000, 31, 1000);
    NaN and 1e400 (inf) are not numbers; ' 2 ' is the integer 2."""
    _, db = run
    got = [(r[0], r[1], r[3]) for r in _q(db, "complaints_h_numbers.csv")]
    assert got == [
        (2, "reopen_count", "1e3"),
        (3, "rating", "0x1F"),
        (4, "reopen_count", "1_000"),
        (5, "lat", "NaN"),
        (6, "lon", "1e400"),
    ]
    assert query(
        db, "SELECT reopen_count FROM complaints WHERE _source_file = 'complaints_h_numbers.csv'"
    ) == [(2,)]


# ------------------------------------------------------------ parsing: references and dates


def test_cross_reference_variants(run) -> None:
    """CLASS parsing: a survey respondent's and a hotspot's kelurahan in the wrong kecamatan."""
    _, db = run
    survey_bad = [
        r for r in _q(db, "survey_responses_2024.csv") if r[1] == "kelurahan_code,kecamatan_code"
    ]
    assert [r[0] for r in survey_bad] == [4]
    wifi = _q(db, "wifi_hotspots.csv")
    assert [(r[0], r[1]) for r in wifi] == [(2, "kelurahan_code,kecamatan_code")]


@pytest.mark.parametrize(
    ("file", "line", "column", "bound"),
    [
        ("survey_responses_2024.csv", 5, "wave_date", "2000-01-01"),
        ("egov_services.csv", 2, "launched_on", "1990-01-01"),
        ("region.csv", 9, "valid_from", "1945-08-17"),
    ],
)
def test_implausibly_early_date_variants(
    run, file: str, line: int, column: str, bound: str
) -> None:
    """CLASS parsing: year 1 (0001-01-01), 1899 in a service catalogue and a region."""
    _, db = run
    assert (line, column, f"before {bound} (implausibly early)") in [r[:3] for r in _q(db, file)]


# ------------------------------------------------------------ injection: Markdown


def test_region_names_with_markup_are_quarantined_at_load(run) -> None:
    """CLASS injection: an image link and an HTML tag as region names never reach the app."""
    _, db = run
    bad = {r[3] for r in _q(db, "region.csv") if r[1] == "name"}
    assert bad == {EVIL_NAME, "<b>Plaju</b>"}
    assert query(db, "SELECT count(*) FROM region WHERE name LIKE '%<%' OR name LIKE '%[%'") == [
        (0,)
    ]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("<img src=x onerror=alert(1)>", "\\<img src=x onerror=alert\\(1\\)\\>"),
        (":red[Pemkot] $x^2$", "\\:red\\[Pemkot\\] \\$x^2\\$"),
        ("1. Ilir Barat\n# Seberang", "1\\. Ilir Barat\n\\# Seberang"),
        ("&lt;script&gt;", "\\&lt;script\\&gt;"),
    ],
)
def test_markdown_escaping_variants(text: str, shown: str) -> None:
    """CLASS injection: HTML, Streamlit directives and LaTeX, list/heading starts, entities."""
    assert escape_markdown(text) == shown


# ------------------------------------------------------------ injection: formulas


def test_formula_variants() -> None:
    """CLASS injection: a full-width equals sign, a DDE payload in a pyarrow string column, a
    formula in a named index and in a MultiIndex header."""
    frame = pd.DataFrame(
        {"a": pd.array(["\uff1d1+1", "=cmd|' /C calc'!A0"], dtype="string[pyarrow]")},
        index=pd.Index(["@x", "ok"], name="+k"),
    )
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(frame))).active
    cells = [[c.value for c in row] for row in book.iter_rows()]
    assert cells == [["'+k", "a"], ["'@x", "'\uff1d1+1"], ["ok", "'=cmd|' /C calc'!A0"]]
    multi = pd.DataFrame([[1]], columns=pd.MultiIndex.from_tuples([("-x", "=y")]))
    assert list(export.neutralise(multi).columns) == [("'-x", "'=y")]


# ------------------------------------------------------------ validation and one-line errors


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ({"aggregate": {"p": float("-inf")}}, "aggregate.p = -inf"),
        ({"denominate": {"enabled": True, "scale": float("nan")}}, "denominate.scale = nan"),
        ({"screen": {"threshold": 1e300}}, "screen.threshold = 1e+300"),
    ],
)
def test_method_setting_variants(raw: dict, fragment: str) -> None:
    """CLASS validation: -inf exponent, NaN scale, a huge threshold."""
    with pytest.raises(MethodError) as err:
        MethodSpec.from_dict(raw)
    assert fragment in str(err.value)


@pytest.mark.parametrize("case", ["raw is a file", "raw is missing", "db parent is a file"])
def test_path_variants_give_one_line(tmp_path: Path, capsys, case: str) -> None:
    """CLASS one-line errors: --raw naming a file or nothing, --db inside a file."""
    raw = make_raw(tmp_path / "raw", full=False)
    db = tmp_path / "w.duckdb"
    if case == "raw is a file":
        raw = raw / "region.csv"
    elif case == "raw is missing":
        raw = tmp_path / "nope"
    else:
        (tmp_path / "plain").write_text("x")
        db = tmp_path / "plain" / "w.duckdb"
    assert main(["etl", "--raw", str(raw), "--db", str(db)]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    assert err.startswith("smartindex etl: error: ")
    assert str(raw) in err or str(db.parent) in err


# ------------------------------------------------------------ manifest state


def test_removed_and_repeatedly_failing_files_in_current_state(tmp_path: Path) -> None:
    """CLASS manifest: a file deleted from the raw folder still shows what the warehouse holds;
    a file that fails twice after a good load shows 'failed' with the rows it left."""
    raw = make_raw(tmp_path / "raw", full=False)
    write_csv(raw / "complaints_2025.csv", "complaints", [complaint(i) for i in range(50, 53)])
    settings = Settings(db_path=tmp_path / "w.duckdb", raw_dir=raw, pseudonym_key=PSEUDONYM_KEY)
    run_etl(settings, progress=False)
    (raw / "complaints_2025.csv").unlink()
    broken = raw / "complaints_2024.csv"
    good = broken.read_bytes()
    for tail in (b"X,1\n", b"Y,2\n"):
        broken.write_bytes(good + tail)
        run_etl(settings, progress=False)
    current = {
        r[0]: r[1:]
        for r in query(
            settings.db_path, "SELECT source_file, status, rows_loaded FROM load_current"
        )
    }
    assert current == {
        "region.csv": ("loaded", 5),
        "complaints_2024.csv": ("failed", 5),
        "complaints_2025.csv": ("loaded", 3),
    }
    held = query(settings.db_path, "SELECT count(*) FROM complaints")[0][0]
    assert held == 8


def test_duckdb_never_sees_raw_personal_values_in_its_tables(run) -> None:
    """CLASS personal data on disk: no table of the warehouse holds a raw name or phone."""
    _, db = run
    con = duckdb.connect(str(db), read_only=True)
    use_city(con, None)  # the warehouse's only city
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
            ).fetchall()
        ]
        for t in tables:
            text = str(con.execute(f'SELECT * FROM "{t}"').fetchall())
            _no_personal(text)
    finally:
        con.close()


def test_corrupt_gzip_is_located_near_the_damage(run) -> None:
    """CLASS parsing: the line named for a gzip stream damaged half-way is near the middle."""
    rep, _ = run
    error = report_for(rep, "complaints_f_corrupt.csv.gz").error
    line = int(error.split(", line ")[1].split(":")[0])
    assert 500 < line < 3000
