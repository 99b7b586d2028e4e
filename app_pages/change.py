"""Mengapa berubah? / Why did it change?: the change of the index or a dimension between two
chosen years, for the city or the selected kecamatan, split exactly into indicator
contributions (smartindex.analysis.change), with the rank change and the peers that moved."""

from __future__ import annotations

import streamlit as st

from app_pages import common, state
from smartindex.display import charts
from smartindex.display.i18n import dimension_name, format_number, rank_text, t
from smartindex.display.markdown import escape_markdown as md
from smartindex.display.numbers import format_signed
from smartindex.errors import SmartIndexError
from smartindex.scoring.results import INDEX_CODE

TOP = 15  # bars drawn; the table lists every indicator

v = common.view()
res = common.results()
years = res.years
codes = [INDEX_CODE, *(d.key for d in res.catalogue.dimensions)]
names = {
    INDEX_CODE: t("level.index", v.lang),
    **{c: dimension_name(res.catalogue, c, v.lang) for c in codes[1:]},
}
state.control("chg_code", codes, INDEX_CODE)
state.control("chg_b", years, v.year)
state.control("chg_a", years, years[max(years.index(st.session_state["chg_b"]) - 1, 0)])
left, mid, right = st.columns([2, 1, 1])
code = left.selectbox(t("change.element", v.lang), codes, key="chg_code", format_func=names.get)
year_a = mid.selectbox(t("change.from", v.lang), years, key="chg_a")
year_b = right.selectbox(t("change.to", v.lang), years, key="chg_b")
state.publish("chg_code", "chg_a", "chg_b")
area_name = res.area_name(v.area_code)
st.title(f"{t('page.change', v.lang)} · {area_name}")
st.caption(t("change.intro", v.lang))
try:
    c = common.explain_change(
        area_code=v.area_code, year_a=year_a, year_b=year_b, code=code, lang=v.lang
    )
except SmartIndexError:
    st.info(t("change.none", v.lang, name=names[code], a=year_a, b=year_b))
    st.stop()


def yr(key: str, year: int) -> str:
    """A column or metric label for one of the two years (``Skor 2024``)."""
    return f"{names[key] if key in names else t(key, v.lang)} {year}"


places = common.delta(format_signed(c.rank_change, v.lang, 0))
cols = st.columns(3)
cols[0].metric(yr(code, year_a), format_number(c.score_a, v.lang))
cols[1].metric(
    yr(code, year_b),
    format_number(c.score_b, v.lang),
    common.delta(format_signed(c.change, v.lang, 2)),
)
moved_by = t("page.places", v.lang, n=places) if c.rank_change == c.rank_change else None
cols[2].metric(t("col.rank", v.lang), rank_text(c.rank_b, len(c.peers), v.lang), moved_by)

parts = c.contributions.assign(
    label=[
        n if k == "value" else t("change.weight_of", v.lang, name=n)
        for n, k in zip(c.contributions["name"], c.contributions["kind"], strict=True)
    ]
)
delta = format_signed(c.change, v.lang, 2)
title = t("change.chart", v.lang, name=names[code], a=year_a, b=year_b, change=delta)
points = t("change.points", v.lang)
common.chart(charts.contribution_chart(parts.head(TOP), v.lang, title=title, value_title=points))
total = format_signed(parts["contribution"].sum(), v.lang, 2)
st.caption(t("change.method", v.lang, total=total, change=delta))
pairs = (("raw", "col.value"), ("normalised", "change.normalised"), ("weight", "change.weight"))
labels = {"label": t("col.name", v.lang), "dimension": t("col.dimension", v.lang)}
labels |= {f"{c}_{s}": yr(k, y) for c, k in pairs for s, y in (("a", year_a), ("b", year_b))}
labels |= {"contribution": points}
shown = parts.assign(weight_a=100 * parts["weight_a"], weight_b=100 * parts["weight_b"])
places_of = {"contribution": 3, "weight_a": 2, "weight_b": 2}
common.table(shown, v.lang, labels=labels, decimals=places_of, default_decimals=2)
stem = f"{area_name}-{names[code]}-{year_a}-{year_b}"
table = shown[list(labels)].rename(columns=labels)
common.downloads(table, "change", v.lang, formats=("csv", "xlsx"), stem=stem)

st.subheader(t("change.peers", v.lang))
peers = c.peers.assign(
    name=[
        ("◆ " if u == v.area_code else "") + n
        for u, n in zip(c.peers["area_code"], c.peers["name"], strict=True)
    ]
)
peer_labels = {"name": t("col.name", v.lang), "score_a": yr(code, year_a)}
peer_labels |= {"score_b": yr(code, year_b), "change": points, "rank_a": yr("col.rank", year_a)}
peer_labels |= {"rank_b": yr("col.rank", year_b), "rank_change": t("method.rank_change", v.lang)}
ranks = {"change": 2, "rank_a": 0, "rank_b": 0, "rank_change": 0}
common.table(peers, v.lang, labels=peer_labels, decimals=ranks)
moved = [md(n) for n, m in zip(c.peers["name"], c.peers["moved"], strict=True) if m]
st.caption(
    t("change.moved", v.lang, names=", ".join(moved)) if moved else t("change.none_moved", v.lang)
)
