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
names = {INDEX_CODE: t("level.index", v.lang),
         **{c: dimension_name(res.catalogue, c, v.lang) for c in codes[1:]}}
state.control("chg_code", codes, INDEX_CODE)
state.control("chg_b", years, v.year)
state.control("chg_a", years, years[max(years.index(st.session_state["chg_b"]) - 1, 0)])
left, mid, right = st.columns([2, 1, 1])
code = left.selectbox(t("change.element", v.lang), codes, key="chg_code", format_func=names.get)
year_a = mid.selectbox(t("change.from", v.lang), years, key="chg_a")
year_b = right.selectbox(t("change.to", v.lang), years, key="chg_b")
state.publish("chg_code", "chg_a", "chg_b")
unit_name = res.unit_name(v.unit)
st.title(f"{t('page.change', v.lang)} · {unit_name}")
st.caption(t("change.intro", v.lang))
try:
    c = common.explain_change(unit=v.unit, year_a=year_a, year_b=year_b, code=code, lang=v.lang)
except SmartIndexError:
    st.info(t("change.none", v.lang, name=names[code], a=year_a, b=year_b))
    st.stop()

cols = st.columns(3)
cols[0].metric(f"{names[code]} {year_a}", format_number(c.score_a, v.lang))
cols[1].metric(f"{names[code]} {year_b}", format_number(c.score_b, v.lang),
               delta=format_signed(c.change, v.lang, 2))
cols[2].metric(t("col.rank", v.lang), rank_text(c.rank_b, len(c.peers), v.lang),
               delta=t("page.places", v.lang, n=format_signed(c.rank_change, v.lang, 0))
               if c.rank_change == c.rank_change else None)

parts = c.contributions.assign(label=[
    n if k == "value" else t("change.weight_of", v.lang, name=n)
    for n, k in zip(c.contributions["name"], c.contributions["kind"], strict=True)])
title = t("change.chart", v.lang, name=names[code], a=year_a, b=year_b,
          change=format_signed(c.change, v.lang, 2))
common.chart(charts.contribution_chart(parts.head(TOP), v.lang, title=title,
                                       value_title=t("change.points", v.lang)))
st.caption(t("change.method", v.lang, total=format_signed(
    parts["contribution"].sum(), v.lang, 2), change=format_signed(c.change, v.lang, 2)))
labels = {"label": t("col.name", v.lang), "dimension": t("col.dimension", v.lang),
          "raw_a": f"{t('col.value', v.lang)} {year_a}",
          "raw_b": f"{t('col.value', v.lang)} {year_b}",
          "normalised_a": f"{t('change.normalised', v.lang)} {year_a}",
          "normalised_b": f"{t('change.normalised', v.lang)} {year_b}",
          "weight_a": f"{t('change.weight', v.lang)} {year_a} (%)",
          "weight_b": f"{t('change.weight', v.lang)} {year_b} (%)",
          "contribution": t("change.points", v.lang)}
shown = parts.assign(weight_a=100 * parts["weight_a"], weight_b=100 * parts["weight_b"])
common.table(shown, v.lang, labels=labels, decimals={"contribution": 3, "weight_a": 2,
                                                      "weight_b": 2}, default_decimals=2)
common.downloads(shown[list(labels)].rename(columns=labels), "change", v.lang,
                 formats=("csv", "xlsx"))

st.subheader(t("change.peers", v.lang))
peers = c.peers.assign(name=[("◆ " if u == v.unit else "") + n
                             for u, n in zip(c.peers["unit"], c.peers["name"], strict=True)])
common.table(peers, v.lang, labels={
    "name": t("col.name", v.lang), "score_a": f"{names[code]} {year_a}",
    "score_b": f"{names[code]} {year_b}", "change": t("change.points", v.lang),
    "rank_a": f"{t('col.rank', v.lang)} {year_a}", "rank_b": f"{t('col.rank', v.lang)} {year_b}",
    "rank_change": t("method.rank_change", v.lang)},
    decimals={"change": 2, "rank_a": 0, "rank_b": 0, "rank_change": 0})
moved = [md(n) for n, m in zip(c.peers["name"], c.peers["moved"], strict=True) if m]
st.caption(t("change.moved", v.lang, names=", ".join(moved)) if moved
           else t("change.none_moved", v.lang))
