"""The shipped mappings (smartindex/etl/mappings/*.toml) on small hand-written exports
(tests/etl/fixtures/mappings/): exact canonical values of specific rows, what is rejected and
why, and that no record is lost (rows_read = mapped + rejected)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from smartindex.etl import load_registry
from smartindex.etl.mapping import (
    Mapped,
    Unmatched,
    apply_mapping,
    load_mapping,
    required_sources,
    shipped_mappings,
)

FIX = Path(__file__).parent / "fixtures" / "mappings"
MAPPINGS = shipped_mappings()
AREAS = {
    r["code"]: r["name"]
    for r in csv.DictReader((FIX / "areas.csv").read_text(encoding="utf-8").splitlines())
}
REGISTRY = load_registry()


def run(name: str, *files: str, timezone: str = "Asia/Jakarta") -> Mapped:
    mapped = apply_mapping(
        load_mapping(MAPPINGS[name]), [FIX / f for f in files], AREAS, timezone=timezone
    )
    assert mapped.rows_read == len(mapped.frame) + len(mapped.rejected)
    assert list(mapped.frame.columns) == list(REGISTRY.get(mapped.target).all_columns)
    return mapped


def row(mapped: Mapped, column: str, value: object) -> dict[str, object]:
    hits = mapped.frame[mapped.frame[column] == value]
    assert len(hits) == 1, f"{column} = {value!r}: {len(hits)} rows"
    return {str(k): v for k, v in hits.iloc[0].items()}


def rejected(mapped: Mapped) -> list[tuple[int, str, str]]:
    return [(int(r.row), str(r.column), str(r.reason)) for r in mapped.rejected.itertuples()]


def test_every_shipped_mapping_loads_and_is_tested_here() -> None:
    assert set(MAPPINGS) == {
        "open311_georeport_json",
        "open311_bulk_csv",
        "jakarta_crm_csv",
        "bps_population_csv",
        "bps_population_xlsx",
        "ckan_satudata_green_area",
    }
    targets = {name: load_mapping(p).target for name, p in MAPPINGS.items()}
    assert targets["ckan_satudata_green_area"] == "official_stats"
    assert required_sources([load_mapping(MAPPINGS["jakarta_crm_csv"])], REGISTRY) == (
        "region",
        "complaints",
    )


# ------------------------------------------------------------------ Open311 GeoReport v2


@pytest.mark.parametrize(
    ("name", "file", "lines"),
    [
        ("open311_georeport_json", "open311/requests.json", {"Sukarame": 40, "archived": 59}),
        ("open311_bulk_csv", "open311/requests_bulk.csv", {"Sukarame": 4, "archived": 5}),
    ],
)
def test_open311_requests(name: str, file: str, lines: dict[str, int]) -> None:
    m = run(name, file)
    closed = row(m, "ticket_id", "638344")
    # +08:00 (WITA) -> WIB is one hour earlier, stored naive
    assert closed["created_at"] == pd.Timestamp("2024-03-05 08:15:00")
    assert closed["resolved_at"] == closed["closed_at"] == pd.Timestamp("2024-03-07 15:40:00")
    assert (closed["status_raw"], closed["status"], closed["category"]) == (
        "closed",
        "closed",
        "jalan",
    )
    assert (closed["kecamatan_code"], closed["kelurahan_code"]) == ("1671080", "1671080002")
    assert (closed["lat"], closed["lon"], closed["agency"]) == (-2.9312, 104.7156, "Dinas PUPR")
    assert closed["channel"] == "halo_palembang"
    assert not closed["is_synthetic"]
    assert closed["source"].endswith(f"({Path(file).name})")
    open_ = row(m, "ticket_id", "638345")
    # Z (UTC) -> WIB is seven hours later; an open request has no resolution time
    assert open_["created_at"] == pd.Timestamp("2024-03-06 14:02:11")
    assert open_["status"] == "received"
    assert pd.isna(open_["resolved_at"]) and pd.isna(open_["closed_at"])
    assert open_["category"] == "sampah"  # service_code "smp": case-insensitive
    assert open_["kelurahan_code"] == "1671040001"
    # a kelurahan that matches no official name is optional here: kept as null, but reported
    tree = row(m, "ticket_id", "638348")
    assert pd.isna(tree["kelurahan_code"]) and tree["kecamatan_code"] == "1671080"
    assert rejected(m) == [
        (
            lines["Sukarame"],
            "address",
            "kecamatan 'Sukarame' is not an official name (nearest official name: 'Sukarami')",
        ),
        (lines["archived"], "status", "unknown status word 'archived' (not in [values.status])"),
    ]
    assert Unmatched("Sukarame", (lines["Sukarame"],), "Sukarami") in m.unmatched
    assert any(u.name == "Talang Jambi" and u.suggestion == "Talang Jambe" for u in m.unmatched)


def test_open311_bulk_csv_reads_a_time_without_offset_as_declared_zone() -> None:
    m = run("open311_bulk_csv", "open311/requests_bulk.csv")
    assert row(m, "ticket_id", "638349")["created_at"] == pd.Timestamp("2024-03-09 08:00:00")
    assert m.rows_read == 6 and len(m.frame) == 4


def test_open311_to_another_city_zone() -> None:
    """The caller's zone decides: the same +08:00 request in a WITA city keeps its clock."""
    m = run("open311_georeport_json", "open311/requests.json", timezone="Asia/Makassar")
    assert row(m, "ticket_id", "638344")["created_at"] == pd.Timestamp("2024-03-05 09:15:00")


# ------------------------------------------------------------------ Jakarta-CRM-like export


def test_jakarta_crm_export() -> None:
    m = run("jakarta_crm_csv", "crm/crm_export_2024-04.csv")
    done = row(m, "ticket_id", "1201")
    assert (done["status_raw"], done["status"]) == ("Selesai", "resolved")
    assert done["created_at"] == pd.Timestamp("2024-04-02 08:15:00")  # dd/mm/yyyy HH:MM, WIB
    assert done["dispatched_at"] == pd.Timestamp("2024-04-02 10:05:00")
    assert done["resolved_at"] == pd.Timestamp("2024-04-03 14:30:00")
    assert pd.isna(done["closed_at"])  # Selesai is resolved, not closed
    assert (done["lat"], done["lon"]) == (-2.9443, 104.694)  # decimal comma
    assert (done["category"], done["channel"]) == ("jalan", "halo_palembang")
    assert (done["kecamatan_code"], done["kelurahan_code"]) == ("1671081", "1671081004")
    assert done["reporter_name"] == "Siti Rahmawati"  # hashed by the ETL at load, not here
    working = row(m, "ticket_id", "1202")
    assert working["status"] == "in_progress"  # "Dalam Proses"
    assert pd.isna(working["resolved_at"])  # updatedAt of an open ticket is not a resolution
    assert working["kecamatan_code"] == "1671080"  # "Kec. Sukarami"
    assert working["kelurahan_code"] == "1671080002"  # "Kel. Sukajaya"
    waiting = row(m, "ticket_id", "1203")
    assert waiting["status"] == "received"  # "Menunggu Verifikasi"
    assert waiting["kelurahan_code"] == "1671022001"  # "  8 ulu " in "JAKABARING"
    assert pd.isna(waiting["agency"]) and pd.isna(waiting["dispatched_at"])  # "-" is missing
    assert row(m, "ticket_id", "1204")["status"] == "resolved"  # "SELESAI "
    # "Sukarami" is a kecamatan and a kelurahan: within its kecamatan it is the kelurahan
    assert row(m, "ticket_id", "1207")["kelurahan_code"] == "1671080001"
    assert rejected(m) == [
        (6, "tstatus.name", "unknown status word 'Diarsipkan' (not in [values.status])"),
        (7, "createdAt", "'31/02/2024 10:00' does not match the date format %d/%m/%Y %H:%M"),
        (
            9,
            "district.name",
            "kecamatan 'Kec. Sukarame' is not an official name (nearest official name: 'Sukarami')",
        ),
    ]
    assert m.unmatched == (Unmatched("Kec. Sukarame", (9,), "Sukarami"),)
    assert m.rows_read == 8


# ------------------------------------------------------------------ BPS Dalam Angka tables


def _bps_expectations(m: Mapped, file: str) -> None:
    pop = m.frame.set_index(["kode_wilayah", "year"])["population"]
    assert pop[("1671010", 2021)] == 67_512  # 67,512 ribu jiwa
    assert pop[("1671081", 2024)] == 111_478  # "Alang Alang Lebar" without hyphen
    assert pop[("1671", 2023)] == 1_718_440  # the total row "Palembang" is the kota
    assert pop[("1671071", 2023)] == 46_411
    assert ("1671071", 2024) not in pop.index  # "-": not available -> rejected, not invented
    assert m.frame["households"].isna().all()  # the table has no households (optional)
    assert set(m.frame["source"]) == {
        "BPS Kota Palembang, Kota Palembang Dalam Angka, Jumlah Penduduk menurut Kecamatan "
        f"({file})"
    }
    assert m.rows_read == 7 * 4  # 7 named rows x 4 years; title, header, blank, notes are not
    reasons = {(r.row, r.column): r.reason for r in m.rejected.itertuples()}
    assert reasons[(10, "2024*")] == "population is required and '2024*' is empty"
    assert m.unmatched == (Unmatched("Kec. Sukarame", (8,), "Sukarami"),)
    assert len(m.rejected) == 5  # Sukarame x 4 years + Sematang Borang 2024


def test_bps_population_csv() -> None:
    m = run("bps_population_csv", "bps/penduduk_kecamatan_2021-2024.csv")
    _bps_expectations(m, "penduduk_kecamatan_2021-2024.csv")
    assert pd.api.types.is_integer_dtype(m.frame["population"])


def test_bps_population_xlsx_reads_two_sheets() -> None:
    m = run("bps_population_xlsx", "bps/penduduk_kecamatan_2021-2024.xlsx")
    _bps_expectations(m, "penduduk_kecamatan_2021-2024.xlsx")
    files = set(m.rejected["file"])
    assert {f.rsplit("[", 1)[1] for f in files} == {"2021-2022]", "2023-2024]"}


def test_bps_xlsx_fixture_is_what_its_script_writes(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(FIX / "bps" / "penduduk_kecamatan_2021-2024.xlsx")
    assert wb.sheetnames == ["2021-2022", "2023-2024", "Keterangan"]
    cells = [[c.value for c in r] for r in wb["2023-2024"].iter_rows(min_row=3, max_row=5)]
    assert cells == [
        [None, 2023, "2024*"],
        ["(1)", "(2)", "(3)"],
        ["Ilir Barat II", 68.561, 69.095],
    ]


# ------------------------------------------------------------------ CKAN / Satu Data


def test_ckan_resource_with_package_metadata() -> None:
    m = run(
        "ckan_satudata_green_area", "ckan/rth-publik-kecamatan-2023.csv", "ckan/package_show.json"
    )
    assert m.target == "official_stats"
    value = m.frame.set_index("kode_wilayah")["value"]
    assert value["1671010"] == pytest.approx(18.25)  # 182 500 m2 -> ha
    assert value["1671011"] == pytest.approx(35.75)  # already ha
    assert value["1671040"] == pytest.approx(123.4)  # 1.234 km2 -> ha
    first = row(m, "kode_wilayah", "1671010")
    assert (first["year"], first["stat_code"], first["unit"]) == (2023, "green_area_ha", "ha")
    assert first["publisher"] == "Dinas Lingkungan Hidup Kota Palembang"
    assert first["source"] == (
        "Luas Ruang Terbuka Hijau (RTH) Publik per Kecamatan di Kota Palembang; "
        "resource Luas RTH Publik per Kecamatan 2023, Satu Data 2024; licence cc-by"
    )
    assert rejected(m) == [
        (6, "bps_kode_kecamatan", "'1671099' is not a kecamatan code of the city"),
        (7, "luas_rth", "unit 'ARE' in column 'satuan' has no factor in [units.value]"),
    ]


def test_mapped_types_are_canonical() -> None:
    m = run("jakarta_crm_csv", "crm/crm_export_2024-04.csv")
    dtypes = {c: str(t) for c, t in m.frame.dtypes.items()}
    assert dtypes["created_at"].startswith("datetime64")
    assert dtypes["lat"] == "Float64" and dtypes["reopen_count"] == "Int64"
    assert dtypes["is_synthetic"] == "boolean"
    assert isinstance(row(m, "ticket_id", "1201")["created_at"], dt.datetime)
