"""numbers: the one formatter; hand-checked strings in both languages."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from smartindex.display import numbers as n


@pytest.mark.parametrize(
    ("x", "lang", "decimals", "expected"),
    [
        (1234.5, "id", 1, "1.234,5"),
        (1234.5, "en", 1, "1,234.5"),
        (1234567.891, "id", 2, "1.234.567,89"),
        (-0.25, "id", 2, "-0,25"),
        (12, "en", 0, "12"),
        (np.float64(0.125), "en", 2, "0.12"),
        ("7.5", "en", 1, "7.5"),
        (None, "id", 1, "–"),
        (math.nan, "en", 1, "–"),
        (pd.NA, "id", 1, "–"),
        ("not a number", "id", 1, "–"),
        (True, "en", 0, "–"),
    ],
)
def test_format_number(x, lang, decimals, expected):
    assert n.format_number(x, lang, decimals) == expected


def test_percent_signed_and_counts():
    assert n.format_percent(12.5, "id") == "12,5%" and n.format_percent(12.5, "en") == "12.5%"
    assert n.format_percent(None, "en") == "–"
    assert n.format_signed(-1.5, "id") == "−1,5" and n.format_signed(2, "en", 0) == "+2"
    assert n.format_signed(0.0, "id") == "±0,0" and n.format_signed(math.nan, "id") == "–"
    assert n.format_count(1234567, "id") == "1.234.567"
    assert n.format_count(1234567, "en") == "1,234,567"


def test_values_get_places_by_size_and_their_unit():
    assert [n.auto_decimals(x) for x in (3.876, 61.23, 12345.6, -15.0, None)] == [2, 1, 0, 1, 2]
    assert n.format_value(3.876, "id") == "3,88" and n.format_value(12345.6, "en") == "12,346"
    assert n.format_measure(12.5, "%", "id") == "12,5%"
    assert n.format_measure(3.876, "per 100 000", "en") == "3.88 per 100 000"
    assert n.format_measure(3.876, None, "en") == "3.88"


def test_evidence_fields():
    assert n.format_field("year", 2025.0, "id") == "2025"
    assert n.format_field("target_year", 2030, "en") == "2030"
    assert n.format_field("value", 1234.567, "id") == "1.234,57"
    assert n.format_field("rank", 7, "id") == "7" and n.format_field("n", 12.0, "en") == "12"
    assert n.format_field("value", math.nan, "en") == "–"
    assert n.format_field("name", "Ilir Barat I", "id") == "Ilir Barat I"
    assert n.format_field("name", None, "id") == ""


def test_typeset_numbers_never_break_at_a_space_thousands_mark(monkeypatch):
    assert n.format_count(12000, "id", typeset=True) == "12.000"  # a dot never breaks
    monkeypatch.setitem(n.locale("en").number, "thousands", " ")  # e.g. a French locale
    assert n.format_count(12000, "en") == "12 000"
    assert n.format_count(12000, "en", typeset=True) == "12\u00a0000"


def test_missing():
    assert n.is_missing(None) and n.is_missing(math.nan) and n.is_missing(pd.NA)
    assert n.is_missing("") and not n.is_missing("text") and not n.is_missing(0)
    assert n.as_number("x") is None and n.as_number(np.int64(3)) == 3.0


def test_number_locale_is_d3s():
    assert n.number_locale("id") == {
        "decimal": ",",
        "thousands": ".",
        "grouping": [3],
        "currency": ["Rp", ""],
    }
    assert n.number_locale("en")["decimal"] == "."
