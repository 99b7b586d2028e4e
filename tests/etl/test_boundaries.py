"""Boundary polygons: the shipped file, one-line errors for bad GeoJSON, loading by the ETL."""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from smartindex.config import Settings
from smartindex.errors import DataFileError
from smartindex.etl import run_etl
from smartindex.etl.boundaries import check_codes, read_boundaries
from smartindex.etl.registry import load_registry
from smartindex.sample import facts
from smartindex.warehouse.cities import use_city

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "data/boundaries/palembang/kelurahan.geojson"  # the bundled city's polygons
NOTICE = SHIPPED.parent / "NOTICE.md"
REGISTRY = load_registry()
BBOX = REGISTRY.bbox
SAMPLE_KECAMATAN = {k.code: k.name for k in facts.KECAMATAN}


def shipped_doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(SHIPPED.read_text(encoding="utf-8"))
    return doc


def test_shipped_file_has_107_kelurahan_in_all_18_kecamatan() -> None:
    shapes = read_boundaries(SHIPPED, BBOX)
    assert len(shapes) == 107
    assert set(shapes["level"]) == {"kelurahan"}
    per_kec = shapes.groupby("parent_kode").size()
    assert len(per_kec) == 18
    # counts per kecamatan from the source README (e.g. Ilir Timur I 11, Sako 4)
    assert per_kec["1671050"] == 11 and per_kec["1671070"] == 4 and per_kec["1671022"] == 5


def test_every_sample_kecamatan_has_a_shape_and_every_shape_a_kecamatan() -> None:
    shapes = read_boundaries(SHIPPED, BBOX)
    assert set(shapes["parent_kode"]) == set(SAMPLE_KECAMATAN)
    check_codes(shapes, list(SAMPLE_KECAMATAN), SHIPPED)  # raises on a mismatch
    # the BPS code added here agrees with the kecamatan name the publisher gives
    names = {
        f["properties"]["kode_bps_kecamatan"]: f["properties"]["kecamatan"]
        for f in shipped_doc()["features"]
    }
    assert names == SAMPLE_KECAMATAN


def test_attribution_comes_from_the_notice_file() -> None:
    attribution = read_boundaries(SHIPPED, BBOX)["attribution"].iloc[0]
    assert "Cahya DSN" in attribution and "Badan Informasi Geospasial (BIG)" in attribution
    notice = NOTICE.read_text(encoding="utf-8")
    assert attribution in notice
    assert "Copyright (c) 2024 Cahya DSN" in notice and "Permission is hereby granted" in notice


def _write(tmp_path: Path, doc: object, name: str = "bad.geojson") -> Path:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


def _broken(change: str) -> Any:
    doc = copy.deepcopy(shipped_doc())
    first = doc["features"][0]
    ring = first["geometry"]["coordinates"][0]
    if change == "open ring":
        ring.pop()
    elif change == "outside":
        ring[1] = [110.0, ring[1][1]]
    elif change == "no code":
        del first["properties"]["kode_bps_kecamatan"]
    elif change == "point":
        first["geometry"] = {"type": "Point", "coordinates": [104.7, -3.0]}
    elif change == "no attribution":
        del doc["attribution"]
    elif change == "duplicate":
        doc["features"][1]["properties"]["kode_kelurahan"] = first["properties"]["kode_kelurahan"]
    elif change == "feature list":
        doc = {"type": "Feature", "properties": {}, "geometry": None}
    return doc


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("open ring", "feature 1 (Tiga-puluh-lima Ilir): ring not closed"),
        ("outside", "feature 1 (Tiga-puluh-lima Ilir): lon 110.0 outside the city's box"),
        ("no code", "feature 1 (Tiga-puluh-lima Ilir): property 'kode_bps_kecamatan' missing"),
        ("point", "feature 1 (Tiga-puluh-lima Ilir): geometry must be a Polygon or MultiPolygon"),
        ("no attribution", "member 'attribution' missing"),
        ("duplicate", "code '16.71.01.1001' appears more than once"),
        ("feature list", "not a GeoJSON FeatureCollection"),
    ],
)
def test_bad_geojson_gives_one_line_naming_file_and_feature(
    tmp_path: Path, change: str, message: str
) -> None:
    path = _write(tmp_path, _broken(change))
    with pytest.raises(DataFileError) as err:
        read_boundaries(path, BBOX)
    text = str(err.value)
    assert "\n" not in text and text.startswith(str(path)) and message in text


def test_unreadable_json_and_unknown_kecamatan(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"bad\.geojson: not valid JSON"):
        read_boundaries(_write(tmp_path, '{"type": "FeatureCollection", '), BBOX)
    shapes = read_boundaries(SHIPPED, BBOX)
    with pytest.raises(
        DataFileError,
        match=r"kecamatan code '1671022' is not in the region "
        r"table \(5 feature\(s\) in all\)",
    ):
        check_codes(shapes, [c for c in SAMPLE_KECAMATAN if c != "1671022"], SHIPPED)


def write_region(raw: Path, codes: list[str]) -> None:
    """A valid region.csv (the registry's columns): the city and the kecamatan ``codes``."""
    raw.mkdir()
    base = {
        "parent_kode": "1671",
        "is_home_city": "true",
        "zone": "pusat",
        "area_km2": "10",
        "lat": "-2.98",
        "lon": "104.75",
        "valid_from": "2000-01-01",
        "source": "synthetic: test fixture",
        "is_synthetic": "true",
    }
    rows = [
        {
            **base,
            "kode_wilayah": "1671",
            "level": "kota",
            "name": "Kota Palembang",
            "parent_kode": "",
            "zone": "",
            "area_km2": "400.61",
        }
    ]
    rows += [
        {**base, "kode_wilayah": c, "level": "kecamatan", "name": SAMPLE_KECAMATAN[c]}
        for c in codes
    ]
    columns = list(REGISTRY.get("region").columns)
    with (raw / "region.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, columns, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    use_city(con, None)  # the warehouse's only city
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_etl_publishes_region_shapes_once(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_region(raw, list(SAMPLE_KECAMATAN))
    settings = Settings(db_path=tmp_path / "wh.duckdb", raw_dir=raw, boundaries_path=SHIPPED)
    report = run_etl(settings, progress=False)
    assert report.ok and report.warnings == []
    rows = query(
        settings.db_path,
        "select level, count(*), count(distinct parent_kode), "
        "any_value(attribution) from region_shapes group by level",
    )
    assert rows[0][:3] == ("kelurahan", 107, 18) and "Cahya DSN" in rows[0][3]
    stamp = settings.db_path.stat().st_mtime_ns
    again = run_etl(settings, progress=False)  # nothing changed: nothing is written
    assert again.warnings == [] and settings.db_path.stat().st_mtime_ns == stamp


def test_etl_warns_on_missing_or_mismatched_boundaries(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_region(raw, ["1671010", "1671020"])  # 2 of the 18 kecamatan
    settings = Settings(db_path=tmp_path / "wh.duckdb", raw_dir=raw, boundaries_path=SHIPPED)
    report = run_etl(settings, progress=False)
    assert report.ok
    assert len(report.warnings) == 1 and "not in the region table" in report.warnings[0]
    assert query(
        settings.db_path,
        "select count(*) from information_schema.tables where table_name = 'region_shapes'",
    ) == [(0,)]
    gone = Settings(
        db_path=settings.db_path, raw_dir=raw, boundaries_path=tmp_path / "nowhere.geojson"
    )
    report = run_etl(gone, progress=False)
    assert report.ok and report.warnings == [
        f"warning: {tmp_path / 'nowhere.geojson'}: boundary file not found; "
        "maps will show no shapes"
    ]
