"""Pure conversions of the mapping engine (smartindex/etl/mapping_values.py)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from smartindex.etl.mapping_values import (
    BadValueError,
    area_key,
    boolean,
    convert,
    local_time,
    name_index,
    number,
    parse_datetime,
    suggest,
    text,
    whole,
)

WIB, WITA = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar")


@pytest.mark.parametrize(
    ("raw", "decimal", "expected"),
    [
        ("1.234,5", ",", 1234.5),
        ("1.686,073", ",", 1686.073),
        ("-2,9443", ",", -2.9443),
        ("12", ",", 12.0),
        ("1234.5", ".", 1234.5),
        ("\u22122.5", ".", -2.5),  # typographic minus
        (67.512, ",", 67.512),  # a numeric spreadsheet cell is taken as it is
    ],
)
def test_number(raw: object, decimal: str, expected: float) -> None:
    assert number(raw, decimal) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("raw", "decimal"), [("1.5", ","), ("1,5", "."), ("1.23.4", ","), ("nan", "."), ("abc", ".")]
)
def test_ambiguous_or_bad_numbers_are_refused(raw: str, decimal: str) -> None:
    with pytest.raises(BadValueError):
        number(raw, decimal)


def test_unit_conversion_and_whole_numbers() -> None:
    assert convert("67,512", "BIGINT", decimal=",", factor=1000) == 67_512  # ribu jiwa -> jiwa
    assert convert("182500", "DOUBLE", decimal=".", factor=0.0001) == pytest.approx(18.25)
    assert whole(67.512 * 1000) == 67_512  # float noise of the conversion is not a fraction
    with pytest.raises(BadValueError, match=r"12567\.8 is not a whole number"):
        convert("12,5678", "INTEGER", decimal=",", factor=1000)


def test_boolean_and_text() -> None:
    assert boolean("Ya") is True and boolean("tidak") is False and boolean(True) is True
    with pytest.raises(BadValueError):
        boolean("mungkin")
    assert text(1671080.0) == "1671080" and text(" a ") == "a"


def test_datetime_formats_and_zones() -> None:
    wita = parse_datetime("2024-03-05T09:15:00+08:00", "iso")
    assert local_time(wita, WIB, WIB) == dt.datetime(2024, 3, 5, 8, 15)
    naive = parse_datetime("05/03/2024 09:15", "%d/%m/%Y %H:%M")
    assert local_time(naive, WITA, WIB) == dt.datetime(2024, 3, 5, 8, 15)
    assert local_time(naive, WIB, WIB) == dt.datetime(2024, 3, 5, 9, 15)
    assert parse_datetime("17 Agustus 2024", "%d %B %Y") == dt.datetime(2024, 8, 17)
    assert parse_datetime("1 Des 2023", "%d %b %Y") == dt.datetime(2023, 12, 1)
    with pytest.raises(BadValueError, match="does not match the date format ISO-8601"):
        parse_datetime("05/03/2024", "iso")


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Kec. Sukarami", "sukarami"),
        ("KECAMATAN  Ilir Barat I", "ilir barat i"),
        ("Kel.Talang Kelapa", "talang kelapa"),
        ("Kelurahan 9/10 Ulu", "9 10 ulu"),
        ("Alang Alang Lebar", "alang alang lebar"),
        ("Alang-Alang Lebar", "alang alang lebar"),
        ("Kota Palembang", "palembang"),
        ("Kelapa Gading", "kelapa gading"),  # a word starting like a prefix stays
    ],
)
def test_area_key(raw: str, key: str) -> None:
    assert area_key(raw) == key


def test_names_by_level_and_suggestions() -> None:
    areas = {"1671080": "Sukarami", "1671080001": "Sukarami", "1671080006": "Talang Jambe"}
    assert name_index(areas, ("kecamatan",)) == {"sukarami": (("1671080", "Sukarami"),)}
    assert len(name_index(areas, ("kecamatan", "kelurahan"))["sukarami"]) == 2
    candidates = {area_key(n): n for n in areas.values()}
    assert suggest("Kec. Sukarame", candidates) == "Sukarami"
    assert suggest("Talang Jambi", candidates) == "Talang Jambe"
    assert suggest("Bandung", candidates) is None
