"""Fixtures: small raw directories built from the real registry (valid unless a test
breaks them)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from pathlib import Path

import duckdb
import pytest

from smartindex.config import Settings
from smartindex.etl import EtlReport, load_registry, run_etl
from smartindex.warehouse.cities import use_city

REGISTRY = load_registry()
# Raw personal values that must never reach the warehouse.
NAMES = ["Siti Rahmawati", "Budi Santoso", "Ahmad Fauzi", "Dewi Lestari"]
PHONES = ["+6281234567801", "+6281234567802", "+6281234567803", "+6281234567804"]
NIKS = ["1671010101900001", "1671010101900002", "1671010101900003"]
RESPONDENTS = ["RESP-ALPHA-1", "RESP-BETA-2"]
PSEUDONYM_KEY = "test-pseudonym-key"

PROV = {"source": "synthetic: test fixture", "is_synthetic": "true"}
REGION = [
    {
        "kode_wilayah": "1671",
        "level": "kota",
        "name": "Kota Palembang",
        "parent_kode": "",
        "is_home_city": "true",
        "zone": "",
        "area_km2": "400.61",
        "lat": "-2.976",
        "lon": "104.775",
        "valid_from": "2000-01-01",
        "valid_to": "",
    },
    {
        "kode_wilayah": "1671010",
        "level": "kecamatan",
        "name": "Ilir Barat II",
        "parent_kode": "1671",
        "is_home_city": "true",
        "zone": "pusat",
        "area_km2": "6.22",
        "lat": "-2.99",
        "lon": "104.74",
        "valid_from": "2000-01-01",
        "valid_to": "",
    },
    {
        "kode_wilayah": "1671020",
        "level": "kecamatan",
        "name": "Seberang Ulu I",
        "parent_kode": "1671",
        "is_home_city": "true",
        "zone": "pinggiran",
        "area_km2": "17.44",
        "lat": "-3.01",
        "lon": "104.76",
        "valid_from": "2000-01-01",
        "valid_to": "",
    },
    {
        "kode_wilayah": "1671010001",
        "level": "kelurahan",
        "name": "Bukit Lama",
        "parent_kode": "1671010",
        "is_home_city": "true",
        "zone": "pusat",
        "area_km2": "2.1",
        "lat": "-2.985",
        "lon": "104.735",
        "valid_from": "2000-01-01",
        "valid_to": "",
    },
    {
        "kode_wilayah": "3171",
        "level": "kota",
        "name": "Kota Jakarta Pusat",
        "parent_kode": "",
        "is_home_city": "false",
        "zone": "",
        "area_km2": "48.13",
        "lat": "-6.18",
        "lon": "106.83",
        "valid_from": "2000-01-01",
        "valid_to": "",
    },
]


def complaint(i: int, **over: str) -> dict[str, str]:
    """A valid complaint ticket; keyword arguments override columns."""
    row = {
        "ticket_id": f"T{i:05d}",
        "ticket_code": f"LAPOR-{i}",
        "channel": "lapor",
        "category": "jalan",
        "description": f"Jalan berlubang no {i}",
        "kelurahan_code": "1671010001",
        "kecamatan_code": "1671010",
        "lat": "-2.99",
        "lon": "104.74",
        "agency": "Dinas PUPR",
        "status_raw": "selesai",
        "status": "resolved",
        "reporter_id": f"NIK{NIKS[i % 3]}",
        "reporter_name": NAMES[i % 4],
        "reporter_phone": PHONES[i % 4],
        "created_at": "2024-03-01 08:00:00",
        "verified_at": "2024-03-01 09:00:00",
        "dispatched_at": "2024-03-01 10:00:00",
        "first_response_at": "2024-03-01 11:00:00",
        "resolved_at": "2024-03-03 08:00:00",
        "closed_at": "2024-03-04 08:00:00",
        "reopen_count": "0",
        "rating": "4",
        **PROV,
    }
    row.update(over)
    return row


def official(code: str, year: int, value: str, **over: str) -> dict[str, str]:
    row = {
        "kode_wilayah": code,
        "year": str(year),
        "stat_code": "hdi",
        "value": value,
        "unit": "index",
        "publisher": "BPS Kota Palembang",
        **PROV,
    }
    row.update(over)
    return row


def survey(i: int, **over: str) -> dict[str, str]:
    likert = {
        c: "3"
        for c in REGISTRY.get("survey_responses").columns
        if c.startswith(("dl_", "ikm_")) or c in {"safe_night", "openness"}
    }
    row = {
        "respondent_id": RESPONDENTS[i % 2] + f"-{i}",
        "survey_year": "2024",
        "wave_date": "2024-06-15",
        "kecamatan_code": "1671010",
        "kelurahan_code": "1671010001",
        "age_band": "25-34",
        "sex": "P",
        "education": "SMA",
        "occupation": "pedagang",
        "weight": "1.5",
        "phone": PHONES[i % 4],
        "has_home_internet": "true",
        "used_internet_3m": "true",
        "used_egov_12m": "false",
        **likert,
        **PROV,
    }
    row.update(over)
    return row


def csv_text(rows: Iterable[dict[str, str]], columns: list[str], delimiter: str = ",") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([r.get(c, "") for c in columns])
    return buf.getvalue()


def write_csv(
    path: Path,
    source: str,
    rows: Iterable[dict[str, str]],
    *,
    columns: list[str] | None = None,
    encoding: str = "utf-8",
) -> Path:
    src = REGISTRY.get(source)
    cols = columns or list(src.columns)
    rows = [{**PROV, **r} for r in rows]
    path.write_text(csv_text(rows, cols, src.delimiter), encoding=encoding)
    return path


def region_rows() -> list[dict[str, str]]:
    return [{**r, **PROV} for r in REGION]


@pytest.fixture
def raw(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """Region + complaints; with ``@pytest.mark.full_raw`` every fixture source."""
    return make_raw(tmp_path / "raw", full=request.node.get_closest_marker("full_raw") is not None)


def make_raw(d: Path, *, full: bool = True) -> Path:
    """A valid raw directory: region, complaints and (full) official stats (';' and decimal
    comma), a survey and e-gov transactions (personal data in each)."""
    d.mkdir()
    write_csv(d / "region.csv", "region", region_rows())
    write_csv(d / "complaints_2024.csv", "complaints", [complaint(i) for i in range(1, 6)])
    if not full:
        return d
    write_csv(
        d / "official_stats.csv",
        "official_stats",
        [
            official("1671", 2023, "76,5"),
            official("1671", 2024, "1.234,5", stat_code="poor_persons"),
        ],
    )
    write_csv(d / "survey_responses_2024.csv", "survey_responses", [survey(0), survey(1)])
    write_csv(
        d / "egov_services.csv",
        "egov_services",
        [
            {
                "service_code": "KTP",
                "service_name_id": "Kartu Tanda Penduduk",
                "service_name_en": "ID card",
                "agency": "Disdukcapil",
                "launched_on": "2015-01-01",
                "online_since": "2019-05-01",
            }
        ],
    )
    write_csv(
        d / "egov_transactions_2024.csv",
        "egov_transactions",
        [
            {
                "txn_id": f"X{i}",
                "service_code": "KTP",
                "agency": "Disdukcapil",
                "channel": "web",
                "is_online": "true",
                "kecamatan_code": "1671010",
                "applicant_nik": nik,
                "submitted_at": "2024-02-01 10:00:00",
                "completed_at": "2024-02-02 10:00:00",
                "status": "completed",
                "fee_idr": "0",
            }
            for i, nik in enumerate(NIKS)
        ],
    )
    return d


@pytest.fixture
def settings(tmp_path: Path, raw: Path) -> Settings:
    return Settings(
        db_path=tmp_path / "wh" / "warehouse.duckdb", raw_dir=raw, pseudonym_key=PSEUDONYM_KEY
    )


@pytest.fixture
def etl(settings: Settings) -> Callable[..., EtlReport]:
    def run(**kw: object) -> EtlReport:
        return run_etl(settings, progress=False, **kw)

    return run


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "full_raw: the raw fixture holds every fixture source")


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    use_city(con, None)  # the warehouse's only city
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def report_for(report: EtlReport, name: str):
    return next(f for f in report.files if f.path.name == name)


def reasons(db: Path, source_file: str) -> list[tuple]:
    """(row_number, columns, expectation, reason, value) of a file's quarantine rows."""
    return query(
        db,
        "SELECT row_number, columns, expectation, reason, value FROM quarantine "
        "WHERE source_file = ? ORDER BY ALL",
        [source_file],
    )
