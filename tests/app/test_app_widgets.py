"""AppTest: the app's widgets change what is shown (year, URL state, kecamatan, dimension,
peers, what-if method choices, recommendation filters) on the real fixture warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from smartindex.analysis.scorecard import peer_units, scorecard
from smartindex.display.i18n import format_number, t
from smartindex.scoring.results import load_results

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_year_selector_changes_the_numbers_and_the_url(app, scored_warehouse):
    res = load_results(scored_warehouse)
    first = res.years[0]
    app.sidebar.selectbox(key="year").select(first).run()
    card = scorecard(res, year=first, lang="id")
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Indeks kota cerdas"] == format_number(card.overall["score"], "id")
    assert app.query_params["year"] in (str(first), [str(first)])


def test_url_selection_is_restored(scored_warehouse, monkeypatch):
    monkeypatch.setenv("SMARTINDEX_DB", str(scored_warehouse))
    res = load_results(scored_warehouse)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"lang": "en", "year": str(res.years[0])})
    at.run()
    assert at.sidebar.selectbox(key="year").value == res.years[0]
    assert "Smart city index" in [m.label for m in at.metric]


def test_kecamatan_selector_switches_the_scorecard(app, scored_warehouse):
    res = load_results(scored_warehouse)
    kec = app.sidebar.selectbox(key="kec")
    unit = next(o for o in kec.options if o != t("sidebar.all_kecamatan", "id"))
    kec.select(unit).run()
    assert not app.exception and not app.error
    assert app.title[0].value.startswith(unit)
    kec_param = app.query_params["kec"]
    assert (kec_param if isinstance(kec_param, str) else kec_param[0]) in set(res.regions["unit"])


def test_dimension_page_widgets_change_what_is_shown(app, scored_warehouse):
    res = load_results(scored_warehouse)
    card = scorecard(res, year=res.latest_year, lang="id")
    app.switch_page("app_pages/dimension.py").run()
    before = app.title[0].value
    dim = card.dimensions["code"].iloc[-1]
    app.selectbox(key="dim").select(dim).run()
    assert app.title[0].value != before
    assert app.title[0].value.startswith(card.dimensions["name"].iloc[-1])
    rows = card.indicators[card.indicators["dimension"] == dim]
    app.selectbox(key="ind_pick").select(rows["code"].iloc[-1]).run()
    assert not app.exception and not app.error
    assert rows["name"].iloc[-1] in app.get("vega_lite_chart")[-1].proto.spec


def test_trends_page_compares_peers(app, scored_warehouse):
    res = load_results(scored_warehouse)
    peer = peer_units(res)[0]
    app.switch_page("app_pages/trends.py").run()
    app.radio(key="trend_level").set_value("dimension").run()
    app.multiselect(key="trend_peers").set_value([peer]).run()
    assert not app.exception and not app.error
    stats = app.dataframe[-1].value
    assert res.unit_name(peer) in set(stats.iloc[:, 0])
    assert res.unit_name(res.city) in set(stats.iloc[:, 0])


def test_method_choices_move_the_scores(app):
    app.switch_page("app_pages/method.py").run()
    before = app.dataframe[-1].value.copy()
    app.select_slider(key="wi_governance").set_value(3.0).run()
    app.selectbox(key="wi_norm").select("rank").run()
    after = app.dataframe[-1].value
    assert not app.exception and not app.error
    assert not before.equals(after)
    assert app.selectbox(key="wi_norm").format_func("rank") == "Peringkat"


def test_recommendation_filters(app):
    app.switch_page("app_pages/recommendations.py").run()
    dims = app.multiselect(key="rec_dims")
    if not dims.options:
        pytest.skip("no recommendations fire on this warehouse")
    n_all = len([m for m in app.markdown if m.value.startswith("**")])
    dims.select(dims.options[0]).run()
    n_one = len([m for m in app.markdown if m.value.startswith("**")])
    assert 0 < n_one <= n_all
