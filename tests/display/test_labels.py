"""views: the district inequality history and locale-formatted, still numeric tables."""

from __future__ import annotations

import math

import pandas as pd

from smartindex.analysis.districts import gini
from smartindex.display import labels as views
from smartindex.indicators.catalogue import load_catalogue


def test_inequality_history_is_one_row_per_year_up_to_until(scored_results):
    res = scored_results
    kec = res.regions.loc[
        (res.regions["level"] == "kecamatan") & (res.regions["parent"] == res.city), "area_code"
    ]
    iv = res.indicator_values[res.indicator_values["area_code"].isin(kec)].dropna(subset=["value"])
    code = iv["code"].value_counts().index[0]
    years = sorted(iv.loc[iv["code"] == code, "year"].unique())
    until = int(years[-2])
    hist = views.inequality_history(res, code=code, until=until)
    assert list(hist["year"]) == [y for y in years if y <= until]
    assert set(hist["code"]) == {code}
    last = iv[(iv["code"] == code) & (iv["year"] == until)]["value"]
    assert math.isclose(hist["gini"].iloc[-1], gini(last.to_numpy()))
    assert int(hist["n"].iloc[-1]) == len(last)


def test_inequality_history_of_a_city_only_code_is_empty(scored_results):
    hist = views.inequality_history(scored_results, code="NO_SUCH_CODE")
    assert hist.empty and "gini" in hist.columns


def test_display_table_formats_by_language_and_keeps_numbers():
    frame = pd.DataFrame(
        {"name": ["a", None], "score": [1234.5, float("nan")], "rank": [1, 2], "year": [2025, 2024]}
    )
    for lang, text in (("id", "1.234,5"), ("en", "1,234.5")):
        styler = views.display_table(
            frame, lang, labels={"name": "Nama", "score": "Skor", "rank": "Rank", "year": "Tahun"}
        )
        html = styler.to_html()
        assert text in html and "2025" in html and "2.025" not in html and "–" in html
        assert list(styler.data.columns) == ["Nama", "Skor", "Rank", "Tahun"]
        assert styler.data["Skor"].dtype.kind == "f"  # still sorts numerically


def test_labels_for_composite_dimensions_choices_and_columns():
    cat = load_catalogue()
    assert views.dimension_label(cat, "economy+people", "en") == "Smart Economy + Smart People"
    assert views.dimension_label(cat, "living", "id") == "Kehidupan Cerdas"
    assert views.dimension_label(cat, None, "id") == "–"
    assert views.choice_label("normalise", "minmax", "id").startswith("Min")
    assert views.choice_label("normalise", "new_method", "en") == "new_method"
    assert views.column_label("unit", "en") == "Unit"
    assert views.column_label("best_district", "id") == "Kecamatan terbaik"


def test_evidence_lines_format_numbers_and_label_keys():
    lines = views.evidence_lines(
        [{"code": "X", "value": 1234.567, "year": 2025, "rank": 7, "unit": "%"}], "id"
    )
    assert lines == [
        "**Kode:** X · **Nilai:** 1.234,57 · **Tahun:** 2025 · **Peringkat:** 7 · **Satuan:** %"
    ]


def test_quarantine_check_names_are_words_in_both_languages_and_unknown_codes_stay():
    frame = pd.DataFrame(
        {"expectation": ["expect_column_values_to_be_between", "primary_key", "my_check", None]}
    )
    en = views.coded(frame, "expectation", "quality.check", "en")["expectation"].tolist()
    idn = views.coded(frame, "expectation", "quality.check", "id")["expectation"].tolist()
    assert en[:3] == ["Value outside the valid range", "Duplicate key (repeated row)", "my_check"]
    assert idn[:2] == ["Nilai di luar rentang yang sah", "Kunci ganda (baris duplikat)"]
    assert pd.isna(en[3]) and pd.isna(idn[3])
