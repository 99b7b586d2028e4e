"""AppTest, every page on the real fixture warehouse, in Bahasa Indonesia and after switching to
English: (a) no exception, no error element and no "warehouse missing" message, (b) the
page's charts are drawn, (c) a key number equals the library's result formatted for the
language, (d) the language switch changes the labels.  A page that falls back to the friendly
catch-all message fails here."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from smartindex.analysis.change import explain_change
from smartindex.analysis.recommend import recommend
from smartindex.analysis.scorecard import district_table, peer_table, scorecard, trend_series
from smartindex.display.i18n import format_number, t
from smartindex.display.markdown import escape_markdown
from smartindex.display.status import rec_view
from smartindex.scoring.results import INDEX_CODE, Results, load_results

APP = str(Path(__file__).resolve().parents[2] / "app.py")
CHARTS = {
    "overview": 1,
    "dimension": 2,
    "districts": 4,
    "peers": 1,
    "trends": 1,
    "change": 1,
    "recommendations": 0,
    "method": 3,
    "quality": 2,
    "downloads": 0,
}
LABEL = {
    "overview": "overview.dimensions",
    "dimension": "dimension.factors",
    "districts": "districts.inequality",
    "peers": "page.peers",
    "trends": "trends.stats",
    "change": "change.peers",
    "recommendations": "page.recommendations",
    "method": "method.whatif",
    "quality": "quality.manifest",
    "downloads": "downloads.pdf",
}
MISSING = tuple(
    x.lower()
    for lang in ("id", "en")
    for x in (  # the catch-all messages
        t("warehouse.missing", lang, reason="\0").split("\0")[0],
        t("warehouse.no_data", lang),
        "smartindex demo",
    )
)


def elements(node) -> list:
    out = []
    for child in getattr(node, "children", {}).values():
        out += [child, *elements(child)]
    return out


def texts(at: AppTest) -> list[str]:
    """Every text shown in the main area and the sidebar (values and labels)."""
    out = []
    for e in elements(at.main) + elements(at.sidebar):
        out += [
            x for x in (getattr(e, "value", None), getattr(e, "label", None)) if isinstance(x, str)
        ]
    return out


def specs(at: AppTest) -> list[dict]:
    return [json.loads(e.proto.spec) for e in elements(at.main) if e.type == "vega_lite_chart"]


def chart_values(at: AppTest) -> list[float]:
    """The ``value`` column of every dataset the page's charts draw."""
    out: list[float] = []
    for e in elements(at.main):
        if e.type == "vega_lite_chart":
            for ds in e.proto.datasets:
                frame = dataframe_util.convert_arrow_bytes_to_pandas_df(ds.data.data)
                out += list(frame["value"].dropna()) if "value" in frame else []
    return out


def shown(table) -> object:
    """What a table displays: the Styler's text when it has one, else its values."""
    raw = table.proto.arrow_data.styler.display_values
    return dataframe_util.convert_arrow_bytes_to_pandas_df(raw) if raw else table.value


def assert_healthy(at: AppTest, where: str) -> None:
    assert not at.exception, (where, at.exception[0].value if at.exception else "")
    assert not at.error, (where, at.error[0].value)
    bad = [x for x in texts(at) if any(m in x.lower() for m in MISSING)]
    assert not bad, (where, bad[:1])


def _metric(at: AppTest, key: str, lang: str) -> list[str]:
    return [m.value for m in at.metric if m.label == t(key, lang)]


def _column(at: AppTest, index: int) -> list[str]:
    return list(shown(at.dataframe[index]).iloc[:, 1])


def _card(res: Results, lang: str):
    return scorecard(res, year=res.latest_year, lang=lang)


def _peer_index(res: Results) -> float:
    tab = peer_table(res, year=res.latest_year)
    return tab.loc[tab["code"] == INDEX_CODE, "value"].iloc[0]


def _latest_value(res: Results, lang: str) -> float:
    series = trend_series(res, code=_card(res, lang).indicators["code"].iloc[0])
    return series.dropna(subset=["value"])["value"].iloc[-1]


def _first_rec(res: Results, lang: str) -> str:
    recs = recommend(res, year=res.latest_year, lang=lang)
    return escape_markdown(rec_view(recs[0], lang).text) if recs else t("recs.none", lang)


def _sizes(res: Results, lang: str) -> str:
    """What the scores download holds: the selected year, plus area_code and element names."""
    shown = res.scores[res.scores["year"] == res.latest_year]
    return t(
        "downloads.size", lang, rows=format_number(len(shown), lang, 0), cols=len(shown.columns) + 2
    )


# page -> (library number formatted for lang, texts the page shows for it)
KEY_NUMBER = {
    "overview": lambda at, res, lang: (
        format_number(_card(res, lang).overall["score"], lang),
        _metric(at, "overview.index", lang),
    ),
    "dimension": lambda at, res, lang: (
        format_number(_card(res, lang).dimensions["score"].iloc[0], lang),
        _metric(at, "col.score", lang),
    ),
    "districts": lambda at, res, lang: (
        format_number(
            district_table(res, year=res.latest_year, code=INDEX_CODE)["score"].iloc[0], lang
        ),
        _column(at, 0),
    ),
    "peers": lambda at, res, lang: (format_number(_peer_index(res), lang, 2), _column(at, 0)),
    "trends": lambda at, res, lang: (
        f"{_latest_value(res, lang):.6g}",
        [f"{x:.6g}" for x in chart_values(at)],
    ),
    "recommendations": lambda at, res, lang: (_first_rec(res, lang), texts(at)),
    "method": lambda at, res, lang: (  # tables: catalogue (in the expander), what-if
        format_number(_card(res, lang).overall["score"], lang),
        _column(at, -1),
    ),
    "quality": lambda at, res, lang: (
        format_number(res.load_manifest["rows_read"].sum(), lang, 0),
        _metric(at, "quality.rows_read", lang),
    ),
    "downloads": lambda at, res, lang: (_sizes(res, lang), texts(at)),
    "change": lambda at, res, lang: (
        format_number(
            explain_change(
                res, area_code=res.city, year_a=res.years[-2], year_b=res.years[-1]
            ).score_b,
            lang,
        ),
        [m.value for m in at.metric],
    ),
}


def check_page(at: AppTest, page: str, res: Results, lang: str) -> None:
    assert_healthy(at, f"{page}/{lang}")
    assert at.title, f"{page}: every page has a title"
    assert len(specs(at)) >= CHARTS[page], f"{page}/{lang}: charts missing"
    expected, seen = KEY_NUMBER[page](at, res, lang)
    assert expected in seen, (page, lang, expected, seen[:8])
    label = t(LABEL[page], lang)
    assert any(label in x for x in texts(at)), (page, lang, label)


@pytest.mark.parametrize("page", list(CHARTS))
def test_page_is_healthy_and_shows_the_library_numbers_in_both_languages(
    app, page, scored_warehouse
):
    res = load_results(scored_warehouse)
    app.switch_page(f"app_pages/{page}.py").run()
    check_page(app, page, res, "id")
    before = set(texts(app))
    app.sidebar.radio(key="lang").set_value("en").run()
    check_page(app, page, res, "en")
    assert t(LABEL[page], "id") != t(LABEL[page], "en") or set(texts(app)) != before


def test_the_health_check_fails_on_the_friendly_message(tmp_path, monkeypatch):
    """The regression guard itself: a page showing the catch-all message does not pass."""
    monkeypatch.setenv("SMARTINDEX_DB", str(tmp_path / "nothing.duckdb"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    with pytest.raises(AssertionError):
        assert_healthy(at, "missing")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_tables_show_the_language_number_format_and_stay_numeric(app, lang, scored_warehouse):
    res = load_results(scored_warehouse)
    app.sidebar.radio(key="lang").set_value(lang).run()
    app.switch_page("app_pages/method.py").run()
    table = app.dataframe[-1]
    score = res.scores.query(
        "comparison == 'cities' and code == @INDEX_CODE and year == @res.latest_year"
    )["score"].max()
    text = shown(table).iloc[0, 1]
    assert text == format_number(score, lang)
    assert ("," in text) == (lang == "id") and ("." in text) == (lang == "en")
    assert table.value.iloc[:, 1].dtype.kind == "f", "numbers stay numbers (sortable)"
    pop = shown(app.dataframe[-1])
    assert pop.shape[0] == res.scores.query("comparison == 'cities'")["area_code"].nunique()


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


LITERAL = re.compile(r"^(None|nan|NaN|True|False|[-−]0[.,]0+)$|\d{2}:\d{2}:\d{2}\.\d+")


def test_no_table_shows_none_negative_zero_flags_or_microseconds(app):
    """Defect 3: no literal None / nan / True / -0,00 and no microsecond timestamps, on any
    page in either language."""
    for lang in ("id", "en"):
        app.sidebar.radio(key="lang").set_value(lang).run()
        for page in CHARTS:
            app.switch_page(f"app_pages/{page}.py").run()
            for i, table in enumerate(app.dataframe):
                frame = shown(table)
                bad = {str(x) for c in frame.columns for x in frame[c] if LITERAL.search(str(x))}
                assert not bad, (lang, page, i, sorted(bad)[:3])
            words = [x for x in texts(app) if re.search(r"\bNone\b|-0[.,]00\b", x)]
            assert not words, (lang, page, words[:1])


def test_method_page_states_each_stage_in_words(app, scored_warehouse):
    """The current method is shown as sentences in the reader's language (the exact JSON
    below it), e.g. the screening rule with its 75 % threshold."""
    from smartindex.display.method_text import method_markdown

    res = load_results(scored_warehouse)
    app.sidebar.radio(key="lang").set_value("id").run()
    app.switch_page("app_pages/method.py").run()
    shown_text = [m.value for m in app.markdown]
    assert method_markdown(res.manifest["method"], "id") in shown_text
    assert any("sekurang-kurangnya 75% datanya tersedia" in s for s in shown_text)
