"""End to end: the frames the shipped mappings produce, written with ``write_canonical``, load
into the warehouse through the real ETL (types, expectations, references, within) with no row
quarantined."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from smartindex.config import Settings
from smartindex.etl import load_registry, run_etl
from smartindex.etl.mapping import apply_mapping, load_mapping, shipped_mappings, write_canonical
from smartindex.warehouse.cities import use_city

FIX = Path(__file__).parent / "fixtures" / "mappings"
REGISTRY = load_registry()
LEVEL = {4: "kota", 7: "kecamatan", 10: "kelurahan"}


def areas() -> dict[str, str]:
    text = (FIX / "areas.csv").read_text(encoding="utf-8").splitlines()
    return {r["code"]: r["name"] for r in csv.DictReader(text)}


def write_region(path: Path) -> None:
    cols = list(REGISTRY.get("region").all_columns)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.DictWriter(fh, cols)
        out.writeheader()
        for code, name in areas().items():
            out.writerow(
                {
                    "kode_wilayah": code,
                    "level": LEVEL[len(code)],
                    "name": name,
                    "parent_kode": code[:4]
                    if len(code) == 7
                    else code[:7]
                    if len(code) == 10
                    else "",
                    "is_home_city": "true",
                    "source": "test fixture",
                    "is_synthetic": "true",
                }
            )


@pytest.mark.slow
def test_mapped_frames_load_without_quarantine(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    write_region(raw / "region.csv")
    runs = {
        "complaints_crm.csv": ("jakarta_crm_csv", ["crm/crm_export_2024-04.csv"]),
        "complaints_open311.csv": ("open311_georeport_json", ["open311/requests.json"]),
        "population.csv": ("bps_population_xlsx", ["bps/penduduk_kecamatan_2021-2024.xlsx"]),
        "official_stats.csv": (
            "ckan_satudata_green_area",
            ["ckan/rth-publik-kecamatan-2023.csv", "ckan/package_show.json"],
        ),
    }
    expected = {}
    for out, (name, files) in runs.items():
        mapping = load_mapping(shipped_mappings()[name])
        mapped = apply_mapping(mapping, [FIX / f for f in files], areas())
        write_canonical(mapped, raw / out, REGISTRY)
        expected[out] = len(mapped.frame)
    db = tmp_path / "wh.duckdb"
    report = run_etl(Settings(db_path=db, raw_dir=raw, pseudonym_key="test-key"), progress=False)
    assert report.ok
    with duckdb.connect(str(db), read_only=True) as con:
        use_city(con, None)  # the warehouse's only city
        loaded = dict(
            con.execute(
                "SELECT source_file, rows_loaded FROM load_current WHERE rows_quarantined = 0"
            ).fetchall()
        )
        bad = con.execute(
            "SELECT source_file, row_number, columns, reason, value FROM quarantine"
        ).fetchall()
        assert bad == []
        assert {f: loaded.get(f) for f in expected} == expected
        row = con.execute(
            "SELECT created_at, status, kelurahan_code, reporter_name FROM complaints "
            "WHERE ticket_id = '638344'"
        ).fetchone()
        assert row is not None and str(row[0]) == "2024-03-05 08:15:00"
        assert row[1:3] == ("closed", "1671080002")
        names = con.execute("SELECT reporter_name FROM complaints WHERE ticket_id = '1201'")
        assert names.fetchone() != ("Siti Rahmawati",)  # hashed at load
