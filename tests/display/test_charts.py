"""charts: each function builds a valid Vega-Lite spec with the language's locale, renders
offline, and carries more than colour (words, shapes)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import vl_convert as vlc

from smartindex.display import charts

TREND = pd.DataFrame(
    {
        "year": [2021, 2022, 2023],
        "value": [1200.5, 1300.0, 1250.0],
        "target": [1300.0, 1350.0, 1400.0],
    }
)
REGIONS = pd.DataFrame(
    {
        "area_code": ["a", "b"],
        "name": ["Ilir Barat I", "Kemuning"],
        "lat": [-2.97, -2.95],
        "lon": [104.73, 104.75],
    }
)
CASES = {
    "trend_chart": (TREND, {}),
    "sparkline": (TREND, {}),
    "dimension_bars": (
        pd.DataFrame(
            {
                "label": ["Ekonomi", "Tata kelola"],
                "score": [55.2, 71.3],
                "status": ["Cukup", "Baik"],
            }
        ),
        {},
    ),
    "ranked_bars": (
        pd.DataFrame({"label": ["A", "B"], "value": [3.0, 1.0], "highlight": [False, True]}),
        {},
    ),
    "district_map": (
        pd.DataFrame(
            {
                "label": ["X", "Y"],
                "lat": [-2.97, -2.95],
                "lon": [104.73, 104.75],
                "value": [50.0, 70.0],
            }
        ),
        {},
    ),
    "peer_chart": (
        pd.DataFrame(
            {
                "label": ["E", "E"],
                "city": ["Palembang", "Medan"],
                "value": [50.0, 60.0],
                "is_home": [True, False],
            }
        ),
        {},
    ),
    "rank_interval_chart": (
        pd.DataFrame({"label": ["P", "M"], "nominal_rank": [2, 1], "q05": [1, 1], "q95": [3, 2]}),
        {},
    ),
    "inequality_chart": (
        pd.DataFrame({"year": [2021, 2022], "measure": ["Gini", "Gini"], "value": [0.2, 0.25]}),
        {},
    ),
    "sensitivity_bars": (
        pd.DataFrame({"assumption": ["weights"], "first_order": [0.3], "total": [0.4]}),
        {},
    ),
    "change_chart": (pd.DataFrame({"label": ["P"], "before": [50.0], "after": [55.0]}), {}),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("lang", ["id", "en"])
def test_chart_builds_with_locale_and_renders(name, lang):
    frame, kw = CASES[name]
    spec = getattr(charts, name)(frame, lang, **kw).to_dict()
    decimal = "," if lang == "id" else "."
    assert spec["config"]["locale"]["number"]["decimal"] == decimal
    svg = vlc.vegalite_to_svg(spec)
    assert svg.startswith("<svg") and "http" not in svg.split("xmlns")[0]


def test_numbers_follow_the_language():
    spec_id = charts.trend_chart(TREND, "id").to_dict()
    spec_en = charts.trend_chart(TREND, "en").to_dict()
    svg_id, svg_en = vlc.vegalite_to_svg(spec_id), vlc.vegalite_to_svg(spec_en)
    assert "1.300,0" in svg_id and "1,300.0" in svg_en
    assert "Tahun" in svg_id and "Year" in svg_en


def test_trend_target_is_a_labelled_dashed_line():
    text = json.dumps(charts.trend_chart(TREND, "en").to_dict())
    assert "strokeDash" in text and '"Target"' in text


def test_status_is_written_not_only_coloured():
    frame = CASES["dimension_bars"][0]
    svg = vlc.vegalite_to_svg(charts.dimension_bars(frame, "id").to_dict())
    assert "Cukup" in svg and "Baik" in svg


def test_highlight_and_home_have_a_shape_or_mark():
    svg = vlc.vegalite_to_svg(charts.ranked_bars(CASES["ranked_bars"][0], "en").to_dict())
    assert "◆ B" in svg
    peer = json.dumps(charts.peer_chart(CASES["peer_chart"][0], "en").to_dict())
    assert "diamond" in peer and "This city" in peer


def test_ranked_bars_run_best_first_and_the_two_ends_differ_in_colour_and_mark():
    frame = pd.DataFrame(
        {
            "label": ["Gandus", "Bukit Kecil", "Sako", "Alang-Alang Lebar"],
            "value": [53.5, 87.4, 59.7, 53.0],
            "tone": ["", "best", "", "worst"],
        }
    )
    spec = charts.ranked_bars(frame, "en").to_dict()
    bars = spec["layer"][0]["encoding"]
    assert bars["y"]["sort"] == ["▲ Bukit Kecil", "Sako", "Gandus", "▼ Alang-Alang Lebar"]
    scale = dict(
        zip(bars["color"]["scale"]["domain"], bars["color"]["scale"]["range"], strict=True)
    )
    assert scale["best"] != scale["worst"] and scale["best"] != scale[""]
    svg = vlc.vegalite_to_svg(spec)
    assert svg.index("Bukit Kecil") < svg.index("Sako") < svg.index("Alang-Alang Lebar")


def test_missing_columns_raise():
    with pytest.raises(ValueError, match="lacks column"):
        charts.trend_chart(pd.DataFrame({"year": [2020]}), "id")


def test_label_units_and_long_measures():
    table = pd.DataFrame({"area_code": ["b", "a", "zz"], "share": [0.5, 0.25, 0.1]})
    out = charts.label_units(table, REGIONS, value="share", scale=100, home="a")
    assert list(out["label"]) == ["Kemuning", "Ilir Barat I", "zz"]
    assert list(out["value"]) == [50.0, 25.0, 10.0]
    assert list(out["highlight"]) == [False, True, False]
    wide = pd.DataFrame({"year": [2021, 2022], "gini": [0.2, None], "cv": [0.3, 0.4]})
    long = charts.long_measures(wide, {"gini": "Gini", "cv": "CV", "absent": "x"})
    assert len(long) == 3 and set(long["measure"]) == {"Gini", "CV"}


def test_peer_frame_orders_by_names_and_marks_home():
    scores = pd.DataFrame(
        {
            "area_code": ["a", "b", "a", "b"],
            "year": 2024,
            "code": ["x", "x", "y", "y"],
            "score": [1.0, 2.0, 3.0, 4.0],
        }
    )
    out = charts.peer_frame(scores, REGIONS, city="a", year=2024, names={"y": "Why", "x": "Ex"})
    assert list(out["label"]) == ["Why", "Why", "Ex", "Ex"]
    assert out.loc[out["city"] == "Ilir Barat I", "is_home"].all()


def _tooltips(node):
    """Every tooltip field definition in a Vega-Lite spec."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "tooltip":
                yield from (value if isinstance(value, list) else [value])
            else:
                yield from _tooltips(value)
    elif isinstance(node, list):
        for value in node:
            yield from _tooltips(value)


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_tooltip_names_its_field_in_the_language(name):
    """Vega shows an untitled tooltip's raw field name (``year``, ``label``): a visible string
    that is not in the locale files."""
    frame, kw = CASES[name]
    spec = getattr(charts, name)(frame, "id", **kw).to_dict()
    untitled = [
        tip.get("field")
        for tip in _tooltips(spec)
        if isinstance(tip, dict) and "field" in tip and not tip.get("title")
    ]
    assert untitled == []
