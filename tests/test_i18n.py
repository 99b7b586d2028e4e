"""i18n: every string in both languages, number formats, months, d3 locales."""

from __future__ import annotations

import math
import string

import pytest

from smartindex import i18n


def test_every_string_has_both_languages_and_same_placeholders():
    fields = string.Formatter()
    for key, (id_text, en_text) in i18n.STRINGS.items():
        assert id_text.strip() and en_text.strip(), key
        id_names = {f for _, f, _, _ in fields.parse(id_text) if f}
        en_names = {f for _, f, _, _ in fields.parse(en_text) if f}
        assert id_names == en_names, key


@pytest.mark.parametrize(("x", "lang", "decimals", "expected"), [
    (1234.5, "id", 1, "1.234,5"), (1234.5, "en", 1, "1,234.5"),
    (1234567.891, "id", 2, "1.234.567,89"), (-0.25, "id", 2, "-0,25"),
    (12, "en", 0, "12"), (None, "id", 1, "–"), (math.nan, "en", 1, "–"),
    ("not a number", "id", 1, "–"),
])
def test_format_number(x, lang, decimals, expected):
    assert i18n.format_number(x, lang, decimals) == expected


def test_format_percent_and_signed():
    assert i18n.format_percent(12.5, "id") == "12,5%"
    assert i18n.format_percent(12.5, "en") == "12.5%"
    assert i18n.format_signed(-1.5, "id") == "−1,5"
    assert i18n.format_signed(2, "en", 0) == "+2"


def test_t_fills_placeholders_and_falls_back():
    assert i18n.t("overview.rank", "id", rank=2, n=7) == "Peringkat 2 dari 7"
    assert i18n.t("overview.rank", "en", rank=2, n=7) == "Rank 2 of 7"
    assert i18n.t("page.overview") == "Ringkasan"  # Bahasa Indonesia is the default
    assert i18n.t("page.overview", "xx") == "Ringkasan"
    assert i18n.t("no.such.key", "en") == "no.such.key"


def test_month_names():
    assert i18n.month_name(3, "id") == "Maret"
    assert i18n.month_name(5, "en") == "May"
    assert i18n.month_name(8, "id", short=True) == "Agu"
    with pytest.raises(ValueError, match=r"1\.\.12"):
        i18n.month_name(13, "id")


def test_d3_locales():
    number, time = i18n.d3_locale("id")
    assert number == i18n.ID_FMT and number["decimal"] == "," and number["thousands"] == "."
    assert time["months"][0] == "Januari" and len(time["shortMonths"]) == 12
    assert time["days"][1] == "Senin"
    assert i18n.vega_locale("en")["number"]["decimal"] == "."


def test_status_and_trend_words():
    legend = ["Memuaskan", "Sangat Baik", "Baik", "Cukup", "Kurang"]
    assert i18n.band_light("Memuaskan", legend) == "▲ Memuaskan"
    assert i18n.band_light("Kurang", legend, markdown=True) == ":red[▼ Kurang]"
    assert i18n.band_light("Baik", legend) == "■ Baik"
    assert i18n.band_light(float("nan"), legend, lang="en") == "○ No target"
    assert i18n.trend_text("↑", "improving", True, "id") == "↑ Membaik (signifikan)"
    assert i18n.trend_text("↓", "worsening", False, "en") == "↓ Worsening (not significant)"
    assert i18n.trend_text("–", "insufficient data", False, "id") == "– Data belum cukup"
    assert i18n.rank_text(2.0, 7, "en") == "Rank 2 of 7"
    assert i18n.rank_text(math.nan, 7, "en") == "–"
    assert i18n.dimension_name("economy", "en") == "Smart economy"


def test_short_dimension_labels_name_the_dimension_in_both_languages():
    from smartindex.i18n import dimension_short

    assert dimension_short("economy", "en") == "Economy"
    assert dimension_short("living", "id") == "Kehidupan"
    assert len({dimension_short(d, "en") for d in ("economy", "people", "governance",
                                                   "mobility", "environment", "living")}) == 6
