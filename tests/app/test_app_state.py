"""Shareable state (AppTest, real fixture warehouse): every control of every page is read from
the URL a link opens, written back into the URL, and survives a language switch followed by
a year change (issue 12, defect 9)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from smartindex.analysis.recommend import recommend
from smartindex.analysis.scorecard import peer_areas
from smartindex.scoring.results import Results, load_results

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def _rec_dims(res: Results) -> list[str]:
    recs = recommend(res, year=res.latest_year)
    return sorted({r.dimension for r in recs if r.dimension})[:1]


# page -> {control key: value chosen from the warehouse}; widget kind read from the app
CONTROLS = {
    "dimension": lambda res: {
        "dim": "environment",
        "ind_pick": next(i.code for i in res.catalogue.indicators if i.dimension == "environment"),
    },
    "districts": lambda res: {"district_code": "environment", "radius": 1000},
    "peers": lambda res: {"peer_level": "indicator", "peer_dim": "mobility"},
    "trends": lambda res: {
        "trend_level": "dimension",
        "trend_code_dimension": "living",
        "trend_peers": list(peer_areas(res)[:2]),
    },
    "change": lambda res: {"chg_code": "economy", "chg_a": res.years[0], "chg_b": res.years[-2]},
    "recommendations": lambda res: {"rec_dims": _rec_dims(res)},
    "method": lambda res: {"wi_norm": "rank", "wi_agg": "geometric", "wi_mobility": 2.0},
}


def _url(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _param(at: AppTest, key: str) -> list[str]:
    raw = at.query_params.get(key, [])
    return [raw] if isinstance(raw, str) else list(raw)


def _widget(at: AppTest, key: str) -> object:
    for kind in ("selectbox", "radio", "multiselect", "select_slider"):
        found = [w for w in getattr(at, kind) if w.key == key]
        if found:
            return found[0].value
    raise AssertionError(f"no widget {key!r}")


@pytest.mark.parametrize("page", list(CONTROLS))
def test_a_link_opens_the_same_view_and_survives_language_and_year(
    page, scored_warehouse, monkeypatch
):
    monkeypatch.setenv("SMARTINDEX_DB", str(scored_warehouse))
    res = load_results(scored_warehouse)
    chosen = {k: v for k, v in CONTROLS[page](res).items() if v != []}
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(
        {"lang": "id", "year": str(res.years[-1]), **{k: _url(v) for k, v in chosen.items()}}
    )
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception[0].value if at.exception else ""
    for key, value in chosen.items():
        assert _widget(at, key) == value, (page, key)
        assert _param(at, key) == _url(value), (page, key, at.query_params)
    at.sidebar.radio(key="lang").set_value("en").run()
    at.sidebar.selectbox(key="year").select(res.years[-2]).run()
    assert not at.exception
    for key, value in chosen.items():
        assert _widget(at, key) == value, (page, key, "after language + year")
        assert _param(at, key) == _url(value), (page, key)
    assert _param(at, "lang") == ["en"] and _param(at, "year") == [str(res.years[-2])]


def test_sidebar_controls_round_trip(scored_warehouse, monkeypatch):
    monkeypatch.setenv("SMARTINDEX_DB", str(scored_warehouse))
    res = load_results(scored_warehouse)
    kec = sorted(res.regions.query("level == 'kecamatan' and parent == @res.city")["area_code"])[0]
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"lang": "en", "year": str(res.years[0]), "city": res.city, "kec": kec})
    at.run()
    assert at.sidebar.radio(key="lang").value == "en"
    assert at.sidebar.selectbox(key="year").value == res.years[0]
    assert at.sidebar.selectbox(key="kec").value == kec
    assert _param(at, "kec") == [kec] and _param(at, "year") == [str(res.years[0])]


def test_an_unknown_url_value_falls_back_to_the_default(scored_warehouse, monkeypatch):
    monkeypatch.setenv("SMARTINDEX_DB", str(scored_warehouse))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"dim": "nonsense", "year": "1800"})
    at.switch_page("app_pages/dimension.py").run()
    assert not at.exception and not at.error
    assert _widget(at, "dim") == "economy"
    assert at.sidebar.selectbox(key="year").value == load_results(scored_warehouse).latest_year
