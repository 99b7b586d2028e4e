"""AppTest: every page runs on the fixture warehouse, shows the library's numbers, reacts to its
widgets and to the language switch; a missing warehouse gives a friendly message."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from smartindex.i18n import format_number, t
from smartindex.results import load_results
from smartindex.scorecard import peer_units, scorecard

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGES = ("overview", "dimension", "districts", "peers", "trends", "recommendations", "method",
         "quality", "downloads")
CHARTS = {"overview": 1, "dimension": 2, "districts": 3, "peers": 1, "trends": 1, "method": 2,
          "quality": 1}


def elements(node) -> list:
    out = []
    for child in getattr(node, "children", {}).values():
        out += [child, *elements(child)]
    return out


def specs(at: AppTest) -> list[str]:
    return [e.proto.spec for e in elements(at.main) if e.type == "vega_lite_chart"]


@pytest.fixture
def app(app_warehouse, monkeypatch) -> AppTest:
    monkeypatch.setenv("SMARTINDEX_DB", str(app_warehouse))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    return at


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_without_exception_and_draws_charts(app, page):
    app.switch_page(f"app_pages/{page}.py").run()
    assert not app.exception, app.exception[0].value if app.exception else ""
    assert app.title, "every page has a title"
    assert len(specs(app)) >= CHARTS.get(page, 0)


def test_overview_shows_the_library_numbers(app, app_warehouse):
    res = load_results(app_warehouse)
    card = scorecard(res, year=res.latest_year, lang="id")
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Indeks kota cerdas"] == format_number(card.overall["score"], "id")
    for _, row in card.dimensions.iterrows():
        assert metrics[row["name"]] == format_number(row["score"], "id")
    assert app.title[0].value == f"{res.unit_name(res.city)} · {res.latest_year}"


def test_year_selector_changes_the_numbers_and_the_url(app, app_warehouse):
    res = load_results(app_warehouse)
    first = res.years[0]
    app.sidebar.selectbox(key="year").select(first).run()
    card = scorecard(res, year=first, lang="id")
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Indeks kota cerdas"] == format_number(card.overall["score"], "id")
    assert app.query_params["year"] in (str(first), [str(first)])


def test_url_selection_is_restored(app_warehouse, monkeypatch):
    monkeypatch.setenv("SMARTINDEX_DB", str(app_warehouse))
    res = load_results(app_warehouse)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"lang": "en", "year": str(res.years[0])})
    at.run()
    assert at.sidebar.selectbox(key="year").value == res.years[0]
    assert "Smart city index" in [m.label for m in at.metric]


def test_language_switch_changes_labels_and_numbers(app, app_warehouse):
    res = load_results(app_warehouse)
    card = scorecard(res, year=res.latest_year, lang="en")
    app.sidebar.radio(key="lang").set_value("en").run()
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Smart city index"] == format_number(card.overall["score"], "en")
    assert app.sidebar.selectbox(key="year").label == "Year"
    assert any('"decimal": "."' in s or '"decimal":"."' in s for s in specs(app))


def test_kecamatan_selector_switches_the_scorecard(app, app_warehouse):
    res = load_results(app_warehouse)
    kec = app.sidebar.selectbox(key="kec")
    unit = next(o for o in kec.options if o != t("sidebar.all_kecamatan", "id"))
    kec.select(unit).run()
    assert not app.exception
    assert app.title[0].value.startswith(unit)
    kec_param = app.query_params["kec"]
    assert (kec_param if isinstance(kec_param, str) else kec_param[0]) in set(res.regions["unit"])


def test_dimension_page_widgets_change_what_is_shown(app, app_warehouse):
    res = load_results(app_warehouse)
    card = scorecard(res, year=res.latest_year, lang="id")
    app.switch_page("app_pages/dimension.py").run()
    before = app.title[0].value
    dim = card.dimensions["code"].iloc[-1]
    app.selectbox(key="dim").select(dim).run()
    assert app.title[0].value != before
    assert app.title[0].value.startswith(card.dimensions["name"].iloc[-1])
    rows = card.indicators[card.indicators["dimension"] == dim]
    app.selectbox(key="ind_pick").select(rows["code"].iloc[-1]).run()
    assert not app.exception
    assert rows["name"].iloc[-1] in specs(app)[-1]


def test_trends_page_compares_peers(app, app_warehouse):
    res = load_results(app_warehouse)
    peer = peer_units(res)[0]
    app.switch_page("app_pages/trends.py").run()
    app.radio(key="trend_level").set_value("dimension").run()
    app.multiselect(key="trend_peers").set_value([peer]).run()
    assert not app.exception
    stats = app.dataframe[-1].value
    assert res.unit_name(peer) in set(stats.iloc[:, 0])
    assert res.unit_name(res.city) in set(stats.iloc[:, 0])


def test_method_sliders_move_the_scores(app):
    app.switch_page("app_pages/method.py").run()
    before = app.dataframe[1].value.copy()
    app.slider(key="wi_governance").set_value(3.0).run()
    app.selectbox(key="wi_norm").select("rank").run()
    after = app.dataframe[1].value
    assert not app.exception
    assert not before.equals(after)


def test_recommendation_filters(app):
    app.switch_page("app_pages/recommendations.py").run()
    dims = app.multiselect(key="rec_dims")
    if not dims.options:
        pytest.skip("no recommendations fire on this warehouse")
    n_all = len([m for m in app.markdown if m.value.startswith("**")])
    dims.select(dims.options[0]).run()
    n_one = len([m for m in app.markdown if m.value.startswith("**")])
    assert 0 < n_one <= n_all


def test_quality_page_totals_match_the_manifest(app, app_warehouse):
    res = load_results(app_warehouse)
    app.switch_page("app_pages/quality.py").run()
    metrics = {m.label: m.value for m in app.metric}
    total = res.load_manifest["rows_read"].sum()
    assert metrics["Baris dibaca"] == format_number(total, "id", 0)


def test_missing_warehouse_gives_a_friendly_message(tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTINDEX_DB", str(tmp_path / "nothing.duckdb"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "smartindex demo" in at.error[0].value
    assert "smartindex etl && smartindex score" in at.error[0].value


def test_empty_warehouse_gives_a_friendly_message(tmp_path, monkeypatch):
    empty = tmp_path / "empty.duckdb"
    empty.write_bytes(b"")
    monkeypatch.setenv("SMARTINDEX_DB", str(empty))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "smartindex demo" in at.error[0].value
