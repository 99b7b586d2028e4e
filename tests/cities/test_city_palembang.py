"""Palembang's profile holds what the code assumes about Palembang and reproduces the bundled
``data/raw/region.csv`` exactly: same codes, levels, names, parents, validity, zones, areas,
centroids, sources and provenance flags, in the same order."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from smartindex.cities import REGION_COLUMNS, CityProfile, areas, load_profile, region_rows
from smartindex.etl import load_registry

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "data" / "cities" / "palembang" / "profile.toml"
REGION = ROOT / "data" / "raw" / "region.csv"


def _text(value: object) -> str:
    """A region value as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}" if value == int(value) else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _number(text: str) -> str:
    return _text(float(text)) if text else ""


@pytest.fixture(scope="module")
def profile() -> CityProfile:
    return load_profile(PROFILE)


def test_region_columns_are_the_registry_schema() -> None:
    assert tuple(load_registry().get("region").all_columns) == REGION_COLUMNS


def test_profile_reproduces_region_csv_exactly(profile: CityProfile) -> None:
    with REGION.open(encoding="utf-8", newline="") as fh:
        expected = list(csv.DictReader(fh))
    got = region_rows(profile)
    assert [r["kode_wilayah"] for r in got] == [r["kode_wilayah"] for r in expected]
    numeric = {"area_km2", "lat", "lon"}
    for row, want in zip(got, expected, strict=True):
        for col in REGION_COLUMNS:
            value = _number(want[col]) if col in numeric else want[col]
            assert _text(row[col]) == value, (want["kode_wilayah"], col)


def test_profile_holds_the_code_s_palembang_assumptions(profile: CityProfile) -> None:
    """Literal values: the code now reads them from the profile (issue #15); the comments say
    where the code assumed them before (see test_city_settings.py for what reads them now)."""
    assert profile.bps_code == "1671"  # config.Settings.city_code, cli.CITY_SLUGS, access.py
    assert profile.kemendagri_code == "16.71"
    assert profile.slug == "palembang"  # cli --city, report city_slug, app downloads page
    assert profile.timezone == "Asia/Jakarta" and profile.tz_abbreviation == "WIB"  # config
    assert profile.boundaries is not None  # the shipped polygons
    assert profile.boundaries.resolve() == (
        ROOT / "data" / "boundaries" / "palembang" / "kelurahan.geojson"
    )
    assert profile.boundaries.is_file()
    assert dict(profile.bbox or {}) == {"lat": (-3.12, -2.84), "lon": (104.6, 104.92)}  # sources
    work = profile.working_time  # indicators/calendar.py
    assert (work.week_hours, work.day_start, work.day_end, work.friday_end) == (
        37.5,
        dt.time(7, 30),
        dt.time(16, 0),
        dt.time(16, 30),
    )
    assert profile.currency == "IDR"
    assert "halo_palembang" in profile.complaint_channels  # sources.toml complaints.channel
    categories = load_registry().get("complaints").expect.in_set["category"]
    assert {c for a in profile.agencies for c in a.categories} == set(categories)
    assert profile.method.file is None  # the packaged default: smartindex/methods/default.toml
    assert profile.targets.document == "RPJMD Kota Palembang"  # catalogue target_reference
    assert profile.targets.file is not None and profile.targets.file.is_file()
    assert [p.code for p in profile.peers] == ["3171", "3578", "3273", "1275", "7371", "3374"]


def test_areas_follow_the_2018_split(profile: CityProfile) -> None:
    before, after = areas(profile, dt.date(2017, 12, 31)), areas(profile, dt.date(2018, 1, 1))
    assert "1671022" not in before and after["1671022"] == "Jakabaring"
    assert "1671062" not in before and after["1671062"] == "Ilir Timur III"
    assert after["1671"] == "Kota Palembang"
    assert len(areas(profile)) == 1 + 18 + 107
