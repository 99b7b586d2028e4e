"""Metode / Method & sensitivity: the method and catalogue in plain words; change normalisation,
dimension weights and aggregation and watch scores and ranks move; Monte Carlo rank intervals."""

from __future__ import annotations

import streamlit as st

from app_pages import common
from smartindex.analysis import whatif
from smartindex.display import charts
from smartindex.display.i18n import dimension_name, format_number, t
from smartindex.display.labels import choice_label, column_label

v = common.view()
res = common.results()
st.title(t("page.method", v.lang))
st.write(t("method.intro", v.lang))
with st.expander(t("method.current", v.lang)):
    st.json(res.manifest.get("method") or {}, expanded=True)
with st.expander(t("method.catalogue", v.lang)):
    cat = common.catalogue_table(lang=v.lang)
    common.table(cat, v.lang, labels={c: column_label(c, v.lang) for c in cat},
                 decimals={"weight": 1})

method = whatif.published_method(res)
left, right = st.columns(2)
norm, agg = whatif.NORMALISE_CHOICES, whatif.AGGREGATE_CHOICES
normalise = left.selectbox(t("method.normalise", v.lang), norm, key="wi_norm",
                           index=norm.index(method.normalise.method)
                           if method.normalise.method in norm else 0,
                           format_func=lambda k: choice_label("normalise", k, v.lang))
aggregate = right.selectbox(t("method.aggregate", v.lang), agg, key="wi_agg",
                            index=agg.index(method.aggregate.method)
                            if method.aggregate.method in agg else 0,
                            format_func=lambda k: choice_label("aggregate", k, v.lang))
st.markdown(f"**{t('method.weights', v.lang)}**")
steps = [round(0.1 * i, 1) for i in range(1, 31)]
weights = tuple((d, col.select_slider(dimension_name(res.catalogue, d, v.lang), steps,
                                      value=1.0, key=f"wi_{d}",
                                      format_func=lambda x: format_number(x, v.lang)))
                for col, d in zip(st.columns(len(whatif.DIMENSIONS)), whatif.DIMENSIONS,
                                  strict=True))
scores = common.rescore(normalise=normalise, aggregate=aggregate,
                     weights=weights)
moved = whatif.compare_index(res, scores, year=v.year)
st.subheader(t("method.whatif", v.lang))
common.chart(charts.change_chart(moved, v.lang))
cols = {"label": t("col.city", v.lang), **{c: t(f"col.{c}", v.lang) for c in (
    "before", "after", "rank_before", "rank_after")}, "rank_change": t("method.rank_change",
                                                                       v.lang)}
common.table(moved, v.lang, labels=cols, decimals={"rank_before": 0, "rank_after": 0,
                                                    "rank_change": 0})

unc = res.uncertainty
unc = unc[(unc["comparison"] == "cities") & (unc["year"] == v.year)] if len(unc) else unc
st.subheader(t("method.uncertainty", v.lang))
if len(unc):
    common.chart(charts.rank_interval_chart(
        unc.assign(label=[res.unit_name(u) for u in unc["unit"]]), v.lang))
sens = res.sensitivity
sens = sens[sens["comparison"] == "cities"] if len(sens) else sens
st.subheader(t("method.sensitivity", v.lang))
if len(sens):
    common.chart(charts.sensitivity_bars(sens.assign(assumption=[
        choice_label("assumption", a, v.lang) for a in sens["assumption"]]), v.lang))
