"""``load_profile``: a valid profile as frozen dataclasses; every mistake one sentence naming
the file, the line and the key."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from smartindex.cities import areas, category_owners, load_profile, region_rows, timezone_for_code
from smartindex.cities.toml import line_of
from smartindex.errors import DataFileError

BUKITTINGGI = Path(__file__).resolve().parents[1] / "fixtures" / "cities" / "bukittinggi"

MINIMAL = """\
profile_version = 1

[city]
bps_code = "1375"
kemendagri_code = "13.75"
name_id = "Kota Bukittinggi"
timezone = "Asia/Jakarta"

[[kecamatan]]
code = "1375010"
name = "Guguk Panjang"

[[kecamatan]]
code = "1375020"
name = "Mandiangin Koto Selayan"
valid_from = 2010-01-01
valid_to = 2020-01-01

[[kelurahan]]
code = "1375010001"
name = "Bukit Cangang Kayu Ramang"
parent = "1375010"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profile.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_profile_gets_national_defaults(tmp_path: Path) -> None:
    p = load_profile(_write(tmp_path, MINIMAL))
    assert p.name_en == "Kota Bukittinggi" and p.currency == "IDR"
    assert p.working_time.week_hours == 37.5 and p.working_time.friday_end == dt.time(16, 30)
    assert p.targets.document == "" and p.method.normalisation == "minmax"
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.bps_code = "1371"  # type: ignore[misc]


def test_areas_respect_validity(tmp_path: Path) -> None:
    p = load_profile(_write(tmp_path, MINIMAL))
    assert "1375020" in areas(p, dt.date(2019, 12, 31))
    assert "1375020" not in areas(p, dt.date(2020, 1, 1))  # valid_to is exclusive
    assert "1375020" not in areas(p, dt.date(2009, 12, 31))
    assert set(areas(p)) == {"1375", "1375010", "1375020", "1375010001"}


def test_region_rows_have_city_units_and_peers() -> None:
    p = load_profile(BUKITTINGGI / "profile.toml")
    rows = region_rows(p)
    assert [r["level"] for r in rows[:4]] == ["kota", "kecamatan", "kecamatan", "kecamatan"]
    assert rows[0]["parent_kode"] is None and rows[1]["parent_kode"] == "1375"
    peers = [r for r in rows if not r["is_home_city"]]
    assert [r["kode_wilayah"] for r in peers] == ["1371", "1376", "1374"]
    assert all(r["is_synthetic"] for r in rows)
    assert category_owners(p)["air_bersih"] == ("PDAM",)


@pytest.mark.parametrize(
    ("old", "new", "line", "key"),
    [
        ('timezone = "Asia/Jakarta"', 'timezone = "Asia/Singapore"', 7, "city.timezone"),
        ('kemendagri_code = "13.75"', 'kemendagri_code = "13.71"', 5, "city.kemendagri_code"),
        ('bps_code = "1375"', 'bps_code = "137"', 4, "city.bps_code"),
        ('parent = "1375010"', 'parent = "1375030"', 22, "kelurahan[1].parent"),
        ('code = "1375020"', 'code = "1375010"', 14, "kecamatan[2].code"),
        ("valid_to = 2020-01-01", "valid_to = 2009-01-01", 17, "kecamatan[2].valid_to"),
        ("valid_to = 2020-01-01", 'valid_to = "soon"', 17, "kecamatan[2].valid_to"),
        ('name = "Guguk Panjang"', 'name = "<b>Guguk</b>"', 11, "kecamatan[1].name"),
        ('name = "Guguk Panjang"', 'nama = "Guguk Panjang"', 11, "kecamatan[1].nama"),
        ('code = "1375010001"', 'code = "1375020001"', 20, "kelurahan[1].code"),
    ],
)
def test_errors_name_file_line_and_key(
    tmp_path: Path, old: str, new: str, line: int, key: str
) -> None:
    assert old in MINIMAL
    path = _write(tmp_path, MINIMAL.replace(old, new, 1))
    with pytest.raises(DataFileError) as err:
        load_profile(path)
    message = str(err.value)
    assert message.startswith(f"{path}, line {line}: key {key!r}: "), message
    assert "\n" not in message


def test_syntax_error_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"line 3: not valid TOML"):
        load_profile(_write(tmp_path, 'profile_version = 1\n[city]\nbps_code = "1375\n'))
    with pytest.raises(DataFileError, match="file not found"):
        load_profile(tmp_path / "absent.toml")


def test_missing_required_key(tmp_path: Path) -> None:
    path = _write(tmp_path, MINIMAL.replace('name_id = "Kota Bukittinggi"\n', ""))
    with pytest.raises(DataFileError, match=r"key 'city.name_id': is missing"):
        load_profile(path)


def test_boundaries_are_relative_to_the_profile(tmp_path: Path) -> None:
    text = MINIMAL.replace("[city]\n", '[city]\nboundaries = "geo/kel.geojson"\n')
    p = load_profile(_write(tmp_path, text))
    assert p.boundaries == tmp_path / "geo" / "kel.geojson"


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("1671", "Asia/Jakarta"),
        ("5171", "Asia/Makassar"),
        ("7371", "Asia/Makassar"),
        ("9171", "Asia/Jayapura"),
        ("8171", "Asia/Jayapura"),
        ("6171", "Asia/Jakarta"),
    ],
)
def test_timezone_from_province(code: str, zone: str) -> None:
    assert timezone_for_code(code) == zone


def test_line_of_finds_nested_items() -> None:
    text = "[a]\nx = 1\n[[b]]\ny = 1\n[[b]]\nz = 2\ny = 3\n"
    assert line_of(text, ("a", "x")) == 2
    assert line_of(text, ("b", 1, "y")) == 7
    assert line_of(text, ("b", 1)) == 5
    assert line_of(text, ("c",)) is None
