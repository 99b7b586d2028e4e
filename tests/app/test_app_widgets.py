"""AppTest: the app's widgets change what is shown (year, URL state, kecamatan, dimension,
peers, what-if method choices, recommendation filters) on the real fixture warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from smartindex.analysis import whatif
from smartindex.analysis.recommend import recommend
from smartindex.analysis.scorecard import peer_areas, scorecard
from smartindex.display.i18n import format_number, t
from smartindex.display.markdown import escape_markdown
from smartindex.display.status import rec_view
from smartindex.scoring.results import load_results

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def chart_values_of(element) -> list[float]:
    """The ``value`` column of every dataset of one chart element."""
    out: list[float] = []
    for ds in element.proto.datasets:
        frame = dataframe_util.convert_arrow_bytes_to_pandas_df(ds.data.data)
        out += list(frame["value"].dropna()) if "value" in frame else []
    return out


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
    area_code = next(o for o in kec.options if o != t("sidebar.all_kecamatan", "id"))
    kec.select(area_code).run()
    assert not app.exception and not app.error
    assert app.title[0].value.startswith(area_code)
    kec_param = app.query_params["kec"]
    assert (kec_param if isinstance(kec_param, str) else kec_param[0]) in set(
        res.regions["area_code"]
    )


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
    peer = peer_areas(res)[0]
    app.switch_page("app_pages/trends.py").run()
    app.radio(key="trend_level").set_value("dimension").run()
    app.multiselect(key="trend_peers").set_value([peer]).run()
    assert not app.exception and not app.error
    stats = app.dataframe[-1].value
    assert res.area_name(peer) in set(stats.iloc[:, 0])
    assert res.area_name(res.city) in set(stats.iloc[:, 0])


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


@pytest.mark.parametrize("normalise", whatif.NORMALISE_CHOICES)
def test_every_offered_method_pair_works(app, normalise):
    """Defect 1: every normalisation x aggregation pair the page offers is computed (geometric
    and harmonic means after the documented positive range); fracmax offers arithmetic only."""
    app.switch_page("app_pages/method.py").run()
    app.selectbox(key="wi_norm").select(normalise).run()
    offered = app.selectbox(key="wi_agg").options
    expected = whatif.aggregate_choices(normalise)
    assert [app.selectbox(key="wi_agg").format_func(a) for a in expected] == offered
    assert ("geometric" in expected) == (normalise != "fracmax")
    for aggregate in expected:
        app.selectbox(key="wi_agg").select(aggregate).run()
        assert not app.exception and not app.error and not app.warning, (normalise, aggregate)
        after = app.dataframe[-1].value.iloc[:, 2]  # the "after" scores
        assert after.notna().all(), (normalise, aggregate)
        if aggregate != "arithmetic":
            assert t(f"page.method_positive.{normalise}", "id") in [c.value for c in app.caption]


def test_a_library_error_is_one_translated_sentence(app, monkeypatch):
    """A pair the library refuses shows one sentence in the UI language, never a traceback."""
    monkeypatch.setattr(whatif, "aggregate_choices", lambda n: whatif.AGGREGATE_CHOICES)
    app.switch_page("app_pages/method.py").run()
    app.selectbox(key="wi_norm").select("fracmax").run()
    app.selectbox(key="wi_agg").select("geometric").run()
    assert not app.exception
    assert [w.value for w in app.warning] == [
        t(
            "page.method_error",
            "id",
            normalise=app.selectbox(key="wi_norm").format_func("fracmax"),
            aggregate=app.selectbox(key="wi_agg").format_func("geometric"),
        )
    ]


def test_recommendations_follow_the_selected_unit_and_say_so(app, scored_warehouse):
    """Defect 2: the overview's recommendations are the selected kecamatan's, labelled."""
    res = load_results(scored_warehouse)
    kec = res.regions.query("level == 'kecamatan' and parent == @res.city")["area_code"]
    for area_code in kec:
        recs = recommend(res, year=res.latest_year, lang="id", area_code=area_code)
        if recs:
            break
    else:
        pytest.skip("no recommendation fires for any kecamatan")
    app.sidebar.selectbox(key="kec").select(area_code).run()
    heading = t("page.top_recs", "id", area=res.area_name(area_code))
    assert heading in [h.value for h in app.subheader]
    first = escape_markdown(rec_view(recs[0], "id").text)
    assert any(first in m.value for m in app.markdown)
    own = {rec_view(r, "id").text for r in recs}
    city = [rec_view(r, "id").text for r in recommend(res, year=res.latest_year, lang="id")]
    for text in [x for x in city[:3] if x not in own]:  # the city's own advice is not shown
        assert not any(escape_markdown(text) in m.value for m in app.markdown)


def test_quality_page_is_per_selected_year(app, scored_warehouse):
    """Defect 4: coverage per indicator for the selected year (never summed over years), and
    the audit table sorted, with a Year column, for that year only."""
    res = load_results(scored_warehouse)
    year = res.years[-2]
    app.sidebar.selectbox(key="year").select(year).run()
    app.switch_page("app_pages/quality.py").run()
    values = chart_values_of(app.get("vega_lite_chart")[-1])  # the coverage chart
    assert values and max(values) <= 100.0 + 1e-9
    table = app.dataframe[-1].value
    years = table[t("col.year", "id")]
    assert set(years) == {year}
    names = list(table[t("col.name", "id")])
    assert names == sorted(names) and len(names) == len(set(names))


def test_agency_filter_survives_language_year_and_page_changes(app):
    app.switch_page("app_pages/recommendations.py").run()
    pick = next(m for m in app.multiselect if m.key == "rec_agencies")
    chosen = pick.options[0]
    pick.select(chosen).run()
    app.sidebar.radio[0].set_value("en").run()
    app.switch_page("app_pages/overview.py").run()
    app.switch_page("app_pages/recommendations.py").run()
    kept = next(m for m in app.multiselect if m.key == "rec_agencies")
    assert kept.value == [chosen]
    assert app.title[0].value.startswith("Recommendations")
