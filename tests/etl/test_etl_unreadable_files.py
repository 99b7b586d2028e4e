"""Files that cannot be read fail with one line naming file, line and column; others still load."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import (
    PSEUDONYM_KEY,
    REGISTRY,
    complaint,
    csv_text,
    query,
    region_rows,
    report_for,
    write_csv,
)

from smartindex.config import Settings
from smartindex.etl import EtlReport, run_etl
from smartindex.etl.registry import DEFAULT_REGISTRY

COLS = list(REGISTRY.get("complaints").columns)


def _text(first: int, cols: list[str] | None = None, delimiter: str = ",", **over: str) -> str:
    return csv_text(
        [complaint(first, **over), complaint(first + 1, **over)], cols or COLS, delimiter
    )


def _xlsx_bytes() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(COLS)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


FILES: dict[str, bytes] = {
    "complaints_a_missing.csv": _text(100, [c for c in COLS if c != "rating"]).encode(),
    "complaints_b_extra.csv": _text(110, [*COLS, "foo"]).encode(),
    "complaints_c_empty.csv": b"",
    "complaints_d_header_only.csv": (",".join(COLS) + "\n").encode(),
    "complaints_e_semicolon.csv": _text(140, delimiter=";").encode(),
    "complaints_f_truncated.csv": _text(150).encode() + b"T09999,lapor,jal",
    "complaints_g_utf16.csv": _text(160).encode("utf-16"),
    "complaints_h_latin1.csv": _text(170, description="Jalan rusak dekat café").encode("cp1252"),
    "complaints_i_bom.csv": _text(180).encode("utf-8-sig"),
    "complaints_j_is_xlsx.csv": _xlsx_bytes(),
    "complaints_k_ragged.csv": _text(190).replace("\n", "\nT00777,extra\n", 1).encode(),
}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[EtlReport, Path]:
    d = tmp_path_factory.mktemp("u") / "raw"
    d.mkdir()
    write_csv(d / "region.csv", "region", region_rows())
    for name, data in FILES.items():
        (d / name).write_bytes(data)
    db = d.parent / "warehouse.duckdb"
    return run_etl(Settings(db_path=db, raw_dir=d, pseudonym_key=PSEUDONYM_KEY), progress=False), db


@pytest.mark.parametrize(
    ("name", "fragments"),
    [
        ("complaints_a_missing.csv", ["line 1", "column 'rating'", "missing required column"]),
        ("complaints_b_extra.csv", ["line 1", "column 'foo'", "unexpected column"]),
        ("complaints_c_empty.csv", ["line 1", "empty file"]),
        ("complaints_e_semicolon.csv", ["line 1", "column 'ticket_id'", "delimiter ','"]),
        ("complaints_f_truncated.csv", ["line 4", "column 'category'", "truncated"]),
        ("complaints_g_utf16.csv", ["line 1", "wrong encoding"]),
        ("complaints_j_is_xlsx.csv", ["line 1", "not the declared format csv"]),
        ("complaints_k_ragged.csv", ["line 2", "column 'channel'", "2 of 25 fields"]),
    ],
)
def test_unreadable_file_fails_with_one_line(
    run: tuple[EtlReport, Path], name: str, fragments: list[str]
) -> None:
    rep, db = run
    f = report_for(rep, name)
    assert f.status == "failed"
    assert name in f.error and "\n" not in f.error
    for frag in fragments:
        assert frag in f.error
    assert any(name in e for e in rep.errors)
    status = query(db, "SELECT status, error FROM load_manifest WHERE source_file = ?", [name])
    assert status == [("failed", f.error)]


def test_other_files_still_load(run: tuple[EtlReport, Path]) -> None:
    rep, db = run
    assert not rep.ok
    assert report_for(rep, "region.csv").status == "loaded"
    assert report_for(rep, "complaints_i_bom.csv").rows_loaded == 2
    files = {r[0] for r in query(db, "SELECT DISTINCT _source_file FROM complaints")}
    assert files == {"complaints_h_latin1.csv", "complaints_i_bom.csv"}


def test_header_only_loads_zero_rows_with_warning(run: tuple[EtlReport, Path]) -> None:
    f = report_for(run[0], "complaints_d_header_only.csv")
    assert (f.status, f.rows_read, f.rows_loaded) == ("loaded", 0, 0)
    assert f.warnings == ["header only: no data rows"]


def test_latin1_falls_back_to_cp1252_with_warning(run: tuple[EtlReport, Path]) -> None:
    rep, db = run
    f = report_for(rep, "complaints_h_latin1.csv")
    assert f.status == "loaded" and "read as cp1252" in f.warnings[0]
    got = query(
        db,
        "SELECT DISTINCT description FROM complaints "
        "WHERE _source_file = 'complaints_h_latin1.csv'",
    )
    assert got == [("Jalan rusak dekat café",)]
    assert (
        "cp1252"
        in query(
            db, "SELECT warnings FROM load_manifest WHERE source_file = 'complaints_h_latin1.csv'"
        )[0][0]
    )


EXTRA_SOURCES = """
[[source]]
name = "demo_xlsx"
pattern = "demo*.xlsx"
primary_key = ["id"]
[source.columns]
id = "VARCHAR"
label = "VARCHAR"
amount = "DOUBLE"
[source.expect]
between = { amount = [0, 100] }

[[source]]
name = "demo_gz"
pattern = "gz_*.csv.gz"
primary_key = ["id"]
[source.columns]
id = "VARCHAR"
amount = "DOUBLE"
"""


@pytest.fixture(scope="module")
def formats(tmp_path_factory: pytest.TempPathFactory) -> tuple[EtlReport, Path]:
    base = tmp_path_factory.mktemp("f")
    reg = base / "sources.toml"
    reg.write_text(DEFAULT_REGISTRY.read_text() + EXTRA_SOURCES)
    d = base / "raw"
    d.mkdir()
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (
        ["id", "label", "amount"],
        ["a", '=HYPERLINK("http://x","y")', 5],
        ["b", "ok", 500],
    ):
        ws.append(row)
    wb.save(d / "demo_one.xlsx")
    wb.create_sheet("second")
    wb.save(d / "demo_two_sheets.xlsx")
    with gzip.open(d / "gz_1.csv.gz", "wt") as fh:
        fh.write("id,amount\nx,1.5\ny,abc\n")
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
                "sensor_id": ["S1", "S2"],
                "date": pa.array([18262, 18263], pa.date32()),
                "pm25": [12.5, 13.0],
                "pm10": [20.0, 22.0],
                "n_hours": pa.array([24, 23], pa.int32()),
                "qc_flag": ["ok", "ok"],
                "source": ["synthetic: t", "synthetic: t"],
                "is_synthetic": [True, True],
            }
        ),
        d / "aq_readings.parquet",
    )
    write_csv(d / "region.csv", "region", region_rows())
    db = base / "warehouse.duckdb"
    return run_etl(
        Settings(db_path=db, raw_dir=d, pseudonym_key=PSEUDONYM_KEY),
        registry_path=reg,
        progress=False,
    ), db


def test_xlsx_formula_kept_as_text_and_two_sheets_fail(formats: tuple[EtlReport, Path]) -> None:
    rep, db = formats
    assert query(db, "SELECT id, label, amount FROM demo_xlsx") == [
        ("a", '=HYPERLINK("http://x","y")', 5.0)
    ]
    assert query(
        db, "SELECT row_number, reason FROM quarantine WHERE table_name = 'demo_xlsx'"
    ) == [(3, "outside [0, 100]")]
    two = report_for(rep, "demo_two_sheets.xlsx")
    assert two.status == "failed" and "2 sheets (Sheet, second)" in two.error


def test_gzip_csv_and_parquet(formats: tuple[EtlReport, Path]) -> None:
    _, db = formats
    assert query(db, "SELECT id, amount FROM demo_gz") == [("x", 1.5)]
    assert query(db, "SELECT sensor_id, date::VARCHAR, n_hours FROM aq_readings") == [
        ("S1", "2020-01-01", 24)
    ]
    assert query(
        db, "SELECT row_number, columns, reason FROM quarantine WHERE table_name = 'aq_readings'"
    ) == [(3, "sensor_id", "no matching aq_sensors.sensor_id")]
